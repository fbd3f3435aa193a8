// The Alerts page in a real browser against a real server process (the built app, as `npm start` runs it), with the
// evaluator running every second and a webhook receiver of our own on 127.0.0.1: a rule made through the form fires
// on real failed requests, notifies the receiver, shows in the delivery log, is muted, edited and deleted.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.js';
import { collectErrors, DESKTOP, expectAccessible, navigateWithMenu, overflow, PHONE, screenshot } from './page-checks.js';
import { startServer, type ServerProcess } from './server-process.js';

const RULE = 'E2E error rate';
const BUILTIN = ['Data drift', 'Error rate', 'Slow predictions', 'Dropped prediction logs'];

interface Received {
  headers: IncomingHttpHeaders;
  body: { kind: string; state: string; rule: { name: string }; value: number | null };
}

/** A webhook receiver: records each POST and answers 200. */
async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (d) => (text += d));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(text) as Received['body'] });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

describe.skipIf(chromiumMissing)(`Alerts page${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
    [server, browser] = await Promise.all([
      startServer({ FOODLENS_INFERENCE_WORKERS: '1', FOODLENS_ALERT_INTERVAL_S: '1' }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    await new Promise((r) => receiver?.server.close(r));
  });

  it('creates a rule with the form, sees it fire and notify, then mutes, edits and deletes it (desktop)', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/alerts`);
    const rules = page.getByTestId('rules');
    await expect.poll(() => rules.locator('li.rule').count(), { timeout: 10_000 }).toBe(4);
    for (const name of BUILTIN) expect(await rules.getByRole('heading', { name, exact: true }).count()).toBe(1);
    await expect.poll(() => page.getByTestId('updated').textContent()).toMatch(/updated \d\d:\d\d:\d\d/);
    const evaluator = page.getByTestId('evaluator');
    await expect.poll(() => evaluator.textContent()).toContain('this instance evaluates');
    expect(await evaluator.textContent()).toContain('every 1 s');

    // The form: an empty submit is refused beside the fields, then a valid rule is created.
    await rules.getByRole('link', { name: 'New rule' }).click();
    await page.getByRole('heading', { name: 'New alert rule' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/alerts/rules/new');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect.poll(() => page.locator('.field-error').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('required'), expect.stringContaining('a number is required')]));
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid'))).toBe('true');
    await page.getByLabel('Name', { exact: true }).fill(RULE);
    await page.getByLabel('Signal').selectOption('error_rate');
    expect(await page.getByText('Failed requests / all requests in the window.').count()).toBe(1);
    expect(await page.getByLabel('Feature').count()).toBe(0);
    await page.getByLabel('Comparator').selectOption('>');
    await page.getByLabel('Threshold', { exact: true }).fill('0.5');
    const windowInput = page.getByLabel('Window', { exact: true });
    await windowInput.fill('5 minutes');
    await windowInput.blur();
    await expect.poll(() => windowInput.locator('xpath=..').locator('.field-error').textContent()).toContain('a duration like 90s');
    await windowInput.fill('5m');
    await page.getByLabel('Minimum requests').fill('3');
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByRole('button', { name: 'Add header to webhook 1' }).click();
    await page.getByLabel('Webhook 1 header 1 name').fill('X-E2E-Token');
    await page.getByLabel('Webhook 1 header 1 value').fill('secret');
    await expectAccessible(page, 'the new rule form');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/alerts');
    await expect.poll(() => page.locator('.notice').textContent()).toBe(`Rule “${RULE}” created.`);
    await expect.poll(() => rules.locator('li.rule').count()).toBe(5);
    const stored = ((await (await fetch(`${server.url}/api/v1/mlops/alerts/rules`)).json()) as { rules: Array<{ id: string; name: string; threshold: number; min_requests: number; window: string; targets: unknown[] }> }).rules.find((r) => r.name === RULE)!;
    expect(stored).toMatchObject({ threshold: 0.5, min_requests: 3, window: '5m', targets: [{ type: 'webhook', url: receiver.url, format: 'json', headers: { 'X-E2E-Token': 'secret' } }] });
    const card = page.getByTestId(`rule-${stored.id}`);
    expect(await card.textContent()).toContain('> 50.0% over 5m, at once, at least 3 requests');

    // Five uploads that are not images: 415, and each counts as a failed request.
    for (let i = 0; i < 5; i++) {
      const form = new FormData();
      form.append('file', new Blob(['not an image'], { type: 'text/plain' }), `note-${i}.txt`);
      const res = await fetch(`${server.url}/api/v1/predict`, { method: 'POST', body: form });
      expect(res.status).toBe(415);
    }

    // The evaluator (every second) fires it; Refresh brings it to the page sooner than the 15 s auto-refresh.
    const refresh = page.getByRole('button', { name: 'Refresh' });
    const current = page.getByTestId('current-alerts').getByTestId(`alert-${stored.id}`);
    await expect
      .poll(
        async () => {
          await refresh.click();
          return (await current.count()) > 0 ? current.locator('td .badge').first().textContent() : null;
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe('firing');
    expect(await current.textContent()).toContain('100.0%');
    await expect.poll(() => card.locator('.rule-head .badge').first().textContent()).toBe('firing');

    // The receiver got the firing notification, with the rule's header.
    await expect.poll(() => receiver.received.find((r) => r.body.kind === 'firing' && r.body.rule.name === RULE), { timeout: 15_000 }).toBeTruthy();
    const firing = receiver.received.find((r) => r.body.kind === 'firing')!;
    expect(firing.body).toMatchObject({ state: 'firing', value: 1 });
    expect(firing.headers['x-e2e-token']).toBe('secret');
    expect(firing.headers['x-foodlens-delivery']).toBeTruthy();

    // The delivery log shows it delivered, with its attempt.
    const log = page.getByTestId('delivery-log');
    const delivered = log.locator('tbody > tr').filter({ hasText: RULE }).filter({ hasText: 'firing' });
    await expect
      .poll(
        async () => {
          await refresh.click();
          return (await delivered.count()) > 0 ? delivered.first().locator('.badge').textContent() : null;
        },
        { timeout: 15_000, interval: 1000 },
      )
      .toBe('delivered');
    expect(await delivered.first().textContent()).toContain(receiver.url);
    await delivered.first().getByRole('button', { name: /^Show \(1\)/ }).click();
    await expect.poll(() => log.locator('.detail-row tbody td').nth(2).textContent()).toBe('200');

    // The alert's history: ok -> firing, notified.
    await current.getByRole('button', { name: /^Show/ }).click();
    const history = page.getByTestId('current-alerts').locator('.detail-row');
    expect(await history.textContent()).toMatch(/ok.*firing.*100\.0%.*> 50\.0%.*yes/);

    // Evaluate now answers with what it did.
    await page.getByRole('button', { name: 'Evaluate now' }).click();
    await expect.poll(() => page.getByTestId('evaluate-result').textContent()).toMatch(/^Evaluated \d+ rules/);

    // A test notification reaches the receiver too.
    await card.getByRole('button', { name: `Send test notification for ${RULE}` }).click();
    await expect.poll(() => card.locator('.rule-outcome').textContent()).toBe('Test notification queued for 1 webhook: see the delivery log.');
    await expect.poll(() => receiver.received.some((r) => r.body.kind === 'test'), { timeout: 15_000 }).toBe(true);

    // The status filter lives in the URL.
    await log.getByLabel('Status').selectOption('delivered');
    await expect.poll(() => new URL(page.url()).searchParams.get('deliveries')).toBe('delivered');
    await expect.poll(async () => (await log.locator('tbody > tr:not(.detail-row) .badge').allTextContents()).every((s) => s === 'delivered')).toBe(true);

    // Mute for an hour: the rule says so, and so does its alert.
    await card.locator('summary').click();
    await card.getByRole('button', { name: 'Mute for 1 hour' }).click();
    await expect.poll(() => card.locator('.rule-head').textContent()).toContain('muted until');
    await expect.poll(() => card.locator('.rule-outcome').textContent()).toMatch(/^Muted until/);
    await expect.poll(() => current.textContent()).toContain('muted');
    await expectAccessible(page, '/alerts with a muted rule');
    await screenshot(page, 'alerts-desktop');

    // Edit: the form comes filled; a new threshold is saved.
    await card.getByRole('link', { name: `Edit ${RULE}` }).click();
    await page.getByRole('heading', { name: `Edit alert rule: ${RULE}` }).waitFor();
    const threshold = page.getByLabel('Threshold', { exact: true });
    expect(await threshold.inputValue()).toBe('0.5');
    expect(await page.getByLabel('URL').inputValue()).toBe(receiver.url);
    expect(await page.getByLabel('Muted until').inputValue()).not.toBe('');
    await threshold.fill('0.9');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/alerts');
    await expect.poll(() => page.locator('.notice').textContent()).toBe(`Rule “${RULE}” saved.`);
    await expect.poll(() => card.textContent()).toContain('> 90.0% over 5m');
    const edited = (await (await fetch(`${server.url}/api/v1/mlops/alerts/rules/${stored.id}`)).json()) as { threshold: number; muted: boolean };
    expect(edited).toMatchObject({ threshold: 0.9, muted: true });

    // Delete, after confirming.
    await card.getByRole('button', { name: `Delete ${RULE}` }).click();
    await card.getByRole('button', { name: 'Delete rule' }).click();
    await expect.poll(() => rules.locator('li.rule').count()).toBe(4);
    expect((await fetch(`${server.url}/api/v1/mlops/alerts/rules/${stored.id}`)).status).toBe(404);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('reaches Alerts through the menu on a phone, without overflow', async () => {
    const page = await browser.newPage(PHONE);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/analyze`);
    await navigateWithMenu(page, 'Alerts');
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();
    const rules = page.getByTestId('rules');
    await expect.poll(() => rules.locator('li.rule').count(), { timeout: 10_000 }).toBe(4);
    await expect.poll(() => page.getByTestId('delivery-log').locator('tbody > tr').count()).toBeGreaterThan(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // The mute menu opens in place, and the wide tables scroll inside their own box.
    await rules.locator('li.rule').first().locator('summary').click();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, '/alerts (phone)');
    await screenshot(page, 'alerts-phone');

    await rules.getByRole('link', { name: 'New rule' }).click();
    await page.getByRole('heading', { name: 'New alert rule' }).waitFor();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByRole('button', { name: 'Add header to webhook 1' }).click();
    await page.getByLabel('Signal').selectOption('feature_drift');
    await page.getByLabel('Feature').selectOption('brightness');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the rule form (phone)');
    await page.getByRole('link', { name: 'Cancel' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor();

    expect(errors).toEqual([]);
    await page.close();
  });
});
