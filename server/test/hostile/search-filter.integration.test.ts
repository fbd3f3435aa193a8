// MLflow searches with generated filters on the real store, on every database: what the parser accepts must run (a
// result or a 400, never a database error: a 500 is retried by MLflow clients for minutes), hostile text is a 400,
// and values survive the trip through bound parameters: a param, tag or metric stored with arbitrary text (quotes,
// backslashes, %, _, *, ?, [, unicode) is found by `=` and by `LIKE` with itself as the pattern, and not by `!=`.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createModelVersion, createRegisteredModel, searchModelVersions, searchRegisteredModels, setRegisteredModelTag } from '../../src/registry/index.js';
import { createTrackingService, ensureDefaultExperiment } from '../../src/tracking/tracking.service.js';
import type { TrackingService } from '../../src/tracking/types.js';
import { SEARCH_KINDS, type SearchKind } from '../../src/tracking/search/index.js';
import { InvalidParameter } from '../../src/util/errors.js';
import { describeEachDatabase } from '../databases.js';
import { runs } from './fc-config.js';
import { backticked, filterArb, hostileText, orderClauseArb, printFilter, singleQuoted } from './search-arbitraries.js';

/** Keys MLflow accepts (letters and digits of any script, _ - . and space) */
const storedKey = fc
  .string({ unit: fc.oneof(fc.constantFrom('a', 'Z', '_', '-', '.', ' ', '7', '\u00e9', '\u4e2d', '\u0416'), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }).filter((c) => /[\w.\- ]/.test(c))), maxLength: 20 });
/** Any text a store can hold (not NUL, which PostgreSQL cannot) */
const storedValue = fc.string({
  unit: fc.oneof(fc.constantFrom("'", '"', '\\', '%', '_', '*', '?', '[', ']', '`', ' ', '\n', '\u00e9', '\u{1F355}', '\ufffd'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000')),
  maxLength: 40,
});

describeEachDatabase((td) => {
  describe('generated searches on the store', () => {
    let database: Database;
    let tracking: TrackingService;
    let experimentId: string;
    let runId: string;
    const model = 'search-model';
    let keys = 0;

    beforeAll(async () => {
      database = await td.open();
      await migrateToLatest(database);
      await ensureDefaultExperiment(database);
      tracking = createTrackingService(database);
      experimentId = await tracking.createExperiment({ name: 'search', tags: [{ key: 'team', value: 'cv' }] });
      const run = await tracking.createRun({ experimentId, runName: 'r', tags: [{ key: 't', value: 'v' }] });
      runId = run.info.runId;
      await tracking.logBatch({ runId, metrics: [{ key: 'acc', value: 0.5, timestamp: 1, step: 0 }], params: [{ key: 'lr', value: '0.1' }] });
      await createRegisteredModel(database, { name: model, tags: [{ key: 'owner', value: 'me' }] });
      await createModelVersion(database, { name: model, source: 's3://b/m', runId });
    });
    afterAll(async () => {
      await database?.close();
    });

    async function search(kind: SearchKind, filter: string, orderBy: string[]): Promise<number> {
      switch (kind) {
        case 'runs':
          return (await tracking.searchRuns({ experimentIds: [experimentId], filter, orderBy })).runs.length;
        case 'experiments':
          return (await tracking.searchExperiments({ filter, orderBy, viewType: 'ALL' })).experiments.length;
        case 'registered_models':
          return (await searchRegisteredModels(database, { filter, orderBy })).items.length;
        case 'model_versions':
          return (await searchModelVersions(database, { filter, orderBy })).items.length;
      }
    }

    /** A search that answers, or refuses with InvalidParameter (the API's 400); anything else fails the property. */
    async function answersOrRefuses(kind: SearchKind, filter: string, orderBy: string[]): Promise<'answered' | 'refused'> {
      try {
        await search(kind, filter, orderBy);
        return 'answered';
      } catch (err) {
        if (err instanceof InvalidParameter) return 'refused';
        throw new Error(`${kind} ${JSON.stringify(filter)} order by ${JSON.stringify(orderBy)} threw ${String(err)}`, { cause: err });
      }
    }

    for (const kind of SEARCH_KINDS) {
      it(`${kind}: generated filters and order_by run on the database`, async () => {
        const outcomes = { answered: 0, refused: 0 };
        await fc.assert(
          fc.asyncProperty(filterArb(kind), fc.array(orderClauseArb(kind), { maxLength: 3 }), async (f, order) => {
            outcomes[await answersOrRefuses(kind, printFilter(f).text, order.map((o) => o.text))] += 1;
          }),
          runs(60),
        );
        // refusals only for repeated order_by fields: well-formed filters always run
        expect(outcomes.answered).toBeGreaterThan(outcomes.refused);
      });
    }

    it('hostile text as a filter or an order_by item: an answer or a 400', async () => {
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...SEARCH_KINDS), hostileText, fc.boolean(), async (kind, text, asOrder) => {
          await answersOrRefuses(kind, asOrder ? '' : text, asOrder ? [text] : []);
        }),
        runs(200),
      );
    });

    it('a value stored with any text is found by = and LIKE itself, and not by !=', async () => {
      await fc.assert(
        fc.asyncProperty(storedKey, storedValue, async (suffix, value) => {
          keys += 1;
          const key = `k${keys}${suffix}`;
          await tracking.logParam(runId, { key, value });
          await tracking.setTag(runId, { key, value });
          const literal = singleQuoted(value, keys % 2 === 0 ? 'double' : 'backslash');
          for (const entity of ['params', 'tags']) {
            const id = `${entity}.${backticked(key)}`;
            expect(await search('runs', `${id} = ${literal}`, []), `${id} = ${literal}`).toBe(1);
            expect(await search('runs', `${id} LIKE ${literal}`, []), `${id} LIKE ${literal}`).toBe(1);
            expect(await search('runs', `${id} != ${literal}`, []), `${id} != ${literal}`).toBe(0);
          }
          await setRegisteredModelTag(database, model, key, value);
          expect(await search('registered_models', `tags.${backticked(key)} = ${literal}`, [])).toBe(1);
          expect(await search('model_versions', `tags.${backticked(key)} = ${literal}`, [])).toBe(0);
        }),
        runs(60),
      );
    });

    it('a metric stored with any finite value is found by = and >=, and not by < or !=', async () => {
      await fc.assert(
        fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (value) => {
          keys += 1;
          const key = `m${keys}`;
          await tracking.logMetric(runId, { key, value, timestamp: 1, step: 0 });
          const text = String(value);
          expect(await search('runs', `metrics.${key} = ${text}`, []), `= ${text}`).toBe(1);
          expect(await search('runs', `metrics.${key} >= ${text}`, []), `>= ${text}`).toBe(1);
          expect(await search('runs', `metrics.${key} < ${text}`, []), `< ${text}`).toBe(0);
          expect(await search('runs', `metrics.${key} != ${text}`, []), `!= ${text}`).toBe(0);
        }),
        runs(60),
      );
    });
  });
});
