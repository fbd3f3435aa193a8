// alert_instances and alert_events: the evaluated state of each rule scope, and its history. A state write is a
// compare-and-set on the row's revision, in the pass's transaction with its event and its queued deliveries: if two
// evaluators ever raced (a lease that lapsed mid-pass), only one of them records a transition and notifies.
import type { Kysely, Transaction } from 'kysely';
import type { AlertStateName } from '@foodlens/contracts';
import type { Tables } from '../db/tables.js';
import { uuidv7 } from '../util/ids.js';
import type { AlertSnapshot } from './alert-state-machine.js';
import { insertDeliveries, type NewDelivery } from './deliveries.repository.js';

export interface StoredInstance {
  ruleId: string;
  key: string;
  model: string | null;
  version: string | null;
  snapshot: AlertSnapshot;
  value: number | null;
  lastEvaluatedAt: number;
  revision: number;
}

type InstanceRow = Tables['alert_instances'];

const num = (v: number | null) => (v === null ? null : Number(v));

function fromRow(r: InstanceRow): StoredInstance {
  return {
    ruleId: r.rule_id,
    key: r.instance_key,
    model: r.model_name,
    version: r.model_version,
    snapshot: {
      state: r.state as AlertStateName,
      since: Number(r.since),
      activeSince: num(r.active_since),
      lastNotifiedAt: num(r.last_notified_at),
    },
    value: r.value,
    lastEvaluatedAt: Number(r.last_evaluated_at),
    revision: Number(r.revision),
  };
}

export async function listInstances(db: Kysely<Tables>, ruleId?: string): Promise<StoredInstance[]> {
  let q = db.selectFrom('alert_instances').selectAll();
  if (ruleId !== undefined) q = q.where('rule_id', '=', ruleId);
  return (await q.orderBy('rule_id').orderBy('instance_key').execute()).map(fromRow);
}

export interface InstanceWrite {
  ruleId: string;
  key: string;
  model: string | null;
  version: string | null;
  /** the revision read before evaluating; null when the instance is new */
  expectedRevision: number | null;
  snapshot: AlertSnapshot;
  value: number | null;
  now: number;
  /** set when the state changed or a notification is due */
  event?: { from: AlertStateName; to: AlertStateName; threshold: number; notified: boolean } | undefined;
  deliveries: NewDelivery[];
}

/** Writes a pass's scopes in one transaction; per write, false when another writer changed the instance since it
 * was read (nothing of that write is stored then, its event and deliveries included). */
export async function writeInstances(db: Kysely<Tables>, writes: readonly InstanceWrite[]): Promise<boolean[]> {
  if (writes.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const results: boolean[] = [];
    for (const w of writes) {
      const ok = await compareAndSet(trx, w);
      results.push(ok);
      if (!ok) continue;
      if (w.event) {
        await trx
          .insertInto('alert_events')
          .values({
            id: uuidv7(w.now),
            rule_id: w.ruleId,
            instance_key: w.key,
            at: w.now,
            from_state: w.event.from,
            to_state: w.event.to,
            value: w.value,
            threshold: w.event.threshold,
            notified: w.event.notified ? 1 : 0,
          })
          .execute();
      }
      await insertDeliveries(trx, w.deliveries);
    }
    return results;
  });
}

async function compareAndSet(trx: Transaction<Tables>, w: InstanceWrite): Promise<boolean> {
  const values = {
    model_name: w.model,
    model_version: w.version,
    state: w.snapshot.state,
    since: w.snapshot.since,
    active_since: w.snapshot.activeSince,
    last_notified_at: w.snapshot.lastNotifiedAt,
    value: w.value,
    last_evaluated_at: w.now,
  };
  if (w.expectedRevision === null) {
    const r = await trx
      .insertInto('alert_instances')
      .values({ rule_id: w.ruleId, instance_key: w.key, revision: 1, ...values })
      .onConflict((oc) => oc.columns(['rule_id', 'instance_key']).doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  const r = await trx
    .updateTable('alert_instances')
    .set({ ...values, revision: w.expectedRevision + 1 })
    .where('rule_id', '=', w.ruleId)
    .where('instance_key', '=', w.key)
    .where('revision', '=', w.expectedRevision)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface StoredEvent {
  id: string;
  ruleId: string;
  key: string;
  at: number;
  from: AlertStateName;
  to: AlertStateName;
  value: number | null;
  threshold: number;
  notified: boolean;
}

/** Newest first, at most `perInstance` per instance. */
export async function recentEvents(db: Kysely<Tables>, keys: ReadonlyArray<{ ruleId: string; key: string }>, perInstance: number): Promise<Map<string, StoredEvent[]>> {
  const out = new Map<string, StoredEvent[]>();
  if (perInstance === 0) return out;
  // a few instances per page: one indexed read each keeps the limit per instance exact on both databases
  for (const { ruleId, key } of keys) {
    const rows = await db
      .selectFrom('alert_events')
      .selectAll()
      .where('rule_id', '=', ruleId)
      .where('instance_key', '=', key)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(perInstance)
      .execute();
    out.set(`${ruleId}\u0000${key}`, rows.map((r) => ({
      id: r.id,
      ruleId: r.rule_id,
      key: r.instance_key,
      at: Number(r.at),
      from: r.from_state as AlertStateName,
      to: r.to_state as AlertStateName,
      value: r.value,
      threshold: r.threshold,
      notified: Number(r.notified) === 1,
    })));
  }
  return out;
}

/** Instances with a state change at or after `since`. */
export async function instancesChangedSince(db: Kysely<Tables>, since: number): Promise<Set<string>> {
  const rows = await db.selectFrom('alert_events').select(['rule_id', 'instance_key']).distinct().where('at', '>=', since).execute();
  return new Set(rows.map((r) => `${r.rule_id}\u0000${r.instance_key}`));
}
