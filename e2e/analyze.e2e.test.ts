// The Analyze page in a real browser against a real server process (the built app, as `npm start` runs it).
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoPath } from '../server/test/photos.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { REPO_ROOT, startServer, type ServerProcess } from './server-process.js';

const SCREENSHOTS = path.join(REPO_ROOT, 'e2e', 'screenshots');

describe.skipIf(chromiumMissing)(`Analyze page${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ FOODLENS_INFERENCE_WORKERS: '1' }), launchChromium()]);
    mkdirSync(SCREENSHOTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  for (const viewport of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`uploads a banana photo and shows the answer and the logged prediction (${viewport.name})`, async () => {
      const page = await browser.newPage({ viewport });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(server.url);
      await expect.poll(() => page.locator('.status').textContent()).toContain('food-detector v1');
      await page.getByLabel('Food photo').setInputFiles(photoPath('E010'));
      await page.getByRole('button', { name: 'Analyze' }).click();
      const result = page.getByTestId('result');
      await result.waitFor();
      expect(await result.textContent()).toMatch(/banana · \d+\.\d% confident/);
      await expect.poll(async () => page.locator('.box').count()).toBeGreaterThan(0);
      // The recent-predictions table is refreshed from GET /api/v1/predictions after the upload.
      await expect.poll(() => page.locator('table tbody tr').first().textContent(), { timeout: 5000 }).toContain('banana');
      // Nothing overflows the viewport horizontally, on a phone too.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(SCREENSHOTS, `analyze-${viewport.name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('serves the app for client-side routes, and JSON 404s for unknown API routes', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`${server.url}/some/client/route`);
    expect(res?.status()).toBe(200);
    expect(await page.title()).toBe('FoodLens');
    const api = await fetch(`${server.url}/api/v1/unknown`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('RESOURCE_DOES_NOT_EXIST');
    await page.close();
  });
});
