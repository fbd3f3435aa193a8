// Loads synthetic prediction-log traffic (bench/_monitoring-data.ts) over the last 30 days into a store through
// PredictionLogWriter, in time order, with the server's queue/batch/flush settings, so rows and rollups are written the
// normal way. Shared by bench/monitoring.ts and bench/alerts.ts.
import os from 'node:os';
import { setTimeout as sleep, setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { loadConfig } from '../server/src/config.js';
import type { Database } from '../server/src/db/connection.js';
import { PredictionLogWriter } from '../server/src/monitoring/prediction-log/prediction-log-writer.js';
import type { PredictionRecord } from '../server/src/monitoring/prediction-log/types.js';
import { syntheticTraffic } from './_monitoring-data.js';
import { fmt } from './_stats.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

export async function loadThroughWriter(database: Database, rows: number): Promise<{ rate: number; seconds: number; detail: string; end: number; start: number }> {
  // The server's settings: its defaults, or FOODLENS_LOG_QUEUE_SIZE / _BATCH_SIZE / _FLUSH_MS from the environment.
  const { queueSize, batchSize, flushIntervalMs } = loadConfig(process.env).predictionLog;
  const end = Date.now();
  const traffic = syntheticTraffic({ rows: rows, end });
  const writer = new PredictionLogWriter({ database, queueSize, batchSize, flushIntervalMs });
  const started = performance.now();
  let genMs = 0;
  let refused = 0;
  let done = false;
  let pending: PredictionRecord | null = null;
  let lastReport = started;
  while (!done) {
    let full = false;
    const g0 = performance.now();
    for (let i = 0; i < 500; i++) {
      const r: PredictionRecord | null = pending ?? traffic.next();
      pending = null;
      if (r === null) {
        done = true;
        break;
      }
      if (!writer.enqueue(r)) {
        // not counted as dropped by us: the record is offered again after a pause (the writer counts the refusal)
        pending = r;
        full = true;
        break;
      }
    }
    genMs += performance.now() - g0;
    if (full) refused++;
    // Queue full: pause instead of spinning, so the database (on this small machine) keeps its CPU.
    await (full ? sleep(1) : yieldToEventLoop());
    if (performance.now() - lastReport > 30_000) {
      lastReport = performance.now();
      const s = writer.stats();
      console.log(`  ... ${int(s.written)} written (${int(s.written / ((lastReport - started) / 1000))}/s), load average ${loadavg()}`);
    }
  }
  // Everything queued is written before close(), whose own retry budget (10 s) is for shutdowns, not for a full queue.
  await writer.flush();
  await writer.close();
  const seconds = (performance.now() - started) / 1000;
  const s = writer.stats();
  if (s.written !== rows) throw new Error(`the writer stored ${s.written} of ${rows} records (${s.dropped} refused while full or dropped; last error ${s.lastError})`);
  return {
    rate: s.written / seconds,
    seconds,
    start: traffic.start,
    end,
    detail: `queue ${int(queueSize)}, batch ${int(batchSize)}, flush ${flushIntervalMs} ms; ${int(s.written)} written, ${s.failedFlushes} failed flushes, queue full ${int(refused)} times (refusals retried), generating and enqueuing records took ${fmt(genMs / 1000)} s of it`,
  };
}
