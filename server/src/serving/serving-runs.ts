// Serving metrics flow back into tracking: on a fixed cadence, the prediction log of the window that just ended is
// aggregated per model version and appended to that version's serving run (experiment `food-detector-serving`) as
// metrics `requests`, `mean_confidence`, `p95_latency_ms` and `error_rate`, so production trends are metric
// history that the dashboard and any MLflow client read like training curves.
//
// Timing. Windows are aligned to multiples of the interval since the epoch, [b - interval, b), and a tick runs a
// little after b (settleMs) so the prediction log's batched writer has flushed the window's records. Each point
// has timestamp = b (the tick time) and step = the run's previous step + 1 (the tick number of that run, continuing
// across restarts). Windows while no instance was running are not back-filled.
//
// Several instances on one PostgreSQL store all tick at the same aligned times and read the same shared log, so
// they compute the same window. Each resolves the same canonical serving run (serving-runs-store.ts) and skips a
// window that the run already has (its latest `requests` point is at or after b). Two instances passing that check
// together log the same step twice; with equal values (the usual case: both read the settled window) MLflow's
// store keeps one point per identical (key, step, timestamp, value); a record flushed between their two reads makes
// the values differ, and then the run holds two points for that step. Charts and MLflow clients still read it.
import type { Database } from '../db/connection.js';
import type { Metric, TrackingService } from '../tracking/types.js';
import { ServingRunStore } from './serving-runs-store.js';
import { servingWindowStats, versionKey, type ServingWindowStats } from './serving-runs-window.js';

export interface ServedVersion {
  name: string;
  version: string;
}

export interface ServingRunsLogger {
  warn(obj: object, msg?: string): void;
  debug?(obj: object, msg?: string): void;
}

export interface ServingRunsOptions {
  tracking: TrackingService;
  database: Database;
  intervalMs: number;
  /** how long after a window ends its tick runs, so the log writer has flushed it (default 1 s; at most interval/2) */
  settleMs?: number;
  /** versions serving now: they get a point every tick, `requests` 0 when idle; and the first is charged with requests
   * logged without a model (rejected uploads), since those reached the serving endpoint */
  servedVersions: () => ServedVersion[];
  logger?: ServingRunsLogger;
  now?: () => number;
}

export interface TickResult {
  windowEnd: number;
  logged: Array<{ model: string; runId: string; step: number; metrics: Metric[] }>;
  /** versions whose run already had this window (another instance, or a tick before a restart) */
  skipped: string[];
}

export class ServingRunsScheduler {
  private readonly runs: ServingRunStore;
  private readonly intervalMs: number;
  private readonly settleMs: number;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private closed = false;

  constructor(private readonly opts: ServingRunsOptions) {
    if (!(opts.intervalMs >= 1000)) throw new RangeError('serving metrics interval must be at least 1 s');
    this.runs = new ServingRunStore(opts.tracking);
    this.intervalMs = opts.intervalMs;
    this.settleMs = Math.min(opts.settleMs ?? 1000, Math.floor(opts.intervalMs / 2));
    this.now = opts.now ?? Date.now;
  }

  /** Schedules ticks from the next window boundary on. */
  start(): void {
    if (this.closed || this.timer) return;
    this.schedule();
  }

  /** Stops ticking and waits for a tick in progress. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => {});
  }

  /** The boundary of the window that most recently ended at or before `t`. */
  windowEndAt(t: number): number {
    return Math.floor(t / this.intervalMs) * this.intervalMs;
  }

  /** Aggregates [windowEnd - interval, windowEnd) and appends it to the serving runs. Public for tests and tools. */
  async tick(windowEnd: number): Promise<TickResult> {
    const served = this.opts.servedVersions();
    const stats = await servingWindowStats(this.opts.database.db, windowEnd - this.intervalMs, windowEnd, served[0] ?? null);
    for (const v of served) {
      const key = versionKey(v.name, v.version);
      if (!stats.has(key)) {
        stats.set(key, { modelName: v.name, modelVersion: v.version, requests: 0, failed: 0, meanConfidence: null, p95LatencyMs: null });
      }
    }
    const result: TickResult = { windowEnd, logged: [], skipped: [] };
    for (const [key, s] of [...stats].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const run = await this.runs.resolve(s.modelName, s.modelVersion);
      const last = run.data.metrics.find((m) => m.key === 'requests');
      if (last && last.timestamp >= windowEnd) {
        result.skipped.push(key);
        continue;
      }
      const step = last ? last.step + 1 : 0;
      const metrics = servingMetrics(s, step, windowEnd);
      await this.opts.tracking.logBatch({ runId: run.info.runId, metrics });
      result.logged.push({ model: key, runId: run.info.runId, step, metrics });
    }
    return result;
  }

  private schedule(): void {
    const next = this.windowEndAt(this.now()) + this.intervalMs;
    const delay = Math.max(0, next + this.settleMs - this.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick(next)
        .then((r) => this.opts.logger?.debug?.({ tick: r }, 'serving metrics logged'))
        .catch((err: unknown) => this.opts.logger?.warn({ err }, 'serving metrics tick failed; the next tick tries again'))
        .finally(() => {
          this.running = null;
          if (!this.closed) this.schedule();
        });
    }, delay);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }
}

/** The metrics of one window. Undefined ratios are left out rather than logged as NaN or 0. */
export function servingMetrics(s: ServingWindowStats, step: number, timestamp: number): Metric[] {
  const m = (key: string, value: number): Metric => ({ key, value, step, timestamp });
  const out = [m('requests', s.requests)];
  if (s.requests > 0) out.push(m('error_rate', s.failed / s.requests));
  if (s.meanConfidence !== null) out.push(m('mean_confidence', s.meanConfidence));
  if (s.p95LatencyMs !== null) out.push(m('p95_latency_ms', s.p95LatencyMs));
  return out;
}
