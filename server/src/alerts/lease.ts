// A named lease in the store: one holder at a time, renewed by the holder, taken over by another instance once it
// has expired (the holder crashed or lost the store). The same upsert works on SQLite and PostgreSQL; PostgreSQL
// serialises concurrent upserts on the row, so exactly one contender wins an expired lease.
import { sql, type Kysely } from 'kysely';
import type { Tables } from '../db/tables.js';

/** true when `holder` holds the lease until now + ttlMs. */
export async function acquireLease(db: Kysely<Tables>, name: string, holder: string, ttlMs: number, now = Date.now()): Promise<boolean> {
  await db
    .insertInto('leases')
    .values({ name, holder, expires_at: now + ttlMs })
    .onConflict((oc) =>
      oc
        .column('name')
        .doUpdateSet({ holder, expires_at: now + ttlMs })
        .where(sql<boolean>`leases.holder = ${holder} or leases.expires_at < ${now}`),
    )
    .execute();
  return (await leaseHolder(db, name, now)) === holder;
}

/** The current holder, or null when the lease is free or expired. */
export async function leaseHolder(db: Kysely<Tables>, name: string, now = Date.now()): Promise<string | null> {
  const row = await db.selectFrom('leases').select(['holder', 'expires_at']).where('name', '=', name).executeTakeFirst();
  return row && Number(row.expires_at) >= now ? row.holder : null;
}

/** Gives the lease up at once (graceful shutdown), so another instance takes over without waiting for expiry. */
export async function releaseLease(db: Kysely<Tables>, name: string, holder: string): Promise<void> {
  await db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute();
}
