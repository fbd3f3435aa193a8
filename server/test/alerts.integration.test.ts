// Alerting end to end on every database: a local HTTP receiver, a rule on error rate, a burst of failing predictions,
// exactly one firing and later one resolved notification; with the receiver failing or hanging, deliveries are
// retried and logged while evaluations keep their schedule. On PostgreSQL, two instances (two pools on one schema)
// evaluate and notify once, and the survivor takes over when the evaluator stops.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AlertList, AlertNotification, AlertRule, DeliveryList, type AlertRuleBody } from '@foodlens/contracts';
import { openDatabase, type Database } from '../src/db/connection.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { createInferenceEngine, type InferenceWorkerPool } from '../src/inference/index.js';
import { createTestSchema, describeEachDatabase, describeOnPostgres, dropTestSchema, useTestDatabase } from './databases.js';
import { eventually, startTestApp, type TestApp } from './app-harness.js';
import { photo } from './photos.js';

/** A webhook receiver that answers 200, fails with 503, or never answers, as told. */
class Receiver {
  readonly received: AlertNotification[] = [];
  mode: 'ok' | 'fail' | 'hang' = 'ok';
  hits = 0;
  #server: Server;
  #hanging: ServerResponse[] = [];

  constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    this.hits++;
    if (this.mode === 'hang') return void this.#hanging.push(res);
    if (this.mode === 'fail') return void res.writeHead(503).end('receiver down');
    this.received.push(AlertNotification.parse(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
    res.writeHead(204).end();
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}/hook`;
  }

  async close(): Promise<void> {
    for (const r of this.#hanging) r.destroy();
    this.#server.closeAllConnections();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

const banana = photo('E010');
const notAnImage = Buffer.from('this is a text file, not a photo');
let engine: InferenceWorkerPool;
beforeAll(() => {
  engine = createInferenceEngine({ workers: 1 });
});
afterAll(async () => {
  await engine?.close();
});

/** Quick retries; the 2 s timeout leaves a busy machine's local receiver time to answer (a late answer is retried,
 * and the receiver would see the notification twice). The hanging-receiver test shortens it. */
const FAST = {
  alertDelivery: { timeoutMs: 2000, baseMs: 100, maxMs: 200, maxAttempts: 4 },
  alertDeliveryPollMs: 100,
};

async function predict(t: TestApp, body: Buffer, expected: number): Promise<void> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/predict', headers: { 'content-type': 'image/jpeg' }, payload: body });
  expect(res.statusCode, res.body).toBe(expected);
}

async function createRule(t: TestApp, rule: AlertRuleBody): Promise<AlertRule> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/mlops/alerts/rules', payload: rule });
  expect(res.statusCode, res.body).toBe(201);
  return AlertRule.parse(res.json());
}

async function alerts(t: TestApp, query = ''): Promise<AlertList> {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/mlops/alerts${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return AlertList.parse(res.json());
}

async function deliveries(t: TestApp, ruleId: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/mlops/alerts/deliveries?rule_id=${ruleId}` });
  expect(res.statusCode, res.body).toBe(200);
  return DeliveryList.parse(res.json()).deliveries;
}

const errorRateRule = (url: string): AlertRuleBody => ({
  name: 'Failing predictions',
  signal: 'error_rate',
  comparator: '>',
  threshold: 0.5,
  window: '10m',
  min_requests: 5,
  renotify: '0s',
  severity: 'critical',
  targets: [{ type: 'webhook', url }],
});

describeEachDatabase((td) => {
  describe('alerts end to end', () => {
    const db = useTestDatabase(td);
    let receiver: Receiver;
    let url: string;
    let t: TestApp;
    const start = async (timeoutMs = FAST.alertDelivery.timeoutMs) => {
      t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '1' }, { database: db(), engine, ...FAST, alertDelivery: { ...FAST.alertDelivery, timeoutMs } });
    };
    beforeEach(async () => {
      receiver = new Receiver();
      url = await receiver.listen();
    });
    afterEach(async () => {
      await t?.close();
      await receiver?.close();
    });

    it('fires once on a burst of failing predictions and resolves once when they stop', async () => {
      await start();
      const rule = await createRule(t, errorRateRule(url));
      for (let i = 0; i < 10; i++) await predict(t, notAnImage, 415);

      const firing = await eventually(async () => receiver.received[0], 10_000);
      expect(firing).toMatchObject({ kind: 'firing', state: 'firing', severity: 'critical', comparator: '>', threshold: 0.5, value: 1 });
      expect(firing.rule).toMatchObject({ id: rule.id, name: 'Failing predictions', signal: 'error_rate' });
      expect(firing.links.rule).toMatch(new RegExp(`/api/v1/mlops/alerts/rules/${rule.id}$`));
      // de-duplicated: further evaluations of the same firing alert send nothing (renotify 0s: never repeat)
      const evaluationsAtFiring = (await alerts(t)).evaluator.evaluations;
      await eventually(async () => ((await alerts(t)).evaluator.evaluations >= evaluationsAtFiring + 3 ? true : undefined), 10_000);
      expect(receiver.received).toHaveLength(1);
      const current = await alerts(t, '?scope=current');
      expect(current.firing).toBe(1);
      expect(current.alerts[0]).toMatchObject({ rule_id: rule.id, state: 'firing', value: 1, rule_name: 'Failing predictions' });
      expect(current.alerts[0]!.history[0]).toMatchObject({ from: 'ok', to: 'firing', notified: true });

      // successful predictions bring the error rate down to 0.5 or below (10 failed of 20 or more)
      for (let i = 0; i < 30; i++) await predict(t, banana, 200);
      const resolved = await eventually(async () => receiver.received[1], 10_000);
      expect(resolved).toMatchObject({ kind: 'resolved', state: 'resolved' });
      expect(resolved.value).toBeLessThanOrEqual(0.5);
      expect(resolved.value).toBeGreaterThanOrEqual(0.25);
      const after = (await alerts(t)).evaluator.evaluations;
      await eventually(async () => ((await alerts(t)).evaluator.evaluations >= after + 2 ? true : undefined), 10_000);
      expect(receiver.received.map((n) => n.kind)).toEqual(['firing', 'resolved']);

      const log = await deliveries(t, rule.id);
      expect(log.map((d) => [d.kind, d.status, d.attempts])).toEqual([
        ['resolved', 'delivered', 1],
        ['firing', 'delivered', 1],
      ]);
      const recent = await alerts(t, `?rule_id=${rule.id}`);
      expect(recent.alerts[0]!.history.map((e) => `${e.from}->${e.to}`)).toEqual(['firing->resolved', 'ok->firing']);
      // /metrics counts the attempts
      const metrics = await t.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/foodrec_alert_notification_attempts_total\{outcome="delivered"\} 2/);
    });

    it('retries and logs deliveries to a failing or hanging receiver while evaluations keep their schedule', async () => {
      await start(300);
      receiver.mode = 'fail';
      const rule = await createRule(t, errorRateRule(url));
      for (let i = 0; i < 10; i++) await predict(t, notAnImage, 415);

      // four attempts (maxAttempts), each answered 503, then given up
      const failed = await eventually(async () => {
        const [d] = await deliveries(t, rule.id);
        return d?.status === 'failed' ? d : undefined;
      }, 15_000);
      expect(failed.kind).toBe('firing');
      expect(failed.attempt_log.map((a) => a.status_code)).toEqual([503, 503, 503, 503]);
      expect(failed.attempt_log.every((a) => a.error?.startsWith('HTTP 503'))).toBe(true);
      // backoff: each retry waited at least base/2 after the previous attempt
      for (let i = 1; i < failed.attempt_log.length; i++) expect(failed.attempt_log[i]!.at - failed.attempt_log[i - 1]!.at).toBeGreaterThanOrEqual(50);
      expect(receiver.hits).toBe(4);

      // a receiver that never answers: the attempts time out (300 ms here) and evaluations go on every second meanwhile
      receiver.mode = 'hang';
      await t.app.inject({ method: 'POST', url: `/api/v1/mlops/alerts/rules/${rule.id}/test` });
      const before = await alerts(t);
      const started = Date.now();
      await eventually(async () => {
        const [d] = await deliveries(t, rule.id);
        return d?.kind === 'test' && d.attempts >= 2 ? d : undefined;
      }, 10_000);
      await eventually(async () => ((await alerts(t)).evaluator.evaluations >= before.evaluator.evaluations + 3 ? true : undefined), 6_000);
      const status = (await alerts(t)).evaluator;
      expect(status.last_error).toBeNull();
      expect(status.is_evaluator).toBe(true);
      expect(status.last_evaluation_at!).toBeGreaterThan(started);
      const [test] = await deliveries(t, rule.id);
      expect(test!.attempt_log[0]!.error).toMatch(/timeout/);

      // the receiver comes back: the resolved notification gets through on the first attempt
      receiver.mode = 'ok';
      for (let i = 0; i < 30; i++) await predict(t, banana, 200);
      const resolved = await eventually(async () => receiver.received.find((n) => n.kind === 'resolved'), 10_000);
      expect(resolved.rule.id).toBe(rule.id);
      expect((await alerts(t, '?scope=current')).firing).toBe(0);
    });
  });

  describe('alert rules API', () => {
    const db = useTestDatabase(td);
    let t: TestApp;
    beforeEach(async () => {
      t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0' }, { database: db(), engine });
    });
    afterEach(async () => {
      await t?.close();
    });

    it('creates the default rules at first start', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/mlops/alerts/rules' });
      const rules = res.json().rules as AlertRule[];
      expect(rules.map((r) => [r.builtin, r.signal, r.comparator, r.threshold])).toEqual([
        ['dataset-drift', 'dataset_drift', '>=', 0.5],
        ['error-rate', 'error_rate', '>', 0.05],
        ['latency-p95', 'latency_p95', '>', 2000],
        ['log-drops', 'log_drops', '>', 0],
      ]);
      expect(rules.every((r) => r.state === 'ok' && r.enabled && r.targets.length === 0)).toBe(true);
    });

    it('validates, replaces, patches (mute) and deletes rules', async () => {
      const bad = async (payload: object, pattern: RegExp) => {
        const res = await t.app.inject({ method: 'POST', url: '/api/v1/mlops/alerts/rules', payload });
        expect(res.statusCode, res.body).toBe(400);
        expect(res.json().error.message).toMatch(pattern);
      };
      const base = { name: 'r', signal: 'mean_confidence', comparator: '<', threshold: 0.4 };
      await bad({ ...base, signal: 'feature_drift' }, /feature/);
      await bad({ ...base, feature: 'brightness' }, /feature/);
      await bad({ ...base, window: '5 minutes' }, /window/);
      await bad({ ...base, window: '10s' }, /window/);
      await bad({ ...base, treshold: 1 }, /treshold|Unrecognized/i);
      await bad({ ...base, version: '1' }, /version needs model/);
      await bad({ ...base, targets: [{ type: 'webhook', url: 'ftp://x/y' }] }, /http/);

      const rule = await createRule(t, { ...base, signal: 'mean_confidence', comparator: '<', model: 'food-detector', window: '1h', for: '10m' });
      expect(rule).toMatchObject({ window: '1h', for: '10m', renotify: '4h', no_data: 'ok', variant: 'served', muted: false });

      const until = Date.now() + 3_600_000;
      const patched = await t.app.inject({ method: 'PATCH', url: `/api/v1/mlops/alerts/rules/${rule.id}`, payload: { muted_until: new Date(until).toISOString() } });
      expect(patched.statusCode, patched.body).toBe(200);
      expect(patched.json()).toMatchObject({ muted: true, muted_until: until, threshold: 0.4 });
      const badPatch = await t.app.inject({ method: 'PATCH', url: `/api/v1/mlops/alerts/rules/${rule.id}`, payload: { comparator: '!=' } });
      expect(badPatch.statusCode).toBe(400);

      const replaced = await t.app.inject({ method: 'PUT', url: `/api/v1/mlops/alerts/rules/${rule.id}`, payload: { ...base, threshold: 0.3 } });
      expect(replaced.statusCode, replaced.body).toBe(200);
      expect(replaced.json()).toMatchObject({ threshold: 0.3, model: null, muted: false });

      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/mlops/alerts/rules/${rule.id}` })).statusCode).toBe(204);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/mlops/alerts/rules/${rule.id}` })).statusCode).toBe(404);
      expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/mlops/alerts/rules/${rule.id}` })).statusCode).toBe(404);
      const noTargets = await t.app.inject({ method: 'POST', url: '/api/v1/mlops/alerts/rules/builtin-error-rate/test' });
      expect(noTargets.statusCode).toBe(400);
      expect(noTargets.json().error.message).toMatch(/FOODLENS_ALERT_WEBHOOKS/);
    });

    it('evaluates on demand, and a muted rule changes state without notifying', async () => {
      const receiver = new Receiver();
      const url = await receiver.listen();
      try {
        const rule = await createRule(t, {
          ...errorRateRule(url),
          signal: 'request_volume',
          comparator: '>=',
          threshold: 3,
          min_requests: 0,
          muted_until: Date.now() + 3_600_000,
        });
        for (let i = 0; i < 3; i++) await predict(t, notAnImage, 415);
        // the prediction log is written every 50 ms here: evaluate until the three requests are counted
        const alert = await eventually(async () => {
          const res = await t.app.inject({ method: 'POST', url: '/api/v1/mlops/alerts/evaluate' });
          expect(res.json().evaluated).toMatchObject({ rules: 5, failed_rules: 0 });
          const [a] = (await alerts(t, `?rule_id=${rule.id}`)).alerts;
          return a?.state === 'firing' ? a : undefined;
        }, 5_000);
        expect(alert).toMatchObject({ state: 'firing', value: 3, muted: true });
        expect(alert!.history[0]).toMatchObject({ to: 'firing', notified: false });
        expect(await deliveries(t, rule.id)).toEqual([]);
      } finally {
        await receiver.close();
      }
    });
  });
});

describeOnPostgres('two instances on one PostgreSQL', (pgUrl) => {
  let schema: string;
  const stores: Database[] = [];
  const apps: TestApp[] = [];
  let receiver: Receiver;
  let otherEngine: InferenceWorkerPool;
  beforeAll(() => {
    otherEngine = createInferenceEngine({ workers: 1 });
  });
  afterAll(async () => {
    await otherEngine?.close();
  });
  beforeEach(async () => {
    schema = await createTestSchema(pgUrl);
    receiver = new Receiver();
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    for (const s of stores.splice(0)) await s.close();
    await receiver.close();
    await dropTestSchema(pgUrl, schema);
  });

  it('evaluates and notifies on one instance, and the other takes over when it stops', async () => {
    const url = await receiver.listen();
    // each instance its own pool and engine, as two processes would have
    for (const pool of [engine, otherEngine]) {
      const store = await openDatabase(pgUrl, { searchPath: schema });
      stores.push(store);
      await migrateToLatest(store);
      apps.push(await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '1' }, { database: store, engine: pool, alertLeaseTtlMs: 3000, ...FAST }));
    }
    const [a, b] = apps as [TestApp, TestApp];
    const rule = await createRule(a, { ...errorRateRule(url), min_requests: 4 });
    for (let i = 0; i < 3; i++) await predict(a, notAnImage, 415);
    for (let i = 0; i < 3; i++) await predict(b, notAnImage, 415);

    await eventually(async () => receiver.received[0], 10_000);
    // both instances keep running for several intervals: still one notification, from one evaluator
    const statuses = async () => [(await alerts(a)).evaluator, (await alerts(b)).evaluator] as const;
    const [sa, sb] = await statuses();
    expect([sa.is_evaluator, sb.is_evaluator].filter(Boolean)).toHaveLength(1);
    expect(sa.holder).toBe(sb.holder);
    const [evaluator, standby] = sa.is_evaluator ? [a, b] : [b, a];
    const evaluations = async (app: TestApp) => (await alerts(app)).evaluator.evaluations;
    const before = await evaluations(evaluator);
    await eventually(async () => ((await evaluations(evaluator)) >= before + 3 ? true : undefined), 10_000);
    expect(receiver.received.map((n) => n.kind)).toEqual(['firing']);
    expect(await evaluations(standby)).toBe(0);

    // the evaluator stops (releasing its lease); the standby takes over and notifies the resolution once
    await evaluator.close();
    apps.splice(apps.indexOf(evaluator), 1);
    for (let i = 0; i < 20; i++) await predict(standby, banana, 200);
    const resolved = await eventually(async () => receiver.received[1], 15_000);
    expect(resolved).toMatchObject({ kind: 'resolved', rule: { id: rule.id } });
    expect((await alerts(standby)).evaluator.is_evaluator).toBe(true);
    expect(receiver.received.map((n) => n.kind)).toEqual(['firing', 'resolved']);
  });
});
