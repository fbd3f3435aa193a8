// The Models pages in a real browser against a real server process (the built app, as `npm start` runs it):
// food-detector's versions 1 (CenterNet, champion) and 2 (NanoDet) are registered at start. The test promotes,
// splits traffic with a slider, rolls back and compares through the UI, checking each change through the API and a
// real prediction; registers a tiny ONNX classifier by upload; and checks the phone layout, axe and the console.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLOUR_LABELS, colourClassifierOnnx } from '../server/test/fixtures/onnx-models.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { choose, collectErrors, DESKTOP, expectAccessible, navigateWithMenu, overflow, PHONE, postPhoto, screenshot } from './page-checks.js';
import { startServer, type ServerProcess } from './server-process.js';

interface Deployment {
  revision: number;
  config: { champion: string; challengers: Array<{ version: string; weight: number }>; shadow: unknown };
}

/** The versions table's rows, by version. */
const versionRows = (page: Page) =>
  page.getByTestId('versions').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-version')));

describe.skipIf(chromiumMissing)(`Models pages${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  let files: string;
  const deployment = async (): Promise<Deployment> => {
    const res = await fetch(`${server.url}/api/v1/mlops/deployment?model=food-detector`);
    expect(res.status).toBe(200);
    return (await res.json()) as Deployment;
  };

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ FOODLENS_INFERENCE_WORKERS: '1' }), launchChromium()]);
    files = mkdtempSync(path.join(os.tmpdir(), 'foodlens-models-e2e-'));
    writeFileSync(path.join(files, 'colours.onnx'), colourClassifierOnnx());
    writeFileSync(path.join(files, 'x.onnx'), randomBytes(4096));
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  // Longer than the default timeout: the flow loads and unloads model versions three times (promote, challenger, roll back).
  it('lists food-detector, promotes v2, splits traffic with a slider, rolls back and compares (desktop)', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/models`);
    const row = page.getByTestId('registered-models').locator('tbody tr').filter({ hasText: 'food-detector' });
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    // deployed: its champion, from the serving view; aliases and latest versions from the MLflow registry
    await expect.poll(() => row.locator('td').nth(0).textContent()).toBe('champion v1');
    expect(await row.locator('td').nth(1).textContent()).toBe('champion → v1');
    expect(await row.locator('td').nth(2).textContent()).toBe('v2 · None');
    // the search box sends an MLflow filter
    await page.getByLabel('Search models').fill('nothing-like-this');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('registered-models').textContent())
      .toContain("No registered model matches name ILIKE '%nothing-like-this%'");
    await page.getByRole('button', { name: 'Clear the search' }).click();
    await expect.poll(() => row.count()).toBe(1);
    await page.getByLabel('Search models').fill('food');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expect.poll(() => page.url()).toContain('q=food');
    await expect.poll(() => row.count()).toBe(1);
    await expectAccessible(page, '/models');
    await screenshot(page, 'models-desktop');

    // The model page: both versions, v1 champion in the deployment panel.
    await row.getByRole('link', { name: 'food-detector' }).click();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/models/food-detector');
    // the old page stays until the model page's chunk has loaded
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('food-detector');
    const versions = page.getByTestId('versions');
    await expect.poll(() => versionRows(page)).toEqual(['2', '1']);
    expect(await versions.locator('tr[data-version="1"]').textContent()).toContain('centernet');
    expect(await versions.locator('tr[data-version="2"]').textContent()).toContain('nanodet');
    const champion = page.getByTestId('deployment-champion');
    await expect.poll(() => champion.textContent()).toBe('v1');

    // Registry actions through MLflow's API: an alias set and removed, a stage moved.
    const v1 = versions.locator('tr[data-version="1"]');
    const v2 = versions.locator('tr[data-version="2"]');
    await versions.getByLabel('Alias', { exact: true }).fill('candidate');
    await versions.getByLabel('On version').selectOption('1');
    await versions.getByRole('button', { name: 'Set alias' }).click();
    await expect.poll(() => v1.locator('.chip').allTextContents()).toContain('candidate×');
    await v1.getByRole('button', { name: 'Remove alias candidate from v1' }).click();
    await expect.poll(() => v1.locator('.chip').allTextContents()).not.toContain('candidate×');
    await v2.getByLabel('Stage of v2').selectOption('Staging');
    await v2.getByRole('button', { name: 'Move to Staging' }).click();
    await expect.poll(() => v2.getByRole('button', { name: 'Move to Staging' }).count()).toBe(0);
    const staged = (await (await fetch(`${server.url}/api/2.0/mlflow/model-versions/get?name=food-detector&version=2`)).json()) as {
      model_version: { current_stage: string };
    };
    expect(staged.model_version.current_stage).toBe('Staging');

    // Promote v2: the confirmation says what happens to v1; then v2 is champion in the panel, the API and serving.
    await page.getByRole('button', { name: 'Promote v2 to champion' }).click();
    const confirm = page.getByTestId('promote-confirm');
    expect(await confirm.textContent()).toContain('v1, the current champion, stops taking traffic');
    await confirm.getByRole('button', { name: 'Promote v2' }).click();
    await expect.poll(() => champion.textContent(), { timeout: 30_000 }).toBe('v2');
    expect((await deployment()).config).toEqual({ champion: '2', challengers: [], shadow: null });
    const predicted = await postPhoto(server.url, 'E010', { userId: 'e2e-models' });
    expect(predicted.status).toBe(200);
    const answer = (await predicted.json()) as { model: { name: string; version: string } };
    expect(answer.model).toMatchObject({ name: 'food-detector', version: '2' });

    // v1 as a challenger at 30%, set with the slider from the keyboard, then Apply (it answers once v1 is loaded).
    const panel = page.getByTestId('deployment');
    await panel.getByRole('button', { name: 'Add challenger' }).click();
    const challenger = panel.getByTestId('challenger');
    expect(await challenger.getByLabel('Challenger 1', { exact: true }).inputValue()).toBe('1');
    const slider = challenger.getByRole('slider');
    expect(await slider.getAttribute('aria-valuetext')).toBe('10%');
    await slider.focus();
    await page.keyboard.press('Home');
    for (let i = 0; i < 30; i++) await page.keyboard.press('ArrowRight');
    expect(await challenger.locator('output').textContent()).toBe('30%');
    expect(await panel.textContent()).toContain('Share of users: v2 70%, v1 30%');
    const apply = panel.getByRole('button', { name: /^Apply/ });
    await apply.click();
    // v1 was unloaded after the promotion: the PUT answers once it is loaded again, and the button says so meanwhile
    await expect.poll(() => apply.getAttribute('aria-busy')).toBe('true');
    expect(await apply.textContent()).toBe('Applying…');
    await expect
      .poll(() => panel.textContent(), { timeout: 30_000 })
      .toContain('Applied: revision 3 serves champion v2 · challengers v1 30%.');
    expect((await deployment()).config).toEqual({ champion: '2', challengers: [{ version: '1', weight: 30 }], shadow: null });
    expect(await panel.getByTestId('deployment-status').textContent()).toContain('v1 (30% of users)');

    // Roll back, confirmed: revision 2's config comes back as revision 4.
    await panel.getByRole('button', { name: 'Roll back…' }).click();
    const confirmRollback = panel.getByRole('group', { name: 'Confirm the roll back' });
    expect(await confirmRollback.textContent()).toContain('Apply revision 2 again (champion v2)');
    await panel.getByRole('button', { name: 'Roll back to revision 2' }).click();
    await expect.poll(() => panel.textContent(), { timeout: 30_000 }).toContain('Rolled back: revision 4 serves champion v2.');
    const rolledBack = await deployment();
    expect(rolledBack.revision).toBe(4);
    expect(rolledBack.config).toEqual({ champion: '2', challengers: [], shadow: null });
    expect(await panel.locator('tbody tr').first().textContent()).toContain('rollback to revision 2');

    // Compare v1 and v2 over 7 days: the prediction above counts for v2.
    const compare = page.getByTestId('compare');
    await choose(compare.getByRole('checkbox', { name: 'v1' }));
    await choose(compare.getByRole('checkbox', { name: 'v2' }));
    await choose(compare.getByLabel('7d'));
    const table = compare.getByTestId('comparison-table');
    await expect.poll(() => table.locator('thead th').allTextContents(), { timeout: 10_000 }).toEqual(['Measure', 'v1', 'v2']);
    const requests = table.locator('tbody tr').filter({ hasText: 'Requests' });
    await expect.poll(() => requests.locator('td').allTextContents(), { timeout: 10_000 }).toEqual(['0', '1']);
    expect(await table.locator('tbody th').allTextContents()).toEqual([
      'Serving now', 'Requests', 'Errors', 'Mean confidence', 'Latency p50', 'Latency p95', 'Top foods', 'Accuracy (feedback)',
    ]);

    await expectAccessible(page, '/models/food-detector');
    await screenshot(page, 'model-desktop');
    // the dark theme keeps its contrast too
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible(page, '/models/food-detector (dark)');
    expect(errors).toEqual([]);
    await page.close();
  }, 150_000);

  it('registers an uploaded ONNX classifier from the guided form, then deploys it with Promote', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/models`);
    await page.getByRole('button', { name: 'Register a model' }).click();
    const form = page.getByTestId('register-model');
    await form.getByLabel('Model name').fill('colours');
    await form.getByLabel('Model file(s)').setInputFiles(path.join(files, 'colours.onnx'));
    await form.getByLabel('Task').selectOption('classification');
    await form.getByLabel('Labels, one per line').fill(COLOUR_LABELS.join('\n'));
    await form.getByLabel('Width (px)').fill('32');
    await form.getByLabel('Height (px)').fill('32');
    await form.getByLabel('Output activation').selectOption('none');
    // The raw JSON view shows the same spec, and the form reads it back.
    await choose(form.getByLabel('Edit the serving spec as raw JSON'));
    const raw = JSON.parse(await form.getByLabel('Serving spec (JSON)').inputValue()) as Record<string, unknown>;
    expect(raw).toMatchObject({
      task: 'classification',
      labels: [...COLOUR_LABELS],
      input: { width: 32, height: 32 },
      output: { activation: 'none' },
    });
    await form.getByLabel('Edit the serving spec as raw JSON').uncheck();
    expect(await form.getByLabel('Width (px)').inputValue()).toBe('32');
    await expectAccessible(page, '/models?register');
    await form.getByRole('button', { name: 'Register model' }).click();

    await expect.poll(() => new URL(page.url()).pathname, { timeout: 30_000 }).toBe('/models/colours');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('colours');
    const notice = await page.getByTestId('registered-notice').textContent();
    expect(notice).toContain('Registered colours version 1: onnx classification, 3 labels');
    const versions = page.getByTestId('versions');
    await expect.poll(() => versionRows(page)).toEqual(['1']);
    expect(await versions.locator('tbody tr').textContent()).toContain('onnx');
    // not deployed yet: the panel says how to serve it; Promote creates the first deployment
    const panel = page.getByTestId('deployment');
    await expect.poll(() => panel.textContent()).toContain('colours is not deployed');
    await versions.getByRole('button', { name: 'Promote v1 to champion' }).click();
    expect(await page.getByTestId('promote-confirm').textContent()).toContain('this creates its first deployment with v1 as champion');
    await page.getByTestId('promote-confirm').getByRole('button', { name: 'Promote v1' }).click();
    await expect.poll(() => page.getByTestId('deployment-champion').textContent(), { timeout: 30_000 }).toBe('v1');
    const predicted = await postPhoto(server.url, 'E010', { model: 'colours' });
    expect(predicted.status).toBe(200);
    const answer = (await predicted.json()) as { model: { name: string; version: string }; food_name: string };
    expect(answer.model).toMatchObject({ name: 'colours', version: '1' });
    expect(COLOUR_LABELS).toContain(answer.food_name);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the server’s reasons: a 422 for a file that is not a model, a 4xx for a refused deployment', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/models?register`);
    const form = page.getByTestId('register-model');
    await form.getByLabel('Model name').fill('broken');
    await form.getByLabel('Model file(s)').setInputFiles(path.join(files, 'x.onnx'));
    await form.getByLabel('Labels, one per line').fill('a\nb');
    await form.getByRole('button', { name: 'Register model' }).click();
    const refused = page.getByTestId('register-error');
    await expect.poll(() => refused.textContent(), { timeout: 30_000 }).toMatch(
      /POST \/api\/v1\/mlops\/register-model answered 422: .*neither an ONNX model.*\(reason: bad_format\)/,
    );
    expect(new URL(page.url()).pathname).toBe('/models');

    // A deployment the server refuses (here a stand-in answer, as the form itself prevents the refusable ones): Apply
    // shows the server's message and the deployment is unchanged.
    const refusal = 'invalid deployment for food-detector: version 9 is not registered';
    await page.route('**/api/v1/mlops/deployment', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 400, json: { error: { code: 'INVALID_PARAMETER_VALUE', message: refusal, reason: 'invalid_deployment' } } })
        : route.fallback(),
    );
    await page.goto(`${server.url}/models/food-detector`);
    const panel = page.getByTestId('deployment');
    await panel.getByRole('button', { name: 'Add challenger' }).click({ timeout: 10_000 });
    await panel.getByRole('button', { name: /^Apply/ }).click();
    await expect
      .poll(() => panel.getByTestId('apply-error').textContent())
      .toBe(`The deployment was not changed. PUT /api/v1/mlops/deployment answered 400: ${refusal}`);

    // Chromium itself logs every 4xx answer to a fetch: these two the test provoked, and they are the only entries.
    expect(errors).toEqual([
      expect.stringMatching(/^console: Failed to load resource: .* status of 422 .*\/api\/v1\/mlops\/register-model\)$/),
      expect.stringMatching(/^console: Failed to load resource: .* status of 400 .*\/api\/v1\/mlops\/deployment\)$/),
    ]);
    await page.close();
  });

  it('works on a phone: menu navigation, no page overflow, usable sliders', async () => {
    const page = await browser.newPage({ ...PHONE, hasTouch: true });
    const errors = collectErrors(page);
    await page.goto(`${server.url}/analyze`);
    await navigateWithMenu(page, 'Models');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/models');
    const row = page.getByTestId('registered-models').locator('tbody tr').filter({ hasText: 'food-detector' });
    await expect.poll(() => row.locator('td').nth(0).textContent(), { timeout: 10_000 }).toBe('champion v2');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, '/models (phone)');
    await screenshot(page, 'models-phone');

    await row.getByRole('link', { name: 'food-detector' }).click();
    await expect.poll(() => page.getByTestId('deployment-champion').textContent(), { timeout: 10_000 }).toBe('v2');
    const panel = page.getByTestId('deployment');
    await panel.getByRole('button', { name: 'Add challenger' }).click();
    const slider = panel.getByTestId('challenger').getByRole('slider');
    await slider.scrollIntoViewIfNeeded();
    const box = (await slider.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.height).toBeGreaterThanOrEqual(20);
    // a tap near the end of the track moves the weight there
    await page.touchscreen.tap(box.x + box.width * 0.9, box.y + box.height / 2);
    await expect.poll(async () => Number(await slider.inputValue())).toBeGreaterThan(70);
    expect(await panel.getByTestId('challenger').locator('output').textContent()).toBe(`${await slider.inputValue()}%`);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, '/models/food-detector (phone)');
    expect(errors).toEqual([]);
    await page.close();
  });
});
