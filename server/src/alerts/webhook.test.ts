import { createServer, type IncomingHttpHeaders, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AlertNotification, type WebhookTarget } from '@foodlens/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, isRetryable, retryDelayMs, sendWebhook, webhookBody, type WebhookResult } from './webhook.js';

const notification = (over: Partial<AlertNotification> = {}): AlertNotification =>
  AlertNotification.parse({
    id: 'dlv-1',
    kind: 'firing',
    state: 'firing',
    severity: 'critical',
    summary: 'Error rate 0.12 > 0.05 over 5m',
    rule: { id: 'r1', name: 'Error rate', signal: 'error_rate', feature: null, window: '5m', for: '0s' },
    alert: { id: 'r1:', model: 'food-detector', version: '3', active_since: 1_700_000_000_000 },
    value: 0.123456,
    comparator: '>',
    threshold: 0.05,
    at: '2024-01-02T03:04:05.000Z',
    links: { alert: 'http://lens/alerts/r1', rule: 'http://lens/rules/r1', dashboard: 'http://lens/' },
    ...over,
  });

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections(); // a hung or half-read request would otherwise keep close() waiting
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
});

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface Received { method?: string; url?: string; headers: IncomingHttpHeaders; body: string }
/** A receiver that records each request and answers with `status` and `answer`. */
async function receiver(status = 200, answer = '') {
  const requests: Received[] = [];
  const { url } = await listen((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ method: req.method, url: req.url, headers: req.headers, body });
      res.writeHead(status, { 'content-type': 'text/plain' }).end(answer);
    });
  });
  return { url, requests };
}

const target = (url: string, over: Partial<WebhookTarget> = {}): WebhookTarget => ({ type: 'webhook', url, format: 'json', headers: {}, ...over });
const result = (statusCode: number | null): WebhookResult => ({ ok: false, statusCode, error: 'x', durationMs: 1 });

describe('webhookBody', () => {
  it('is the notification itself for json', () => {
    const n = notification();
    expect(webhookBody(n, 'json')).toBe(n);
  });

  it('is a Slack attachment with title, link, summary, fields and epoch-second ts', () => {
    expect(webhookBody(notification(), 'slack')).toEqual({
      text: '[FIRING] Error rate',
      attachments: [
        {
          color: '#d00000',
          title: '[FIRING] Error rate',
          title_link: 'http://lens/alerts/r1',
          text: 'Error rate 0.12 &gt; 0.05 over 5m',
          fields: [
            { title: 'Value', value: '0.1235', short: true },
            { title: 'Threshold', value: '&gt; 0.05', short: true },
            { title: 'Model', value: 'food-detector/3', short: true },
            { title: 'Window', value: '5m', short: true },
          ],
          ts: Date.UTC(2024, 0, 2, 3, 4, 5) / 1000,
        },
      ],
    });
  });

  it('colours by kind and severity and labels the kind', () => {
    const slack = (over: Partial<AlertNotification>) =>
      (webhookBody(notification(over), 'slack') as { attachments: { color: string; title: string }[] }).attachments[0]!;
    expect(slack({ severity: 'warning' }).color).toBe('#f2a600');
    expect(slack({ severity: 'info' }).color).toBe('#888888');
    expect(slack({ kind: 'resolved', state: 'resolved', severity: 'critical' })).toMatchObject({ color: '#2eb886', title: '[RESOLVED] Error rate' });
    expect(slack({ kind: 'repeat' }).title).toBe('[STILL FIRING] Error rate');
    expect(slack({ kind: 'test', severity: 'info' })).toMatchObject({ color: '#888888', title: '[TEST] Error rate' });
  });

  it('shows missing data, every model and the drifted feature', () => {
    const n = notification({
      value: null,
      rule: { id: 'r2', name: 'Drift <brightness>', signal: 'feature_drift', feature: 'brightness', window: '1d', for: '0s' },
      alert: { id: 'r2:', model: null, version: null, active_since: null },
    });
    const a = (webhookBody(n, 'slack') as { attachments: { title: string; fields: { title: string; value: string }[] }[] }).attachments[0]!;
    expect(a.title).toBe('[FIRING] Drift &lt;brightness&gt;');
    expect(a.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ title: 'Value', value: 'no data' }),
        expect.objectContaining({ title: 'Model', value: 'all models' }),
        expect.objectContaining({ title: 'Feature', value: 'brightness' }),
      ]),
    );
  });
});

describe('sendWebhook', () => {
  it('POSTs the JSON body with the delivery id, user agent and custom headers; content-type stays JSON', async () => {
    const { url, requests } = await receiver(204);
    const n = notification();
    const headers = { Authorization: 'Bearer s3cret', 'Content-Type': 'text/plain', 'X-Extra': 'yes' };
    const r = await sendWebhook(target(`${url}/hook?x=1`, { headers }), webhookBody(n, 'json'), 'dlv-42');
    expect(r).toMatchObject({ ok: true, statusCode: 204, error: null });
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(requests).toHaveLength(1);
    const [req] = requests;
    expect(req).toMatchObject({ method: 'POST', url: '/hook?x=1' });
    expect(req!.headers).toMatchObject({
      'content-type': 'application/json',
      'user-agent': 'FoodLens-Alerts/1',
      'x-foodlens-delivery': 'dlv-42',
      authorization: 'Bearer s3cret',
      'x-extra': 'yes',
    });
    expect(AlertNotification.parse(JSON.parse(req!.body))).toEqual(n);
  });

  it('sends the Slack body to slack targets', async () => {
    const { url, requests } = await receiver(200, 'ok');
    const n = notification({ kind: 'resolved', state: 'resolved' });
    expect((await sendWebhook(target(url, { format: 'slack' }), webhookBody(n, 'slack'), 'd')).ok).toBe(true);
    expect(JSON.parse(requests[0]!.body)).toEqual(webhookBody(n, 'slack'));
  });

  it('reports a 500 with an excerpt of the answer, retryable', async () => {
    const { url } = await receiver(500, `  upstream\n exploded ${'x'.repeat(500)}`);
    const r = await sendWebhook(target(url), {}, 'd');
    expect(r).toMatchObject({ ok: false, statusCode: 500 });
    expect(r.error).toMatch(/^HTTP 500: upstream exploded x+$/);
    expect(r.error!.length).toBe('HTTP 500: '.length + 200);
    expect(isRetryable(r)).toBe(true);
  });

  it('treats 404 as permanent and 503, 429, 408 as retryable', async () => {
    for (const [status, retryable] of [[404, false], [401, false], [503, true], [429, true], [408, true]] as const) {
      const { url } = await receiver(status, 'nope');
      const r = await sendWebhook(target(url), {}, 'd');
      expect(r).toMatchObject({ ok: false, statusCode: status, error: `HTTP ${status}: nope` });
      expect(isRetryable(r), `HTTP ${status}`).toBe(retryable);
    }
  });

  it('gives up on a receiver that never answers after timeoutMs', async () => {
    const { url } = await listen(() => {}); // reads nothing, answers nothing
    const started = Date.now();
    const r = await sendWebhook(target(url), {}, 'd', { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(300 + 1500);
    expect(r).toMatchObject({ ok: false, statusCode: null, error: 'timeout after 300 ms' });
    expect(isRetryable(r)).toBe(true);
  });

  it('reports a refused connection without a status, retryable', async () => {
    const { server, url } = await listen(() => {});
    await new Promise<void>((resolve) => server.close(() => resolve())); // the port is now free and closed
    const r = await sendWebhook(target(url), {}, 'd');
    expect(r).toMatchObject({ ok: false, statusCode: null });
    expect(r.error).toMatch(/^ECONNREFUSED/);
    expect(isRetryable(r)).toBe(true);
  });

  it('does not follow redirects', async () => {
    const elsewhere = await receiver(200);
    const { url } = await listen((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/stolen` }).end());
    const r = await sendWebhook(target(url, { headers: { Authorization: 'secret' } }), {}, 'd');
    expect(r).toEqual(expect.objectContaining({ ok: false, statusCode: 302, error: 'HTTP 302 (redirects are not followed)' }));
    expect(isRetryable(r)).toBe(false);
    expect(elsewhere.requests).toHaveLength(0);
  });

  it('reads only the start of a huge answer and does not wait for the rest', async () => {
    const chunk = 'y'.repeat(64 * 1024);
    const { url } = await listen((_req, res) => {
      res.writeHead(500);
      for (let i = 0; i < 160; i++) res.write(chunk); // 10 MB, and the response is never ended
    });
    const started = Date.now();
    const r = await sendWebhook(target(url), {}, 'd', { timeoutMs: 3000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(r).toMatchObject({ ok: false, statusCode: 500, error: `HTTP 500: ${'y'.repeat(200)}` });
  });

  it('does not wait for a huge unfinished body on success either', async () => {
    const { url } = await listen((_req, res) => {
      res.writeHead(200);
      for (let i = 0; i < 160; i++) res.write('z'.repeat(64 * 1024));
    });
    const started = Date.now();
    expect(await sendWebhook(target(url), {}, 'd', { timeoutMs: 3000 })).toMatchObject({ ok: true, statusCode: 200 });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('never throws, even for a body that cannot be serialised', async () => {
    const { url } = await receiver();
    const r = await sendWebhook(target(url), { n: 1n }, 'd');
    expect(r).toMatchObject({ ok: false, statusCode: null });
    expect(r.error).toMatch(/BigInt/);
  });
});

describe('retry policy', () => {
  it('doubles from baseMs and caps at maxMs', () => {
    const top = { random: () => 1 - Number.EPSILON };
    expect([1, 2, 3, 4].map((a) => retryDelayMs(a, top))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(retryDelayMs(8, top)).toBe(256_000);
    expect(retryDelayMs(9, top)).toBe(DEFAULT_RETRY.maxMs);
    expect(retryDelayMs(1_000, top)).toBe(DEFAULT_RETRY.maxMs);
    expect(retryDelayMs(3, { baseMs: 100, maxMs: 250, ...top })).toBe(250);
  });

  it('jitters within [delay/2, delay]', () => {
    expect(retryDelayMs(3, { random: () => 0 })).toBe(4_000);
    expect(retryDelayMs(3, { random: () => 0.5 })).toBe(6_000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelayMs(5);
      expect(d).toBeGreaterThanOrEqual(16_000);
      expect(d).toBeLessThanOrEqual(32_000);
    }
  });

  it('retries only what retrying can fix', () => {
    expect(isRetryable({ ok: true, statusCode: 200, error: null, durationMs: 1 })).toBe(false);
    expect([null, 500, 502, 503, 408, 429].every((s) => isRetryable(result(s)))).toBe(true);
    expect([400, 401, 403, 404, 410, 422, 301, 302].some((s) => isRetryable(result(s)))).toBe(false);
  });
});
