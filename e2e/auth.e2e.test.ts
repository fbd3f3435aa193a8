// Authentication against the built server: `serve` refuses a reachable address without tokens (exit code 2, before
// opening anything), and in a real browser the web app asks for a token, refuses a wrong one, shows data with the right
// one, asks again when the server refuses the token later, and a reader token cannot change the deployment.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.js';
import { collectErrors, DESKTOP, expectAccessible, overflow, PHONE, screenshot } from './page-checks.js';
import { REPO_ROOT, startServer, type ServerProcess } from './server-process.js';

const ADMIN = 'e2e-admin-5c1d9a7b3e8f2046';
const READER = 'e2e-reader-5c1d9a7b3e8f2046';
const WRONG = 'e2e-wrong-5c1d9a7b3e8f2046';

describe('serve without tokens', () => {
  it('refuses to listen on 0.0.0.0, saying why, with exit code 2 and nothing opened', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-e2e-bind-'));
    try {
      const child = spawn(process.execPath, [path.join(REPO_ROOT, 'server/dist/main.js'), 'serve'], {
        cwd: dir,
        env: { ...process.env, HOST: '0.0.0.0', PORT: '0', FOODLENS_TOKENS: '', FOODLENS_TOKENS_FILE: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(2);
      expect(stderr).toContain('refusing to listen on 0.0.0.0 without authentication: no tokens are configured');
      // refused before the store was opened
      expect(existsSync(path.join(dir, 'mlruns'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(chromiumMissing)(`The web app with tokens${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  const api = (url: string, token: string) => fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    [server, browser] = await Promise.all([
      startServer({ FOODLENS_TOKENS: `admin:${ADMIN}:ops,reader:${READER}:viewer`, FOODLENS_INFERENCE_WORKERS: '1', LOG_LEVEL: 'info' }),
      launchChromium(),
    ]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const dialog = (page: Page) => page.getByRole('dialog', { name: 'Access token' });

  it('asks for a token, refuses a wrong one, shows data with a reader token, and a reader cannot change the deployment', async () => {
    expect(server.output()).toContain('authentication on: 2 tokens (1 admin, 0 writer, 1 reader)');
    expect(server.output()).not.toContain(READER);
    const before = (await (await api('/api/v1/mlops/deployment?model=food-detector', ADMIN)).json()) as { revision: number };

    const page = await browser.newPage(DESKTOP);
    // the ones this test provokes: a wrong token, the reader's refused deployment, and a token refused later on
    const errors = collectErrors(page, [
      [401, '/api/'],
      [403, '/api/v1/mlops/deployment'],
    ]);
    await page.goto(`${server.url}/models`);
    // the dialog asks, with the focus in its field; the page behind waits
    await expect.poll(() => dialog(page).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('token-input');
    await expect.poll(() => page.getByRole('heading', { name: 'Access token needed' }).isVisible()).toBe(true);
    expect(await page.getByTestId('registered-models').count()).toBe(0);
    // asked without a token: not "refused"
    expect(await dialog(page).textContent()).toContain('This FoodLens server needs an access token.');
    await expectAccessible(page, '/models (token dialog)');
    await screenshot(page, 'auth-token-dialog');

    // a wrong token is refused, and the dialog says so
    await dialog(page).getByLabel('Token').fill(WRONG);
    await dialog(page).getByRole('button', { name: 'Use this token' }).click();
    const alert = dialog(page).getByRole('alert');
    await expect.poll(() => alert.textContent()).toBe('The server refused this token. Check it and try again.');
    expect(await dialog(page).getByLabel('Token').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog(page).isVisible()).toBe(true);

    // the reader's token: the dialog closes and the registry shows
    await dialog(page).getByLabel('Token').fill(READER);
    await dialog(page).getByRole('button', { name: 'Use this token' }).click();
    await expect.poll(() => dialog(page).isVisible()).toBe(false);
    const row = page.getByTestId('registered-models').locator('tbody tr').filter({ hasText: 'food-detector' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    expect(await page.getByTestId('auth-role').textContent()).toBe('Signed in as viewer (reader)');
    // kept for this tab only
    expect(await page.evaluate(() => [sessionStorage.getItem('foodlens.token'), localStorage.getItem('foodlens.token')])).toEqual([READER, null]);

    // a reader cannot change the deployment: the server's plain message, and nothing changed
    await row.getByRole('link', { name: 'food-detector' }).click();
    const panel = page.getByTestId('deployment');
    await panel.getByRole('button', { name: 'Add challenger' }).click({ timeout: 10_000 });
    await panel.getByRole('button', { name: /^Apply/ }).click();
    await expect
      .poll(() => panel.getByTestId('apply-error').textContent(), { timeout: 10_000 })
      .toBe('The deployment was not changed. PUT /api/v1/mlops/deployment answered 403: This needs the admin role; the token of viewer has the reader role.');
    expect(await dialog(page).isVisible()).toBe(false);
    const after = (await (await api('/api/v1/mlops/deployment?model=food-detector', ADMIN)).json()) as { revision: number };
    expect(after.revision).toBe(before.revision);
    await expectAccessible(page, '/models/food-detector (reader)');

    // the server refuses the tab's token later (changed on the server): the next call's 401 brings the dialog back
    await page.evaluate((t) => sessionStorage.setItem('foodlens.token', t), WRONG);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
    await expect.poll(() => dialog(page).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await dialog(page).textContent()).toContain('The server no longer accepts the token this tab had.');
    expect(await page.evaluate(() => sessionStorage.getItem('foodlens.token'))).toBeNull();
    await dialog(page).getByLabel('Token').fill(READER);
    await page.keyboard.press('Enter');
    await expect.poll(() => dialog(page).isVisible()).toBe(false);
    await expect.poll(() => page.getByTestId('experiments-table').count(), { timeout: 10_000 }).toBe(1);

    // sign out: the pages wait behind the dialog again
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect.poll(() => dialog(page).isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('foodlens.token'))).toBeNull();

    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);

  it('fits a phone with the role and Sign out in the top bar', async () => {
    const page = await browser.newPage(PHONE);
    const errors = collectErrors(page);
    // a tab that already holds the admin's token
    await page.addInitScript((t) => sessionStorage.setItem('foodlens.token', t), ADMIN);
    await page.goto(`${server.url}/mlops`);
    await expect.poll(() => page.getByRole('button', { name: 'Sign out' }).isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await dialog(page).isVisible()).toBe(false);
    // the dashboard has loaded: its drift panel says there is no reference yet, and nothing is still loading
    await page.getByTestId('drift-no-reference').waitFor({ timeout: 10_000 });
    await expect.poll(() => page.locator('main .loading').count(), { timeout: 10_000 }).toBe(0);
    expect(await overflow(page)).toBe(0);
    // the top bar keeps one row: Sign out and the theme toggle sit level with the menu button
    const middle = (name: string | RegExp) =>
      page.getByRole('button', { name }).evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top + r.height / 2;
      });
    const row = await middle('Menu');
    expect(Math.abs((await middle(/^Switch to/)) - row)).toBeLessThan(2);
    expect(Math.abs((await middle('Sign out')) - row)).toBeLessThan(2);
    await expectAccessible(page, '/mlops (phone, signed in)');
    await screenshot(page, 'auth-phone-signed-in');
    expect(errors).toEqual([]);
    await page.close();
  });
});
