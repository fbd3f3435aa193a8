// npm run demo end to end, at a smaller scale (4 days, 60 requests a day), against a real FoodLens listening on a port
// with the real models: afterwards each dashboard page's endpoints have the data the demo promises. SQLite only: the
// backfill endpoint it writes through is tested on both databases (server/test/backfill.integration.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AlertList,
  DeploymentState,
  DriftReferenceList,
  DriftReport,
  PerformanceMonitoring,
  PredictionMonitoring,
  VersionComparison,
} from '@foodlens/contracts';
import { startTestApp, type TestApp } from '../../server/test/app-harness.js';
import { evaluateOverHttp, runDemo, type DemoSummary } from './demo.js';

describe('npm run demo', () => {
  let t: TestApp;
  let summary: DemoSummary;
  const lines: string[] = [];
  const get = async <T>(url: string): Promise<T> => {
    const res = await t.app.inject({ url });
    expect(res.statusCode, `${url}: ${res.body.slice(0, 300)}`).toBe(200);
    return res.json<T>();
  };

  beforeAll(async () => {
    t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_DRIFT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' });
    const address = await t.app.listen({ host: '127.0.0.1', port: 0 });
    summary = await runDemo({
      url: address,
      days: 4,
      driftDays: 1,
      users: 40,
      requestsPerDay: 60,
      live: 6,
      evaluate: evaluateOverHttp(address, null),
      print: (line) => lines.push(line),
    });
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });

  it('shows its progress step by step', () => {
    expect(lines.filter((l) => /^\[\d\/7\]/.test(l))).toHaveLength(7);
    expect(lines.some((l) => /requests written, up to \d{4}-\d\d-\d\dT/.test(l))).toBe(true);
  });

  it('writes the planned history: served predictions on both versions, shadow runs and failed uploads, over the days asked', async () => {
    const { backfilled } = summary;
    expect(backfilled.served).toBeGreaterThan(150);
    expect(backfilled.byVersion['1']).toBeGreaterThan(0);
    expect(backfilled.byVersion['2']).toBeGreaterThan(0);
    expect(backfilled.shadow).toBeGreaterThan(0);
    const monitoring = await get<PredictionMonitoring>('/api/v1/mlops/monitoring/predictions?window=7d');
    // the history and every live call the demo made; errors: the history's failures, the bad upload copied, the live bad uploads
    expect(monitoring.totals.requests).toBe(backfilled.served + backfilled.failed + summary.predictCalls);
    expect(summary.predictCalls).toBeGreaterThanOrEqual(summary.templates + 2 + 1 + summary.live.answered + summary.live.failed);
    expect(monitoring.totals.errors).toBe(backfilled.failed + 1 + summary.live.failed);
    expect(monitoring.by_day.filter((d) => d.requests > 0).length).toBeGreaterThanOrEqual(4);
    expect(monitoring.by_food.length).toBeGreaterThan(2);
  });

  it('leaves v1 the champion, v2 a 20% challenger and a 25% shadow', async () => {
    const deployment = await get<DeploymentState>('/api/v1/mlops/deployment?model=food-detector');
    expect(deployment.config).toEqual({ champion: '1', challengers: [{ version: '2', weight: 20 }], shadow: { version: '2', sample_rate: 0.25 } });
  });

  it('gives the accuracy charts feedback, and the comparison both versions with shadow agreement', async () => {
    expect(summary.feedback.sent).toBeGreaterThan(10);
    const performance = await get<PerformanceMonitoring>('/api/v1/mlops/monitoring/performance?window=7d');
    const labelled = performance.series.reduce((s, p) => s + p.realised_accuracy.labelled, 0);
    expect(labelled).toBe(summary.feedback.sent);
    const compare = await get<VersionComparison>('/api/v1/mlops/compare?model=food-detector&versions=1,2&window=7d');
    expect(compare.versions.map((v) => v.version)).toEqual(['1', '2']);
    expect(compare.versions.every((v) => v.served > 0)).toBe(true);
    expect(compare.shadow_agreement.find((a) => a.primary_version === '1' && a.shadow_version === '2')?.pairs).toBeGreaterThan(0);
  });

  it('stores drift references for both versions, and the last day has drifted from them', async () => {
    const refs = await get<DriftReferenceList>('/api/v1/mlops/monitoring/drift/references?model=food-detector');
    expect(refs.references.map((r) => r.version).sort()).toEqual(['1', '2']);
    const drift = await get<DriftReport>('/api/v1/mlops/monitoring/drift?model=food-detector&version=1&window=24h');
    const drifted = drift.features.filter((f) => f.drifted).map((f) => f.name);
    expect(drifted).toContain('brightness');
    expect(summary.drift['1']!.drifted).toEqual(drifted);
  });

  it('logs an evaluation run per version over MLflow REST', async () => {
    expect(summary.evaluations.map((e) => e.version)).toEqual(['1', '2']);
    for (const e of summary.evaluations) {
      const run = await get<{ run: { info: { status: string }; data: { metrics: Array<{ key: string; value: number }> } } }>(
        `/api/2.0/mlflow/runs/get?run_id=${e.runId}`,
      );
      expect(run.run.info.status).toBe('FINISHED');
      expect(run.run.data.metrics.find((m) => m.key === 'accuracy')?.value).toBeCloseTo(e.accuracy, 10);
    }
  });

  it('creates a drift rule that fires', async () => {
    const alerts = await get<AlertList>('/api/v1/mlops/alerts?scope=current');
    expect(alerts.firing).toBe(summary.alertsFiring);
    expect(alerts.alerts.some((a) => a.state === 'firing' && a.rule_name.startsWith('Data drift (demo'))).toBe(true);
  });
});
