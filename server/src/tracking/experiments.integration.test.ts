// Experiments with MLflow's semantics, on every database.
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { AlreadyExists, AppError, InvalidParameter, NotFound } from '../util/errors.js';
import { createTrackingService, ensureDefaultExperiment } from './tracking.service.js';

describeEachDatabase((td) => {
  describe('tracking: experiments', () => {
    const db = useTestDatabase(td);
    let clock = 1000;
    const service = () => createTrackingService(db(), { now: () => clock++ });

    it('seeds experiment "0" named Default once, even when two instances start together', async () => {
      await Promise.all([ensureDefaultExperiment(db()), ensureDefaultExperiment(db()), ensureDefaultExperiment(db())]);
      await ensureDefaultExperiment(db());
      const d = await service().getExperiment('0');
      expect(d).toMatchObject({ experimentId: '0', name: 'Default', artifactLocation: 'mlflow-artifacts:/0', lifecycleStage: 'active', tags: [] });
      const all = await service().searchExperiments({ viewType: 'ALL' });
      expect(all.experiments.map((e) => e.name)).toEqual(['Default']);
    });

    it('creates experiments with database-assigned ids, mlflow-artifacts locations and tags', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const a = await t.createExperiment({ name: 'a', tags: [{ key: 'team', value: 'cv' }] });
      const b = await t.createExperiment({ name: 'b', artifactLocation: 's3://bucket/b' });
      expect([a, b]).toEqual(['1', '2']);
      expect(await t.getExperiment(a)).toMatchObject({
        name: 'a',
        artifactLocation: 'mlflow-artifacts:/1',
        lifecycleStage: 'active',
        tags: [{ key: 'team', value: 'cv' }],
      });
      expect((await t.getExperiment(b)).artifactLocation).toBe('s3://bucket/b');
      expect((await t.getExperimentByName('b')).experimentId).toBe(b);
      expect(await t.findExperimentByName('nope')).toBeNull();
    });

    it('refuses a name in use, also by a deleted experiment, and concurrent creates of one name', async () => {
      const t = service();
      const id = await t.createExperiment({ name: 'dup' });
      await expect(t.createExperiment({ name: 'dup' })).rejects.toThrow(AlreadyExists);
      await t.deleteExperiment(id);
      await expect(t.createExperiment({ name: 'dup' })).rejects.toThrow(AlreadyExists);
      const results = await Promise.allSettled(Array.from({ length: 5 }, () => t.createExperiment({ name: 'race' })));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(AlreadyExists);
    });

    it('answers 404 for missing or non-numeric ids and missing names, and validates names and locations', async () => {
      const t = service();
      await expect(t.getExperiment('999999')).rejects.toThrow(new NotFound('No Experiment with id=999999 exists'));
      await expect(t.getExperiment('abc')).rejects.toThrow(NotFound);
      await expect(t.getExperiment('99999999999999999999')).rejects.toThrow(NotFound);
      await expect(t.getExperimentByName('x')).rejects.toThrow("Could not find experiment with name 'x'");
      await expect(t.createExperiment({ name: '' })).rejects.toThrow(InvalidParameter);
      await expect(t.createExperiment({ name: 'x'.repeat(501) })).rejects.toThrow(InvalidParameter);
      await expect(t.createExperiment({ name: 'r', artifactLocation: 'runs:/abc/model' })).rejects.toThrow(InvalidParameter);
      await expect(t.createExperiment({ name: 'bad-tag', tags: [{ key: 'a/../b', value: '1' }] })).rejects.toThrow(InvalidParameter);
    });

    it('renames active experiments only, to a free name', async () => {
      const t = service();
      const a = await t.createExperiment({ name: 'a' });
      await t.createExperiment({ name: 'b' });
      await t.renameExperiment(a, 'a2');
      expect((await t.getExperiment(a)).name).toBe('a2');
      await expect(t.renameExperiment(a, 'b')).rejects.toThrow(AlreadyExists);
      await expect(t.renameExperiment(a, '')).rejects.toThrow(InvalidParameter);
      await t.deleteExperiment(a);
      const err = await t.renameExperiment(a, 'a3').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('INVALID_STATE');
    });

    it('cascades delete and restore to the runs, and tags only active experiments', async () => {
      const t = service();
      const id = await t.createExperiment({ name: 'e' });
      const r1 = await t.createRun({ experimentId: id });
      const r2 = await t.createRun({ experimentId: id });
      await t.deleteRun(r2.info.runId);
      await t.deleteExperiment(id);
      expect((await t.getExperiment(id)).lifecycleStage).toBe('deleted');
      expect((await t.getRun(r1.info.runId)).info.lifecycleStage).toBe('deleted');
      await expect(t.setExperimentTag(id, { key: 'k', value: 'v' })).rejects.toThrow("must be in the 'active' state");
      await expect(t.createRun({ experimentId: id })).rejects.toThrow(InvalidParameter);
      await t.restoreExperiment(id);
      // MLflow's SQL store restores every run of the experiment, also one deleted on its own before
      expect((await t.getRun(r1.info.runId)).info.lifecycleStage).toBe('active');
      expect((await t.getRun(r2.info.runId)).info.lifecycleStage).toBe('active');
      await t.setExperimentTag(id, { key: 'k', value: 'v' });
      await t.setExperimentTag(id, { key: 'k', value: 'w' });
      expect((await t.getExperiment(id)).tags).toEqual([{ key: 'k', value: 'w' }]);
      await expect(t.deleteExperiment('424242')).rejects.toThrow(NotFound);
    });

    it('searches with filter, order_by, view type and page tokens', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      for (const name of ['food-a', 'food-b', 'Food-c', 'other']) await t.createExperiment({ name });
      await t.setExperimentTag((await t.getExperimentByName('food-b')).experimentId, { key: 'team', value: 'cv' });
      await t.deleteExperiment((await t.getExperimentByName('other')).experimentId);

      const names = async (input: Parameters<typeof t.searchExperiments>[0]) =>
        (await t.searchExperiments(input)).experiments.map((e) => e.name);
      // default order: creation_time DESC (Default was seeded with the real clock, far after this test's pinned one)
      expect(await names({})).toEqual(['Default', 'Food-c', 'food-b', 'food-a']);
      expect(await names({ filter: "name LIKE 'food%'" })).toEqual(['food-b', 'food-a']);
      expect(await names({ filter: "name ILIKE 'food%'", orderBy: ['name ASC'] })).toEqual(['Food-c', 'food-a', 'food-b']);
      expect(await names({ filter: "tags.team = 'cv'" })).toEqual(['food-b']);
      expect(await names({ viewType: 'DELETED_ONLY' })).toEqual(['other']);
      expect(await names({ viewType: 'ALL', orderBy: ['name'] })).toEqual(['Default', 'Food-c', 'food-a', 'food-b', 'other']);

      const first = await t.searchExperiments({ maxResults: 2, orderBy: ['name'] });
      expect(first.experiments.map((e) => e.name)).toEqual(['Default', 'Food-c']);
      expect(first.nextPageToken).not.toBeNull();
      const second = await t.searchExperiments({ maxResults: 2, orderBy: ['name'], pageToken: first.nextPageToken });
      expect(second.experiments.map((e) => e.name)).toEqual(['food-a', 'food-b']);
      expect(second.nextPageToken).toBeNull();

      await expect(t.searchExperiments({ maxResults: 50_001 })).rejects.toThrow('It must be at most 50000');
      await expect(t.searchExperiments({ maxResults: 0 })).rejects.toThrow(InvalidParameter);
      await expect(t.searchExperiments({ pageToken: 'garbage!!' })).rejects.toThrow('Invalid page token');
      await expect(t.searchExperiments({ filter: 'name >> 1' })).rejects.toThrow(InvalidParameter);
    });
  });
});
