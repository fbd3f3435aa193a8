import { describe, expect, it } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from '../../test/databases.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import {
  ensureModelVersion,
  getModelVersion,
  InvalidModelVersionError,
  listModelVersions,
  parseModelVersion,
} from './registry.service.js';

describeEachDatabase((td) => {
  describe('registry', () => {
    const db = useTestDatabase(td);

    it('registers a model version with MLflow defaults', async () => {
      const mv = await ensureModelVersion(db(), { name: 'food-detector', version: 1, source: 'builtin://a', description: 'first', now: 1000 });
      expect(mv).toEqual({
        name: 'food-detector',
        version: 1,
        creationTime: 1000,
        lastUpdatedTime: 1000,
        description: 'first',
        userId: null,
        currentStage: 'None',
        source: 'builtin://a',
        runId: null,
        runLink: null,
        status: 'READY',
        statusMessage: null,
      });
      expect(await getModelVersion(db(), 'food-detector', 1)).toEqual(mv);
      expect(await getModelVersion(db(), 'food-detector', '1')).toEqual(mv);
    });

    it('is idempotent: a second call returns the stored version unchanged', async () => {
      const first = await ensureModelVersion(db(), { name: 'm', version: '2', source: 's1', description: 'd1', now: 1000 });
      const again = await ensureModelVersion(db(), { name: 'm', version: 2, source: 's2', description: 'd2', now: 2000 });
      expect(again).toEqual(first);
      expect(await listModelVersions(db(), 'm')).toHaveLength(1);
    });

    it('lists versions oldest first and bumps the model on each new version', async () => {
      await ensureModelVersion(db(), { name: 'm', version: 3, source: null, description: null, now: 3000 });
      await ensureModelVersion(db(), { name: 'm', version: 1, source: null, description: null, now: 1000 });
      await ensureModelVersion(db(), { name: 'm', version: 2, source: null, description: null, now: 2000 });
      await ensureModelVersion(db(), { name: 'other', version: 1, source: null, description: null });
      expect((await listModelVersions(db(), 'm')).map((v) => v.version)).toEqual([1, 2, 3]);
      const model = await db().db.selectFrom('registered_models').selectAll().where('name', '=', 'm').executeTakeFirstOrThrow();
      expect(model).toMatchObject({ creation_time: 3000, last_updated_time: 2000 });
    });

    it('returns null / [] for what does not exist', async () => {
      expect(await getModelVersion(db(), 'nope', 1)).toBeNull();
      expect(await listModelVersions(db(), 'nope')).toEqual([]);
    });

    it('survives many concurrent calls for the same version', async () => {
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => ensureModelVersion(db(), { name: 'race', version: 1 + (i % 2), source: `s${i}`, description: null })),
      );
      expect(new Set(results.map((r) => `${r.version}:${r.source}`)).size).toBe(2);
      expect((await listModelVersions(db(), 'race')).map((v) => v.version)).toEqual([1, 2]);
    });

    it('accepts a transaction', async () => {
      await db().db.transaction().execute((trx) => ensureModelVersion(trx, { name: 'tx', version: 1 }));
      expect(await getModelVersion(db(), 'tx', 1)).not.toBeNull();
    });
  });
});

describeOnPostgres('registry with two instances on one PostgreSQL schema', (url) => {
  it('lets both ensure the same versions at the same time', async () => {
    const schema = await createTestSchema(url);
    const a = await openDatabase(url, { searchPath: schema });
    const b = await openDatabase(url, { searchPath: schema });
    try {
      await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      for (let round = 0; round < 5; round++) {
        const name = `model-${round}`;
        const [va, vb] = await Promise.all([
          ensureModelVersion(a, { name, version: 1, source: 'from-a', description: null }),
          ensureModelVersion(b, { name, version: 1, source: 'from-b', description: null }),
        ]);
        expect(va).toEqual(vb);
      }
      expect(await a.db.selectFrom('model_versions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: 5 });
    } finally {
      await a.close();
      await b.close();
      await dropTestSchema(url, schema);
    }
  });
});

describe('parseModelVersion', () => {
  it.each([
    [1, 1],
    ['7', 7],
    [' 12 ', 12],
  ])('%j -> %d', (input, expected) => {
    expect(parseModelVersion(input)).toBe(expected);
  });

  it.each([0, -1, 1.5, '1.0', 'v1', '', Number.NaN, 2 ** 31])('rejects %j', (input) => {
    expect(() => parseModelVersion(input)).toThrow(InvalidModelVersionError);
  });
});
