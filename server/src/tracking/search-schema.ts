// The search compiler's view of the tracking tables (migration 0002): the planned names of DEFAULT_SEARCH_SCHEMA,
// plus run_inputs for `datasets.name / digest / context` filters.
import { DEFAULT_SEARCH_SCHEMA, type SearchSchema } from './search/index.js';

export const TRACKING_SEARCH_SCHEMA: SearchSchema = {
  ...DEFAULT_SEARCH_SCHEMA,
  runs: {
    ...DEFAULT_SEARCH_SCHEMA.runs!,
    datasetInputs: { table: 'run_inputs', runId: 'run_uuid', name: 'name', digest: 'digest', context: 'context' },
  },
};
