// How many active experiments and runs the store holds, for /api/v1/mlops/metrics. Two COUNT queries straight on
// MLflow's tables: the tracking service pages results, and counting by paging would read every run.
import { Kysely } from 'kysely';
import type { Database } from '../../db/connection.js';
import type { Tables } from '../../db/tables.js';

export interface TrackingCounts {
  experiments: number;
  /** active runs in active experiments */
  runs: number;
}

export async function countExperimentsAndRuns(store: Database | Kysely<Tables>): Promise<TrackingCounts> {
  const db = store instanceof Kysely ? store : store.db;
  const experiments = await db
    .selectFrom('experiments')
    .where('lifecycle_stage', '=', 'active')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  const runs = await db
    .selectFrom('runs')
    .innerJoin('experiments', 'experiments.experiment_id', 'runs.experiment_id')
    .where('runs.lifecycle_stage', '=', 'active')
    .where('experiments.lifecycle_stage', '=', 'active')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { experiments: Number(experiments.n), runs: Number(runs.n) };
}
