// alert_deliveries (the webhook outbox) and alert_delivery_attempts (the delivery log). Deliveries are queued in the
// evaluator's transaction and sent later by the delivery worker, so a slow or dead receiver never holds up
// evaluation. A send is claimed first (compare-and-set on attempts), so two instances never send one attempt twice.
import type { Kysely, Transaction } from 'kysely';
import type { DeliveryStatus, NotificationKind } from '@foodlens/contracts';
import type { Tables } from '../db/tables.js';

export interface NewDelivery {
  id: string;
  ruleId: string;
  key: string;
  kind: NotificationKind;
  url: string;
  format: 'json' | 'slack';
  headers: Record<string, string>;
  /** the AlertNotification */
  payload: unknown;
  createdAt: number;
}

export async function insertDeliveries(trx: Transaction<Tables> | Kysely<Tables>, deliveries: readonly NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await trx
    .insertInto('alert_deliveries')
    .values(
      deliveries.map((d) => ({
        id: d.id,
        rule_id: d.ruleId,
        instance_key: d.key,
        kind: d.kind,
        url: d.url,
        format: d.format,
        headers: JSON.stringify(d.headers),
        payload: JSON.stringify(d.payload),
        status: 'pending',
        attempts: 0,
        created_at: d.createdAt,
        next_attempt_at: d.createdAt,
        delivered_at: null,
        last_error: null,
      })),
    )
    .execute();
}

export interface DueDelivery {
  id: string;
  url: string;
  format: 'json' | 'slack';
  headers: Record<string, string>;
  payload: unknown;
  attempts: number;
}

export async function dueDeliveries(db: Kysely<Tables>, now: number, limit: number): Promise<DueDelivery[]> {
  const rows = await db
    .selectFrom('alert_deliveries')
    .select(['id', 'url', 'format', 'headers', 'payload', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', now)
    .orderBy('next_attempt_at')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    url: r.url,
    format: r.format as 'json' | 'slack',
    headers: JSON.parse(r.headers) as Record<string, string>,
    payload: JSON.parse(r.payload) as unknown,
    attempts: Number(r.attempts),
  }));
}

/** Takes the delivery's next attempt: pushes next_attempt_at past the send so no other worker picks it up meanwhile.
 * false when someone else took it. */
export async function claimDelivery(db: Kysely<Tables>, id: string, attempts: number, until: number): Promise<boolean> {
  const r = await db
    .updateTable('alert_deliveries')
    .set({ attempts: attempts + 1, next_attempt_at: until })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .where('attempts', '=', attempts)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export interface AttemptOutcome {
  attempt: number;
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** what the delivery becomes */
  status: DeliveryStatus;
  nextAttemptAt: number | null;
}

export async function recordAttempt(db: Kysely<Tables>, id: string, o: AttemptOutcome): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('alert_delivery_attempts')
      .values({ delivery_id: id, attempt: o.attempt, at: o.at, status_code: o.statusCode, error: o.error, duration_ms: o.durationMs })
      .onConflict((oc) => oc.columns(['delivery_id', 'attempt']).doNothing())
      .execute();
    await trx
      .updateTable('alert_deliveries')
      .set({
        status: o.status,
        next_attempt_at: o.nextAttemptAt,
        delivered_at: o.status === 'delivered' ? o.at : null,
        last_error: o.error,
      })
      .where('id', '=', id)
      .execute();
  });
}

export async function deliveryCounts(db: Kysely<Tables>): Promise<{ pending: number; failed: number }> {
  const rows = await db
    .selectFrom('alert_deliveries')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .where('status', 'in', ['pending', 'failed'])
    .groupBy('status')
    .execute();
  const n = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: n('pending'), failed: n('failed') };
}

export interface ListedDelivery {
  id: string;
  ruleId: string;
  key: string;
  kind: NotificationKind;
  url: string;
  format: 'json' | 'slack';
  status: DeliveryStatus;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
  attemptLog: Array<{ attempt: number; at: number; statusCode: number | null; error: string | null; durationMs: number }>;
}

/** Newest first, with each delivery's attempts (oldest first). */
export async function listDeliveries(
  db: Kysely<Tables>,
  q: { ruleId?: string | undefined; status?: DeliveryStatus | undefined; limit: number },
): Promise<ListedDelivery[]> {
  let query = db.selectFrom('alert_deliveries').select(['id', 'rule_id', 'instance_key', 'kind', 'url', 'format', 'status', 'attempts', 'created_at', 'next_attempt_at', 'delivered_at', 'last_error']);
  if (q.ruleId !== undefined) query = query.where('rule_id', '=', q.ruleId);
  if (q.status !== undefined) query = query.where('status', '=', q.status);
  const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
  const attempts = rows.length
    ? await db.selectFrom('alert_delivery_attempts').selectAll().where('delivery_id', 'in', rows.map((r) => r.id)).orderBy('delivery_id').orderBy('attempt').execute()
    : [];
  const byDelivery = new Map<string, typeof attempts>();
  for (const a of attempts) byDelivery.set(a.delivery_id, [...(byDelivery.get(a.delivery_id) ?? []), a]);
  const num = (v: number | null) => (v === null ? null : Number(v));
  return rows.map((r) => ({
    id: r.id,
    ruleId: r.rule_id,
    key: r.instance_key,
    kind: r.kind as NotificationKind,
    url: r.url,
    format: r.format as 'json' | 'slack',
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    nextAttemptAt: num(r.next_attempt_at),
    deliveredAt: num(r.delivered_at),
    lastError: r.last_error,
    attemptLog: (byDelivery.get(r.id) ?? []).map((a) => ({
      attempt: Number(a.attempt),
      at: Number(a.at),
      statusCode: num(a.status_code),
      error: a.error,
      durationMs: a.duration_ms,
    })),
  }));
}
