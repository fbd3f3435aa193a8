// evaluateRules over a real store, on every database, with the clock injected pass by pass: a rule stepped through
// ok -> pending -> firing -> repeat -> resolved with the alert_instances row, the alert_events history and the queued
// alert_deliveries checked after each pass; a rule whose signal cannot be read keeping its state while the pass goes
// on; two evaluators racing on one stored revision (only one records the transition and notifies); disabled rules,
// muted rules and the default webhook targets.
import { beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { AlertNotification, AlertRuleInput, WebhookTarget, type AlertRuleBody } from '@foodlens/contracts';
import { describeEachDatabase, useTestDatabase } from '../../test/databases.js';
import { NO_IMAGE } from '../../test/prediction-records.js';
import type { Transaction } from 'kysely';
import type { Database } from '../db/connection.js';
import type { Tables } from '../db/tables.js';
import { driftStream } from '../monitoring/drift-monitor/drift-test-data.js';
import { addPrediction, emptyWindow } from '../monitoring/drift-monitor/feature-summaries.js';
import { upsertReference } from '../monitoring/drift-monitor/reference.repository.js';
import { insertPredictions } from '../monitoring/prediction-log/prediction-log.repository.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import { floorTo, HOUR_MS, MINUTE_MS } from '../monitoring/rollups/time-buckets.js';
import { uuidv7 } from '../util/ids.js';
import { evaluateRules, type EvaluatorDeps } from './alert-evaluator.js';
import { listInstances } from './instances.repository.js';
import { insertRule, type StoredRule } from './rules.repository.js';

/** Minute-aligned and taken from the clock once: the rollup insert keeps minute buckets only near the real clock. */
const T = floorTo(Date.now(), MINUTE_MS);
const SECOND = 1000;
const RECEIVER = 'http://receiver.test/hook';
const DEFAULT_HOOK = 'http://default.test/hook';
const PUBLIC_URL = 'http://foodlens.test';

const spec = (body: Partial<AlertRuleBody>): AlertRuleInput =>
  AlertRuleInput.parse({ name: 'Failing predictions', signal: 'error_rate', comparator: '>', threshold: 0.5, window: '10m', severity: 'critical', ...body });

function request(at: number, error: boolean): PredictionRecord {
  return {
    id: uuidv7(at),
    createdAt: at,
    userId: null,
    modelName: 'food-detector',
    modelVersion: '1',
    status: error ? 'error' : 'ok',
    errorClass: error ? 'corrupt' : null,
    foodName: error ? null : 'banana',
    confidence: error ? null : 0.8,
    detections: [],
    latencyMs: 30,
    ...NO_IMAGE,
    variant: 'champion',
    shadowOf: null,
  };
}

/** `errors` failed and `oks` successful requests at `at` (rollups written with them, as the log writer does). */
async function requests(database: Database, at: number, errors: number, oks: number): Promise<void> {
  await insertPredictions(database, [...Array.from({ length: errors }, () => request(at, true)), ...Array.from({ length: oks }, () => request(at, false))]);
}

async function events(database: Database, ruleId: string) {
  const rows = await database.db.selectFrom('alert_events').selectAll().where('rule_id', '=', ruleId).orderBy('at').orderBy('id').execute();
  return rows.map((r) => ({ key: r.instance_key, at: Number(r.at), from: r.from_state, to: r.to_state, value: r.value, threshold: r.threshold, notified: Number(r.notified) === 1 }));
}

async function deliveries(database: Database, ruleId: string) {
  const rows = await database.db.selectFrom('alert_deliveries').selectAll().where('rule_id', '=', ruleId).orderBy('created_at').orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    key: r.instance_key,
    kind: r.kind,
    url: r.url,
    format: r.format,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: Number(r.created_at),
    nextAttemptAt: r.next_attempt_at === null ? null : Number(r.next_attempt_at),
    headers: JSON.parse(r.headers) as Record<string, string>,
    payload: AlertNotification.parse(JSON.parse(r.payload)),
  }));
}

async function instance(database: Database, ruleId: string) {
  const all = await listInstances(database.db, ruleId);
  expect(all).toHaveLength(1);
  return all[0]!;
}

describeEachDatabase((td) => {
  describe('evaluateRules', () => {
    const db = useTestDatabase(td);
    let deps: EvaluatorDeps;
    let warn: Mock<(obj: object, msg: string) => void>;
    const defaultTargets = [WebhookTarget.parse({ type: 'webhook', url: DEFAULT_HOOK })];

    beforeEach(async () => {
      // the migration's built-in rules would be evaluated too: each test names its own
      await db().db.deleteFrom('alert_rules').execute();
      warn = vi.fn<(obj: object, msg: string) => void>();
      deps = { database: db(), servedVersions: () => [], defaultTargets, publicUrl: PUBLIC_URL, logger: { warn } };
    });

    const addRule = (body: Partial<AlertRuleBody>, at = T - HOUR_MS): Promise<StoredRule> => insertRule(db().db, spec(body), at);

    it('steps a rule through ok, pending (for 2m), firing, repeat and resolved, recording each step and queueing its notifications', async () => {
      const rule = await addRule({
        for: '2m',
        renotify: '3m',
        min_requests: 1,
        targets: [{ type: 'webhook', url: RECEIVER, headers: { Authorization: 'Bearer x' } }],
      });
      const id = rule.id;

      // T - 1m: no requests yet, so no data; no_data 'ok' keeps it ok. The instance is created, nothing is recorded.
      let s = await evaluateRules(deps, T - MINUTE_MS);
      expect(s).toMatchObject({ rules: 1, instances: 1, transitions: 0, notifications: 0, failedRules: 0, conflicts: 0, active: [] });
      expect(await instance(db(), id)).toMatchObject({ key: '', model: null, version: null, value: null, revision: 1, lastEvaluatedAt: T - MINUTE_MS, snapshot: { state: 'ok', activeSince: null, lastNotifiedAt: null } });
      expect(await events(db(), id)).toEqual([]);
      expect(await deliveries(db(), id)).toEqual([]);

      // 4 of 5 requests fail
      await requests(db(), T - 30 * SECOND, 4, 1);

      // T: 0.8 > 0.5 holds: pending, silently (nobody hears of an alert before `for` has elapsed)
      s = await evaluateRules(deps, T);
      expect(s).toMatchObject({ instances: 1, transitions: 1, notifications: 0, active: [{ state: 'pending', severity: 'critical', count: 1 }] });
      expect(await instance(db(), id)).toMatchObject({ value: 0.8, revision: 2, snapshot: { state: 'pending', since: T, activeSince: T, lastNotifiedAt: null } });
      expect(await events(db(), id)).toEqual([{ key: '', at: T, from: 'ok', to: 'pending', value: 0.8, threshold: 0.5, notified: false }]);
      expect(await deliveries(db(), id)).toEqual([]);

      // T + 1m: still pending (1m of 2m), no new event; the row is rewritten (revision, last evaluation)
      s = await evaluateRules(deps, T + MINUTE_MS);
      expect(s).toMatchObject({ transitions: 0, notifications: 0, active: [{ state: 'pending', severity: 'critical', count: 1 }] });
      expect(await instance(db(), id)).toMatchObject({ revision: 3, lastEvaluatedAt: T + MINUTE_MS, snapshot: { state: 'pending', since: T } });
      expect(await events(db(), id)).toHaveLength(1);

      // T + 2m: held for 2m: firing, one notification to the rule's own target
      s = await evaluateRules(deps, T + 2 * MINUTE_MS);
      expect(s).toMatchObject({ transitions: 1, notifications: 1, active: [{ state: 'firing', severity: 'critical', count: 1 }] });
      expect(await instance(db(), id)).toMatchObject({ revision: 4, snapshot: { state: 'firing', since: T + 2 * MINUTE_MS, activeSince: T, lastNotifiedAt: T + 2 * MINUTE_MS } });
      expect((await events(db(), id)).slice(1)).toEqual([{ key: '', at: T + 2 * MINUTE_MS, from: 'pending', to: 'firing', value: 0.8, threshold: 0.5, notified: true }]);
      let queued = await deliveries(db(), id);
      expect(queued).toHaveLength(1);
      const firing = queued[0]!;
      expect(firing).toMatchObject({
        key: '', kind: 'firing', url: RECEIVER, format: 'json', status: 'pending', attempts: 0,
        createdAt: T + 2 * MINUTE_MS, nextAttemptAt: T + 2 * MINUTE_MS, headers: { Authorization: 'Bearer x' },
      });
      expect(firing.payload).toMatchObject({
        id: firing.id,
        kind: 'firing',
        state: 'firing',
        severity: 'critical',
        value: 0.8,
        comparator: '>',
        threshold: 0.5,
        at: new Date(T + 2 * MINUTE_MS).toISOString(),
        rule: { id, name: 'Failing predictions', signal: 'error_rate', feature: null, window: '10m', for: '2m' },
        alert: { id, model: null, version: null, active_since: T },
        links: {
          alert: `${PUBLIC_URL}/api/v1/mlops/alerts?rule_id=${id}`,
          rule: `${PUBLIC_URL}/api/v1/mlops/alerts/rules/${id}`,
          dashboard: `${PUBLIC_URL}/alerts`,
        },
      });
      expect(firing.payload.summary).toMatch(/^\[FIRING\] Failing predictions: error_rate = 0\.800 \(threshold > 0\.500\) over 10m, all models$/);

      // T + 4m: firing, last notified 2m ago of a 3m renotify: nothing
      s = await evaluateRules(deps, T + 4 * MINUTE_MS);
      expect(s).toMatchObject({ transitions: 0, notifications: 0 });
      expect(await events(db(), id)).toHaveLength(2);
      expect(await deliveries(db(), id)).toHaveLength(1);

      // T + 5m: 3m since the last notification: a repeat (recorded as firing -> firing, not a state change)
      s = await evaluateRules(deps, T + 5 * MINUTE_MS);
      expect(s).toMatchObject({ transitions: 0, notifications: 1, active: [{ state: 'firing', severity: 'critical', count: 1 }] });
      expect(await instance(db(), id)).toMatchObject({ snapshot: { state: 'firing', since: T + 2 * MINUTE_MS, activeSince: T, lastNotifiedAt: T + 5 * MINUTE_MS } });
      expect((await events(db(), id)).slice(2)).toEqual([{ key: '', at: T + 5 * MINUTE_MS, from: 'firing', to: 'firing', value: 0.8, threshold: 0.5, notified: true }]);
      queued = await deliveries(db(), id);
      expect(queued.map((d) => d.kind)).toEqual(['firing', 'repeat']);
      expect(queued[1]!.payload).toMatchObject({ kind: 'repeat', state: 'firing', value: 0.8, alert: { active_since: T }, at: new Date(T + 5 * MINUTE_MS).toISOString() });

      // 16 successful requests bring it to 4 / 21
      await requests(db(), T + 5 * MINUTE_MS + 30 * SECOND, 0, 16);

      // T + 6m: no longer holds: resolved, notified, with the episode's start in the payload
      s = await evaluateRules(deps, T + 6 * MINUTE_MS);
      expect(s).toMatchObject({ transitions: 1, notifications: 1, active: [] });
      expect(await instance(db(), id)).toMatchObject({ value: 4 / 21, snapshot: { state: 'resolved', since: T + 6 * MINUTE_MS, activeSince: null, lastNotifiedAt: null } });
      expect((await events(db(), id)).slice(3)).toEqual([{ key: '', at: T + 6 * MINUTE_MS, from: 'firing', to: 'resolved', value: 4 / 21, threshold: 0.5, notified: true }]);
      queued = await deliveries(db(), id);
      expect(queued.map((d) => d.kind)).toEqual(['firing', 'repeat', 'resolved']);
      expect(queued[2]).toMatchObject({ url: RECEIVER, status: 'pending', createdAt: T + 6 * MINUTE_MS });
      expect(queued[2]!.payload).toMatchObject({ kind: 'resolved', state: 'resolved', value: 4 / 21, alert: { active_since: T } });
      expect(queued[2]!.payload.summary).toMatch(/^\[RESOLVED\] /);

      // T + 7m: resolved stays resolved while the condition does not hold; nothing new
      s = await evaluateRules(deps, T + 7 * MINUTE_MS);
      expect(s).toMatchObject({ transitions: 0, notifications: 0 });
      expect((await instance(db(), id)).snapshot.state).toBe('resolved');
      expect((await events(db(), id)).map((e) => `${e.from}->${e.to}`)).toEqual(['ok->pending', 'pending->firing', 'firing->firing', 'firing->resolved']);
      expect(await deliveries(db(), id)).toHaveLength(3);
      expect(warn).not.toHaveBeenCalled();
    });

    it('a rule whose signal cannot be read keeps its state, and the pass goes on with the next rule', async () => {
      // a drift reference for food-detector v1, so the drift rule has something to read
      const reference = emptyWindow();
      for (const r of driftStream(1, 200, { from: T - 3 * HOUR_MS, to: T - 2 * HOUR_MS })) if (r.status === 'ok') addPrediction(reference, r);
      await upsertReference(db().db, {
        model: 'food-detector', version: '1', summaries: reference, source: { type: 'window', from: T - 3 * HOUR_MS, to: T - 2 * HOUR_MS, variant: 'all' },
        description: 'test', rows: reference.rows, rangeFrom: T - 3 * HOUR_MS, rangeTo: T - 2 * HOUR_MS, createdTime: T,
      });
      // no current predictions: no data, which this rule treats as alerting, at once
      const drift = await addRule({ name: 'Drift', signal: 'dataset_drift', comparator: '>=', threshold: 0.5, window: '1h', no_data: 'alerting', min_requests: 1 }, T - HOUR_MS);
      const errors = await addRule({ min_requests: 1 }, T - HOUR_MS + 1);
      let served: () => Array<{ name: string; version: string }> = () => [{ name: 'food-detector', version: '1' }];
      deps.servedVersions = () => served();

      let s = await evaluateRules(deps, T);
      expect(s).toMatchObject({ rules: 2, instances: 2, transitions: 1, notifications: 1, failedRules: 0 });
      const before = await instance(db(), drift.id);
      expect(before).toMatchObject({ key: 'food-detector/1', model: 'food-detector', version: '1', value: null, revision: 1, snapshot: { state: 'firing' } });
      expect((await deliveries(db(), drift.id)).map((d) => [d.kind, d.url])).toEqual([['firing', DEFAULT_HOOK]]);

      // the deployment lookup fails: the drift rule is skipped (its state kept, not treated as "no data")
      served = () => {
        throw new Error('deployments unavailable');
      };
      await requests(db(), T + 30 * SECOND, 3, 1);
      s = await evaluateRules(deps, T + MINUTE_MS);
      expect(s).toMatchObject({ rules: 2, instances: 1, failedRules: 1, transitions: 1, notifications: 1 });
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toMatchObject({ rule: drift.id });
      // untouched: same revision, same last evaluation, still firing, nothing recorded or queued
      expect(await instance(db(), drift.id)).toEqual(before);
      expect(await events(db(), drift.id)).toHaveLength(1);
      expect(await deliveries(db(), drift.id)).toHaveLength(1);
      // the next rule was evaluated: 3 of 4 failed, firing at once (for 0s)
      expect(await instance(db(), errors.id)).toMatchObject({ value: 0.75, snapshot: { state: 'firing' } });
      expect((await deliveries(db(), errors.id)).map((d) => d.kind)).toEqual(['firing']);

      // the lookup works again: the drift rule is evaluated from its kept state (still no data: stays firing)
      served = () => [{ name: 'food-detector', version: '1' }];
      s = await evaluateRules(deps, T + 2 * MINUTE_MS);
      expect(s.failedRules).toBe(0);
      expect(await instance(db(), drift.id)).toMatchObject({ revision: 2, lastEvaluatedAt: T + 2 * MINUTE_MS, snapshot: { state: 'firing', since: before.snapshot.since } });
    });

    it('two evaluators on the same stored revision: the second write loses and queues nothing', async () => {
      const rule = await addRule({ min_requests: 1, renotify: '0s', targets: [{ type: 'webhook', url: RECEIVER }] });
      // Both evaluators read the rules and instances, then meet here before writing, so both evaluated the same
      // revision (a lease that lapsed mid-pass); without the barrier the second could read the first one's write.
      const racing = (): [EvaluatorDeps, EvaluatorDeps] => {
        let arrived = 0;
        let release!: () => void;
        const bothThere = new Promise<void>((resolve) => (release = resolve));
        const barrier = async () => {
          if (++arrived === 2) release();
          await bothThere;
        };
        const k = db().db;
        const gated = new Proxy(k, {
          get(target, prop) {
            if (prop === 'transaction') {
              return () => {
                const builder = target.transaction();
                return {
                  execute: async <R>(fn: (trx: Transaction<Tables>) => Promise<R>): Promise<R> => {
                    await barrier();
                    return builder.execute(fn);
                  },
                };
              };
            }
            const v = Reflect.get(target, prop, target) as unknown;
            return typeof v === 'function' ? (v as (...args: unknown[]) => unknown).bind(target) : v;
          },
        });
        const database = { ...db(), db: gated } as Database;
        return [{ ...deps, database }, { ...deps, database }];
      };
      const race = async (now: number) => {
        const [a, b] = racing();
        const [sa, sb] = await Promise.all([evaluateRules(a, now), evaluateRules(b, now)]);
        return [sa, sb] as const;
      };

      // new instance: both try to create it firing
      await requests(db(), T - 30 * SECOND, 3, 1);
      let [sa, sb] = await race(T);
      expect(sa.conflicts + sb.conflicts).toBe(1);
      expect(sa.transitions + sb.transitions).toBe(1);
      expect(sa.notifications + sb.notifications).toBe(1);
      expect(await instance(db(), rule.id)).toMatchObject({ revision: 1, snapshot: { state: 'firing' } });
      expect((await events(db(), rule.id)).map((e) => `${e.from}->${e.to}`)).toEqual(['ok->firing']);
      expect((await deliveries(db(), rule.id)).map((d) => d.kind)).toEqual(['firing']);

      // stored instance (revision 1): both try to resolve it
      await requests(db(), T + 30 * SECOND, 0, 20);
      [sa, sb] = await race(T + MINUTE_MS);
      expect(sa.conflicts + sb.conflicts).toBe(1);
      expect(sa.transitions + sb.transitions).toBe(1);
      expect(sa.notifications + sb.notifications).toBe(1);
      expect(await instance(db(), rule.id)).toMatchObject({ revision: 2, snapshot: { state: 'resolved' } });
      expect((await events(db(), rule.id)).map((e) => `${e.from}->${e.to}`)).toEqual(['ok->firing', 'firing->resolved']);
      expect((await deliveries(db(), rule.id)).map((d) => d.kind)).toEqual(['firing', 'resolved']);
    });

    it('skips disabled rules; records a muted rule\'s transitions without notifying; uses the default targets for rules without their own', async () => {
      await requests(db(), T - 30 * SECOND, 3, 1);
      const disabled = await addRule({ name: 'Disabled', enabled: false, targets: [{ type: 'webhook', url: RECEIVER }] }, T - HOUR_MS);
      const muted = await addRule({ name: 'Muted', muted_until: T + HOUR_MS, renotify: '1h', window: '3h', targets: [{ type: 'webhook', url: RECEIVER }] }, T - HOUR_MS + 1);
      const defaulted = await addRule({ name: 'Default targets', renotify: '0s' }, T - HOUR_MS + 2);

      const s = await evaluateRules(deps, T);
      expect(s).toMatchObject({ rules: 2, instances: 2, transitions: 2, notifications: 1, failedRules: 0, active: [{ state: 'firing', severity: 'critical', count: 2 }] });
      // disabled: never evaluated, no state
      expect(await listInstances(db().db, disabled.id)).toEqual([]);
      expect(await events(db(), disabled.id)).toEqual([]);
      // muted: evaluated and firing, the event says nobody was notified, nothing queued
      expect(await instance(db(), muted.id)).toMatchObject({ value: 0.75, snapshot: { state: 'firing' } });
      expect(await events(db(), muted.id)).toEqual([{ key: '', at: T, from: 'ok', to: 'firing', value: 0.75, threshold: 0.5, notified: false }]);
      expect(await deliveries(db(), muted.id)).toEqual([]);
      // no targets of its own: the server's default webhooks
      expect((await deliveries(db(), defaulted.id)).map((d) => [d.kind, d.url, d.payload.rule.name])).toEqual([['firing', DEFAULT_HOOK, 'Default targets']]);
      expect(await events(db(), defaulted.id)).toMatchObject([{ from: 'ok', to: 'firing', notified: true }]);

      // once the mute has passed, the alert nobody was told of is notified as firing (its own target, not the defaults)
      await evaluateRules(deps, T + 2 * HOUR_MS);
      expect((await deliveries(db(), muted.id)).map((d) => [d.kind, d.url])).toEqual([['firing', RECEIVER]]);
      expect((await events(db(), muted.id)).map((e) => [e.from, e.to, e.notified])).toEqual([['ok', 'firing', false], ['firing', 'firing', true]]);
      expect((await instance(db(), muted.id))?.snapshot.lastNotifiedAt).toBe(T + 2 * HOUR_MS);
    });

    it('a mute holds back firing and repeats, not the resolution of a firing someone was told of', async () => {
      const rule = await addRule({ window: '1h', renotify: '30m', targets: [{ type: 'webhook', url: RECEIVER }] });
      const mute = (until: number | null) => db().db.updateTable('alert_rules').set({ spec: JSON.stringify({ ...rule.spec, muted_until: until }) }).where('id', '=', rule.id).execute();
      const kinds = async () => (await deliveries(db(), rule.id)).map((d) => d.kind);
      await requests(db(), T - 30 * SECOND, 4, 1);

      await evaluateRules(deps, T); // fires and notifies
      expect(await kinds()).toEqual(['firing']);
      await mute(T + 3 * HOUR_MS);
      await evaluateRules(deps, T + 40 * MINUTE_MS); // a repeat is due, but muted
      expect(await kinds()).toEqual(['firing']);
      expect((await instance(db(), rule.id)).snapshot).toMatchObject({ state: 'firing', lastNotifiedAt: T });
      // the errors leave the 1h window: resolved while muted, and the resolution is sent (someone was paged)
      await evaluateRules(deps, T + 70 * MINUTE_MS);
      expect(await kinds()).toEqual(['firing', 'resolved']);

      // fires again while muted: nobody is told, so its resolution is not sent either
      await requests(db(), T + 75 * MINUTE_MS, 4, 1);
      await evaluateRules(deps, T + 76 * MINUTE_MS);
      expect((await instance(db(), rule.id)).snapshot).toMatchObject({ state: 'firing', lastNotifiedAt: null });
      await evaluateRules(deps, T + 140 * MINUTE_MS);
      expect((await instance(db(), rule.id)).snapshot.state).toBe('resolved');
      expect(await kinds()).toEqual(['firing', 'resolved']);
    });

    it('without targets of its own or default targets, a transition is recorded as not notified', async () => {
      await requests(db(), T - 30 * SECOND, 3, 1);
      const rule = await addRule({});
      const s = await evaluateRules({ ...deps, defaultTargets: [] }, T);
      expect(s).toMatchObject({ transitions: 1, notifications: 0 });
      expect(await events(db(), rule.id)).toMatchObject([{ from: 'ok', to: 'firing', notified: false }]);
      expect(await deliveries(db(), rule.id)).toEqual([]);
    });
  });
});
