// compare_models: fetches the runs (NotFound for an unknown id) and lines them up with compareRuns.
import { InvalidParameter } from '../../util/errors.js';
import type { TrackingService } from '../types.js';
import { compareRuns, type RunComparison } from './compare-runs.js';

export const MAX_COMPARED_RUNS = 20;

export async function compareModels(
  tracking: TrackingService,
  runIds: readonly string[],
  opts: { lowerIsBetter?: Iterable<string> } = {},
): Promise<RunComparison> {
  const unique = [...new Set(runIds)];
  if (unique.length < 2) throw new InvalidParameter('compare at least two different runs');
  if (unique.length > MAX_COMPARED_RUNS) throw new InvalidParameter(`compare at most ${MAX_COMPARED_RUNS} runs`);
  const runs = [];
  for (const id of unique) runs.push(await tracking.getRun(id));
  return compareRuns(runs, { lowerIsBetter: new Set(opts.lowerIsBetter ?? []) });
}
