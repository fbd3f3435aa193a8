import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/databases.js';
import { NO_IMAGE, recordFactory } from '../../../test/prediction-records.js';
import { isDataError } from '../../db/dialect.js';
import { uuidv7 } from '../../util/ids.js';
import { InvalidCursorError, insertPredictions, listPredictions, MAX_PAGE_SIZE } from './prediction-log.repository.js';
import type { PredictionRecord } from './types.js';

const full: PredictionRecord = {
  id: uuidv7(1_712_345_678_901),
  createdAt: 1_712_345_678_901,
  userId: 'user-"quoted", \\back\\slash {braces} NULL ünïcødé 🍕',
  modelName: 'food-detector',
  modelVersion: '2',
  status: 'ok',
  errorClass: null,
  foodName: 'pizza',
  confidence: 0.8734912345678912,
  detections: [
    { label: 'pizza', confidence: 0.87, box: { x: 0.1, y: 0.2, width: 0.5, height: 0.25 } },
    { label: 'a,b"c{d}', confidence: 1e-7, box: { x: 0, y: 0, width: 1, height: 1 } },
  ],
  latencyMs: 42.125,
  inferenceMs: 17.5,
  imageWidth: 4032,
  imageHeight: 3024,
  imageBytes: 6_512_345,
  imageFormat: 'jpeg',
  brightness: 0.5123,
  contrast: 0.2,
  saturation: 1 / 3,
  sharpness: 0.000123,
  variant: 'shadow',
  shadowOf: uuidv7(1_712_345_678_900),
};

const failed: PredictionRecord = {
  id: uuidv7(1_712_345_678_950),
  createdAt: 1_712_345_678_950,
  userId: null,
  modelName: null,
  modelVersion: null,
  status: 'error',
  errorClass: 'bad_format',
  foodName: null,
  confidence: null,
  detections: [],
  latencyMs: 0.25,
  ...NO_IMAGE,
  variant: null,
  shadowOf: null,
};

describeEachDatabase((td) => {
  describe('prediction log repository', () => {
    const db = useTestDatabase(td);
    const make = recordFactory(7);

    async function listAll(limit: number): Promise<{ ids: string[]; pages: number }> {
      const ids: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = await listPredictions(db(), { limit, cursor });
        ids.push(...page.items.map((r) => r.id));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== null && pages < 1000);
      return { ids, pages };
    }

    it('round-trips every field, including nulls, awkward text and the detections JSON', async () => {
      await insertPredictions(db(), [full, failed]);
      const { items } = await listPredictions(db(), { limit: 10 });
      expect(items).toEqual([failed, full]);
    });

    it.each([
      '',
      'NULL',
      'null',
      '"',
      '\\',
      '\\"',
      '{}',
      '{a,b}',
      ',',
      ' padded ',
      'tab\tnew\nline\r',
      "it's",
      'ünïcødé 🍕 中文',
      'x'.repeat(5000),
    ])('stores the text %j exactly, in every text column', async (text) => {
      const r: PredictionRecord = {
        ...failed,
        id: uuidv7(),
        userId: text,
        modelName: text,
        modelVersion: text,
        errorClass: text,
        foodName: text,
        imageFormat: text,
        shadowOf: text,
        detections: [{ label: text, confidence: 0.5, box: { x: 0, y: 0, width: 1, height: 1 } }],
      };
      await insertPredictions(db(), [make(), r, make()]);
      const { items } = await listPredictions(db(), { limit: 10 });
      expect(items.find((i) => i.id === r.id)).toEqual(r);
    });

    it('stores non-finite and extreme numbers as the database allows', async () => {
      const r: PredictionRecord = { ...full, id: uuidv7(), confidence: 5e-324, latencyMs: 1.7976931348623157e308, brightness: -0.5, imageBytes: 2_147_483_647 };
      await insertPredictions(db(), [r]);
      expect((await listPredictions(db(), { limit: 1 })).items[0]).toEqual(r);
    });

    it('lists newest first, whatever the insertion order', async () => {
      const base = Date.now();
      const records = Array.from({ length: 30 }, (_, i) => make({ createdAt: base + i }));
      const shuffled = [...records].sort(() => Math.random() - 0.5);
      await insertPredictions(db(), shuffled.slice(0, 13));
      await insertPredictions(db(), shuffled.slice(13));
      const { items } = await listPredictions(db(), { limit: 100 });
      expect(items.map((r) => r.id)).toEqual(records.map((r) => r.id).reverse());
    });

    it.each([
      [25, 7, 4],
      [21, 7, 3], // an exactly full last page still ends with nextCursor null
      [3, 50, 1],
      [0, 5, 1],
    ])('pages %d records by %d without gaps or duplicates (%d pages)', async (n, limit, pages) => {
      const records = Array.from({ length: n }, () => make());
      await insertPredictions(db(), records);
      const result = await listAll(limit);
      expect(result.ids).toEqual(records.map((r) => r.id).reverse());
      expect(result.pages).toBe(pages);
    });

    it('keeps paging stable while newer records arrive', async () => {
      const older = Array.from({ length: 10 }, () => make());
      await insertPredictions(db(), older);
      const first = await listPredictions(db(), { limit: 4 });
      await insertPredictions(db(), Array.from({ length: 5 }, () => make()));
      const rest = await listPredictions(db(), { limit: 100, cursor: first.nextCursor });
      expect([...first.items, ...rest.items].map((r) => r.id)).toEqual(older.map((r) => r.id).reverse());
    });

    it('rejects a malformed cursor with InvalidCursorError', async () => {
      await expect(listPredictions(db(), { cursor: 'garbage!' })).rejects.toBeInstanceOf(InvalidCursorError);
    });

    it('clamps the page size', async () => {
      await insertPredictions(db(), Array.from({ length: 3 }, () => make()));
      expect((await listPredictions(db(), { limit: 0 })).items).toHaveLength(1);
      expect((await listPredictions(db(), { limit: -5 })).items).toHaveLength(1);
      expect((await listPredictions(db(), {})).items).toHaveLength(3);
      expect(MAX_PAGE_SIZE).toBe(1000);
    });

    it('skips records already stored, so a retried batch is harmless', async () => {
      const records = Array.from({ length: 10 }, () => make());
      await insertPredictions(db(), records.slice(0, 6));
      await insertPredictions(db(), records);
      expect((await listAll(100)).ids).toEqual(records.map((r) => r.id).reverse());
    });

    it('stores a record given twice in one batch once', async () => {
      const a = make();
      const b = make();
      await insertPredictions(db(), [a, b, { ...a, foodName: 'changed' }]);
      expect((await listAll(100)).ids).toEqual([b.id, a.id]);
      expect((await listPredictions(db(), { limit: 5 })).items[1]).toEqual(a);
    });

    it('writes a batch atomically: one invalid record stores none of it, with a data error', async () => {
      const records = Array.from({ length: 10 }, () => make());
      records[5] = { ...records[5]!, status: 'bogus' as 'ok' };
      const err = await insertPredictions(db(), records).catch((e: unknown) => e);
      expect(isDataError(err)).toBe(true);
      expect((await listPredictions(db(), { limit: 100 })).items).toEqual([]);
    });

    it('inserts large batches (beyond 65,535 bound values on PostgreSQL)', async () => {
      const records = Array.from({ length: 5000 }, () => make());
      await insertPredictions(db(), records);
      const count = await db().db.selectFrom('predictions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(5000);
      expect((await listPredictions(db(), { limit: 1 })).items[0]).toEqual(records.at(-1));
    });

    it('does nothing for an empty batch', async () => {
      await insertPredictions(db(), []);
      expect((await listPredictions(db())).items).toEqual([]);
    });
  });
});
