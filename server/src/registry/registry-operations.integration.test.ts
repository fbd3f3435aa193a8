// The registry functions other modules build on (deployment router, model upload): version numbering under
// concurrency (two instances on one PostgreSQL), use inside a caller's transaction, and the events they emit.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from '../../test/databases.js';
import { openDatabase } from '../db/connection.js';
import { migrateToLatest } from '../db/migrate.js';
import {
  createModelVersion,
  createRegisteredModel,
  deleteAlias,
  deleteModelVersion,
  deleteRegisteredModel,
  getAliasVersion,
  getModelVersion,
  listAliases,
  listModelVersions,
  registryEvents,
  renameRegisteredModel,
  setAlias,
  type RegistryEvent,
} from './index.js';

describeEachDatabase((td) => {
  describe('registry operations', () => {
    const db = useTestDatabase(td);
    const events: RegistryEvent[] = [];
    let off: (() => void) | null = null;
    afterEach(() => {
      off?.();
      events.length = 0;
    });
    const record = () => {
      off = registryEvents.on('*', (e) => events.push(e));
    };

    it('creates a version inside a caller transaction, with a servable row that commits or rolls back with it', async () => {
      await createRegisteredModel(db(), { name: 'm' });
      const mv = await db().db.transaction().execute(async (trx) => {
        const created = await createModelVersion(trx, { name: 'm', source: 'file:///a', tags: [{ key: 'k', value: 'v' }] });
        await trx
          .insertInto('model_version_servables')
          .values({ name: 'm', version: created.version, runtime: 'onnx', spec: '{}', model_path: 'a.onnx', size_bytes: 1, sha256: 'x', load_ms: null, created_time: 1 })
          .execute();
        return created;
      });
      expect(mv).toMatchObject({ name: 'm', version: 1, status: 'READY', currentStage: 'None', tags: [{ key: 'k', value: 'v' }], aliases: [] });
      await expect(
        db().db.transaction().execute(async (trx) => {
          await createModelVersion(trx, { name: 'm', source: 'file:///b' });
          throw new Error('validation failed');
        }),
      ).rejects.toThrow('validation failed');
      expect((await listModelVersions(db(), 'm')).map((v) => v.version)).toEqual([1]);
      expect(await db().db.selectFrom('model_version_servables').select('version').execute()).toEqual([{ version: 1 }]);
      // the rolled-back number is free again; a deleted one is not
      expect((await createModelVersion(db(), { name: 'm', source: 's' })).version).toBe(2);
      await deleteModelVersion(db(), 'm', 2);
      expect((await createModelVersion(db(), { name: 'm', source: 's' })).version).toBe(3);
      expect(await db().db.selectFrom('model_version_servables').select('version').execute()).toEqual([{ version: 1 }]);
    });

    it('numbers concurrent creations without gaps or errors', async () => {
      await createRegisteredModel(db(), { name: 'race' });
      const created = await Promise.all(Array.from({ length: 12 }, (_, i) => createModelVersion(db(), { name: 'race', source: `s${i}` })));
      expect(created.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    });

    it('emits alias-changed only when an alias moves or goes, and version-deleted with the aliases it took', async () => {
      await createRegisteredModel(db(), { name: 'm' });
      await createModelVersion(db(), { name: 'm', source: 'a' });
      await createModelVersion(db(), { name: 'm', source: 'b' });
      record();
      await setAlias(db(), 'm', 'champion', 1);
      await setAlias(db(), 'm', 'champion', '1');
      await setAlias(db(), 'm', 'champion', 2);
      await setAlias(db(), 'm', 'challenger', 1);
      expect(await getAliasVersion(db(), 'm', 'champion')).toBe(2);
      expect(await getAliasVersion(db(), 'm', 'nope')).toBeNull();
      expect(await getAliasVersion(db(), 'nope', 'champion')).toBeNull();
      expect(await listAliases(db(), 'm')).toEqual([
        { alias: 'challenger', version: 1 },
        { alias: 'champion', version: 2 },
      ]);
      await deleteAlias(db(), 'm', 'challenger');
      await deleteAlias(db(), 'm', 'challenger');
      await deleteModelVersion(db(), 'm', 2);
      expect(events).toEqual([
        { type: 'alias-changed', name: 'm', alias: 'champion', version: 1, previousVersion: null },
        { type: 'alias-changed', name: 'm', alias: 'champion', version: 2, previousVersion: 1 },
        { type: 'alias-changed', name: 'm', alias: 'challenger', version: 1, previousVersion: null },
        { type: 'alias-changed', name: 'm', alias: 'challenger', version: null, previousVersion: 1 },
        { type: 'alias-changed', name: 'm', alias: 'champion', version: null, previousVersion: 2 },
        { type: 'version-deleted', name: 'm', version: 2, aliases: ['champion'] },
      ]);
      expect(await listAliases(db(), 'm')).toEqual([]);
    });

    it('emits model-renamed and model-deleted after the change, and nothing for a refused change', async () => {
      await createRegisteredModel(db(), { name: 'a' });
      await createRegisteredModel(db(), { name: 'b' });
      await createModelVersion(db(), { name: 'a', source: 's' });
      await setAlias(db(), 'a', 'champion', 1);
      const readsByListener: Array<Promise<number | null>> = [];
      off = registryEvents.on('model-renamed', (e) => {
        events.push(e);
        // the listener can already read the new state
        readsByListener.push(getAliasVersion(db(), e.newName, 'champion'));
      });
      await expect(renameRegisteredModel(db(), 'a', 'b')).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS' });
      await renameRegisteredModel(db(), 'a', 'c');
      expect(await Promise.all(readsByListener)).toEqual([1]);
      await expect(deleteRegisteredModel(db(), 'a')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
      const offDeleted = registryEvents.on('model-deleted', (e) => events.push(e));
      await deleteRegisteredModel(db(), 'c');
      offDeleted();
      expect(events).toEqual([
        { type: 'model-renamed', name: 'a', newName: 'c' },
        { type: 'model-deleted', name: 'c' },
      ]);
      expect(await getModelVersion(db(), 'c', 1)).toBeNull();
    });

    it('keeps serving the write when a listener throws', async () => {
      await createRegisteredModel(db(), { name: 'm' });
      await createModelVersion(db(), { name: 'm', source: 's' });
      off = registryEvents.on('alias-changed', () => {
        throw new Error('listener bug');
      });
      await setAlias(db(), 'm', 'champion', 1);
      expect(await getAliasVersion(db(), 'm', 'champion')).toBe(1);
    });
  });
});

describeOnPostgres('registry versions with two instances on one PostgreSQL schema', (url) => {
  it('allocates distinct consecutive numbers when both create versions at once', async () => {
    const schema = await createTestSchema(url);
    const a = await openDatabase(url, { searchPath: schema });
    const b = await openDatabase(url, { searchPath: schema });
    try {
      await Promise.all([migrateToLatest(a), migrateToLatest(b)]);
      await createRegisteredModel(a, { name: 'shared' });
      const created = await Promise.all(
        Array.from({ length: 20 }, (_, i) => createModelVersion(i % 2 === 0 ? a : b, { name: 'shared', source: `from-${i % 2 ? 'b' : 'a'}-${i}` })),
      );
      const numbers = created.map((v) => v.version).sort((x, y) => x - y);
      expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      // each answer is the row that was stored under its number
      for (const v of created) expect((await getModelVersion(b, 'shared', v.version))?.source).toBe(v.source);
    } finally {
      await a.close();
      await b.close();
      await dropTestSchema(url, schema);
    }
  });
});
