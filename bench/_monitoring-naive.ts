// The naive baselines of bench/monitoring.ts: the SQL over the raw `predictions` rows that answers what each
// monitoring endpoint answers from the rollups, written for each dialect (SQLite has no percentile aggregate, so
// exact percentiles there are ranked with window functions). Every query covers exactly the range the endpoint
// answered for (the endpoint's own range plan) and the default variant filter `served` (champion, challenger, or
// unknown: shadow runs left out).
import BetterSqlite3 from 'better-sqlite3';
import type pg from 'pg';
import {
  featureDrift,
  mergeCategorical,
  mergeNumeric,
  summariseCategories,
  summariseNumbers,
  type CategoricalSummary,
  type FeatureDriftResult,
  type HistogramSpec,
  type NumericSummary,
} from '../server/src/monitoring/drift/index.js';

export type Dialect = 'sqlite' | 'postgres';
type Row = Record<string, unknown>;

/** Runs SQL written with `?` placeholders on either database. */
export interface RawSql {
  dialect: Dialect;
  all(text: string, params: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
}

export function sqliteRaw(file: string): RawSql {
  // A connection of its own, read-only, as a reporting job would open: the app's connection stays the app's.
  const db = new BetterSqlite3(file, { readonly: true });
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    dialect: 'sqlite',
    async all(text, params) {
      let stmt = cache.get(text);
      if (!stmt) cache.set(text, (stmt = db.prepare(text)));
      return stmt.all(...params) as Row[];
    },
    async close() {
      db.close();
    },
  };
}

export function postgresRaw(pool: pg.Pool): RawSql {
  return {
    dialect: 'postgres',
    async all(text, params) {
      let n = 0;
      const result = await pool.query(text.replace(/\?/g, () => `$${++n}`), params);
      return result.rows as Row[];
    },
    async close() {},
  };
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const SERVED = `(variant in ('champion', 'challenger') or variant is null)`;
const IN_RANGE = `created_at >= ? and created_at < ? and ${SERVED}`;

export interface Scope {
  /** the endpoint's range: [from, to) */
  from: number;
  to: number;
  /** per-user figures: the range rounded to whole hours */
  hourFrom: number;
  hourTo: number;
}

// ------------------------------------------------------------------------------------------------ /predictions
export interface NaivePredictions {
  requests: number;
  errors: number;
  noFood: number;
  anonymous: number;
  byDay: Array<{ day: number; requests: number; errors: number }>;
  byFood: Array<{ food: string | null; count: number }>;
  distinctUsers: number;
  topUsers: Array<{ user: string; count: number }>;
}

/** Totals and counts by UTC day, by food, distinct users and the top users: four GROUP BYs over the raw rows (run
 * concurrently on PostgreSQL, as the endpoint runs its four rollup reads). */
export async function naivePredictions(raw: RawSql, s: Scope, topFoods = 50, topUsers = 10): Promise<NaivePredictions> {
  const queries = [
    () =>
      raw.all(
        `select created_at / 86400000 as day, count(*) as requests,
           sum(case when status <> 'ok' then 1 else 0 end) as errors,
           sum(case when status = 'ok' and food_name is null then 1 else 0 end) as no_food,
           sum(case when user_id is null then 1 else 0 end) as anonymous
         from predictions where ${IN_RANGE} group by created_at / 86400000 order by 1`,
        [s.from, s.to],
      ),
    () =>
      raw.all(
        `select food_name, count(*) as n from predictions where ${IN_RANGE} and status = 'ok'
         group by food_name order by n desc, food_name limit ${topFoods}`,
        [s.from, s.to],
      ),
    () => raw.all(`select count(distinct user_id) as n from predictions where ${IN_RANGE}`, [s.hourFrom, s.hourTo]),
    () =>
      raw.all(
        `select user_id, count(*) as n from predictions where ${IN_RANGE} and user_id is not null
         group by user_id order by n desc, user_id limit ${topUsers}`,
        [s.hourFrom, s.hourTo],
      ),
  ];
  const [days, foods, distinct, top] =
    raw.dialect === 'postgres' ? await Promise.all(queries.map((q) => q())) : await sequential(queries);
  const out: NaivePredictions = { requests: 0, errors: 0, noFood: 0, anonymous: 0, byDay: [], byFood: [], distinctUsers: 0, topUsers: [] };
  for (const d of days!) {
    out.requests += Number(d.requests);
    out.errors += Number(d.errors);
    out.noFood += Number(d.no_food);
    out.anonymous += Number(d.anonymous);
    out.byDay.push({ day: Number(d.day), requests: Number(d.requests), errors: Number(d.errors) });
  }
  out.byFood = foods!.map((f) => ({ food: (f.food_name as string | null) ?? null, count: Number(f.n) }));
  out.distinctUsers = Number(distinct![0]!.n);
  out.topUsers = top!.map((u) => ({ user: String(u.user_id), count: Number(u.n) }));
  return out;
}

async function sequential<T>(fns: Array<() => Promise<T>>): Promise<T[]> {
  const out: T[] = [];
  for (const f of fns) out.push(await f());
  return out;
}

// ------------------------------------------------------------------------------------------------- /confidence
export interface NaiveConfidence {
  count: number;
  mean: number | null;
  /** 50 bins of 0.02 over [0, 1], as the rollups keep */
  histogram: number[];
}

/** The 50-bin confidence histogram and the mean, in one GROUP BY. */
export async function naiveConfidence(raw: RawSql, s: Scope): Promise<NaiveConfidence> {
  const bin = raw.dialect === 'postgres' ? `least(floor(confidence * 50)::int, 49)` : `min(cast(confidence * 50 as integer), 49)`;
  const rows = await raw.all(
    `select ${bin} as bin, count(*) as n, sum(confidence) as s from predictions
     where ${IN_RANGE} and status = 'ok' and confidence is not null group by 1`,
    [s.from, s.to],
  );
  const histogram = new Array<number>(50).fill(0);
  let count = 0;
  let sum = 0;
  for (const r of rows) {
    histogram[Math.max(0, Number(r.bin))]! += Number(r.n);
    count += Number(r.n);
    sum += Number(r.s);
  }
  return { count, mean: count ? sum / count : null, histogram };
}

// ------------------------------------------------------------------------------------------------ /performance
export interface NaiveStep {
  step: number;
  requests: number;
  errors: number;
  confidenceCount: number;
  meanConfidence: number | null;
  p50: number | null;
  p95: number | null;
}

/** Per series step (epoch-aligned, the endpoint's own step): requests, errors, confidence count and mean, exact
 * p50/p95 latency of successful predictions. PostgreSQL: percentile_cont; SQLite: nearest-rank percentiles from
 * row_number() over each step. */
export async function naivePerformance(raw: RawSql, s: Scope, stepMs: number): Promise<NaiveStep[]> {
  const step = `created_at / ${Math.trunc(stepMs)}`;
  if (raw.dialect === 'postgres') {
    const rows = await raw.all(
      `select ${step} as step, count(*) as requests, count(*) filter (where status <> 'ok') as errors,
         count(confidence) filter (where status = 'ok') as confidence_count,
         avg(confidence) filter (where status = 'ok') as mean_confidence,
         percentile_cont(array[0.5, 0.95]) within group (order by latency_ms) filter (where status = 'ok') as q
       from predictions where ${IN_RANGE} group by 1 order by 1`,
      [s.from, s.to],
    );
    return rows.map((r) => {
      const q = (r.q as number[] | null) ?? [null, null];
      return { step: Number(r.step), requests: Number(r.requests), errors: Number(r.errors), confidenceCount: Number(r.confidence_count), meanConfidence: num(r.mean_confidence), p50: num(q[0]), p95: num(q[1]) };
    });
  }
  const counts = await raw.all(
    `select ${step} as step, count(*) as requests, sum(case when status <> 'ok' then 1 else 0 end) as errors,
       sum(case when status = 'ok' and confidence is not null then 1 else 0 end) as confidence_count,
       avg(case when status = 'ok' then confidence end) as mean_confidence
     from predictions where ${IN_RANGE} group by 1 order by 1`,
    [s.from, s.to],
  );
  const latencies = await raw.all(
    `with ok as (
       select ${step} as step, latency_ms,
         row_number() over (partition by ${step} order by latency_ms) as rn,
         count(*) over (partition by ${step}) as n
       from predictions where ${IN_RANGE} and status = 'ok')
     select step,
       max(case when rn = (n * 50 + 99) / 100 then latency_ms end) as p50,
       max(case when rn = (n * 95 + 99) / 100 then latency_ms end) as p95
     from ok group by step order by step`,
    [s.from, s.to],
  );
  const byStep = new Map(latencies.map((r) => [Number(r.step), r]));
  return counts.map((c) => {
    const l = byStep.get(Number(c.step));
    return { step: Number(c.step), requests: Number(c.requests), errors: Number(c.errors), confidenceCount: Number(c.confidence_count), meanConfidence: num(c.mean_confidence), p50: num(l?.p50), p95: num(l?.p95) };
  });
}

// ----------------------------------------------------------------------------------------------------- /health
export interface NaiveHealthWindow {
  seconds: number;
  count: number;
  errors: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
}

/** The prediction figures of /health (served predictions over the last 1 and 5 minutes: count, errors, latency
 * p50/p95/p99/max, nearest rank), from the raw rows. */
export async function naiveHealth(raw: RawSql, now: number): Promise<NaiveHealthWindow[]> {
  const out: NaiveHealthWindow[] = [];
  for (const seconds of [60, 300]) {
    const rows = await raw.all(`select status, latency_ms from predictions where ${IN_RANGE} order by latency_ms`, [now - seconds * 1000, now + 1]);
    const lat = rows.map((r) => Number(r.latency_ms));
    const rank = (q: number) => (lat.length ? lat[Math.max(0, Math.ceil(q * lat.length) - 1)]! : null);
    out.push({ seconds, count: rows.length, errors: rows.filter((r) => r.status !== 'ok').length, p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: lat.length ? lat[lat.length - 1]! : null });
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------ /drift
/** The drift features and their fixed histogram specs, as server/src/monitoring/drift-monitor/feature-summaries.ts
 * keeps them (mirrored here so the baseline does not depend on the code it is compared with): successful
 * predictions only; aspect_ratio = width / height; food = the top-1 food, '(no food)' when none. */
export const NUMERIC_FEATURES: Array<{ name: string; expr: string; spec: HistogramSpec }> = [
  { name: 'confidence', expr: 'confidence', spec: { lo: 0, hi: 1, bins: 100 } },
  { name: 'image_width', expr: 'image_width', spec: { lo: 0, hi: 8192, bins: 128 } },
  { name: 'image_height', expr: 'image_height', spec: { lo: 0, hi: 8192, bins: 128 } },
  { name: 'aspect_ratio', expr: '', spec: { lo: 0, hi: 4, bins: 160 } },
  { name: 'image_bytes', expr: 'image_bytes', spec: { lo: 0, hi: 16 * 1024 * 1024, bins: 256 } },
  { name: 'brightness', expr: 'brightness', spec: { lo: 0, hi: 1, bins: 100 } },
  { name: 'contrast', expr: 'contrast', spec: { lo: 0, hi: 0.5, bins: 100 } },
  { name: 'saturation', expr: 'saturation', spec: { lo: 0, hi: 1, bins: 100 } },
  { name: 'sharpness', expr: 'sharpness', spec: { lo: 0, hi: 0.1, bins: 200 } },
];
const NO_FOOD = '(no food)';

export interface DriftScope {
  model: string;
  version: string;
}

/** Successful predictions of one model version (any variant: the drift endpoint's default `all`). */
const DRIFT_ROWS_WHERE = `created_at >= ? and created_at < ? and model_name = ? and model_version = ? and status = 'ok'`;

export async function countDriftRows(raw: RawSql, d: DriftScope, from: number, to: number): Promise<number> {
  const [r] = await raw.all(`select count(*) as n from predictions where ${DRIFT_ROWS_WHERE}`, [from, to, d.model, d.version]);
  return Number(r!.n);
}

export interface WindowSummary {
  rows: number;
  numeric: NumericSummary[];
  food: CategoricalSummary;
}

/**
 * Reads every row of a window and summarises each feature: what a drift check costs without stored summaries.
 * Read a UTC day at a time, so a 30-day window never sits in memory at once.
 */
export async function summariseWindow(raw: RawSql, d: DriftScope, from: number, to: number): Promise<WindowSummary> {
  const cols = 'confidence, image_width, image_height, image_bytes, brightness, contrast, saturation, sharpness, food_name';
  let acc: WindowSummary | null = null;
  const DAY = 86_400_000;
  for (let a = from; a < to; ) {
    const b = Math.min(to, Math.floor(a / DAY) * DAY + DAY);
    const rows = await raw.all(`select ${cols} from predictions where ${DRIFT_ROWS_WHERE}`, [a, b, d.model, d.version]);
    const value = (v: unknown) => (v === null || v === undefined ? NaN : Number(v));
    const part: WindowSummary = {
      rows: rows.length,
      numeric: NUMERIC_FEATURES.map((f) => {
        const xs = new Float64Array(rows.length);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          if (f.name === 'aspect_ratio') {
            const w = value(r.image_width);
            const h = value(r.image_height);
            xs[i] = w > 0 && h > 0 ? w / h : NaN;
          } else xs[i] = value(r[f.expr]);
        }
        return summariseNumbers(xs, f.spec);
      }),
      food: summariseCategories(rows.map((r) => (r.food_name as string | null) ?? NO_FOOD)),
    };
    acc = acc === null ? part : { rows: acc.rows + part.rows, numeric: acc.numeric.map((s, i) => mergeNumeric(s, part.numeric[i]!)), food: mergeCategorical(acc.food, part.food) };
    a = b;
  }
  return acc ?? { rows: 0, numeric: NUMERIC_FEATURES.map((f) => summariseNumbers([], f.spec)), food: summariseCategories([]) };
}

/** Every feature's drift check (each feature's default test) between two summarised windows. */
export function driftAll(reference: WindowSummary, current: WindowSummary): FeatureDriftResult[] {
  return [
    ...NUMERIC_FEATURES.map((f, i) => featureDrift({ name: f.name, type: 'numerical', reference: reference.numeric[i]!, current: current.numeric[i]! })),
    featureDrift({ name: 'food', type: 'categorical', reference: reference.food, current: current.food }),
  ];
}
