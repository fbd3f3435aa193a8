import { describe, expect, it } from 'vitest';
import { describeEachDatabase, useTestDatabase } from '../../../test/databases.js';
import { recordFactory } from '../../../test/prediction-records.js';
import { insertPredictions } from '../../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../../monitoring/prediction-log/types.js';
import { uuidv7 } from '../../util/ids.js';
import { getPredictionStatistics, utcDate } from './prediction-statistics.js';

const DAY1 = Date.UTC(2025, 0, 31, 23, 59, 59, 999); // last millisecond of 31 January
const DAY2 = Date.UTC(2025, 1, 1); // first millisecond of 1 February

/** Hand-written records, each with only what the statistics read. */
function rec(p: Partial<PredictionRecord> & { createdAt: number }): PredictionRecord {
  return recordFactory(7)({
    id: uuidv7(p.createdAt),
    modelName: 'food-detector',
    modelVersion: '1',
    status: 'ok',
    errorClass: null,
    foodName: null,
    confidence: null,
    userId: null,
    ...p,
  });
}

const fixture: PredictionRecord[] = [
  rec({ createdAt: DAY1 - 1000, userId: 'alice', foodName: 'apple', confidence: 0.9 }),
  rec({ createdAt: DAY1, userId: 'alice', foodName: 'apple', confidence: 0.7 }),
  rec({ createdAt: DAY1, userId: 'bob', foodName: 'banana', confidence: 0.5, modelVersion: '2' }),
  rec({ createdAt: DAY2, userId: 'alice', foodName: null, confidence: null }), // found no food
  rec({ createdAt: DAY2, userId: 'carol', foodName: 'pizza', confidence: 0.6 }),
  rec({ createdAt: DAY2 + 5, userId: null, foodName: 'apple', confidence: 0.3 }), // anonymous
  rec({ createdAt: DAY2 + 10, userId: 'bob', status: 'error', errorClass: 'corrupt' }),
  rec({ createdAt: DAY2 + 10, userId: null, status: 'error', errorClass: 'bad_format', modelName: null, modelVersion: null }),
];

describeEachDatabase((td) => {
  describe('getPredictionStatistics', () => {
    const db = useTestDatabase(td);

    it('answers zeros and nulls for an empty log', async () => {
      expect(await getPredictionStatistics(db())).toEqual({
        totalPredictions: 0,
        successful: 0,
        failed: 0,
        errorRate: null,
        unrecognised: 0,
        averageConfidence: null,
        uniqueUsers: 0,
        uniqueFoods: 0,
        byFood: [],
        byErrorClass: [],
        byDay: [],
        topUsers: [],
      });
    });

    it('counts ok and failed predictions, users, foods, days (UTC) and top users', async () => {
      await insertPredictions(db(), fixture);
      const s = await getPredictionStatistics(db(), { topUsers: 2 });
      expect(s).toMatchObject({
        totalPredictions: 8,
        successful: 6,
        failed: 2,
        errorRate: 0.25,
        unrecognised: 1,
        uniqueUsers: 3,
        uniqueFoods: 3,
        byFood: [
          { food: 'apple', count: 3 },
          { food: 'banana', count: 1 },
          { food: 'pizza', count: 1 },
        ],
        byErrorClass: [
          { errorClass: 'bad_format', count: 1 },
          { errorClass: 'corrupt', count: 1 },
        ],
        byDay: [
          { date: '2025-01-31', total: 3, failed: 0 },
          { date: '2025-02-01', total: 5, failed: 2 },
        ],
        topUsers: [
          { userId: 'alice', count: 3 },
          { userId: 'bob', count: 2 },
        ],
      });
      expect(s.averageConfidence).toBeCloseTo((0.9 + 0.7 + 0.5 + 0.6 + 0.3) / 5, 12);
    });

    it('filters by time range (from inclusive, to exclusive) and by model version', async () => {
      await insertPredictions(db(), fixture);
      const feb = await getPredictionStatistics(db(), { from: DAY2, to: DAY2 + 10 });
      expect(feb).toMatchObject({ totalPredictions: 3, failed: 0, uniqueUsers: 2, byDay: [{ date: '2025-02-01', total: 3 }] });

      const v2 = await getPredictionStatistics(db(), { modelName: 'food-detector', modelVersion: '2' });
      expect(v2).toMatchObject({ totalPredictions: 1, averageConfidence: 0.5, byFood: [{ food: 'banana', count: 1 }] });

      // A version filter leaves out the failure that never reached a model.
      const v1 = await getPredictionStatistics(db(), { modelVersion: '1' });
      expect(v1).toMatchObject({ totalPredictions: 6, failed: 1, byErrorClass: [{ errorClass: 'corrupt', count: 1 }] });

      const none = await getPredictionStatistics(db(), { modelVersion: '3' });
      expect(none.totalPredictions).toBe(0);
    });

    it('agrees with a computation in JavaScript over a thousand generated records', async () => {
      const make = recordFactory(42);
      const start = Date.UTC(2025, 5, 1);
      const records = Array.from({ length: 1000 }, (_, i) => make({ createdAt: start + i * 600_000 }));
      await insertPredictions(db(), records);
      const s = await getPredictionStatistics(db(), { topUsers: 1000 });

      const ok = records.filter((r) => r.status === 'ok');
      const confidences = ok.map((r) => r.confidence).filter((c): c is number => c !== null);
      expect(s.totalPredictions).toBe(1000);
      expect(s.failed).toBe(records.length - ok.length);
      expect(s.averageConfidence).toBeCloseTo(confidences.reduce((a, b) => a + b, 0) / confidences.length, 9);
      expect(s.uniqueUsers).toBe(new Set(records.map((r) => r.userId).filter(Boolean)).size);
      expect(s.uniqueFoods).toBe(new Set(ok.map((r) => r.foodName)).size);
      expect(s.byFood.reduce((a, r) => a + r.count, 0)).toBe(ok.length);
      expect(s.byDay.map((d) => d.date)).toEqual(
        [...new Set(records.map((r) => utcDate(Math.floor(r.createdAt / 86_400_000))))],
      );
      expect(s.byDay.reduce((a, d) => a + d.total, 0)).toBe(1000);
      expect(s.topUsers.reduce((a, u) => a + u.count, 0)).toBe(records.filter((r) => r.userId !== null).length);
    });

    it('refuses a reversed range or a bad top-user count', async () => {
      await expect(getPredictionStatistics(db(), { from: 10, to: 5 })).rejects.toThrow(/from must not be after to/);
      await expect(getPredictionStatistics(db(), { topUsers: -1 })).rejects.toThrow(/top_users/);
      await expect(getPredictionStatistics(db(), { from: 1.5 })).rejects.toThrow(/epoch milliseconds/);
    });
  });
});

describe('utcDate', () => {
  it('names UTC days', () => {
    expect([utcDate(0), utcDate(20119), utcDate(20120)]).toEqual(['1970-01-01', '2025-01-31', '2025-02-01']);
  });
});
