// The store lease behind "one evaluating instance per store", on every database: who holds it as time passes (every
// call is given its `now`, so no clock and no sleeps), renewal, takeover after expiry and release. On PostgreSQL,
// contenders on separate connections race for an expired lease and exactly one of them wins.
import { describe, expect, it } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from '../../test/databases.js';
import { openDatabase, type Database } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import { acquireLease, leaseHolder, releaseLease } from './lease.js';

const T = 1_700_000_000_000;
const TTL = 30_000;

describeEachDatabase((td) => {
  describe('store lease', () => {
    const db = useTestDatabase(td);

    it('the first holder wins; others are refused while it is unexpired; the holder renews', async () => {
      const k = db().db;
      expect(await leaseHolder(k, 'alerts', T)).toBeNull();
      expect(await acquireLease(k, 'alerts', 'a', TTL, T)).toBe(true);
      expect(await leaseHolder(k, 'alerts', T)).toBe('a');
      // b is refused up to and including the expiry instant (held until T + TTL)
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + 1)).toBe(false);
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + TTL)).toBe(false);
      expect(await leaseHolder(k, 'alerts', T + TTL)).toBe('a');
      // a renews before expiry: held until T + 20s + TTL now
      expect(await acquireLease(k, 'alerts', 'a', TTL, T + 20_000)).toBe(true);
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + TTL + 1)).toBe(false);
      expect(await leaseHolder(k, 'alerts', T + 20_000 + TTL)).toBe('a');
      const row = await k.selectFrom('leases').selectAll().where('name', '=', 'alerts').executeTakeFirstOrThrow();
      expect([row.holder, Number(row.expires_at)]).toEqual(['a', T + 20_000 + TTL]);
      // leases are independent by name
      expect(await acquireLease(k, 'other', 'b', TTL, T + 1)).toBe(true);
      expect(await leaseHolder(k, 'other', T + 1)).toBe('b');
    });

    it('after expiry another instance takes it over, and the old holder is refused', async () => {
      const k = db().db;
      expect(await acquireLease(k, 'alerts', 'a', TTL, T)).toBe(true);
      // a stopped renewing; one ms past its expiry b takes over
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + TTL + 1)).toBe(true);
      expect(await leaseHolder(k, 'alerts', T + TTL + 1)).toBe('b');
      // a comes back: b's lease is unexpired, a cannot renew what it no longer holds
      expect(await acquireLease(k, 'alerts', 'a', TTL, T + TTL + 2)).toBe(false);
      expect(await leaseHolder(k, 'alerts', T + TTL + 2)).toBe('b');
    });

    it('releaseLease frees it at once, but only for the holder', async () => {
      const k = db().db;
      expect(await acquireLease(k, 'alerts', 'a', TTL, T)).toBe(true);
      // b releasing a's lease changes nothing
      await releaseLease(k, 'alerts', 'b');
      expect(await leaseHolder(k, 'alerts', T + 1)).toBe('a');
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + 1)).toBe(false);
      // a releases (graceful shutdown): b takes it at once, long before a's expiry
      await releaseLease(k, 'alerts', 'a');
      expect(await leaseHolder(k, 'alerts', T + 2)).toBeNull();
      expect(await acquireLease(k, 'alerts', 'b', TTL, T + 2)).toBe(true);
      expect(await leaseHolder(k, 'alerts', T + 2)).toBe('b');
      // releasing twice is harmless
      await releaseLease(k, 'alerts', 'a');
      expect(await leaseHolder(k, 'alerts', T + 3)).toBe('b');
    });

    it('leaseHolder answers null once the lease has expired (the row is still there)', async () => {
      const k = db().db;
      expect(await acquireLease(k, 'alerts', 'a', TTL, T)).toBe(true);
      expect(await leaseHolder(k, 'alerts', T + TTL)).toBe('a');
      expect(await leaseHolder(k, 'alerts', T + TTL + 1)).toBeNull();
      expect(await k.selectFrom('leases').select('holder').where('name', '=', 'alerts').executeTakeFirst()).toEqual({ holder: 'a' });
      // the same holder picks an expired lease up again
      expect(await acquireLease(k, 'alerts', 'a', TTL, T + TTL + 5)).toBe(true);
      expect(await leaseHolder(k, 'alerts', T + 2 * TTL + 5)).toBe('a');
    });

  });
});

// Separate connections racing are a PostgreSQL question (SQLite serialises its one connection's writers).
describeOnPostgres('store lease under contention', (url) => {
it('10 contenders on separate connections racing for the lease: exactly one wins each round', async () => {
    const schema = await createTestSchema(url);
    const stores: Database[] = [];
    try {
      // ten instances, each its own single-connection pool on one schema
      for (let i = 0; i < 10; i++) stores.push(await openDatabase(url, { searchPath: schema, poolSize: 1 }));
      await migrateToLatest(stores[0]!);
      // connect every pool before the race, so the contenders' statements really overlap
      await Promise.all(stores.map((s) => s.db.selectFrom('leases').select('name').execute()));

      const race = async (now: number) => {
        const won = await Promise.all(stores.map((s, i) => acquireLease(s.db, 'alerts', `instance-${i}`, TTL, now)));
        const winners = won.flatMap((w, i) => (w ? [`instance-${i}`] : []));
        expect(winners, `round at ${now}`).toHaveLength(1);
        // every contender sees the winner
        const seen = await Promise.all(stores.map((s) => leaseHolder(s.db, 'alerts', now)));
        expect(new Set(seen)).toEqual(new Set(winners));
        return winners[0]!;
      };

      // no row yet: concurrent inserts
      let now = T;
      await race(now);
      // then, round after round, the lease has expired (its holder stopped renewing) when they all race again
      for (let round = 0; round < 5; round++) {
        now += TTL + 1;
        await race(now);
      }
    } finally {
      for (const s of stores) await s.close();
      await dropTestSchema(url, schema);
    }
  });
});
