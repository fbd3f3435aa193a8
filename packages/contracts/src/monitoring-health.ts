// GET /api/v1/mlops/monitoring/health: what this one process is doing right now, from memory (no store reads except a
// `select 1`). Long-range numbers come from /api/v1/mlops/monitoring/* (the rollups) and /metrics (Prometheus).
import { z } from 'zod';
import { ModelHealth } from './health.js';

const ms = z.number().nonnegative().nullable();

/** Latency quantiles of a window; null when it saw nothing. */
export const MonitoringHealthLatency = z
  .object({ p50: ms, p95: ms, p99: ms, max: ms })
  .describe(
    'milliseconds; from log-spaced buckets (each value within 4% of the exact nearest-rank quantile), clamped to the exact min and max',
  );
export type MonitoringHealthLatency = z.infer<typeof MonitoringHealthLatency>;

/** Counts over a trailing window, kept per second in memory. */
export const MonitoringHealthWindow = z.object({
  /** seconds the window covers: its nominal length, or less while the process is younger than that */
  window_s: z.number().nonnegative(),
  count: z.number().int().nonnegative(),
  rate_per_s: z.number().nonnegative(),
  errors: z.number().int().nonnegative(),
  /** errors / count; null without requests */
  error_rate: z.number().min(0).max(1).nullable(),
  latency_ms: MonitoringHealthLatency,
});
export type MonitoringHealthWindow = z.infer<typeof MonitoringHealthWindow>;

const windows = z.object({ last_1m: MonitoringHealthWindow, last_5m: MonitoringHealthWindow });

export const MonitoringHealth = z.object({
  /** degraded: the database does not answer or the default model is not loaded (the rule of GET /health) */
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  /** ISO 8601 */
  started_at: z.string(),
  uptime_s: z.number().nonnegative(),
  requests: windows.describe(
    'HTTP requests answered by this process over the last 1 and 5 minutes, every route except the monitoring probes ' +
      '(/metrics, /health, /api/v1/mlops/monitoring/health); errors are 5xx answers; latency is Fastify\'s time from ' +
      'request to response',
  ),
  predictions: windows.describe(
    'served predictions (POST /api/v1/predict; shadow runs excluded) over the last 1 and 5 minutes; errors are failed ' +
      'predictions as the prediction log counts them (rejected uploads and model failures); latency is the whole ' +
      'prediction including upload decoding',
  ),
  event_loop: z
    .object({
      /** seconds the numbers cover (up to the last minute) */
      window_s: z.number().nonnegative(),
      mean_ms: ms,
      /** median of the 5-second medians */
      p50_ms: ms,
      /** the worst 5-second p99 */
      p99_ms: ms,
      max_ms: ms,
    })
    .describe('event-loop delay beyond the 10 ms sampling interval (perf_hooks.monitorEventLoopDelay) over the last minute'),
  memory: z.object({
    rss_bytes: z.number().int().nonnegative(),
    heap_used_bytes: z.number().int().nonnegative(),
    heap_total_bytes: z.number().int().nonnegative(),
    external_bytes: z.number().int().nonnegative(),
    array_buffers_bytes: z.number().int().nonnegative(),
  }),
  database: z.object({
    status: z.enum(['up', 'down']),
    dialect: z.enum(['sqlite', 'postgres']),
    /** how long `select 1` took, or took to fail (it gives up after the store's ping timeout, 2 s by default) */
    latency_ms: z.number().nonnegative(),
    error: z.string().nullable(),
  }),
  prediction_log: z.object({
    /** accepted, not yet written */
    queued: z.number().int().nonnegative(),
    written: z.number().int().nonnegative(),
    /** lost since start (queue full, rejected by the database, or unwritten at shutdown) */
    dropped: z.number().int().nonnegative(),
    failed_flushes: z.number().int().nonnegative(),
    last_error: z.string().nullable(),
    /** ISO 8601 of the last successful batch write; null before the first */
    last_flush_at: z.string().nullable(),
  }),
  /** every model deployed here (the default first), each version with what loading it cost in the serving engine */
  models: z.array(
    ModelHealth.omit({ versions: true }).extend({
      versions: z.array(
        z.object({
          version: z.string(),
          roles: z.array(z.string()),
          loaded: z.boolean(),
          in_flight: z.number().int(),
          /** null for versions the serving engine does not hold (e.g. loaded only in the shadow worker) */
          runtime: z.enum(['onnx', 'tfjs-graph']).nullable(),
          load_ms: z.number().nonnegative().nullable(),
          memory_bytes: z.number().int().nonnegative().nullable(),
        }),
      ),
    }),
  ),
});
export type MonitoringHealth = z.infer<typeof MonitoringHealth>;
