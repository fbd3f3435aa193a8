// What every browser test checks on its pages (console errors, axe, sideways overflow), where screenshots go, and a
// photo posted to the API as a client would, so each test states only what is particular to its page.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { BrowserContextOptions, ConsoleMessage, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { photo } from '../server/test/photos.js';
import { REPO_ROOT } from './server-process.js';

export const DESKTOP: BrowserContextOptions = { viewport: { width: 1280, height: 900 } };
export const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 } };

/**
 * Console errors and uncaught exceptions of the page, with the URL each came from; tests assert the list. Chromium logs
 * each 4xx/5xx fetch as "Failed to load resource": `allowed` leaves out the ones a test provokes on purpose, as
 * [status, path].
 */
export function collectErrors(page: Page, allowed: Array<[status: number, path: string]> = []): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const url = m.location().url;
    const provoked = allowed.some(([status, p]) => m.text().includes(`status of ${status}`) && url.includes(p));
    if (!provoked) errors.push(`console: ${m.text()} (${url})`);
  });
  return errors;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A and AA violations on the page as it is now, one line each. */
export async function axeViolations(page: Page): Promise<string[]> {
  // injected once per document: it stays across the app's client-side navigations. Evaluated through the DevTools
  // protocol, which the page's Content-Security-Policy does not govern: a <script> added to the page would be refused.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    type Violation = { id: string; help: string; nodes: Array<{ target: unknown[] }> };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] } });
    return result.violations.map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

export async function expectAccessible(page: Page, where: string): Promise<void> {
  expect(await axeViolations(page), `axe violations on ${where}`).toEqual([]);
}

/** How much wider than the viewport the page is, in px: above 0 it scrolls sideways. */
export const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

export const SCREENSHOTS = path.join(REPO_ROOT, 'e2e', 'screenshots');

/**
 * Checks a checkbox or radio and waits until it shows checked. Playwright's check() asserts the state right after its
 * click, which fails on a busy machine for controls whose state follows the URL (the click navigates, the re-render
 * comes a moment later).
 */
export async function choose(control: Locator): Promise<void> {
  if (!(await control.isChecked())) await control.click();
  await expect.poll(() => control.isChecked()).toBe(true);
}

/** The whole page as e2e/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** On a phone: opens the menu and follows one of its links. */
export async function navigateWithMenu(page: Page, link: string): Promise<void> {
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
}

/** POST /api/v1/predict with an IFCT photo (server/test/photos) as the raw JPEG body. */
export function postPhoto(serverUrl: string, code: string, options: { userId?: string; model?: string } = {}): Promise<Response> {
  const query = options.model === undefined ? '' : `?model=${encodeURIComponent(options.model)}`;
  return fetch(`${serverUrl}/api/v1/predict${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', ...(options.userId === undefined ? {} : { 'x-user-id': options.userId }) },
    body: new Uint8Array(photo(code)),
  });
}
