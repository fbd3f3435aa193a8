// Run search (filter grammar compiled to parameterised SQL, order_by, paging, view types) and metric history (paging,
// sampled bulk interval), on every database.
import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { InvalidParameter } from '../util/errors.js';
import { createTrackingService } from './tracking.service.js';
import type { TrackingService } from './types.js';

interface Seed {
  name: string;
  start: number;
  acc?: number;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  status?: 'FINISHED' | 'FAILED';
}

const RUNS: Seed[] = [
  { name: 'a', start: 1000, acc: 0.9, params: { opt: 'adam', lr: '0.01' }, tags: { team: 'cv' }, status: 'FINISHED' },
  { name: 'b', start: 2000, acc: 0.5, params: { opt: 'sgd', lr: '0.1' }, tags: { team: 'nlp' } },
  { name: 'c', start: 3000, acc: NaN, params: { opt: 'adam' }, status: 'FAILED' },
  { name: 'd', start: 4000, params: { opt: "it's" }, tags: { note: '50%_off' } },
  { name: 'e', start: 4000, acc: 0.7, status: 'FINISHED' },
];

async function seed(t: TrackingService): Promise<{ exp: string; ids: Record<string, string> }> {
  const exp = await t.createExperiment({ name: 'search' });
  const ids: Record<string, string> = {};
  for (const r of RUNS) {
    const run = await t.createRun({ experimentId: exp, runName: r.name, startTime: r.start });
    ids[r.name] = run.info.runId;
    await t.logBatch({
      runId: run.info.runId,
      metrics: r.acc === undefined ? [] : [{ key: 'acc', value: r.acc, timestamp: 1, step: 0 }],
      params: Object.entries(r.params ?? {}).map(([key, value]) => ({ key, value })),
      tags: Object.entries(r.tags ?? {}).map(([key, value]) => ({ key, value })),
    });
    if (r.status) await t.updateRun({ runId: run.info.runId, status: r.status });
  }
  return { exp, ids };
}

describeEachDatabase((td) => {
  describe('tracking: run search', () => {
    const db = useTestDatabase(td);

    it('filters on metrics, params, tags and attributes, and orders with MLflow defaults', async () => {
      const t = createTrackingService(db());
      const { exp, ids } = await seed(t);
      const names = async (filter: string, orderBy?: string[]) =>
        (await t.searchRuns({ experimentIds: [exp], filter, orderBy })).runs.map((r) => r.info.runName);

      // default order: start_time DESC, then run id ASC (d and e start together)
      const tie = [ids.d!, ids.e!].sort().map((id) => (id === ids.d ? 'd' : 'e'));
      expect(await names('')).toEqual([...tie, 'c', 'b', 'a']);
      expect(await names('metrics.acc > 0.5')).toEqual(['e', 'a']);
      expect(await names("metrics.acc > 0.5 and params.opt = 'adam'")).toEqual(['a']);
      // NaN compares like IEEE: only != matches it; missing metrics never match
      expect(await names('metrics.acc != 0.5', ['metrics.acc DESC'])).toEqual(['a', 'e', 'c']);
      // order_by a metric: numbers, then NaN, then runs without it
      expect(await names('', ['metrics.acc ASC'])).toEqual(['b', 'e', 'a', 'c', 'd']);
      expect(await names("params.opt LIKE 'a%'", ['attributes.start_time ASC'])).toEqual(['a', 'c']);
      // SQL's doubled quote inside a string, as sqlparse reads it
      expect(await names("params.opt = 'it''s'")).toEqual(['d']);
      expect(await names(`params.opt = "it's"`)).toEqual(['d']);
      expect(await names("tags.note LIKE '50\\%%'")).toEqual([]);
      expect(await names("tags.note LIKE '50%'")).toEqual(['d']);
      expect(await names("tags.team ILIKE 'CV'")).toEqual(['a']);
      expect(await names("attributes.status = 'FINISHED'", ['run_name DESC'])).toEqual(['e', 'a']);
      expect(await names(`run_name IN ('a', 'b')`).catch((e: Error) => e.message)).toContain("Only the 'run_id' attribute");
      expect(await names(`attributes.run_id IN ('${ids.b}', '${ids.c}')`, ['run_name'])).toEqual(['b', 'c']);
      expect(await names("tags.`mlflow.runName` = 'b'")).toEqual(['b']);
    });

    it('treats values as values: quotes and SQL in a filter never reach the SQL text', async () => {
      const t = createTrackingService(db());
      const { exp } = await seed(t);
      for (const filter of [
        "params.opt = 'x'' or ''1''=''1'",
        "params.opt = 'adam'' --'",
        'params.`opt; drop table runs` = \'1\'',
        "tags.team = '1' /* */",
      ]) {
        const result = await t.searchRuns({ experimentIds: [exp], filter }).then(
          (r) => r.runs.length,
          (e: unknown) => e,
        );
        if (typeof result === 'number') expect(result, filter).toBe(0);
        else expect(result, filter).toBeInstanceOf(InvalidParameter);
      }
      expect((await t.searchRuns({ experimentIds: [exp] })).runs).toHaveLength(5);
    });

    it('refuses malformed filters and order_by with a message that says what is wrong', async () => {
      const t = createTrackingService(db());
      const { exp } = await seed(t);
      const message = (input: { filter?: string; orderBy?: string[] }) =>
        t.searchRuns({ experimentIds: [exp], ...input }).then(
          () => 'no error',
          (e: Error) => `${e.constructor.name}: ${e.message}`,
        );
      expect(await message({ filter: 'metrics.m >> 1' })).toMatch(/^InvalidParameter: Invalid comparator '>>'/);
      expect(await message({ filter: "metrics.acc > 'x'" })).toMatch(/Expected numeric value type for metric/);
      expect(await message({ filter: 'params.lr = 1' })).toMatch(/Expected a quoted string value/);
      expect(await message({ filter: "params.a = '1' or params.b = '2'" })).toMatch(/OR/);
      expect(await message({ filter: 'unknownattr = 1' })).toMatch(/^InvalidParameter/);
      expect(await message({ filter: "params.a = 'unterminated" })).toMatch(/^InvalidParameter/);
      expect(await message({ orderBy: ['metrics.acc sideways'] })).toMatch(/^InvalidParameter/);
      expect(await message({ orderBy: ['metrics.acc', 'metrics.acc DESC'] })).toMatch(/duplicate fields/);
    });

    it('pages with tokens, caps max_results, honours view types and empty experiment lists', async () => {
      const t = createTrackingService(db());
      const { exp, ids } = await seed(t);
      const seen: string[] = [];
      let token: string | null = null;
      do {
        const page: Awaited<ReturnType<typeof t.searchRuns>> = await t.searchRuns({ experimentIds: [exp], maxResults: 2, pageToken: token, orderBy: ['run_name'] });
        seen.push(...page.runs.map((r) => r.info.runName));
        token = page.nextPageToken;
      } while (token);
      expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
      await expect(t.searchRuns({ experimentIds: [exp], maxResults: 50_001 })).rejects.toThrow(InvalidParameter);
      await expect(t.searchRuns({ experimentIds: [exp], pageToken: 'eyJub3BlIjogMX0=' })).rejects.toThrow('Invalid page token');
      expect(await t.searchRuns({ experimentIds: [] })).toEqual({ runs: [], nextPageToken: null });
      expect((await t.searchRuns({ experimentIds: ['not-a-number', '12345'] })).runs).toEqual([]);

      await t.deleteRun(ids.a!);
      const view = async (runViewType: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL') =>
        (await t.searchRuns({ experimentIds: [exp], runViewType, orderBy: ['run_name'] })).runs.map((r) => r.info.runName);
      expect(await view('ACTIVE_ONLY')).toEqual(['b', 'c', 'd', 'e']);
      expect(await view('DELETED_ONLY')).toEqual(['a']);
      expect(await view('ALL')).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('filters on dataset inputs', async () => {
      const t = createTrackingService(db());
      const { exp, ids } = await seed(t);
      await t.logInputs(ids.b!, [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: { name: 'food101', digest: 'abc', sourceType: 'code', source: '{}', schema: null, profile: null },
        },
      ]);
      const names = async (filter: string) => (await t.searchRuns({ experimentIds: [exp], filter })).runs.map((r) => r.info.runName);
      expect(await names("datasets.name = 'food101'")).toEqual(['b']);
      expect(await names("datasets.context = 'training' and datasets.digest IN ('abc', 'def')")).toEqual(['b']);
      expect(await names("datasets.context = 'eval'")).toEqual([]);
    });
  });

  describe('tracking: metric history', () => {
    const db = useTestDatabase(td);

    it('returns the full series in (step, timestamp, value) order, paged by token', async () => {
      const t = createTrackingService(db());
      const exp = await t.createExperiment({ name: 'h' });
      const runId = (await t.createRun({ experimentId: exp })).info.runId;
      const points = Array.from({ length: 25 }, (_, i) => ({ key: 'loss', value: 1 / (i + 1), timestamp: 100 - i, step: 24 - i }));
      await t.logBatch({ runId, metrics: points });
      const all = await t.getMetricHistory({ runId, metricKey: 'loss' });
      expect(all.metrics.map((m) => m.step)).toEqual(Array.from({ length: 25 }, (_, i) => i));
      expect(all.nextPageToken).toBeNull();

      const collected: number[] = [];
      let token: string | null = null;
      let pages = 0;
      do {
        const page: Awaited<ReturnType<typeof t.getMetricHistory>> = await t.getMetricHistory({ runId, metricKey: 'loss', maxResults: 10, pageToken: token });
        collected.push(...page.metrics.map((m) => m.step));
        token = page.nextPageToken;
        pages++;
      } while (token);
      expect(pages).toBe(3);
      expect(collected).toEqual(all.metrics.map((m) => m.step));

      expect((await t.getMetricHistory({ runId, metricKey: 'nope' })).metrics).toEqual([]);
      expect((await t.getMetricHistory({ runId: '0'.repeat(32), metricKey: 'loss' })).metrics).toEqual([]);
      await expect(t.getMetricHistory({ runId, metricKey: 'loss', pageToken: '%%%' })).rejects.toThrow('Invalid page token');
      await expect(t.getMetricHistory({ runId, metricKey: 'loss', maxResults: 0 })).rejects.toThrow(InvalidParameter);
    });

    it('samples several runs evenly over a step range, keeping the first and last step', async () => {
      const t = createTrackingService(db());
      const exp = await t.createExperiment({ name: 'bulk' });
      const runs = [(await t.createRun({ experimentId: exp })).info.runId, (await t.createRun({ experimentId: exp })).info.runId];
      for (const runId of runs) {
        await t.logBatch({ runId, metrics: Array.from({ length: 100 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i })) });
      }
      const sampled = await t.getMetricHistoryBulkInterval({ runIds: runs, metricKey: 'm', maxResults: 5 });
      const first = sampled.filter((m) => m.runId === [...runs].sort()[0]);
      expect(first.map((m) => m.step)).toEqual([0, 25, 50, 74, 99]);
      expect(sampled).toHaveLength(10);
      const ranged = await t.getMetricHistoryBulkInterval({ runIds: [runs[0]!], metricKey: 'm', startStep: 10, endStep: 20, maxResults: 100 });
      expect(ranged.map((m) => m.step)).toEqual(Array.from({ length: 11 }, (_, i) => 10 + i));
      await expect(t.getMetricHistoryBulkInterval({ runIds: [], metricKey: 'm' })).rejects.toThrow(InvalidParameter);
      await expect(t.getMetricHistoryBulkInterval({ runIds: runs, metricKey: 'm', startStep: 5, endStep: 1 })).rejects.toThrow(InvalidParameter);
      await expect(t.getMetricHistoryBulkInterval({ runIds: runs, metricKey: 'm', maxResults: 2501 })).rejects.toThrow(InvalidParameter);
    });
  });
});
