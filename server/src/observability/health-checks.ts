// What both health endpoints (GET /health and GET /api/v1/mlops/monitoring/health) compute, in one place so they
// cannot disagree: the store check, the overall status rule, and the prediction log's counters.
import type { Database } from '../db/connection.js';
import type { PredictionLogStats } from '../monitoring/prediction-log/prediction-log-writer.js';

export interface DatabaseCheck {
  ok: boolean;
  /** how long the check took, or took to fail */
  latencyMs: number;
  error: string | null;
}

/** A `select 1` (Database.ping, which gives up after the store's ping timeout, 2 s by default), timed. */
export async function checkDatabase(database: Pick<Database, 'ping'>): Promise<DatabaseCheck> {
  const started = performance.now();
  let error: string | null = null;
  const ok = await database.ping().catch((err: unknown) => {
    error = err instanceof Error ? err.message : String(err);
    return false;
  });
  // ping() answers false rather than rejecting; its reason (an error, or the timeout) stays inside it
  if (!ok && error === null) error = 'database did not answer';
  return { ok, latencyMs: performance.now() - started, error };
}

/** degraded: the database does not answer or the default model is not loaded. */
export function overallStatus(databaseOk: boolean, defaultModel: { loaded: boolean }): 'ok' | 'degraded' {
  return databaseOk && defaultModel.loaded ? 'ok' : 'degraded';
}

export function predictionLogCounters(stats: PredictionLogStats) {
  return {
    queued: stats.queued,
    written: stats.written,
    dropped: stats.dropped,
    failed_flushes: stats.failedFlushes,
    last_error: stats.lastError,
  };
}
