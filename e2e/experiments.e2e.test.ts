// The Experiments pages in a real browser against a real server process (the built app, as `npm start` runs it). The
// runs are logged through the MLflow REST API and the artifact proxy, as an MLflow client would log them; the pages
// must then list, sort, filter, show and compare them, on a desktop and on a phone.
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing, launchChromium } from './browser.js';
import { choose, collectErrors, DESKTOP, expectAccessible, navigateWithMenu, overflow, PHONE, screenshot } from './page-checks.js';
import { startServer, type ServerProcess } from './server-process.js';

const EXPERIMENT = 'food-e2e-detectors';
/** Three runs: two share lr and differ in model (the compare test), accuracies 0.93 / 0.86 / 0.71 (sort and filter). */
const RUNS = [
  { name: 'centernet-lr-0.01', params: { lr: '0.01', model: 'centernet', batch_size: '32' }, accuracy: 0.93 },
  { name: 'nanodet-lr-0.01', params: { lr: '0.01', model: 'nanodet', batch_size: '32' }, accuracy: 0.86 },
  { name: 'centernet-lr-0.1', params: { lr: '0.1', model: 'centernet', batch_size: '32' }, accuracy: 0.71 },
];
const STEPS = 40;
const CSV = 'food,precision,recall\nbanana,0.95,0.91\napple,0.88,0.84\n';
const PNG_SIZE = { width: 160, height: 96 };

/** A small RGB gradient as a real PNG (signature, IHDR, one zlib IDAT, IEND), so the page has an image to decode. */
function gradientPng(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0
    for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 128], row + 1 + x * 3);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe.skipIf(chromiumMissing)(`Experiments pages${chromiumMissing ? ` (skipped: ${chromiumMissing})` : ''}`, () => {
  let server: ServerProcess;
  let browser: Browser;
  let experimentId: string;
  let pagingExperimentId: string;
  let emptyExperimentId: string;
  const runIds: string[] = [];

  async function mlflow<T = Record<string, unknown>>(endpoint: string, body: unknown): Promise<T> {
    const res = await fetch(`${server.url}/api/2.0/mlflow/${endpoint}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as T;
    expect(res.status, `${endpoint}: ${JSON.stringify(json)}`).toBe(200);
    return json;
  }

  async function createRun(experiment: string, name: string, startTime: number): Promise<{ run_id: string; artifact_uri: string }> {
    const { run } = await mlflow<{ run: { info: { run_id: string; artifact_uri: string } } }>('runs/create', {
      experiment_id: experiment,
      run_name: name,
      start_time: startTime,
      user_id: 'e2e-user',
      tags: [
        { key: 'mlflow.source.name', value: 'train.py' },
        { key: 'mlflow.source.type', value: 'LOCAL' },
      ],
    });
    return run.info;
  }

  async function putArtifact(artifactUri: string, file: string, content: Buffer | string): Promise<void> {
    // mlflow-artifacts:/<experiment>/<run>/artifacts is served by the proxy at /api/2.0/mlflow-artifacts/artifacts/<same path>
    const root = artifactUri.replace(/^mlflow-artifacts:\/*/, '');
    const body = typeof content === 'string' ? content : new Blob([new Uint8Array(content)]);
    const res = await fetch(`${server.url}/api/2.0/mlflow-artifacts/artifacts/${root}/${file}`, { method: 'PUT', body });
    expect(res.status, `PUT ${file}: ${await res.clone().text()}`).toBe(200);
  }

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer({ FOODLENS_INFERENCE_WORKERS: '1' }), launchChromium()]);

    ({ experiment_id: experimentId } = await mlflow<{ experiment_id: string }>('experiments/create', {
      name: EXPERIMENT,
      tags: [{ key: 'team', value: 'vision' }],
    }));
    const t0 = Date.now() - 3 * 3_600_000;
    for (const [i, spec] of RUNS.entries()) {
      const start = t0 + i * 600_000; // newest last: the default order (start_time DESC) lists them backwards
      const info = await createRun(experimentId, spec.name, start);
      runIds.push(info.run_id);
      // accuracy climbs to its final value, loss falls: STEPS points each, one batch per run
      const metrics = Array.from({ length: STEPS }, (_, step) => {
        const progress = step === STEPS - 1 ? 1 : 1 - Math.exp(-step / 8);
        return [
          { key: 'accuracy', value: 0.3 + (spec.accuracy - 0.3) * progress, timestamp: start + step * 1000, step },
          { key: 'loss', value: 2 * Math.exp(-step / 10) + (1 - spec.accuracy) / 2, timestamp: start + step * 1000, step },
        ];
      }).flat();
      await mlflow('runs/log-batch', {
        run_id: info.run_id,
        metrics,
        params: Object.entries(spec.params).map(([key, value]) => ({ key, value })),
        tags: [{ key: 'team', value: 'vision' }],
      });
      await mlflow('runs/update', { run_id: info.run_id, status: 'FINISHED', end_time: start + 95_000 });
      if (i === 0) {
        await putArtifact(info.artifact_uri, 'reports/summary.csv', CSV);
        await putArtifact(info.artifact_uri, 'plots/curve.png', gradientPng(PNG_SIZE.width, PNG_SIZE.height));
        await mlflow('runs/log-inputs', {
          run_id: info.run_id,
          datasets: [
            {
              tags: [{ key: 'mlflow.data.context', value: 'training' }],
              dataset: { name: 'food-101-mini', digest: 'a1b2c3d4', source_type: 'local', source: '{"uri": "/data/food-101-mini"}' },
            },
          ],
        });
      }
    }

    // Twelve runs without data, for paging; and an experiment with none, for its empty state.
    ({ experiment_id: pagingExperimentId } = await mlflow<{ experiment_id: string }>('experiments/create', { name: 'food-e2e-paging' }));
    const pagingRuns: string[] = [];
    for (let i = 1; i <= 12; i++) {
      pagingRuns.push((await createRun(pagingExperimentId, `paging-${String(i).padStart(2, '0')}`, t0 + i * 1000)).run_id);
    }
    await mlflow('runs/delete', { run_id: pagingRuns[0] }); // paging-01: only under Deleted and All
    ({ experiment_id: emptyExperimentId } = await mlflow<{ experiment_id: string }>('experiments/create', { name: 'food-e2e-empty' }));
    const { experiment_id: deleted } = await mlflow<{ experiment_id: string }>('experiments/create', { name: 'food-e2e-deleted' });
    await mlflow('experiments/delete', { experiment_id: deleted });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const runRows = (page: Page) => page.getByTestId('runs-table').locator('tbody tr');
  const runNames = (page: Page) => runRows(page).locator('th').allTextContents();

  it('lists, sorts, filters, shows and compares runs on a desktop', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);

    // The experiment list, narrowed with MLflow's filter grammar.
    await page.goto(`${server.url}/experiments`);
    const experiments = page.getByTestId('experiments-table');
    const row = experiments.locator('tbody tr').filter({ hasText: EXPERIMENT });
    await row.waitFor();
    await expect.poll(() => row.locator('td').nth(1).textContent()).toBe('3'); // run count
    expect(await row.textContent()).toContain(`mlflow-artifacts:/${experimentId}`);
    await page.getByLabel('Filter experiments').fill("name LIKE 'food-e2e-%'");
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => experiments.locator('tbody tr').count()).toBe(3);
    expect(await experiments.textContent()).not.toContain('Default');
    expect(decodeURIComponent(page.url()).replaceAll('+', ' ')).toContain("filter=name LIKE 'food-e2e-%'");
    await expectAccessible(page, 'the experiment list');

    // The runs, newest first, with the default metric columns.
    await experiments.getByRole('link', { name: EXPERIMENT }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(EXPERIMENT);
    await expect.poll(() => runNames(page)).toEqual(RUNS.map((r) => r.name).reverse());
    const accuracyHeader = page.getByTestId('runs-table').getByRole('button', { name: 'accuracy' });
    expect(await accuracyHeader.isVisible()).toBe(true);
    expect(await runRows(page).first().textContent()).toContain('0.71');

    // Sorted on the server by a metric: best first, then flipped.
    await accuracyHeader.click();
    await expect.poll(() => runNames(page)).toEqual(['centernet-lr-0.01', 'nanodet-lr-0.01', 'centernet-lr-0.1']);
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain('accuracy');
    await accuracyHeader.click();
    await expect.poll(() => runNames(page)).toEqual(['centernet-lr-0.1', 'nanodet-lr-0.01', 'centernet-lr-0.01']);
    expect(page.url()).toContain('sort=metrics.accuracy');

    // Filtered on the server.
    await page.getByLabel('Filter runs').fill('metrics.accuracy > 0.8');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => runNames(page)).toEqual(['nanodet-lr-0.01', 'centernet-lr-0.01']);
    await page.getByRole('button', { name: 'Clear', exact: true }).click();
    await expect.poll(() => runRows(page).count()).toBe(3);

    // A param as a column, from the column picker.
    await page.locator('summary', { hasText: 'Columns' }).click();
    await choose(page.getByRole('checkbox', { name: 'model' }));
    await expect.poll(() => page.getByTestId('runs-table').locator('thead').textContent()).toContain('model');
    expect(await runRows(page).first().textContent()).toContain('centernet');
    await expectAccessible(page, 'the runs of an experiment');
    await screenshot(page, 'experiments-desktop');

    // Compare: disabled with a reason until two runs are chosen.
    const compare = page.getByTestId('compare-bar').getByRole('button', { name: 'Compare' });
    await choose(page.getByRole('checkbox', { name: 'Select centernet-lr-0.01' }));
    expect(await compare.isDisabled()).toBe(true);
    expect(await page.getByTestId('compare-bar').textContent()).toContain('Select 2 to 5 runs to compare (1 selected)');
    await choose(page.getByRole('checkbox', { name: 'Select nanodet-lr-0.01' }));
    expect(await compare.isEnabled()).toBe(true);
    await compare.click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Compare 2 runs');
    const table = page.getByTestId('compare-table');
    await table.waitFor();
    const head = await table.locator('thead').textContent();
    expect(head).toContain('centernet-lr-0.01');
    expect(head).toContain('nanodet-lr-0.01');
    const paramRow = (key: string) => table.locator('tbody tr').filter({ has: page.locator('th', { hasText: new RegExp(`^${key}`) }) });
    expect(await paramRow('model').getAttribute('class')).toContain('differs');
    expect(await paramRow('model').textContent()).toContain('(differs)');
    expect(await paramRow('lr').getAttribute('class')).toBeNull();
    // One overlaid chart per metric, its legend naming both runs.
    const chart = page.getByTestId('compare-chart-accuracy');
    await expect.poll(() => chart.locator('canvas').count()).toBe(1);
    const legend = await chart.locator('.u-legend').textContent();
    expect(legend).toContain('centernet-lr-0.01');
    expect(legend).toContain('nanodet-lr-0.01');
    expect(await page.getByTestId('compare-chart-loss').locator('canvas').count()).toBe(1);
    await expectAccessible(page, 'the comparison');
    await screenshot(page, 'compare-desktop');
    // Only the rows that differ.
    await choose(page.getByRole('checkbox', { name: 'Only differences' }));
    await expect.poll(() => paramRow('lr').count()).toBe(0);
    expect(await paramRow('model').count()).toBe(1);

    // A run: overview, params, tags, metric charts, dataset inputs and artifacts.
    await table.getByRole('link', { name: 'centernet-lr-0.01' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('centernet-lr-0.01');
    expect(await page.getByTestId('run-overview').textContent()).toContain('train.py');
    expect(await page.getByTestId('run-overview').textContent()).toContain('1 min 35 s');
    const params = await page.getByTestId('run-params').textContent();
    expect(params).toContain('lr0.01');
    expect(params).toContain('modelcenternet');
    expect(await page.getByTestId('run-tags').textContent()).toContain('teamvision');
    expect(await page.getByTestId('run-datasets').textContent()).toContain('food-101-mini');
    for (const key of ['accuracy', 'loss']) {
      await expect.poll(() => page.getByTestId(`metric-chart-${key}`).locator('canvas').count()).toBe(1);
      expect(await page.getByTestId(`metric-chart-${key}`).textContent()).toContain(`${STEPS} points`);
    }
    const artifacts = page.getByTestId('run-artifacts');
    await artifacts.getByRole('button', { name: 'reports (folder)' }).click();
    await artifacts.getByRole('button', { name: 'summary.csv' }).click();
    await expect.poll(() => page.getByTestId('artifact-text').textContent()).toBe(CSV);
    expect(await artifacts.getByTestId('artifacts-table').textContent()).toContain(`${CSV.length} B`);
    await artifacts.getByRole('button', { name: 'artifacts', exact: true }).click();
    await artifacts.getByRole('button', { name: 'plots (folder)' }).click();
    await artifacts.getByRole('button', { name: 'curve.png' }).click();
    const img = artifacts.getByRole('img', { name: 'Artifact plots/curve.png' });
    await expect.poll(() => img.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBe(PNG_SIZE.width);
    await expectAccessible(page, 'a run');
    await screenshot(page, 'run-desktop');

    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the server's message for a malformed filter", async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/experiments`);
    await page.getByTestId('experiments-table').waitFor();
    await page.getByLabel('Filter experiments').fill('name LIKE');
    await page.getByRole('button', { name: 'Apply' }).click();
    const alert = page.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toBe("The filter was refused. GET /api/v1/mlops/experiments answered 400: Missing value after 'name LIKE' (at position 9)");
    expect(await page.getByLabel('Filter experiments').getAttribute('aria-invalid')).toBe('true');

    await page.goto(`${server.url}/experiments/${experimentId}`);
    await runRows(page).first().waitFor();
    await page.getByLabel('Filter runs').fill('metrics.accuracy >> 0.8');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => alert.textContent()).toContain("GET /api/v1/mlops/runs answered 400: Invalid comparator '>>'");
    expect(await page.getByTestId('runs-table').count()).toBe(0);
    await expectAccessible(page, 'a refused filter');
    // Fixing the filter brings the rows back.
    await page.getByLabel('Filter runs').fill('metrics.accuracy > 0.8');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => runRows(page).count()).toBe(2);
    expect(await alert.count()).toBe(0);

    // Nothing else went wrong: the only console lines are Chromium's own log of the two 400 answers provoked above.
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/status of 400 .*\/api\/v1\/mlops\/experiments\?filter=name\+LIKE/);
    expect(errors[1]).toMatch(/status of 400 .*\/api\/v1\/mlops\/runs\?/);
    await page.close();
  });

  it('pages, filters by lifecycle, limits Compare to five runs and says how to log the first run', async () => {
    const page = await browser.newPage(DESKTOP);
    const errors = collectErrors(page);

    // Experiments by lifecycle.
    await page.goto(`${server.url}/experiments`);
    const experiments = page.getByTestId('experiments-table');
    await experiments.locator('tbody tr').filter({ hasText: EXPERIMENT }).waitFor();
    expect(await experiments.textContent()).not.toContain('food-e2e-deleted');
    await choose(page.getByRole('radio', { name: 'Deleted' }));
    await expect.poll(() => experiments.locator('tbody tr th').allTextContents()).toEqual(['food-e2e-deleted']);
    expect(page.url()).toContain('view=deleted');
    await choose(page.getByRole('radio', { name: 'All' }));
    await expect.poll(() => experiments.textContent()).toContain(EXPERIMENT);
    expect(await experiments.textContent()).toContain('food-e2e-deleted');

    // Eleven active runs, ten to a page.
    await page.goto(`${server.url}/experiments/${pagingExperimentId}`);
    await expect.poll(() => runRows(page).count()).toBe(11);
    await page.getByLabel('Rows per page').selectOption('10');
    await expect.poll(() => runRows(page).count()).toBe(10);
    const pages = page.getByRole('navigation', { name: 'Pages of runs' });
    expect(await pages.textContent()).toContain('runs 1–10 · more on the next page');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => runNames(page)).toEqual(['paging-02']);
    expect(await pages.textContent()).toContain('Page 2 · runs 11–11 · last page');
    expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => runRows(page).count()).toBe(10);
    expect((await runNames(page))[0]).toBe('paging-12');

    // Compare takes at most five runs, and says so.
    for (const n of ['12', '11', '10', '09', '08', '07']) await choose(page.getByRole('checkbox', { name: `Select paging-${n}` }));
    const bar = page.getByTestId('compare-bar');
    expect(await bar.getByRole('button', { name: 'Compare' }).isDisabled()).toBe(true);
    expect(await bar.textContent()).toContain('Compare takes at most 5 runs: 6 are selected, unselect 1.');
    await page.getByRole('checkbox', { name: 'Select paging-07' }).uncheck();
    expect(await bar.getByRole('button', { name: 'Compare' }).isEnabled()).toBe(true);

    // The deleted run, under Deleted.
    await choose(page.getByRole('radio', { name: 'Deleted' }));
    await expect.poll(() => runNames(page)).toEqual(['paging-01deleted']);

    await page.goto(`${server.url}/experiments/${emptyExperimentId}`);
    const help = page.getByTestId('log-run-help');
    await expect.poll(() => help.textContent()).toContain('This experiment has no runs yet.');
    const text = await help.textContent();
    expect(text).toContain(`MLFLOW_TRACKING_URI=${server.url} MLFLOW_EXPERIMENT_ID=${emptyExperimentId} python -c`);
    expect(text).toContain('npm run evaluate -- --model food-detector/1 --data <folder>');
    await expectAccessible(page, 'an experiment without runs');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('works on a phone, reached through the menu', async () => {
    const page = await browser.newPage(PHONE);
    const errors = collectErrors(page);
    await page.goto(`${server.url}/analyze`);
    await navigateWithMenu(page, 'Experiments');
    await expect.poll(() => new URL(page.url()).pathname).toBe('/experiments');
    const row = page.getByTestId('experiments-table').locator('tbody tr').filter({ hasText: EXPERIMENT });
    await row.waitFor();
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the experiment list on a phone');

    await row.getByRole('link', { name: EXPERIMENT }).click();
    await expect.poll(() => runRows(page).count()).toBe(3);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    // The wide table scrolls inside its own box.
    const scroll = page.getByTestId('runs-table').locator('xpath=..');
    expect(await scroll.evaluate((el) => getComputedStyle(el).overflowX)).toBe('auto');
    await expectAccessible(page, 'the runs on a phone');
    await screenshot(page, 'experiments-phone');

    await page.goto(`${server.url}/experiments/runs/${runIds[0]}?artifacts=reports&file=reports%2Fsummary.csv`);
    await expect.poll(() => page.getByTestId('artifact-text').textContent()).toBe(CSV);
    await expect.poll(() => page.getByTestId('metric-chart-accuracy').locator('canvas').count()).toBe(1);
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'a run on a phone');

    await page.goto(`${server.url}/experiments/compare?runs=${runIds.join(',')}`);
    await expect.poll(() => page.getByTestId('compare-chart-accuracy').locator('canvas').count()).toBe(1);
    expect(await page.getByTestId('compare-chart-accuracy').locator('.u-legend').textContent()).toContain('centernet-lr-0.1');
    expect(await overflow(page)).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'the comparison on a phone');

    expect(errors).toEqual([]);
    await page.close();
  });
});
