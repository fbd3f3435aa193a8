// What every tracking operation needs: the store, its dialect, the clock (tests pin it) and the store's group-commit
// queue for run writes.
import type { Kysely } from 'kysely';
import type { Database } from '../db/connection.js';
import type { Tables } from '../db/tables.js';
import { GroupCommit } from './group-commit.js';

export interface TrackingContext {
  readonly database: Database;
  readonly db: Kysely<Tables>;
  /** epoch ms */
  now(): number;
  /** shared by every service on this store, so concurrent writers from anywhere in the process commit together */
  readonly writes: GroupCommit;
}

const groupCommits = new WeakMap<Database['db'], GroupCommit>();

export function trackingContext(database: Database, now: () => number = Date.now): TrackingContext {
  let writes = groupCommits.get(database.db);
  if (!writes) groupCommits.set(database.db, (writes = new GroupCommit(database)));
  return { database, db: database.db, now, writes };
}

/** MLflow ids are decimal strings; anything else names no experiment. Keeps to PostgreSQL's integer range. */
export function parseExperimentId(id: string): number | null {
  if (!/^\d{1,10}$/.test(id)) return null;
  const n = Number(id);
  return n <= 2_147_483_647 ? n : null;
}
