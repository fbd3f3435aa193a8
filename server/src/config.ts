// Environment -> typed configuration, validated once at start. Every default is documented in the README table.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { WebhookTarget } from '@foodlens/contracts';
import { checkDistinct, parseTokenFile, parseTokenList, TokenConfigError, type AuthSettings, type TokenEntry } from './auth/tokens.js';
import type { LimitSettings } from './limits/settings.js';

const MiB = 1024 * 1024;

export const EnvSchema = z.object({
  HOST: z.string().default('127.0.0.1'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  MLFLOW_TRACKING_URI: z.string().optional(),
  MLFLOW_ARTIFACT_LOCATION: z.string().optional(),
  FOODLENS_MAX_UPLOAD_BYTES: z.coerce.number().int().positive().default(10 * MiB),
  FOODLENS_MAX_ARTIFACT_BYTES: z.coerce.number().int().positive().default(1024 * MiB),
  FOODLENS_MAX_IMAGE_PIXELS: z.coerce.number().int().positive().default(50_000_000),
  FOODLENS_INFERENCE_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  FOODLENS_LOG_QUEUE_SIZE: z.coerce.number().int().positive().default(100_000),
  FOODLENS_LOG_BATCH_SIZE: z.coerce.number().int().positive().default(2_000),
  FOODLENS_LOG_FLUSH_MS: z.coerce.number().int().positive().default(200),
  FOODLENS_RAW_RETENTION_DAYS: z.coerce.number().int().min(0).default(30),
  FOODLENS_MODEL_VERSION: z.string().default('1'),
  // 0 turns serving runs off; sub-second windows would hold too few requests to mean anything.
  FOODLENS_SERVING_METRICS_INTERVAL_S: z.coerce.number().min(0).max(86_400).refine((v) => v === 0 || v >= 1, 'must be 0 (off) or at least 1').default(60),
  FOODLENS_DRIFT_INTERVAL_S: z.coerce.number().min(0).max(86_400).refine((v) => v === 0 || v >= 1, 'must be 0 (off) or at least 1').default(300),
  FOODLENS_ALERT_INTERVAL_S: z.coerce.number().min(0).max(86_400).refine((v) => v === 0 || v >= 1, 'must be 0 (off) or at least 1').default(60),
  // comma-separated webhook URLs for rules without targets of their own; `slack:` before a URL sends Slack's format
  FOODLENS_ALERT_WEBHOOKS: z.string().default(''),
  FOODLENS_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // access tokens (docs/security.md): "role:token[:name]" comma-separated, and/or a file of "role token [name]" lines
  FOODLENS_TOKENS: z.string().default(''),
  FOODLENS_TOKENS_FILE: z.string().optional(),
  FOODLENS_PREDICT_REQUIRES_TOKEN: z
    .enum(['0', '1', 'false', 'true', ''])
    .default('0')
    .transform((v) => v === '1' || v === 'true'),
  // limits (docs/security.md, "Limits"): requests per minute per token or client address, 0 = no limit
  FOODLENS_RATE_LIMIT_PREDICT: z.coerce.number().int().min(0).default(600),
  FOODLENS_RATE_LIMIT_WRITES: z.coerce.number().int().min(0).default(6000),
  // how long a request body may take to arrive, from its headers; uploads of artifacts and models get the long one
  FOODLENS_BODY_TIMEOUT_S: z.coerce.number().min(0).max(86_400).default(30),
  FOODLENS_UPLOAD_TIMEOUT_S: z.coerce.number().min(0).max(86_400).default(900),
  // requests are refused with 503 while the event loop runs this late; 0 = never
  FOODLENS_MAX_EVENT_LOOP_DELAY_MS: z.coerce.number().int().min(0).default(1000),
  // comma-separated exact origins (scheme://host[:port]) allowed to call the API from a browser; none = no CORS
  FOODLENS_CORS_ORIGINS: z.string().default(''),
});

export interface Config {
  host: string;
  port: number;
  /** MLflow-style store URI: sqlite:///relative.db, sqlite:////absolute.db or postgresql://... */
  trackingUri: string;
  artifactLocation: string;
  maxUploadBytes: number;
  /** largest file accepted by the MLflow artifact proxy (PUT mlflow-artifacts/artifacts/...) */
  maxArtifactBytes: number;
  maxImagePixels: number;
  inferenceWorkers: number;
  /** rawRetentionDays: raw prediction rows older than this are deleted (rollups are kept); 0 = forever */
  predictionLog: { queueSize: number; batchSize: number; flushIntervalMs: number; rawRetentionDays: number };
  /** version of food-detector served until the registry says otherwise */
  defaultModelVersion: string;
  /** how often serving metrics are appended to each model version's serving run, ms; 0 = never */
  servingMetricsIntervalMs: number;
  /** how often each served version with a drift reference is checked (last 24 h) for /metrics, ms; 0 = never */
  driftIntervalMs: number;
  /** how often alert rules are evaluated, ms; 0 = never (rules can still be managed and evaluated on demand) */
  alertIntervalMs: number;
  /** targets of rules that name none */
  alertWebhooks: WebhookTarget[];
  /** where links in notifications point */
  publicUrl: string;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** access tokens and the predict setting; no tokens = authentication off, loopback only */
  auth: AuthSettings;
  /** rate limits, body deadlines, load shedding and CORS (limits/) */
  limits: LimitSettings;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${issues}`);
  }
  const e = parsed.data;
  const mlruns = path.resolve(cwd, 'mlruns');
  return {
    host: e.HOST,
    port: e.PORT,
    // MLflow's own form for a relative SQLite file: three slashes then the relative path.
    trackingUri: e.MLFLOW_TRACKING_URI ?? defaultTrackingUri(cwd, path.join(mlruns, 'foodlens.db')),
    artifactLocation: path.resolve(cwd, e.MLFLOW_ARTIFACT_LOCATION ?? path.join(mlruns, 'artifacts')),
    maxUploadBytes: e.FOODLENS_MAX_UPLOAD_BYTES,
    maxArtifactBytes: e.FOODLENS_MAX_ARTIFACT_BYTES,
    maxImagePixels: e.FOODLENS_MAX_IMAGE_PIXELS,
    // tfjs-wasm is single-threaded in Node: one worker per core, leaving the main thread to sharp and HTTP.
    inferenceWorkers: e.FOODLENS_INFERENCE_WORKERS ?? Math.max(1, Math.min(2, os.availableParallelism() - 1)),
    predictionLog: {
      queueSize: e.FOODLENS_LOG_QUEUE_SIZE,
      batchSize: e.FOODLENS_LOG_BATCH_SIZE,
      flushIntervalMs: e.FOODLENS_LOG_FLUSH_MS,
      rawRetentionDays: e.FOODLENS_RAW_RETENTION_DAYS,
    },
    defaultModelVersion: e.FOODLENS_MODEL_VERSION,
    servingMetricsIntervalMs: Math.round(e.FOODLENS_SERVING_METRICS_INTERVAL_S * 1000),
    driftIntervalMs: Math.round(e.FOODLENS_DRIFT_INTERVAL_S * 1000),
    alertIntervalMs: Math.round(e.FOODLENS_ALERT_INTERVAL_S * 1000),
    alertWebhooks: parseWebhooks(e.FOODLENS_ALERT_WEBHOOKS),
    publicUrl: e.FOODLENS_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`,
    logLevel: e.LOG_LEVEL,
    auth: { tokens: readTokens(e.FOODLENS_TOKENS, e.FOODLENS_TOKENS_FILE, cwd), predictRequiresToken: e.FOODLENS_PREDICT_REQUIRES_TOKEN },
    limits: {
      ratePerMinute: { predict: e.FOODLENS_RATE_LIMIT_PREDICT, writes: e.FOODLENS_RATE_LIMIT_WRITES },
      bodyTimeoutMs: { standard: Math.round(e.FOODLENS_BODY_TIMEOUT_S * 1000), upload: Math.round(e.FOODLENS_UPLOAD_TIMEOUT_S * 1000) },
      maxEventLoopDelayMs: e.FOODLENS_MAX_EVENT_LOOP_DELAY_MS,
      corsOrigins: parseOrigins(e.FOODLENS_CORS_ORIGINS),
    },
  };
}

/** FOODLENS_TOKENS and the FOODLENS_TOKENS_FILE (relative to cwd), together; no message repeats a token. */
function readTokens(list: string, file: string | undefined, cwd: string): TokenEntry[] {
  try {
    const tokens = parseTokenList(list);
    if (file !== undefined && file !== '') {
      const where = path.resolve(cwd, file);
      let text: string;
      try {
        text = readFileSync(where, 'utf8');
      } catch (err) {
        throw new TokenConfigError(`FOODLENS_TOKENS_FILE: cannot read ${where} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      tokens.push(...parseTokenFile(text, `FOODLENS_TOKENS_FILE ${where}`));
    }
    checkDistinct(tokens);
    return tokens;
  } catch (err) {
    if (err instanceof TokenConfigError) throw new ConfigError(`invalid configuration: ${err.message}`);
    throw err;
  }
}

/** "https://a/hook,slack:https://hooks.slack.com/services/..." -> webhook targets */
function parseWebhooks(text: string): WebhookTarget[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      const slack = s.startsWith('slack:');
      const parsed = WebhookTarget.safeParse({ type: 'webhook', url: slack ? s.slice('slack:'.length) : s, format: slack ? 'slack' : 'json' });
      if (!parsed.success) throw new ConfigError(`invalid configuration: FOODLENS_ALERT_WEBHOOKS: ${s} is not an http(s) URL`);
      return parsed.data;
    });
}

/**
 * "https://a.example,http://localhost:5173" -> exact origins, as browsers send them in Origin (a trailing slash or an
 * upper-case host is normalised); a path, a query, credentials or a wildcard are refused.
 */
function parseOrigins(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((s) => {
      let url: URL | null = null;
      try {
        url = new URL(s);
      } catch {
        // not a URL: refused below
      }
      const plain = url !== null && (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/' && !url.search && !url.hash && !url.username && !url.password;
      if (!plain || s.includes('*') || !/^https?:\/\/[^/]+\/?$/i.test(s)) {
        throw new ConfigError(`invalid configuration: FOODLENS_CORS_ORIGINS: ${s} is not an origin like https://app.example.com (scheme, host and port only)`);
      }
      return url!.origin;
    });
}

/**
 * The default store, as an MLflow URI. Relative (`sqlite:///mlruns/foodlens.db`) when `cwd` is the process's own, as
 * users see it; absolute (`sqlite:////tmp/x/mlruns/foodlens.db`) otherwise, because the URI is resolved against the
 * process's working directory when the store opens (a test's own directory must not become the repository's mlruns).
 */
function defaultTrackingUri(cwd: string, file: string): string {
  return path.resolve(cwd) === process.cwd() ? `sqlite:///${path.relative(cwd, file)}` : `sqlite:///${path.resolve(file)}`;
}
