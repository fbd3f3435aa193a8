// npm run demo [-- --url http://127.0.0.1:8000 --days 14 ...]: see demo.ts for what it does.
import { parseArgs } from 'node:util';
import { FoodLensError } from './foodlens-client.js';
import { evaluateOverHttp, runDemo, type DemoSummary } from './demo.js';

const USAGE = `usage: npm run demo -- [--url <FoodLens URL>] [--days N] [--drift-days N] [--users N] [--per-day N] [--live N] [--seed N]

Fills a running FoodLens (default http://127.0.0.1:8000, or FOODLENS_URL) with two weeks of traffic from real photos
and the real model: a challenger and a shadow, drift in the last days, feedback, an evaluation run per version.
A server that requires a token gets FOODLENS_TOKEN (an admin token: the demo changes the deployment).`;

function int(v: string | undefined, name: string, fallback: number, min: number, max: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new RangeError(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string' },
      days: { type: 'string' },
      'drift-days': { type: 'string' },
      users: { type: 'string' },
      'per-day': { type: 'string' },
      live: { type: 'string' },
      seed: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const days = int(values.days, 'days', 14, 2, 29);
  const url = values.url ?? process.env.FOODLENS_URL ?? 'http://127.0.0.1:8000';
  console.log(`FoodLens demo against ${url}`);
  const token = process.env.FOODLENS_TOKEN ?? null;
  const summary = await runDemo({
    url,
    token,
    evaluate: evaluateOverHttp(url, token),
    days,
    driftDays: int(values['drift-days'], 'drift-days', Math.min(3, days - 1), 1, days - 1),
    users: int(values.users, 'users', 150, 1, 100_000),
    requestsPerDay: int(values['per-day'], 'per-day', 400, 1, 20_000),
    live: int(values.live, 'live', 40, 0, 10_000),
    seed: int(values.seed, 'seed', 42, 0, 2 ** 31),
  });
  for (const line of summaryLines(summary, url)) console.log(line);
}

export function summaryLines(s: DemoSummary, url: string): string[] {
  const n = (v: number) => v.toLocaleString('en-US');
  const versions = Object.entries(s.backfilled.byVersion)
    .map(([v, c]) => `v${v} ${n(c)}`)
    .join(', ');
  return [
    '',
    `done in ${s.seconds.toFixed(1)} s`,
    `  real answers collected: ${s.templates} (photos x plain/bright x versions)`,
    `  history: ${n(s.backfilled.served)} served predictions over ${s.backfilled.days} days (${versions}), ${n(s.backfilled.shadow)} shadow runs, ${n(s.backfilled.failed)} failed uploads`,
    `  feedback: ${n(s.feedback.sent)} answers, ${n(s.feedback.correct)} saying the prediction was right`,
    `  live: ${s.live.answered} predictions through the real split, ${s.live.failed} bad uploads refused`,
    ...s.evaluations.map((e) => `  evaluation run ${e.runId}: version ${e.version}, accuracy ${(e.accuracy * 100).toFixed(1)}%`),
    ...Object.entries(s.drift).map(
      ([v, d]) => `  drift, last 24 h, v${v}: ${(d.share * 100).toFixed(0)}% of features drifted${d.drifted.length ? ` (${d.drifted.join(', ')})` : ''}`,
    ),
    `  alerts firing: ${s.alertsFiring}`,
    `  store, last 30 days: ${n(s.totals.requests)} requests, ${n(s.totals.errors)} errors`,
    '',
    `open ${url}/mlops (dashboard), ${url}/models/food-detector, ${url}/experiments and ${url}/alerts`,
  ];
}

main().catch((err: unknown) => {
  if (err instanceof FoodLensError || err instanceof RangeError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`demo: ${(err as Error).message}`);
    if (!(err instanceof FoodLensError)) console.error(`\n${USAGE}`);
    process.exit(err instanceof FoodLensError ? 1 : 2);
  }
  throw err;
});
