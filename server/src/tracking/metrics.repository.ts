// Metric history reads. Both are range scans of the metrics primary key (run, key, step, timestamp, value).
import type { Kysely, Selectable } from 'kysely';
import type { MetricsTable, Tables } from '../db/tables.js';

export type MetricPointRow = Pick<Selectable<MetricsTable>, 'step' | 'timestamp' | 'value' | 'is_nan'>;

export async function selectMetricHistory(
  db: Kysely<Tables>,
  runId: string,
  key: string,
  limit: number,
  offset: number,
): Promise<MetricPointRow[]> {
  return db
    .selectFrom('metrics')
    .select(['step', 'timestamp', 'value', 'is_nan'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key)
    .orderBy('step')
    .orderBy('timestamp')
    .orderBy('value')
    .orderBy('is_nan')
    .limit(limit)
    .offset(offset)
    .execute();
}

/** Every point of one run's metric with step in [startStep, endStep] (either bound optional), in step order. */
export async function selectMetricPointsInRange(
  db: Kysely<Tables>,
  runId: string,
  key: string,
  startStep: number | null,
  endStep: number | null,
): Promise<MetricPointRow[]> {
  let q = db
    .selectFrom('metrics')
    .select(['step', 'timestamp', 'value', 'is_nan'])
    .where('run_uuid', '=', runId)
    .where('key', '=', key);
  if (startStep !== null) q = q.where('step', '>=', startStep);
  if (endStep !== null) q = q.where('step', '<=', endStep);
  return q.orderBy('step').orderBy('timestamp').orderBy('value').execute();
}
