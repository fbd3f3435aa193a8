// The database goes away under a running server: predictions keep answering, the prediction log holds what it can
// and says so in /health, and once the database is back every answered prediction is written.
import { sql } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Health, PredictionList, PredictResponse } from '@foodlens/contracts';
import type { Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { startTestApp, eventually, type TestApp } from './app-harness.js';
import { describeEachDatabase } from './databases.js';
import { photo } from './photos.js';

describeEachDatabase((td) => {
  let database: Database;
  let t: TestApp;
  beforeEach(async () => {
    database = await td.open();
    await migrateToLatest(database);
    t = await startTestApp({ FOODLENS_LOG_FLUSH_MS: '20' }, { database });
  });
  afterEach(async () => {
    await t?.close();
    await database?.close();
  });

  const predict = async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/predict',
      headers: { 'content-type': 'image/jpeg' },
      payload: photo('E009'),
    });
    expect(res.statusCode).toBe(200);
    return PredictResponse.parse(res.json()).prediction_id;
  };
  const health = async () => Health.parse((await t.app.inject({ method: 'GET', url: '/health' })).json());

  it('keeps answering while the prediction table is unavailable, then writes everything', async () => {
    await predict();
    await eventually(async () => ((await health()).prediction_log.written === 1 ? true : undefined));

    // The table disappears (as if the database were unreachable): inserts fail until it is back.
    await sql`ALTER TABLE predictions RENAME TO predictions_away`.execute(database.db);
    const during: string[] = [];
    for (let i = 0; i < 5; i++) during.push(await predict());
    const degraded = await eventually(async () => {
      const h = await health();
      return h.prediction_log.failed_flushes > 0 ? h : undefined;
    }, 3000);
    expect(degraded.prediction_log.queued).toBe(5);
    expect(degraded.prediction_log.last_error).toMatch(/predictions/);
    expect(degraded.prediction_log.dropped).toBe(0);

    await sql`ALTER TABLE predictions_away RENAME TO predictions`.execute(database.db);
    // The writer retries with backoff (capped at a few seconds).
    const recovered = await eventually(async () => {
      const h = await health();
      return h.prediction_log.queued === 0 && h.prediction_log.written === 6 ? h : undefined;
    }, 10_000);
    expect(recovered.prediction_log.dropped).toBe(0);
    const list = PredictionList.parse((await t.app.inject({ method: 'GET', url: '/api/v1/predictions' })).json());
    const ids = new Set(list.predictions.map((p) => p.prediction_id));
    expect(during.every((id) => ids.has(id))).toBe(true);
  });
});
