// Run lifecycle with MLflow's semantics, on every database.
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { InvalidParameter, NotFound } from '../util/errors.js';
import { createTrackingService, ensureDefaultExperiment } from './tracking.service.js';

describeEachDatabase((td) => {
  describe('tracking: runs', () => {
    const db = useTestDatabase(td);
    const service = () => createTrackingService(db(), { now: () => 5000 });

    it('creates a run with a uuid4-hex id, a made-up name, the runName tag and the artifact URI', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const run = await t.createRun({ userId: 'alice', tags: [{ key: 'mlflow.user', value: 'alice' }] });
      expect(run.info.runId).toMatch(/^[0-9a-f]{32}$/);
      expect(run.info).toMatchObject({
        experimentId: '0',
        userId: 'alice',
        status: 'RUNNING',
        startTime: 5000,
        endTime: null,
        lifecycleStage: 'active',
        artifactUri: `mlflow-artifacts:/0/${run.info.runId}/artifacts`,
      });
      expect(run.info.runName).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
      expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: run.info.runName });
      expect(await t.getRun(run.info.runId)).toEqual(run);
    });

    it('takes the name from run_name or the mlflow.runName tag, and refuses the two disagreeing', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      expect((await t.createRun({ runName: 'r1' })).info.runName).toBe('r1');
      const tagged = await t.createRun({ tags: [{ key: 'mlflow.runName', value: 'from-tag' }] });
      expect(tagged.info.runName).toBe('from-tag');
      expect(tagged.data.tags).toEqual([{ key: 'mlflow.runName', value: 'from-tag' }]);
      await expect(t.createRun({ runName: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] })).rejects.toThrow(
        "Both 'run_name' argument and 'mlflow.runName' tag are specified",
      );
    });

    it('refuses runs in missing or deleted experiments', async () => {
      const t = service();
      await expect(t.createRun({ experimentId: '77' })).rejects.toThrow(new NotFound('No Experiment with id=77 exists'));
      const id = await t.createExperiment({ name: 'gone' });
      await t.deleteExperiment(id);
      await expect(t.createRun({ experimentId: id })).rejects.toThrow(`The experiment ${id} must be in the 'active' state`);
    });

    it('updates only the fields given; a new name is also the runName tag', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const run = await t.createRun({ runName: 'r' });
      const id = run.info.runId;
      const info = await t.updateRun({ runId: id, status: 'FINISHED' });
      expect(info).toMatchObject({ status: 'FINISHED', endTime: null, runName: 'r' });
      const renamed = await t.updateRun({ runId: id, endTime: 9000, runName: 'r2' });
      expect(renamed).toMatchObject({ status: 'FINISHED', endTime: 9000, runName: 'r2' });
      expect((await t.getRun(id)).data.tags).toContainEqual({ key: 'mlflow.runName', value: 'r2' });
      await t.setTag(id, { key: 'mlflow.runName', value: 'r3' });
      expect((await t.getRun(id)).info.runName).toBe('r3');
    });

    it('keeps deleted runs readable but refuses writes to them, until restored', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const id = (await t.createRun({})).info.runId;
      await t.deleteRun(id);
      expect((await t.getRun(id)).info.lifecycleStage).toBe('deleted');
      const inactive = `The run ${id} must be in the 'active' state. Current state is deleted.`;
      await expect(t.logMetric(id, { key: 'm', value: 1, timestamp: 1, step: 0 })).rejects.toThrow(inactive);
      await expect(t.logParam(id, { key: 'p', value: '1' })).rejects.toThrow(inactive);
      await expect(t.setTag(id, { key: 't', value: '1' })).rejects.toThrow(inactive);
      await expect(t.updateRun({ runId: id, status: 'FAILED' })).rejects.toThrow(InvalidParameter);
      await expect(t.deleteTag(id, 'mlflow.runName')).rejects.toThrow(inactive);
      await t.restoreRun(id);
      await t.logMetric(id, { key: 'm', value: 1, timestamp: 1, step: 0 });
      expect((await t.getRun(id)).info.lifecycleStage).toBe('active');
    });

    it('answers 404 for runs that do not exist, whatever the operation', async () => {
      const t = service();
      const missing = '0'.repeat(32);
      const notFound = new NotFound(`Run with id=${missing} not found`);
      await expect(t.getRun(missing)).rejects.toThrow(notFound);
      await expect(t.updateRun({ runId: missing, status: 'FINISHED' })).rejects.toThrow(notFound);
      await expect(t.deleteRun(missing)).rejects.toThrow(notFound);
      await expect(t.restoreRun(missing)).rejects.toThrow(notFound);
      await expect(t.logBatch({ runId: missing })).rejects.toThrow(notFound);
      await expect(t.logInputs(missing, [])).rejects.toThrow(notFound);
      await expect(t.logModel(missing, JSON.stringify({ run_id: missing, artifact_path: 'm', flavors: {}, utc_time_created: 'x' }))).rejects.toThrow(notFound);
    });

    it('deletes tags that exist, and says so when one does not', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const id = (await t.createRun({ runName: 'x' })).info.runId;
      await t.setTag(id, { key: 'tk', value: 'tv' });
      await t.deleteTag(id, 'tk');
      expect((await t.getRun(id)).data.tags).toEqual([{ key: 'mlflow.runName', value: 'x' }]);
      await expect(t.deleteTag(id, 'tk')).rejects.toThrow(new NotFound(`No tag with name: tk in run with id ${id}`));
    });

    it('records dataset inputs once per run, shares datasets within the experiment, and appends logged models', async () => {
      await ensureDefaultExperiment(db());
      const t = service();
      const a = (await t.createRun({})).info.runId;
      const b = (await t.createRun({})).info.runId;
      const input = {
        tags: [{ key: 'mlflow.data.context', value: 'training' }],
        dataset: { name: 'toy', digest: '2981c147', sourceType: 'code', source: '{}', schema: null, profile: '{"num_rows": 2}' },
      };
      await t.logInputs(a, [input]);
      await t.logInputs(a, [{ ...input, tags: [{ key: 'mlflow.data.context', value: 'eval' }] }]);
      await t.logInputs(b, [input]);
      const run = await t.getRun(a);
      expect(run.inputs.datasetInputs).toEqual([input]);
      const rows = await db().db.selectFrom('datasets').selectAll().execute();
      expect(rows).toHaveLength(1);
      await expect(t.logInputs(a, [{ tags: [], dataset: { ...input.dataset, digest: 'x'.repeat(37) } }])).rejects.toThrow(InvalidParameter);

      const model = (n: number) => JSON.stringify({ run_id: a, artifact_path: `m${n}`, flavors: {}, utc_time_created: 't' });
      await t.logModel(a, model(1));
      await t.logModel(a, model(2));
      const history = (await t.getRun(a)).data.tags.find((x) => x.key === 'mlflow.log-model.history')!;
      expect((JSON.parse(history.value) as Array<{ artifact_path: string }>).map((m) => m.artifact_path)).toEqual(['m1', 'm2']);
      await expect(t.logModel(a, 'not json')).rejects.toThrow('Malformed model info');
      await expect(t.logModel(a, '{"run_id": "x"}')).rejects.toThrow('Model json is missing mandatory fields');
    });
  });
});
