// The Analyze page in a real browser against a real server process (the built app, as `npm start` runs it): photos
// chosen, dropped, taken and refused; the answer with its boxes; feedback checked in the store; a second deployed model
// chosen from the page; on a desktop and on a phone, with axe and the console watched throughout.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, FileChooser, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../server/src/db/connection.js';
import { COLOUR_LABELS, colourClassifierOnnx } from '../server/test/fixtures/onnx-models.js';
import { photo, photoPath } from '../server/test/photos.js';
import { chromiumMissing, launchChromium } from './browser.js';
import { choose, collectErrors, DESKTOP, expectAccessible, overflow, PHONE, SCREENSHOTS } from './page-checks.js';
import { REPO_ROOT, startServer, type ServerProcess } from './server-process.js';

// a touch phone: the "Take a photo" control shows on coarse pointers only
const TOUCH_PHONE: BrowserContextOptions = { ...PHONE, isMobile: true, hasTouch: true };

interface Answer {
  detections: Array<{ box: { x: number; y: number; width: number; height: number } }>;
  image: { width: number; height: number };
}

/** Each box is drawn where the answer's pixel box falls on the preview as displayed (within 1.5 px), whatever size the
 * photo is shown at, and inside the photo. */
async function expectBoxesOnThePhoto(page: Page, answer: Answer): Promise<void> {
  const drawn = await page.evaluate(() => {
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return { img: rect(document.querySelector('.overlay img')!), boxes: [...document.querySelectorAll('.overlay .box')].map(rect) };
  });
  expect(drawn.boxes).toHaveLength(answer.detections.length);
  const sx = drawn.img.width / answer.image.width;
  const sy = drawn.img.height / answer.image.height;
  // the preview keeps the photo's proportions
  expect(Math.abs(sx - sy)).toBeLessThan(0.01);
  answer.detections.forEach(({ box }, i) => {
    const b = drawn.boxes[i]!;
    // the 2 px border is drawn inside the box (border-box sizing)
    expect(Math.abs(b.x - (drawn.img.x + box.x * sx))).toBeLessThan(1.5);
    expect(Math.abs(b.y - (drawn.img.y + box.y * sy))).toBeLessThan(1.5);
    expect(Math.abs(b.width - box.width * sx)).toBeLessThan(1.5);
    expect(Math.abs(b.height - box.height * sy)).toBeLessThan(1.5);
    expect(b.x + b.width).toBeLessThanOrEqual(drawn.img.x + drawn.img.width + 1);
    expect(b.y + b.height).toBeLessThanOrEqual(drawn.img.y + drawn.img.height + 1);
  });
}

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

  for (const [name, options] of [
    ['desktop', DESKTOP],
    ['phone', TOUCH_PHONE],
  ] as const) {
    it(`uploads a banana photo and shows the answer and the logged prediction (${name})`, async () => {
      const page = await browser.newPage(options);
      const errors = collectErrors(page);
      const modelsListed = page.waitForResponse((r) => r.url().endsWith('/api/v1/mlops/monitoring/health'));
      await page.goto(server.url);
      await expect.poll(() => page.locator('.status').textContent()).toContain('food-detector v1');
      await page.getByTestId('drop-zone').waitFor();
      // one model deployed: nothing to choose
      await modelsListed;
      expect(await page.getByLabel('Model', { exact: true }).count()).toBe(0);
      // the camera control is for touch screens: the rear camera, any image format it gives
      const camera = page.getByLabel('Take a photo');
      expect(await camera.count()).toBe(name === 'phone' ? 1 : 0);
      if (name === 'phone') {
        expect(await camera.getAttribute('capture')).toBe('environment');
        expect(await camera.getAttribute('accept')).toBe('image/*');
        expect(await page.getByText('Take a photo').isVisible()).toBe(true);
      }
      await expectAccessible(page, `/analyze, empty (${name})`);

      await page.getByLabel('Food photo').setInputFiles(photoPath('E010'));
      expect(await page.getByTestId('chosen-photo').textContent()).toMatch(/^Chosen: E010\.jpeg \(\d+\.\d KiB\)$/);
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/predict'));
      await page.getByRole('button', { name: 'Analyze' }).click();
      const answer = (await (await answered).json()) as Answer;
      const result = page.getByTestId('result');
      await result.waitFor();
      expect(await result.textContent()).toMatch(/banana · \d+\.\d% confident/);
      // every detection listed, with the model, its variant, latency and the image
      const detections = page.getByTestId('detections').locator('li');
      expect(await detections.count()).toBeGreaterThan(0);
      expect(await detections.first().textContent()).toMatch(/^banana \d+\.\d% at \d+,\d+ · \d+×\d+ px$/);
      expect(await page.getByTestId('answer-model').textContent()).toBe('food-detector v1champion');
      expect(await result.textContent()).toMatch(/Latency\d+ ms/);
      expect(await result.textContent()).toMatch(/Image307×172 px · JPEG · \d+\.\d KiB/);
      await expect.poll(async () => page.locator('.box').count()).toBeGreaterThan(0);
      expect(await page.locator('.box').count()).toBe(await detections.count());
      expect(await page.locator('.box span').first().textContent()).toMatch(/^1 · banana \d+%$/);
      await expectBoxesOnThePhoto(page, answer);
      // The recent-predictions table is refreshed from GET /api/v1/predictions after the upload.
      await expect
        .poll(() => page.getByTestId('recent').locator('table tbody tr').first().textContent(), { timeout: 5000 })
        .toContain('banana');
      // Nothing overflows the viewport horizontally, on a phone too.
      expect(await overflow(page)).toBeLessThanOrEqual(0);
      await expectAccessible(page, `/analyze with an answer (${name})`);
      await page.screenshot({ path: path.join(SCREENSHOTS, `analyze-${name}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    });
  }

  it('takes a dropped photo (highlighting the zone while dragging), and "Wrong, it was apple" is stored', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/analyze`);
    const zone = page.getByTestId('drop-zone');
    // a real drag: a DataTransfer holding the photo's bytes, built in the page
    const dataTransfer = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], 'dropped-banana.jpeg', { type: 'image/jpeg' }));
      return dt;
    }, [...photo('E009')]);
    await zone.dispatchEvent('dragenter', { dataTransfer });
    await zone.dispatchEvent('dragover', { dataTransfer });
    await expect.poll(() => zone.getAttribute('class')).toContain('drag-over');
    expect(await zone.textContent()).toContain('Drop the photo to use it');
    await zone.dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => zone.getAttribute('class')).not.toContain('drag-over');
    expect(await page.getByTestId('chosen-photo').textContent()).toContain('dropped-banana.jpeg');
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result').textContent()).toMatch(/^banana · /);

    // Wrong: the model's food labels (less the one it answered) and "something else".
    const wrong = page.getByRole('button', { name: 'Wrong, it was …' });
    await wrong.click();
    expect(await wrong.getAttribute('aria-expanded')).toBe('true');
    const choices = await page.getByRole('radio').evaluateAll((r) => r.map((e) => (e.parentElement as HTMLElement).textContent));
    expect(choices).toEqual(['apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake', 'something else']);
    await choose(page.getByRole('radio', { name: 'something else' }));
    expect(await page.getByLabel('Something else: what food?').count()).toBe(1);
    await choose(page.getByRole('radio', { name: 'apple' }));
    await expectAccessible(page, 'the "wrong" form');
    const answered = page.waitForResponse((r) => /\/api\/v1\/predictions\/[^/]+\/feedback$/.test(r.url()));
    await page.getByRole('button', { name: 'Send: it was apple' }).click();
    const response = await answered;
    expect(response.request().postDataJSON()).toEqual({ correct: false, label: 'apple' });
    const predictionId = decodeURIComponent(response.url().split('/').at(-2)!);
    expect(await response.json()).toMatchObject({ prediction_id: predictionId, correct: false, label: 'apple', replaced: false });
    await expect.poll(() => page.getByTestId('feedback-done').textContent()).toBe('Thanks — recorded: it was apple.');
    expect(await page.getByRole('button', { name: 'Correct' }).isDisabled()).toBe(true);
    expect(await wrong.isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Send: it was apple' }).isDisabled()).toBe(true);

    // Stored: the API counts it as labelled and wrong for version 1 (no endpoint reads a feedback's label back, so the
    // label is read from the store).
    const compare = async () => {
      const res = await fetch(`${server.url}/api/v1/mlops/compare?model=food-detector&versions=1&window=1h`);
      return ((await res.json()) as { versions: Array<{ realised_accuracy: unknown }> }).versions[0]?.realised_accuracy;
    };
    await expect.poll(compare, { timeout: 10_000 }).toEqual({ labelled: 1, correct: 0, accuracy: 0 });
    const database = await openDatabase(`sqlite:///${path.join(server.dir, 'mlruns', 'foodlens.db')}`);
    try {
      const row = await database.db
        .selectFrom('prediction_feedback')
        .select(['correct', 'label', 'food_name'])
        .where('prediction_id', '=', predictionId)
        .executeTakeFirst();
      expect(row).toEqual({ correct: 0, label: 'apple', food_name: 'banana' });
    } finally {
      await database.close();
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens the file chooser from the keyboard, and "Correct" is recorded', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    // listening from the start: the chooser is intercepted only once Chromium has been told to, which takes a moment
    const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
    await page.goto(`${server.url}/analyze`);
    const zone = page.getByTestId('drop-zone');
    // Tab from the page's start reaches the zone (skip link, nav, theme toggle come first)
    for (let i = 0; i < 20 && !(await zone.evaluate((z) => z === document.activeElement)); i++) await page.keyboard.press('Tab');
    expect(await zone.evaluate((z) => z === document.activeElement)).toBe(true);
    expect(await zone.evaluate((z) => getComputedStyle(z).outlineStyle)).toBe('solid');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(photoPath('E012'));
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page.getByTestId('result').waitFor();
    const answered = page.waitForResponse((r) => r.url().endsWith('/feedback'));
    await page.getByRole('button', { name: 'Correct' }).click();
    const food = (await page.getByTestId('result').locator('.food strong').textContent())!;
    expect((await answered).request().postDataJSON()).toEqual({ correct: true, label: food });
    await expect.poll(() => page.getByTestId('feedback-done').textContent()).toBe('Thanks — recorded as correct.');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses what cannot be a photo before sending, and says why the server refused the rest (phone)', async () => {
    const page = await browser.newPage(TOUCH_PHONE);
    const errors = collectErrors(page);
    const predictCalls: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/predict')) predictCalls.push(r.url());
    });
    await page.goto(`${server.url}/analyze`);
    const input = page.getByLabel('Food photo');
    const analyzeButton = page.getByRole('button', { name: 'Analyze' });
    const problem = page.getByTestId('pick-problem');

    // Client-side: a text file, and a photo over the 10 MiB limit, never leave the browser.
    await input.setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
    expect(await problem.textContent()).toBe('“notes.txt” is not a photo (text/plain): JPEG, PNG or WebP only.');
    expect(await analyzeButton.isDisabled()).toBe(true);
    await input.setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(10 * 1024 * 1024 + 1) });
    expect(await problem.textContent()).toBe(
      "“huge.jpg” (10.0 MiB) is over the server's 10 MiB upload limit (its default). Choose a smaller photo or resize it.",
    );
    expect(await analyzeButton.isDisabled()).toBe(true);

    // Server-side: text named .jpg (the type the browser guesses from the name passes), then a truncated JPEG.
    const refusal = page.getByTestId('predict-error');
    await input.setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('just some text, named like a photo') });
    expect(await problem.count()).toBe(0);
    await analyzeButton.click();
    await refusal.waitFor();
    expect(await refusal.locator('.error').textContent()).toBe("That file isn't a photo we can read: JPEG, PNG or WebP only.");
    expect(await refusal.locator('.small').textContent()).toBe(
      'POST /api/v1/predict answered 415: the upload is not a JPEG, PNG or WebP image',
    );
    await expect.poll(() => page.getByText('No preview: the browser cannot display this file.').count()).toBe(1);
    await expectAccessible(page, 'a refused upload (phone)');

    const jpeg = photo('E010');
    await input.setInputFiles({ name: 'cut-off.jpeg', mimeType: 'image/jpeg', buffer: jpeg.subarray(0, Math.floor(jpeg.length / 2)) });
    expect(await refusal.count()).toBe(0); // a new pick clears the last refusal
    await analyzeButton.click();
    await refusal.waitFor();
    expect(await refusal.locator('.error').textContent()).toBe(
      'That photo is damaged or incomplete (cut off while copying or downloading?): try another copy of it.',
    );
    expect(await refusal.locator('.small').textContent()).toMatch(/^POST \/api\/v1\/predict answered 422: the jpeg image is truncated or corrupt: /);
    expect(await page.getByTestId('result').count()).toBe(0);
    expect(await overflow(page)).toBeLessThanOrEqual(0);

    // A photo taken with the camera control goes through the same way.
    await page.getByLabel('Take a photo').setInputFiles(photoPath('E011'));
    expect(await page.getByTestId('chosen-photo').textContent()).toContain('E011.jpeg');
    await analyzeButton.click();
    await page.getByTestId('result').waitFor();
    expect(await refusal.count()).toBe(0);

    expect(predictCalls).toHaveLength(3);
    // Chromium logs the two refusals provoked above, and nothing else went wrong.
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^console: Failed to load resource: .* status of 415 .*\/api\/v1\/predict\)$/);
    expect(errors[1]).toMatch(/^console: Failed to load resource: .* status of 422 .*\/api\/v1\/predict\)$/);
    await page.close();
  });

  it('with a second model deployed, the select chooses which one answers', async () => {
    const form = new FormData();
    form.append('name', 'colours');
    form.append('spec', JSON.stringify({ task: 'classification', labels: [...COLOUR_LABELS], input: { width: 32, height: 32 }, output: { activation: 'none' } }));
    form.append('file', new Blob([new Uint8Array(colourClassifierOnnx())]), 'colours.onnx');
    const registered = await fetch(`${server.url}/api/v1/mlops/register-model`, { method: 'POST', body: form });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const deployed = await fetch(`${server.url}/api/v1/mlops/deployment`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'colours', champion: '1' }),
    });
    expect(deployed.status, await deployed.clone().text()).toBe(200);

    const page = await browser.newPage(TOUCH_PHONE);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/analyze`);
    const select = page.getByLabel('Model', { exact: true });
    await select.waitFor();
    expect(await select.locator('option').allTextContents()).toEqual(['food-detector · champion v1 (default)', 'colours · champion v1']);
    await select.selectOption({ label: 'colours · champion v1' });
    const red = await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 230, g: 20, b: 20 } } }).jpeg().toBuffer();
    await page.getByLabel('Food photo').setInputFiles({ name: 'red.jpg', mimeType: 'image/jpeg', buffer: red });
    // (Chromium does not expose a multipart body holding a file: the answering model shows the field was sent)
    await page.getByRole('button', { name: 'Analyze' }).click();
    await page.getByTestId('result').waitFor();
    expect(await page.getByTestId('result').textContent()).toMatch(/^tomato · \d+\.\d% confident/);
    expect(await page.getByTestId('answer-model').textContent()).toBe('colours v1champion');
    // "Wrong" offers the other labels this model answered with (the API does not publish a user model's labels): here
    // it answered tomato alone, so "something else" is all there is, chosen already, its text field focused
    await page.getByRole('button', { name: 'Wrong, it was …' }).click();
    const choices = await page.getByRole('radio').evaluateAll((r) => r.map((e) => (e.parentElement as HTMLElement).textContent));
    expect(choices).toEqual(['something else']);
    expect(await page.getByRole('radio', { name: 'something else' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Something else: what food?').evaluate((e) => e === document.activeElement)).toBe(true);
    await page.getByLabel('Something else: what food?').fill('strawberry');
    const answered = page.waitForResponse((r) => r.url().endsWith('/feedback'));
    await page.getByRole('button', { name: 'Send: it was strawberry' }).click();
    expect(await (await answered).json()).toMatchObject({ correct: false, label: 'strawberry' });
    await expect.poll(() => page.getByTestId('feedback-done').textContent()).toBe('Thanks — recorded: it was strawberry.');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the model select (phone)');
    expect(errors).toEqual([]);
    await page.close();
  });

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
