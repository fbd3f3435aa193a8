// Webhook secrets are answered whole to admins only: a reader (the dashboard's usual token) sees where notifications
// go, not the Slack URL or the headers that authenticate them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertRule, DeliveryList } from '@foodlens/contracts';
import { startTestApp, type TestApp } from '../../test/app-harness.js';
import { REDACTED, redactUrl } from './target-redaction.js';

const ADMIN = 'admin-token-0123456789';
const READER = 'reader-token-0123456789';
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXsecretXXXX';

describe('redactUrl', () => {
  it('keeps the scheme and host, hides the path, query and credentials', () => {
    expect(redactUrl(SLACK)).toBe(`https://hooks.slack.com/${REDACTED}`);
    expect(redactUrl('http://user:pw@10.0.0.5:9000')).toBe(`http://10.0.0.5:9000/${REDACTED}`);
    expect(redactUrl('http://receiver.internal:8080/')).toBe('http://receiver.internal:8080/');
    expect(redactUrl('https://example.com/?token=abc')).toBe(`https://example.com/${REDACTED}`);
    expect(redactUrl('not a url')).toBe(REDACTED);
  });
});

describe('alert targets by role', () => {
  let t: TestApp;
  let rule: AlertRule;
  const as = (token: string) => ({ authorization: `Bearer ${token}` });
  beforeAll(async () => {
    t = await startTestApp({ FOODLENS_TOKENS: `admin:${ADMIN},reader:${READER}`, FOODLENS_ALERT_INTERVAL_S: '0' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/mlops/alerts/rules',
      headers: as(ADMIN),
      payload: {
        name: 'Errors to Slack',
        signal: 'error_rate',
        comparator: '>',
        threshold: 0.5,
        targets: [
          { type: 'webhook', url: SLACK, format: 'slack' },
          { type: 'webhook', url: 'http://127.0.0.1:9/hook?key=s3cret', headers: { Authorization: 'Bearer receiver-secret' } },
        ],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    rule = res.json<AlertRule>();
    expect((await t.app.inject({ method: 'POST', url: `/api/v1/mlops/alerts/rules/${rule.id}/test`, headers: as(ADMIN) })).statusCode).toBe(202);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('answers an admin the targets whole', async () => {
    const got = (await t.app.inject({ url: `/api/v1/mlops/alerts/rules/${rule.id}`, headers: as(ADMIN) })).json<AlertRule>();
    expect(got.targets.map((x) => x.url)).toEqual([SLACK, 'http://127.0.0.1:9/hook?key=s3cret']);
    expect(got.targets[1]!.headers).toEqual({ Authorization: 'Bearer receiver-secret' });
    const deliveries = (await t.app.inject({ url: '/api/v1/mlops/alerts/deliveries', headers: as(ADMIN) })).json<DeliveryList>();
    expect(deliveries.deliveries.map((d) => d.url).sort()).toEqual(['http://127.0.0.1:9/hook?key=s3cret', SLACK]);
  });

  it('answers a reader where notifications go, without the secret parts, in every read', async () => {
    const one = await t.app.inject({ url: `/api/v1/mlops/alerts/rules/${rule.id}`, headers: as(READER) });
    const list = await t.app.inject({ url: '/api/v1/mlops/alerts/rules', headers: as(READER) });
    const deliveries = await t.app.inject({ url: '/api/v1/mlops/alerts/deliveries', headers: as(READER) });
    for (const res of [one, list, deliveries]) {
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain('XXXXsecretXXXX');
      expect(res.body).not.toContain('s3cret');
      expect(res.body).not.toContain('receiver-secret');
    }
    const got = one.json<AlertRule>();
    expect(got.targets).toEqual([
      { type: 'webhook', url: `https://hooks.slack.com/${REDACTED}`, format: 'slack', headers: {} },
      { type: 'webhook', url: `http://127.0.0.1:9/${REDACTED}`, format: 'json', headers: { Authorization: REDACTED } },
    ]);
    expect(deliveries.json<DeliveryList>().deliveries.map((d) => d.url).sort()).toEqual([`http://127.0.0.1:9/${REDACTED}`, `https://hooks.slack.com/${REDACTED}`]);
  });
});
