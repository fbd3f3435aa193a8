// The writer against a fake sink: batching, bounds, failures and shutdown, with no database involved.
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import type { Database } from '../../db/connection.js';
import { PredictionLogWriter, type PredictionLogWriterOptions } from './prediction-log-writer.js';
import type { PredictionRecord } from './types.js';
import { NO_IMAGE } from '../../../test/prediction-records.js';

const fakeDatabase = { dialect: 'sqlite' } as Database;

let seq = 0;
function record(): PredictionRecord {
  seq++;
  return {
    id: `id-${String(seq).padStart(8, '0')}`,
    createdAt: seq,
    userId: null,
    modelName: 'm',
    modelVersion: '1',
    status: 'ok',
    errorClass: null,
    foodName: 'pizza',
    confidence: 0.9,
    detections: [],
    latencyMs: 1,
    ...NO_IMAGE,
    inferenceMs: 1,
  };
}

/** A sink that records each batch; `behaviour` may throw or delay per call. */
function fakeSink(behaviour: (call: number, records: PredictionRecord[]) => Promise<void> | void = () => {}) {
  const batches: PredictionRecord[][] = [];
  let calls = 0;
  const insert = vi.fn(async (_db: Database, records: PredictionRecord[]) => {
    await behaviour(++calls, records);
    batches.push([...records]);
  });
  const written = () => batches.flat().map((r) => r.id);
  return { insert, batches, written };
}

function logger() {
  return { warn: vi.fn(), error: vi.fn() };
}

function writer(opts: Partial<PredictionLogWriterOptions> & Pick<PredictionLogWriterOptions, 'insert'>) {
  return new PredictionLogWriter({
    database: fakeDatabase,
    queueSize: 1000,
    batchSize: 10,
    flushIntervalMs: 10_000,
    retryBaseMs: 5,
    retryMaxMs: 20,
    ...opts,
  });
}

describe('PredictionLogWriter', () => {
  it('writes a full batch right away, without waiting for the interval', async () => {
    const sink = fakeSink();
    const w = writer({ insert: sink.insert, batchSize: 10, flushIntervalMs: 60_000 });
    const records = Array.from({ length: 25 }, record);
    for (const r of records) expect(w.enqueue(r)).toBe(true);
    await vi.waitFor(() => expect(sink.written()).toHaveLength(20));
    await sleep(20);
    expect(w.stats()).toMatchObject({ queued: 5, written: 20 });
    expect(sink.batches.map((b) => b.length)).toEqual([10, 10]);
    await w.close();
    expect(sink.written()).toEqual(records.map((r) => r.id));
  });

  it('writes a partial batch once the flush interval passes', async () => {
    const sink = fakeSink();
    const w = writer({ insert: sink.insert, batchSize: 100, flushIntervalMs: 20 });
    const started = Date.now();
    w.enqueue(record());
    w.enqueue(record());
    await vi.waitFor(() => expect(sink.written()).toHaveLength(2));
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    expect(w.stats()).toMatchObject({ queued: 0, written: 2, dropped: 0, failedFlushes: 0, lastError: null });
    expect(w.stats().lastFlushAt).toBeGreaterThanOrEqual(started);
    await w.close();
  });

  it('flush() writes everything queued, in order, in batches no larger than batchSize', async () => {
    const sink = fakeSink();
    const w = writer({ insert: sink.insert, batchSize: 7 });
    const records = Array.from({ length: 30 }, record);
    records.forEach((r) => w.enqueue(r));
    await w.flush();
    expect(sink.written()).toEqual(records.map((r) => r.id));
    expect(Math.max(...sink.batches.map((b) => b.length))).toBeLessThanOrEqual(7);
    expect(w.stats()).toMatchObject({ queued: 0, written: 30 });
    await w.close();
  });

  it('close() writes everything and refuses records afterwards', async () => {
    const sink = fakeSink(() => sleep(2));
    const w = writer({ insert: sink.insert, batchSize: 10 });
    const records = Array.from({ length: 95 }, record);
    records.forEach((r) => w.enqueue(r));
    await w.close();
    expect(sink.written()).toEqual(records.map((r) => r.id));
    expect(w.enqueue(record())).toBe(false);
    expect(w.stats()).toMatchObject({ queued: 0, written: 95, dropped: 1 });
    await w.close(); // idempotent
  });

  it('drops (and counts) records beyond the queue bound, and enqueue never throws', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sink = fakeSink(() => gate);
    const w = writer({ insert: sink.insert, queueSize: 5, batchSize: 5 });
    const results = Array.from({ length: 8 }, () => w.enqueue(record()));
    expect(results).toEqual([true, true, true, true, true, false, false, false]);
    expect(w.enqueue(null as unknown as PredictionRecord)).toBe(false);
    expect(w.stats()).toMatchObject({ queued: 5, dropped: 4 });
    release();
    await w.close();
    expect(w.stats()).toMatchObject({ queued: 0, written: 5, dropped: 4 });
  });

  it('keeps records queued while the database fails, retries with backoff, and recovers', async () => {
    const log = logger();
    const during: Array<ReturnType<PredictionLogWriter['stats']>> = [];
    const sink = fakeSink((call) => {
      if (call > 1) during.push(w.stats()); // what the writer reports while it is still failing
      if (call <= 3) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    });
    const w = writer({ insert: sink.insert, batchSize: 10, flushIntervalMs: 5, logger: log });
    const records = Array.from({ length: 25 }, record);
    records.forEach((r) => w.enqueue(r));
    await vi.waitFor(() => expect(during.length).toBeGreaterThanOrEqual(1));
    expect(during[0]).toMatchObject({ queued: 25, written: 0, failedFlushes: 1, lastError: 'connect ECONNREFUSED 127.0.0.1:5432' });
    await vi.waitFor(() => expect(w.stats().queued).toBe(0), { timeout: 2000 });
    expect(sink.written()).toEqual(records.map((r) => r.id)); // nothing lost, nothing twice, still in order
    expect(w.stats()).toMatchObject({ written: 25, dropped: 0, failedFlushes: 3 });
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ attempt: 3 }), expect.stringMatching(/failed/));
    expect(log.warn).toHaveBeenCalledWith(expect.objectContaining({ failedAttempts: 3 }), expect.stringMatching(/recovered/));
    await w.close();
  });

  it('backs off exponentially up to the cap', async () => {
    const attempts: number[] = [];
    const sink = fakeSink((call) => {
      attempts.push(Date.now());
      if (call <= 6) throw new Error('down');
    });
    const w = writer({ insert: sink.insert, batchSize: 1, retryBaseMs: 10, retryMaxMs: 30 });
    w.enqueue(record());
    await vi.waitFor(() => expect(w.stats().written).toBe(1), { timeout: 3000 });
    // delays: 10, 20, then capped at 30 (each with ±20% jitter, capped): at least 8 + 16 + 4 × 30
    expect(attempts.at(-1)! - attempts[0]!).toBeGreaterThanOrEqual(140);
    expect(attempts.at(-1)! - attempts[0]!).toBeLessThan(1500);
    await w.close();
  });

  it('waits out the backoff even when an earlier timer fires first', async () => {
    const attempts: number[] = [];
    const sink = fakeSink((call) => {
      attempts.push(Date.now());
      if (call <= 1) throw new Error('down');
    });
    const w = writer({ insert: sink.insert, flushIntervalMs: 20, retryBaseMs: 300, retryMaxMs: 300 });
    w.enqueue(record()); // arms the 20 ms interval timer
    await expect(w.flush()).rejects.toThrow('down'); // fails at once; the retry is due in 240-300 ms
    await vi.waitFor(() => expect(w.stats().written).toBe(1), { timeout: 2000 });
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(230);
    await w.close();
  });

  it('flush() rejects while the database is down, leaving the records queued', async () => {
    let down = true;
    const sink = fakeSink(() => {
      if (down) throw new Error('database is down');
    });
    const w = writer({ insert: sink.insert });
    w.enqueue(record());
    await expect(w.flush()).rejects.toThrow('database is down');
    expect(w.stats()).toMatchObject({ queued: 1, written: 0 });
    down = false;
    await w.flush();
    expect(w.stats()).toMatchObject({ queued: 0, written: 1 });
    await w.close();
  });

  it('isolates a record the database rejects, writes the others, and counts it as dropped', async () => {
    const log = logger();
    const records = Array.from({ length: 20 }, record);
    const poison = records[13]!.id;
    const sink = fakeSink((_call, batch) => {
      if (batch.some((r) => r.id === poison)) {
        throw Object.assign(new Error('CHECK constraint failed: predictions_status_check'), { code: 'SQLITE_CONSTRAINT_CHECK' });
      }
    });
    const w = writer({ insert: sink.insert, batchSize: 20, logger: log });
    records.forEach((r) => w.enqueue(r));
    await w.flush();
    expect(sink.written()).toEqual(records.map((r) => r.id).filter((id) => id !== poison));
    expect(w.stats()).toMatchObject({ queued: 0, written: 19, dropped: 1, failedFlushes: 0 });
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ predictionId: poison }), expect.any(String));
    await w.close();
  });

  it('close() gives up after closeTimeoutMs when the database stays down, counting the loss', async () => {
    const log = logger();
    const sink = fakeSink(() => {
      throw new Error('still down');
    });
    const w = writer({ insert: sink.insert, closeTimeoutMs: 150, logger: log });
    Array.from({ length: 12 }, record).forEach((r) => w.enqueue(r));
    const started = Date.now();
    await w.close();
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(w.stats()).toMatchObject({ queued: 0, written: 0, dropped: 12, lastError: 'still down' });
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ lost: 12 }), expect.any(String));
  });

  it('close() ends on time even when a write hangs', async () => {
    const sink = fakeSink(() => new Promise<void>(() => {}));
    const w = writer({ insert: sink.insert, closeTimeoutMs: 100 });
    w.enqueue(record());
    const started = Date.now();
    await w.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(w.stats()).toMatchObject({ queued: 0, dropped: 1 });
  });

  it('loses nothing when records arrive while batches are being written', async () => {
    const sink = fakeSink(() => sleep(1 + Math.floor(Math.random() * 3)));
    const w = writer({ insert: sink.insert, queueSize: 100_000, batchSize: 50, flushIntervalMs: 3 });
    const ids: string[] = [];
    const flushes: Promise<void>[] = [];
    for (let chunk = 0; chunk < 60; chunk++) {
      for (let i = 0; i < 37; i++) {
        const r = record();
        ids.push(r.id);
        expect(w.enqueue(r)).toBe(true);
      }
      if (chunk % 7 === 0) flushes.push(w.flush());
      await sleep(chunk % 3); // let background writes run in between
    }
    await Promise.all(flushes);
    await w.close();
    expect(sink.written()).toEqual(ids);
    expect(Math.max(...sink.batches.map((b) => b.length))).toBeLessThanOrEqual(50);
    expect(w.stats()).toMatchObject({ queued: 0, written: ids.length, dropped: 0 });
  });

  it('never runs two writes at once', async () => {
    let running = 0;
    let maxRunning = 0;
    const sink = fakeSink(async () => {
      maxRunning = Math.max(maxRunning, ++running);
      await sleep(2);
      running--;
    });
    const w = writer({ insert: sink.insert, batchSize: 5, flushIntervalMs: 1 });
    for (let i = 0; i < 200; i++) {
      w.enqueue(record());
      if (i % 20 === 0) void w.flush();
      if (i % 10 === 0) await sleep(0);
    }
    await w.close();
    expect(maxRunning).toBe(1);
    expect(w.stats().written).toBe(200);
  });

  it.each([
    { queueSize: 0 },
    { batchSize: -1 },
    { flushIntervalMs: 1.5 },
  ])('rejects invalid options %j', (bad) => {
    expect(() => writer({ insert: fakeSink().insert, ...bad })).toThrow(RangeError);
  });
});
