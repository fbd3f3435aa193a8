// The tracking service: MLflow's experiments and runs over one store. The operations live in one file per family
// (experiments, runs, log-batch, inputs, metric-history); this binds them to a store. The MLflow REST adapter
// (api/mlflow/) and /api/v1 code both use it.
import type { Database } from '../db/connection.js';
import { trackingContext } from './context.js';
import * as experiments from './experiments.service.js';
import * as inputs from './inputs.service.js';
import * as logging from './log-batch.service.js';
import * as history from './metric-history.service.js';
import * as runs from './runs.service.js';
import type { TrackingService } from './types.js';

export interface TrackingServiceOptions {
  /** epoch-ms clock (tests pin it); default Date.now */
  now?: () => number;
}

export function createTrackingService(database: Database, options: TrackingServiceOptions = {}): TrackingService {
  const ctx = trackingContext(database, options.now);
  return {
    database,
    createExperiment: (input) => experiments.createExperiment(ctx, input),
    getExperiment: (id) => experiments.getExperiment(ctx, id),
    getExperimentByName: (name) => experiments.getExperimentByName(ctx, name),
    findExperimentByName: (name) => experiments.findExperimentByName(ctx, name),
    searchExperiments: (input) => experiments.searchExperiments(ctx, input),
    renameExperiment: (id, newName) => experiments.renameExperiment(ctx, id, newName),
    deleteExperiment: (id) => experiments.deleteExperiment(ctx, id),
    restoreExperiment: (id) => experiments.restoreExperiment(ctx, id),
    setExperimentTag: (id, tag) => experiments.setExperimentTag(ctx, id, tag),

    createRun: (input) => runs.createRun(ctx, input),
    getRun: (runId) => runs.getRun(ctx, runId),
    updateRun: (input) => runs.updateRun(ctx, input),
    deleteRun: (runId) => runs.deleteRun(ctx, runId),
    restoreRun: (runId) => runs.restoreRun(ctx, runId),
    searchRuns: (input) => runs.searchRuns(ctx, input),

    logBatch: (input) => logging.logBatch(ctx, input),
    logMetric: (runId, metric) => logging.logMetric(ctx, runId, metric),
    logParam: (runId, param) => logging.logParam(ctx, runId, param),
    setTag: (runId, tag) => logging.setTag(ctx, runId, tag),
    deleteTag: (runId, key) => logging.deleteTag(ctx, runId, key),
    logInputs: (runId, datasets) => inputs.logInputs(ctx, runId, datasets),
    logModel: (runId, modelJson) => logging.logModel(ctx, runId, modelJson),

    getMetricHistory: (input) => history.getMetricHistory(ctx, input),
    getMetricHistoryBulkInterval: (input) => history.getMetricHistoryBulkInterval(ctx, input),
  };
}

/**
 * Experiment "0" named "Default", which MLflow clients use when no experiment is set. Run at every start after the
 * migrations; an insert-if-absent, so instances starting together are fine.
 */
export async function ensureDefaultExperiment(database: Database): Promise<void> {
  await experiments.ensureDefaultExperiment(trackingContext(database));
}
