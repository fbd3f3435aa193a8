// `npm run demo`: fills a running FoodLens with two weeks of meaningful traffic, so every dashboard page has data.
//
// 1. Real answers: each demo photo (and its brightened copy) is sent to POST /api/v1/predict once per built-in
//    version (CenterNet v1, NanoDet v2), switching the champion between them; plus unsupported uploads for errors.
// 2. Deployment: v1 champion, v2 a 20% challenger and a shadow on 25% of the requests v1 answers.
// 3. History: a seeded plan of requests over the past days (lunch and dinner peaks, heavy and occasional users,
//    2% failed uploads, a new food mix and brighter photos in the last days) is written through
//    POST /api/v1/predictions/backfill, each record a copy of the real answer of its photo by the version the
//    server's own traffic split gives its user; shadowed requests (of v1) get version 2's answer as their shadow run.
// 4. Feedback from 12% of users (right or wrong against the photo's true food), drift references (the days before
//    the drift), an evaluation run per version (the model run here, logged over MLflow's REST API), a drift rule
//    that fires at once, live traffic through the real split, and one alert evaluation.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type {
  AlertList,
  BackfillRecord,
  BackfillResponse,
  DriftReport,
  PredictionList,
  PredictionMonitoring,
  PredictResponse,
} from '@foodlens/contracts';
import { evaluateCommand } from '../../server/src/evaluation/evaluate-command.js';
import { bucketOf, pickArm } from '../../server/src/serving/traffic-split.js';
import { seededRandom } from '../../server/src/util/seeded-random.js';
import { LABELLED_PHOTOS, photo } from '../../server/test/photos.js';
import { FoodLensClient } from './foodlens-client.js';
import { loadDemoPhotos, type DemoPhoto } from './photo-set.js';
import { DAY_MS, planTraffic, type PlannedRequest } from './traffic-plan.js';

export const MODEL = 'food-detector';
const VERSIONS = ['1', '2'] as const;
type Version = (typeof VERSIONS)[number];
const CHALLENGER_WEIGHT = 20;
const SHADOW_RATE = 0.25;
const SHADOW_VERSION: Version = '2';
/** records per backfill request (the server takes up to 5,000) */
const BACKFILL_CHUNK = 2000;

export interface DemoOptions {
  url: string;
  token?: string | null;
  days?: number;
  driftDays?: number;
  users?: number;
  requestsPerDay?: number;
  /** live predictions through the real split at the end */
  live?: number;
  seed?: number;
  /** logs an evaluation run of a version over `dataDir` on the server; the CLI passes the evaluate command */
  evaluate?: (version: string, dataDir: string) => Promise<{ runId: string; accuracy: number }>;
  print?: (line: string) => void;
}

export interface DemoSummary {
  seconds: number;
  templates: number;
  /** live POST /api/v1/predict calls the demo made (real answers, live traffic, refused uploads) */
  predictCalls: number;
  backfilled: { served: number; byVersion: Record<string, number>; shadow: number; failed: number; days: number };
  feedback: { sent: number; correct: number };
  live: { answered: number; failed: number };
  evaluations: Array<{ version: string; runId: string; accuracy: number }>;
  drift: Record<string, { share: number; drifted: string[] }>;
  alertsFiring: number;
  totals: PredictionMonitoring['totals'];
}

interface Answer {
  predictionId: string;
  food: string | null;
  latencyMs: number;
}

export async function runDemo(opts: DemoOptions): Promise<DemoSummary> {
  const started = performance.now();
  const print = opts.print ?? ((line: string) => console.log(line));
  const api = new FoodLensClient({ url: opts.url, token: opts.token });
  const days = opts.days ?? 14;
  const driftDays = opts.driftDays ?? 3;
  const step = (n: number, text: string) => print(`[${n}/7] ${text}`);

  await api.get('/health');
  const photos = await loadDemoPhotos();

  step(1, `real answers: ${photos.length} photos, plain and brightened, on versions ${VERSIONS.join(' and ')}`);
  const answers = new Map<Version, Answer[][]>();
  for (const version of VERSIONS) {
    await deploy(api, { champion: version, challengers: [], shadow: null, comment: `demo: collecting version ${version}'s answers` });
    await waitForChampion(api, version, photos[0]!.jpeg);
    const perPhoto: Answer[][] = [];
    await pool(photos.length, 2, async (i) => {
      const p = photos[i]!;
      perPhoto[i] = [await ask(api, p.jpeg, version), await ask(api, p.brightJpeg, version)];
    });
    answers.set(version, perPhoto);
    const found = perPhoto.filter((a) => a[0]!.food !== null).length;
    print(`      version ${version}: ${found}/${photos.length} plain photos recognised as one of the 10 foods`);
  }
  const failedSource = await failedUploadSource(api);

  step(2, `deployment: v1 champion, v2 challenger for ${CHALLENGER_WEIGHT}% of users and shadow on ${SHADOW_RATE * 100}% of requests`);
  await deploy(api, {
    champion: '1',
    challengers: [{ version: '2', weight: CHALLENGER_WEIGHT }],
    shadow: { version: SHADOW_VERSION, sample_rate: SHADOW_RATE },
    comment: 'demo: NanoDet (v2) as a challenger and a shadow',
  });

  const now = Date.now();
  const plan = planTraffic({
    now,
    days,
    driftDays,
    users: opts.users ?? 150,
    requestsPerDay: opts.requestsPerDay ?? 400,
    photoGroups: photos.map((p) => p.group),
    seed: opts.seed ?? 42,
  });
  step(3, `history: ${plan.length} requests over ${days} days (the last ${driftDays} with a new food mix and brighter photos)`);
  const history = await backfillHistory(api, plan, answers, failedSource, print);

  const wanted = history.served.filter((s) => s.request.feedback && !s.request.failed);
  step(4, `feedback on ${wanted.length} predictions`);
  let correct = 0;
  let sent = 0;
  await pool(wanted.length, 4, async (i) => {
    const { id, request, answer } = wanted[i]!;
    const truth = photos[request.photo]!.truth;
    const right = answer.food === truth;
    await api.post(`/api/v1/predictions/${id}/feedback`, right ? { correct: true } : { correct: false, label: truth ?? 'other' });
    if (right) correct++;
    if (++sent % 200 === 0) print(`      ${sent}/${wanted.length}`);
  });

  step(5, 'drift references (the days before the drift) and an evaluation run per version');
  const referenceTo = now - driftDays * DAY_MS;
  for (const version of VERSIONS) {
    await api.put('/api/v1/mlops/monitoring/drift/reference', {
      model: MODEL,
      version,
      source: { type: 'window', from: now - days * DAY_MS, to: referenceTo },
    });
  }
  const evaluations: DemoSummary['evaluations'] = [];
  if (opts.evaluate) {
    const dir = labelledFolder();
    try {
      for (const version of VERSIONS) {
        const run = await opts.evaluate(version, dir);
        evaluations.push({ version, ...run });
        print(`      version ${version}: accuracy ${(run.accuracy * 100).toFixed(1)}% on ${LABELLED_PHOTOS.length} labelled photos, run ${run.runId}`);
      }
    } finally {
      rmSync(path.dirname(dir), { recursive: true, force: true });
    }
  }

  const liveCount = opts.live ?? 40;
  step(6, `live traffic: ${liveCount} predictions through the real split, and a few bad uploads`);
  const live = await liveTraffic(api, photos, liveCount, opts.seed ?? 42);

  step(7, 'alerts: a drift rule that fires at once, then one evaluation');
  await ensureDriftRule(api);
  await api.post('/api/v1/mlops/alerts/evaluate');
  const alerts = await api.get<AlertList>('/api/v1/mlops/alerts?scope=current');

  const drift: DemoSummary['drift'] = {};
  for (const version of VERSIONS) {
    const report = await api.get<DriftReport>(`/api/v1/mlops/monitoring/drift?model=${MODEL}&version=${version}&window=24h`);
    drift[version] = { share: report.dataset.share, drifted: report.features.filter((f) => f.drifted).map((f) => f.name) };
  }
  const totals = (await api.get<PredictionMonitoring>('/api/v1/mlops/monitoring/predictions?window=30d')).totals;
  return {
    seconds: (performance.now() - started) / 1000,
    templates: photos.length * 2 * VERSIONS.length,
    predictCalls: api.predictCalls,
    backfilled: { ...history.counts, days },
    feedback: { sent, correct },
    live,
    evaluations,
    drift,
    alertsFiring: alerts.firing,
    totals,
  };
}

/**
 * The evaluate hook of the CLI: `foodlens evaluate` in this process (the model runs here), logging to the server over
 * MLflow's REST API like any MLflow client. Its per-image lines are left out; the demo prints the result.
 */
export function evaluateOverHttp(url: string, token: string | null) {
  return async (version: string, dataDir: string) => {
    const env = { ...process.env, MLFLOW_TRACKING_URI: url, ...(token ? { MLFLOW_TRACKING_TOKEN: token } : {}) };
    const result = await evaluateCommand(['--model', `${MODEL}/${version}`, '--data', dataDir, '--run-name', `demo-v${version}`], {
      env,
      print: () => {},
    });
    return { runId: result.runId, accuracy: result.summary.report.accuracy };
  };
}

async function deploy(api: FoodLensClient, config: { champion: string; challengers: unknown[]; shadow: unknown; comment: string }) {
  await api.put('/api/v1/mlops/deployment', { model: MODEL, ...config });
}

/** The deployment answers before every instance has swapped; wait until this one serves `version`. */
async function waitForChampion(api: FoodLensClient, version: string, image: Buffer): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await api.predict<PredictResponse>(image, { userId: 'demo-setup' });
    if (r.model.version === version) return;
    if (Date.now() > deadline) throw new Error(`version ${version} did not start serving within 2 minutes`);
    await new Promise((res) => setTimeout(res, 500));
  }
}

async function ask(api: FoodLensClient, image: Buffer, version: string): Promise<Answer> {
  const r = await api.predict<PredictResponse>(image, { userId: 'demo-setup' });
  if (r.model.version !== version) throw new Error(`expected version ${version} to answer, got ${r.model.version}`);
  return { predictionId: r.prediction_id, food: r.food_name, latencyMs: r.processing_time_ms };
}

/** A failed upload to copy for the history's errors: a text file sent as a photo (415), found in the log. */
async function failedUploadSource(api: FoodLensClient): Promise<string> {
  const user = `demo-bad-upload-${Date.now()}`;
  await api.predict(Buffer.from('this is a shopping list, not a photo\n'), { userId: user, contentType: 'text/plain', expect: 415 });
  for (let attempt = 0; attempt < 50; attempt++) {
    const page = await api.get<PredictionList>('/api/v1/predictions?limit=50');
    const found = page.predictions.find((p) => p.user_id === user && p.status === 'error');
    if (found) return found.prediction_id;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error('the failed upload did not appear in the prediction log');
}

interface Served {
  id: string;
  request: PlannedRequest;
  answer: Answer;
}

async function backfillHistory(
  api: FoodLensClient,
  plan: readonly PlannedRequest[],
  answers: Map<Version, Answer[][]>,
  failedSource: string,
  print: (line: string) => void,
) {
  const rand = seededRandom(7);
  const served: Served[] = [];
  const counts = { served: 0, byVersion: {} as Record<string, number>, shadow: 0, failed: 0 };
  let batch: BackfillRecord[] = [];
  let pending: Array<{ request: PlannedRequest; answer: Answer } | null> = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const res = await api.post<BackfillResponse>('/api/v1/predictions/backfill', { records: batch });
    pending.forEach((p, i) => {
      if (p) served.push({ id: res.prediction_ids[i]!, request: p.request, answer: p.answer });
    });
    const last = batch[batch.length - 1]!;
    print(`      ${counts.served + counts.failed}/${plan.length} requests written, up to ${new Date(last.created_at).toISOString().slice(0, 16)}Z`);
    batch = [];
    pending = [];
  };
  for (const request of plan) {
    if (batch.length >= BACKFILL_CHUNK - 1) await flush();
    const at = request.at;
    if (request.failed) {
      batch.push({ source: { prediction_id: failedSource }, created_at: at, user_id: request.user, variant: null });
      pending.push(null);
      counts.failed++;
      continue;
    }
    // the server's own split: the same users land on the same version live
    const version = pickArm([{ weight: CHALLENGER_WEIGHT, target: '2' as Version }], bucketOf(MODEL, request.user), '1' as Version);
    const answer = answers.get(version)![request.photo]![request.bright ? 1 : 0]!;
    const latency = Math.max(1, answer.latencyMs * request.latencyFactor);
    const index = batch.length;
    batch.push({
      source: { prediction_id: answer.predictionId },
      created_at: at,
      user_id: request.user,
      variant: version === '1' ? 'champion' : 'challenger',
      latency_ms: latency,
    });
    pending.push({ request, answer });
    counts.served++;
    counts.byVersion[version] = (counts.byVersion[version] ?? 0) + 1;
    // as the server does: the shadow (v2) runs on requests answered by another version
    if (version !== SHADOW_VERSION && rand() < SHADOW_RATE) {
      const shadowAnswer = answers.get(SHADOW_VERSION)![request.photo]![request.bright ? 1 : 0]!;
      batch.push({
        source: { prediction_id: shadowAnswer.predictionId },
        created_at: request.at + Math.round(latency),
        user_id: request.user,
        variant: 'shadow',
        latency_ms: shadowAnswer.latencyMs * request.latencyFactor,
        shadow_of: index,
      });
      pending.push(null);
      counts.shadow++;
    }
  }
  await flush();
  return { served, counts };
}

/** A folder of the labelled photos as <label>/<code>.jpeg, what the evaluate command reads. */
function labelledFolder(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'foodlens-demo-'));
  const dir = path.join(root, 'demo-photos');
  for (const p of LABELLED_PHOTOS) {
    mkdirSync(path.join(dir, p.label), { recursive: true });
    writeFileSync(path.join(dir, p.label, `${p.code}.jpeg`), photo(p.code));
  }
  return dir;
}

async function liveTraffic(api: FoodLensClient, photos: readonly DemoPhoto[], n: number, seed: number) {
  const rand = seededRandom(seed + 1);
  let answered = 0;
  await pool(n, 2, async () => {
    const p = photos[Math.floor(rand() * photos.length)]!;
    const user = `demo-user-${String(1 + Math.floor(rand() * 150)).padStart(3, '0')}`;
    await api.predict(rand() < 0.7 ? p.brightJpeg : p.jpeg, { userId: user });
    answered++;
  });
  const bad: Array<[Buffer, string, number]> = [
    [Buffer.from('GIF89a not really'), 'image/jpeg', 415],
    [photos[0]!.jpeg.subarray(0, Math.floor(photos[0]!.jpeg.length / 3)), 'image/jpeg', 422],
  ];
  for (const [body, type, status] of bad) await api.predict(body, { userId: 'demo-user-007', contentType: type, expect: status });
  return { answered, failed: bad.length };
}

const DRIFT_RULE = 'Data drift (demo: fires at once)';

async function ensureDriftRule(api: FoodLensClient): Promise<void> {
  const { rules } = await api.get<{ rules: Array<{ name: string }> }>('/api/v1/mlops/alerts/rules');
  if (rules.some((r) => r.name === DRIFT_RULE)) return;
  await api.post('/api/v1/mlops/alerts/rules', {
    name: DRIFT_RULE,
    description: 'Created by npm run demo: a third or more of the input features drifted over the last day, with no waiting period.',
    signal: 'dataset_drift',
    model: MODEL,
    comparator: '>=',
    threshold: 0.3,
    window: '24h',
    for: '0s',
    renotify: '0s',
    severity: 'warning',
  });
}

/** Runs task(0..n-1) with at most `width` at a time. */
async function pool(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(width, n) }, worker));
}
