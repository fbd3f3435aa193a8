// docs/mlops-guide.md, run as written: its bash blocks, in order, in one bash process, from a folder standing in for the
// FoodLens checkout it tells readers to work in (a link to the checkout's server/, for `node server/dist/main.js
// evaluate`, plus the files it names: banana.jpg and photos/<label>/*.jpg are real food photos, model.onnx a real ONNX
// classifier), against the built server started there with its store in that folder. Every `# ->` expectation and
// `json` shape in the guide is checked, and every /api path it mentions must be a route the server serves (its OpenAPI
// document). See guide-script.ts for the rules.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { colourClassifierOnnx } from '../server/test/fixtures/onnx-models.js';
import { LABELLED_PHOTOS, photoPath } from '../server/test/photos.js';
import {
  apiPaths,
  buildScript,
  expectationsOf,
  isServed,
  jsonDocuments,
  LANGUAGES,
  NOT_RUN_NOTE,
  parseFences,
  shapeProblems,
  splitOutput,
  unmetExpectations,
  type BlockRun,
  type Fence,
} from './guide-script.js';
import { REPO_ROOT, startServer, type ServerProcess } from './server-process.js';

const GUIDE = 'docs/mlops-guide.md';
const markdown = readFileSync(path.join(REPO_ROOT, GUIDE), 'utf8');
const fences = parseFences(markdown);
const bashBlocks = fences.filter((f) => f.lang === 'bash');

/** The guide's shell needs these; CI installs them (.ci/run), and there (FOODLENS_REQUIRE_BROWSER) a missing one fails
 * the test instead of skipping it, as for Chromium. */
const missingTools = process.env.FOODLENS_REQUIRE_BROWSER
  ? []
  : ['bash', 'curl', 'jq'].filter((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);

/** The checkout, as the guide's reader has it: `node server/dist/main.js evaluate` runs from here. */
const CHECKOUT_ENTRIES = ['server'];

function prepareWorkdir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-guide-'));
  for (const entry of CHECKOUT_ENTRIES) symlinkSync(path.join(REPO_ROOT, entry), path.join(dir, entry));
  copyFileSync(photoPath('E010'), path.join(dir, 'banana.jpg'));
  for (const { code, label } of LABELLED_PHOTOS) {
    mkdirSync(path.join(dir, 'photos', label), { recursive: true });
    copyFileSync(photoPath(code), path.join(dir, 'photos', label, `${code}.jpg`));
  }
  // What the guide's train.py exports: 32 x 32 NCHW in, one logit per label out (tomato, broccoli, banana).
  writeFileSync(path.join(dir, 'model.onnx'), colourClassifierOnnx({ outputName: 'logits', softmax: false }));
  return dir;
}

interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs the script in bash without the reader's FoodLens and MLflow settings, so only what the guide says counts. */
function runBash(script: string, cwd: string, timeoutMs: number): Promise<ScriptRun> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(MLFLOW_|FOODLENS_)/.test(k)));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** The bash block a json block describes: the closest one before it. */
function describedBlock(json: Fence): Fence | undefined {
  return bashBlocks.filter((b) => b.line < json.line).at(-1);
}

describe('docs/mlops-guide.md', () => {
  it('uses only the block languages the guide test knows, and says which blocks are not run', () => {
    expect(fences.map((f) => f.lang).filter((l) => !(LANGUAGES as readonly string[]).includes(l))).toEqual([]);
    expect(fences.filter((f) => f.lang === 'sh' && !f.code.includes(NOT_RUN_NOTE)).map((f) => f.line)).toEqual([]);
    // Every bash block is checked: it must show at least one expected answer.
    expect(bashBlocks.filter((b) => expectationsOf(b).length === 0).map((b) => b.line)).toEqual([]);
  });
});

describe.skipIf(missingTools.length > 0)(
  `docs/mlops-guide.md against a real server${missingTools.length ? ` (skipped: ${missingTools.join(', ')} not installed)` : ''}`,
  () => {
    let dir: string;
    let server: ServerProcess;
    let run: ScriptRun;
    let blocks: BlockRun[];

    beforeAll(async () => {
      dir = prepareWorkdir();
      server = await startServer(
        {
          MLFLOW_TRACKING_URI: `sqlite:///${path.join(dir, 'mlruns', 'foodlens.db')}`,
          MLFLOW_ARTIFACT_LOCATION: path.join(dir, 'mlruns', 'artifacts'),
          FOODLENS_INFERENCE_WORKERS: '1',
        },
        dir,
      );
      const script = buildScript(bashBlocks, server.url);
      expect(script, 'the guide names the server only as http://127.0.0.1:8000').not.toMatch(/127\.0\.0\.1:8000|localhost:8000/);
      run = await runBash(script, dir, 150_000);
      blocks = splitOutput(run.stdout);
    }, 240_000);

    afterAll(async () => {
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it('runs every bash block to the end', () => {
      const times = blocks.map((b, i) => `${GUIDE}:${bashBlocks[i]!.line} ${b.seconds === null ? 'did not finish' : `${b.seconds.toFixed(1)} s`}`);
      console.log(`the guide's bash blocks, ${(run.ms / 1000).toFixed(1)} s in all:\n${times.join('\n')}`);
      const last = blocks.at(-1);
      if (run.code !== 0 || blocks.length < bashBlocks.length || !last?.finished) {
        const failed = last && !last.finished ? blocks.length - 1 : blocks.length;
        const block = bashBlocks[failed];
        throw new Error(
          `the guide's block at ${GUIDE}:${block?.line} failed (bash exited ${run.code} after ${run.ms} ms)\n` +
            `--- block ---\n${block?.code}\n--- its output ---\n${blocks[failed]?.output ?? ''}\n` +
            `--- stderr (end) ---\n${run.stderr.slice(-3000)}\n--- server (end) ---\n${server.output().slice(-2000)}`,
        );
      }
    });

    it('prints what the guide says each command prints', () => {
      const problems = bashBlocks.flatMap((b, i) => {
        const output = blocks[i]?.output;
        if (output === undefined) return [`${GUIDE}:${b.line}: the block did not run`];
        return unmetExpectations(output, expectationsOf(b)).map((p) => `${GUIDE} ${p}\n  the block printed:\n${indent(output)}`);
      });
      expect(problems).toEqual([]);
    });

    it('answers in the shapes its json blocks show', () => {
      const jsonFences = fences.filter((f) => f.lang === 'json');
      const problems = jsonFences.flatMap((f) => {
        const example = JSON.parse(f.code) as unknown;
        const file = f.args[0];
        let actual: unknown;
        if (file) {
          actual = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
        } else {
          const block = describedBlock(f);
          const output = block ? blocks[bashBlocks.indexOf(block)]?.output : undefined;
          actual = output === undefined ? undefined : jsonDocuments(output).at(-1)?.value;
        }
        return shapeProblems(example, actual).map((p) => `${GUIDE}:${f.line} ${p}`);
      });
      expect(problems).toEqual([]);
    });

    it('mentions only /api paths the server serves', async () => {
      const res = await fetch(`${server.url}/docs/json`);
      expect(res.status).toBe(200);
      const templates = Object.keys(((await res.json()) as { paths: Record<string, unknown> }).paths);
      const mentioned = apiPaths(markdown);
      expect(mentioned.length).toBeGreaterThan(20);
      expect(mentioned.filter((p) => !isServed(p, templates))).toEqual([]);
    });
  },
);

function indent(text: string): string {
  const lines = text.trim().split('\n');
  const shown = lines.length > 40 ? [...lines.slice(0, 40), `... (${lines.length - 40} more lines)`] : lines;
  return shown.map((l) => `    ${l.length > 300 ? `${l.slice(0, 300)}...` : l}`).join('\n');
}
