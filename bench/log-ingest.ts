// Prediction-log ingest: how many records per second reach the database through PredictionLogWriter, against a raw
// baseline measured in the same run (the same kind of rows, inserted in batches the simplest fast way with the driver
// itself). SQLite always (temporary file); PostgreSQL at BENCH_DATABASE_URL (default the local test database), in a
// fresh schema, skipped when unreachable. Targets: SQLite >= 50,000/s, PostgreSQL >= 20,000/s, writer/raw >= 0.5.
//
//   cd /work/main && npx tsx bench/log-ingest.ts      (or: npm run bench -- log-ingest)
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import pg from 'pg';
import { loadConfig } from '../server/src/config.js';
import { openDatabase, type Database } from '../server/src/db/connection.js';
import { migrateToLatest } from '../server/src/db/migrate.js';
import { parseStoreUri } from '../server/src/db/uri.js';
import { PredictionLogWriter } from '../server/src/monitoring/prediction-log/prediction-log-writer.js';
import type { PredictionRecord } from '../server/src/monitoring/prediction-log/types.js';
import { recordFactory } from '../server/test/prediction-records.js';

const RAW_SECONDS = 10;
const WRITER_SECONDS = 10;
const TARGETS = { sqlite: 50_000, postgres: 20_000 } as const;
const MIN_RATIO = 0.5;
// The server's settings: its defaults, or FOODLENS_LOG_QUEUE_SIZE / _BATCH_SIZE / _FLUSH_MS from the environment.
const { queueSize, batchSize, flushIntervalMs } = loadConfig(process.env).predictionLog;
const pgUrl = process.env.BENCH_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

interface Result {
  raw: number;
  writer: number;
  detail: string;
}

const COLUMNS = [
  'id', 'created_at', 'user_id', 'model_name', 'model_version', 'status', 'error_class', 'food_name', 'confidence',
  'detections', 'latency_ms', 'inference_ms', 'image_width', 'image_height', 'image_bytes', 'image_format',
  'brightness', 'contrast', 'saturation', 'sharpness',
];

// Realistic records are pre-generated: the fixture generator costs several µs a record, and so does uuidv7() (one
// randomBytes call each), which would be measured as ingest cost although the request path pays it. Each record
// handed over gets a fresh time and a fresh UUIDv7-shaped, time-ordered id from a counter.
const runTag = randomBytes(6).toString('hex');
let idCounter = 0;
function fastId(now: number): string {
  const t = now.toString(16).padStart(12, '0');
  const c = (idCounter++).toString(16).padStart(15, '0');
  return `${t.slice(0, 8)}-${t.slice(8)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}${runTag.slice(0, 3)}`;
}

const templates = (() => {
  const make = recordFactory(1);
  return Array.from({ length: 20_000 }, () => make());
})();

function recordSource(): () => PredictionRecord {
  let i = 0;
  return () => {
    const now = Date.now();
    return { ...templates[i++ % templates.length]!, id: fastId(now), createdAt: now };
  };
}

/** The baseline's own record -> values mapping, independent of the code under test. */
function values(r: PredictionRecord): unknown[] {
  return [
    r.id, r.createdAt, r.userId, r.modelName, r.modelVersion, r.status, r.errorClass, r.foodName, r.confidence,
    JSON.stringify(r.detections), r.latencyMs, r.inferenceMs, r.imageWidth, r.imageHeight, r.imageBytes, r.imageFormat,
    r.brightness, r.contrast, r.saturation, r.sharpness,
  ];
}

/** Inserts generated batches with `insertBatch` for `seconds`; records/s, generation included (as for the writer). */
async function rawBaseline(seconds: number, insertBatch: (rows: unknown[][]) => Promise<void> | void): Promise<number> {
  const make = recordSource();
  const started = performance.now();
  let n = 0;
  while (performance.now() - started < seconds * 1000) {
    const rows = new Array<unknown[]>(batchSize);
    for (let i = 0; i < batchSize; i++) rows[i] = values(make());
    await insertBatch(rows);
    n += batchSize;
  }
  return n / ((performance.now() - started) / 1000);
}

/**
 * Feeds the writer as fast as it accepts records for `seconds`, yielding to the event loop every 500 records so
 * flushes run, then closes it. Rate = records written / (feeding +
 * close), so the final flush is paid for.
 */
async function writerRun(database: Database, seconds: number): Promise<{ rate: number; detail: string }> {
  const make = recordSource();
  const writer = new PredictionLogWriter({ database, queueSize, batchSize, flushIntervalMs });
  const started = performance.now();
  const feedUntil = started + seconds * 1000;
  let refused = 0;
  while (performance.now() < feedUntil) {
    let full = false;
    for (let i = 0; i < 500 && !full; i++) full = !writer.enqueue(make());
    if (full) refused++;
    // When the queue is full, pause a moment instead of spinning: a spinning feeder would steal the CPU that the
    // database server (on the same small machine) needs, and measure that instead of the writer.
    await (full ? sleep(1) : yieldToEventLoop());
  }
  const fed = performance.now();
  await writer.close();
  const ended = performance.now();
  const s = writer.stats();
  const rate = s.written / ((ended - started) / 1000);
  const detail = `${s.written} written, ${refused} times the queue was full, ${s.failedFlushes} failed flushes, close ${((ended - fed) / 1000).toFixed(2)} s`;
  return { rate, detail };
}

async function benchSqlite(): Promise<Result> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-bench-'));
  try {
    const raw = await openDatabase(`sqlite:///${path.join(dir, 'raw.db')}`);
    let rawRate: number;
    try {
      if (raw.dialect !== 'sqlite') throw new Error('unreachable');
      await migrateToLatest(raw);
      const stmt = raw.sqlite.prepare(`insert into predictions (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`);
      const insertAll = raw.sqlite.transaction((rows: unknown[][]) => {
        for (const row of rows) stmt.run(row);
      });
      rawRate = await rawBaseline(RAW_SECONDS, (rows) => insertAll(rows));
    } finally {
      await raw.close();
    }
    const database = await openDatabase(`sqlite:///${path.join(dir, 'writer.db')}`);
    try {
      await migrateToLatest(database);
      const w = await writerRun(database, WRITER_SECONDS);
      return { raw: rawRate, writer: w.rate, detail: w.detail };
    } finally {
      await database.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchPostgres(): Promise<Result | string> {
  const target = parseStoreUri(pgUrl);
  if (target.dialect !== 'postgres') return `BENCH_DATABASE_URL is not a PostgreSQL URI`;
  const admin = new pg.Client({ connectionString: target.connectionString, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    await admin.end().catch(() => {});
    return `unreachable at ${target.host}:${target.port} (${(err as Error).message})`;
  }
  const schemas = ['raw', 'writer'].map((k) => `bench_${k}_${randomBytes(4).toString('hex')}`);
  try {
    for (const s of schemas) await admin.query(`create schema ${s}`);
    const raw = await openDatabase(pgUrl, { searchPath: schemas[0] });
    let rawRate: number;
    try {
      if (raw.dialect !== 'postgres') throw new Error('unreachable');
      await migrateToLatest(raw);
      // One multi-row INSERT per batch; a batch beyond PostgreSQL's 65,535 bound values goes in as several
      // statements in one transaction.
      const perStatement = Math.min(batchSize, Math.floor(65_535 / COLUMNS.length));
      const insertText = (n: number) =>
        `insert into predictions (${COLUMNS.join(', ')}) values ` +
        Array.from({ length: n }, (_, r) => `(${COLUMNS.map((_, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
      const texts = new Map<number, string>();
      const text = (n: number) => texts.get(n) ?? (texts.set(n, insertText(n)), texts.get(n)!);
      rawRate = await rawBaseline(RAW_SECONDS, async (rows) => {
        if (rows.length <= perStatement) {
          await raw.pool.query(text(rows.length), rows.flat());
          return;
        }
        const client = await raw.pool.connect();
        try {
          await client.query('begin');
          for (let i = 0; i < rows.length; i += perStatement) {
            const chunk = rows.slice(i, i + perStatement);
            await client.query(text(chunk.length), chunk.flat());
          }
          await client.query('commit');
        } finally {
          client.release();
        }
      });
    } finally {
      await raw.close();
    }
    const database = await openDatabase(pgUrl, { searchPath: schemas[1] });
    try {
      await migrateToLatest(database);
      const w = await writerRun(database, WRITER_SECONDS);
      return { raw: rawRate, writer: w.rate, detail: w.detail };
    } finally {
      await database.close();
    }
  } finally {
    for (const s of schemas) await admin.query(`drop schema if exists ${s} cascade`).catch(() => {});
    await admin.end();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function report(name: keyof typeof TARGETS, r: Result): boolean {
  const ratio = r.writer / r.raw;
  const rateOk = r.writer >= TARGETS[name];
  const ratioOk = ratio >= MIN_RATIO;
  console.log(
    `${name.padEnd(8)} raw ${fmt(r.raw).padStart(7)}/s   writer ${fmt(r.writer).padStart(7)}/s   ratio ${ratio.toFixed(2)}   ` +
      `writer >= ${fmt(TARGETS[name])}/s: ${rateOk ? 'PASS' : 'FAIL'}   ratio >= ${MIN_RATIO}: ${ratioOk ? 'PASS' : 'FAIL'}`,
  );
  console.log(`${''.padEnd(8)} (${r.detail})`);
  return rateOk && ratioOk;
}

console.log(
  `log-ingest: prediction-log records/s into the database; raw = driver batches of ${batchSize} (${RAW_SECONDS} s), ` +
    `writer = PredictionLogWriter (queue ${queueSize}, batch ${batchSize}, flush ${flushIntervalMs} ms) fed for ${WRITER_SECONDS} s`,
);
let ok = report('sqlite', await benchSqlite());
const pgResult = await benchPostgres();
if (typeof pgResult === 'string') console.log(`postgres skipped: ${pgResult}`);
else ok = report('postgres', pgResult) && ok;
console.log(`log-ingest: ${ok ? 'PASS' : 'FAIL'}`);
if (!ok) process.exitCode = 1;
