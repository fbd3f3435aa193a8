// The MLOps dashboard in a real browser against a real server process (the built app, as `npm start` runs it): real
// photos go through the API, then the dashboard must show them, on a desktop and on a phone.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.js';
import { collectErrors, DESKTOP, expectAccessible, overflow, PHONE, postPhoto, screenshot } from './page-checks.js';
import { startServer, type ServerProcess } from './server-process.js';

/** Two banana photos (IFCT E009, E010): the detector answers banana for both. */
const PHOTOS = ['E009', 'E010'];

const totalCard = (page: Page) => page.getByTestId('metric-total-predictions').locator('.metric-value').textContent();

describe.skipIf(chromiumMissing)(`MLOps dashboard${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ FOODLENS_INFERENCE_WORKERS: '1' }), launchChromium()]);
    for (const [i, code] of PHOTOS.entries()) {
      const res = await postPhoto(server.url, code, { userId: `e2e-user-${i}` });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { food_name: string }).food_name).toBe('banana');
    }
    // The prediction log writes in batches: wait until the rollups the dashboard reads hold both (expect.poll only
    // runs inside a test).
    const deadline = Date.now() + 10_000;
    for (;;) {
      const res = await fetch(`${server.url}/api/v1/mlops/monitoring/predictions?window=24h`);
      const requests = ((await res.json()) as { totals: { requests: number } }).totals.requests;
      if (requests === PHOTOS.length) break;
      if (Date.now() > deadline) throw new Error(`the monitoring rollups hold ${requests} predictions, not ${PHOTOS.length}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('shows the predictions, top foods, health, drift and alerts on a desktop', async () => {
    const page = await browser.newPage(DESKTOP);
    // none allowed: the drift panel asks which versions have a reference rather than provoke a 404 (a console error)
    const errors = collectErrors(page);
    const driftCalls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/v1/mlops/monitoring/drift') driftCalls.push(r.url());
    });
    await page.goto(`${server.url}/mlops`);
    await expect.poll(() => totalCard(page), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('top-foods').textContent()).toContain('banana');
    await expect.poll(() => page.getByTestId('health-status').textContent()).toBe('ok');
    await expect.poll(() => page.getByTestId('updated').textContent()).toMatch(/updated \d\d:\d\d:\d\d/);
    // Two users, no errors, a p95 latency.
    expect(await page.getByTestId('metric-unique-users').locator('.metric-value').textContent()).toBe('2');
    expect(await page.getByTestId('metric-error-rate').locator('.metric-value').textContent()).toBe('0.0%');
    expect(await page.getByTestId('metric-p95-latency').locator('.metric-value').textContent()).toMatch(/\d+ ms|s$/);
    // The version comparison and the recent predictions list the two.
    const champion = page.getByTestId('version-comparison').locator('tbody tr').filter({ hasText: 'champion' });
    await expect.poll(() => champion.locator('th').textContent()).toBe('v1');
    expect(await champion.locator('td').nth(1).textContent()).toBe('2');
    await expect.poll(() => page.getByTestId('recent-predictions').locator('tbody tr').count()).toBe(2);
    // Time series are drawn (uPlot canvases).
    expect(await page.getByTestId('volume-chart').locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('latency-chart').locator('canvas').count()).toBe(1);

    // No drift reference yet: the server's message and how to set one.
    const drift = page.getByTestId('drift');
    await expect.poll(() => drift.textContent()).toContain('no drift reference for food-detector version 1');
    expect(await drift.textContent()).toContain('PUT');
    // asked GET .../drift/references, not the drift report that would answer 404
    expect(driftCalls).toEqual([]);
    // Alerts: whatever this server has, the panel says so rather than failing.
    await expect
      .poll(() => page.getByTestId('firing-alerts').textContent())
      .toMatch(/Alerts are not available|No alerts firing|firing ·/);

    // With a reference, the drift table shows each feature.
    const put = await fetch(`${server.url}/api/v1/mlops/monitoring/drift/reference`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'food-detector', version: '1', source: { type: 'first', n: PHOTOS.length } }),
    });
    expect(put.status).toBe(200);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => drift.locator('tbody tr').count(), { timeout: 10_000 }).toBe(10);
    // the report of the champion, v1, named explicitly: the version whose reference was checked
    expect(new URL(driftCalls[0]!).searchParams.get('version')).toBe('1');
    expect(await drift.locator('tbody').textContent()).toContain('confidence');
    expect(await drift.locator('svg.dist').count()).toBeGreaterThan(0);
    await expectAccessible(page, '/mlops');

    // The range filter lives in the URL.
    // click, not check(): the radio is controlled by the URL, so on a busy machine it turns checked only after the
    // router's update, later than check() looks
    await page.getByLabel('7d').click();
    await expect.poll(() => page.url()).toContain('range=7d');
    await expect.poll(() => page.getByLabel('7d').isChecked()).toBe(true);
    await expect.poll(() => totalCard(page)).toBe('2');

    await screenshot(page, 'mlops-desktop');

    // The dark theme: chosen with the toggle, kept across a reload.
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => totalCard(page)).toBe('2');
    await screenshot(page, 'mlops-desktop-dark');

    expect(errors).toEqual([]);
    await page.close();
  });

  it('navigates with the mobile menu and reloads the /mlops deep link on a phone', async () => {
    const page = await browser.newPage(PHONE);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/mlops`);
    await expect.poll(() => totalCard(page), { timeout: 10_000 }).toBe('2');
    await expect.poll(() => page.getByTestId('top-foods').textContent()).toContain('banana');
    // the wide tables (drift: the reference set by the desktop test) scroll in their own focusable boxes
    await expect.poll(() => page.getByTestId('recent-predictions').locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('version-comparison').locator('tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('drift').locator('tbody tr').count(), { timeout: 10_000 }).toBe(10);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, '/mlops (phone)');
    await screenshot(page, 'mlops-phone');

    // Below 720px the links sit behind the menu button.
    const menu = page.getByRole('button', { name: 'Menu' });
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await menu.getAttribute('aria-expanded')).toBe('false');
    expect(await menu.getAttribute('aria-controls')).toBe('main-nav');
    expect(await nav.isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'Analyze' }).click();
    await page.getByLabel('Food photo').waitFor({ state: 'attached' });
    expect(new URL(page.url()).pathname).toBe('/analyze');
    expect(await menu.getAttribute('aria-expanded')).toBe('false');

    // Back with the keyboard: the menu opens with Enter and its links are reachable with Tab.
    await menu.focus();
    await page.keyboard.press('Enter');
    expect(await menu.getAttribute('aria-expanded')).toBe('true');
    await nav.getByRole('link', { name: 'MLOps' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/mlops');
    await expect.poll(() => totalCard(page), { timeout: 10_000 }).toBe('2');

    // A reload on the deep link serves the app (the server falls back to index.html) and the same page.
    const res = await page.reload();
    expect(res?.status()).toBe(200);
    await expect.poll(() => totalCard(page), { timeout: 10_000 }).toBe('2');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('MLOps dashboard');
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    expect(errors).toEqual([]);
    await page.close();
  });

  it('says what to do when there is nothing to show, and what failed when a call fails', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page, [
      [404, '/api/v1/mlops/alerts'],
      [500, '/api/v1/mlops/monitoring/confidence'],
    ]);
    // A server without the alerts API, a failing endpoint, and an empty prediction log.
    await page.route('**/api/v1/mlops/alerts?*', (route) =>
      route.fulfill({ status: 404, json: { error: { code: 'RESOURCE_DOES_NOT_EXIST', message: 'no route for GET /api/v1/mlops/alerts' } } }),
    );
    await page.route('**/api/v1/mlops/monitoring/confidence?*', (route) =>
      route.fulfill({ status: 500, json: { error: { code: 'INTERNAL_ERROR', message: 'database is down' } } }),
    );
    await page.route('**/api/v1/predictions?*', (route) => route.fulfill({ json: { predictions: [], next_cursor: null } }));
    // Version 2 is registered but has served nothing.
    await page.goto(`${server.url}/mlops?model=food-detector&version=2`);
    await expect.poll(() => totalCard(page), { timeout: 10_000 }).toBe('0');
    const selected = await page.getByRole('combobox', { name: 'Model version' }).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent);
    expect(selected).toContain('food-detector v2');
    await expect
      .poll(() => page.getByTestId('top-foods').textContent())
      .toContain('No predictions in the last 24 hours for food-detector v2 — post a photo on Analyze');
    expect(await page.getByTestId('top-foods').getByRole('link', { name: 'Analyze' }).getAttribute('href')).toBe('/analyze');
    await expect.poll(() => page.getByTestId('firing-alerts').textContent()).toContain('Alerts are not available');
    await expect
      .poll(() => page.getByTestId('confidence-histogram').textContent(), { timeout: 10_000 })
      .toContain('GET /api/v1/mlops/monitoring/confidence answered 500: database is down');
    await expect
      .poll(() => page.getByTestId('recent-predictions').textContent())
      .toContain('No predictions yet — post a photo on Analyze');
    await expect.poll(() => page.getByTestId('drift').textContent()).toContain('no drift reference for food-detector version 2');
    expect(errors).toEqual([]);
    await page.close();
  });
});
