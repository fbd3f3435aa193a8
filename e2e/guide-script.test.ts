// The guide runner's rules (guide-script.ts): what a block, an expectation and a served path are, and that a failing
// command or an HTTP error stops the script where it happened.
import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiPaths,
  buildScript,
  contains,
  expectationsOf,
  isServed,
  jsonDocuments,
  parseFences,
  shapeProblems,
  splitOutput,
  unmetExpectations,
} from './guide-script.js';

const bashMissing = spawnSync('sh', ['-c', 'command -v bash && command -v curl']).status !== 0;

const GUIDE = [
  '# Title',
  '',
  '```bash',
  'echo \'{"a": 1, "b": {"c": [1, 2]}}\'',
  '# -> {"b": {"c": [2]}}',
  'echo "accuracy 81.8% (9/11); macro"',
  '# -> accuracy ...% (9/11)',
  '```',
  '',
  '```json out.json',
  '{"a": 0}',
  '```',
].join('\n');

describe('parseFences and expectationsOf', () => {
  it('finds each block with its language, arguments and line, and the expectations with theirs', () => {
    const fences = parseFences(GUIDE);
    expect(fences.map((f) => [f.lang, f.args, f.line])).toEqual([
      ['bash', [], 3],
      ['json', ['out.json'], 10],
    ]);
    expect(expectationsOf(fences[0]!)).toEqual([
      { line: 5, source: '{"b": {"c": [2]}}', json: { b: { c: [2] } }, isJson: true },
      { line: 7, source: 'accuracy ...% (9/11)', json: undefined, isJson: false },
    ]);
  });

  it('refuses an unclosed block and an expectation that is not JSON after all', () => {
    expect(() => parseFences('```bash\necho hi\n')).toThrow('line 1: the code block is never closed');
    expect(() => expectationsOf(parseFences('```bash\necho\n# -> {"a": }\n```')[0]!)).toThrow('line 3: the expected JSON does not parse');
  });
});

describe('matching output', () => {
  it('finds JSON documents printed back to back, between text lines and pretty-printed', () => {
    const docs = jsonDocuments('{}{"run_info":{"status":"FINISHED"}}\n[1/11] apple/E001.jpg: apple\n[\n  {"x": "}"}\n]\nbanana\n');
    expect(docs.map((d) => d.value)).toEqual([{}, { run_info: { status: 'FINISHED' } }, [{ x: '}' }]]);
  });

  it('contains: keys with their values, each expected element in some element, scalars equal', () => {
    expect(contains({ a: 1, b: [{ v: '1' }, { v: '2' }] }, { b: [{ v: '2' }] })).toBe(true);
    expect(contains({ a: 1 }, { a: 2 })).toBe(false);
    expect(contains({ a: 1 }, { b: null })).toBe(false);
    expect(contains([1, 2], [3])).toBe(false);
    expect(contains({ a: '1' }, { a: 1 })).toBe(false);
  });

  it('checks expectations in order, text with ... as a wildcard within a line', () => {
    const fence = parseFences(GUIDE)[0]!;
    expect(unmetExpectations('{"a": 1, "b": {"c": [1, 2]}}\naccuracy 81.8% (9/11); macro\n', expectationsOf(fence))).toEqual([]);
    expect(unmetExpectations('accuracy 81.8% (9/11)\n{"b": {"c": [2]}}\n', expectationsOf(fence))).toEqual([
      'line 7: "accuracy ...% (9/11)" was not printed after the previous match',
    ]);
    expect(unmetExpectations('{"b": {"c": [3]}}\naccuracy 81.8%\n(9/11)', expectationsOf(fence))).toEqual([
      'line 5: no JSON printed contains {"b": {"c": [2]}}',
      'line 7: "accuracy ...% (9/11)" was not printed',
    ]);
  });

  it('shapeProblems: every field of the example, with its type; null accepts anything', () => {
    expect(shapeProblems({ a: 1, b: null, c: [{ d: 'x' }] }, { a: 5, b: 'y', c: [{ d: 'z', e: 1 }], f: 0 })).toEqual([]);
    expect(shapeProblems({ a: 1, c: [{ d: 'x' }], g: true }, { a: '5', c: [{ e: 1 }] })).toEqual([
      '$.a: the guide shows number, the answer has string',
      '$.c[0]: no element of the answer has this shape: {"d":"x"}',
      '$.g: not in the answer',
    ]);
  });
});

describe('apiPaths and isServed', () => {
  const templates = ['/api/v1/predictions/{id}/feedback', '/api/2.0/mlflow-artifacts/artifacts/{*}', '/api/2.0/mlflow/runs/create'];

  it('reads paths from URLs, prose and shell expansions', () => {
    const text = [
      'curl "http://127.0.0.1:8000/api/v1/predictions/$(jq -r .id <<<"$a")/feedback"',
      'RUN=$(curl -s http://127.0.0.1:8000/api/2.0/mlflow/runs/create | jq .x)',
      'curl -T m.onnx "http://h:1/api/2.0/mlflow-artifacts/artifacts/${URI#mlflow-artifacts:/}/model/m.onnx"',
      'the group under `/api/2.0/mlflow`, and `POST /api/v1/predictions/{id}/feedback`.',
      'server/src/api/web.ts is a file, not a route',
    ].join('\n');
    expect(apiPaths(text)).toEqual([
      '/api/2.0/mlflow',
      '/api/2.0/mlflow-artifacts/artifacts/{}/model/m.onnx',
      '/api/2.0/mlflow/runs/create',
      '/api/v1/predictions/{id}/feedback',
      '/api/v1/predictions/{}/feedback',
    ]);
  });

  it('accepts routes, their parameters and whole-segment prefixes, and nothing else', () => {
    for (const p of ['/api/v1/predictions/{}/feedback', '/api/2.0/mlflow-artifacts/artifacts/{}/model/m.onnx', '/api/2.0/mlflow', '/api/v1']) {
      expect(isServed(p, templates), p).toBe(true);
    }
    for (const p of ['/api/v1/prediction', '/api/2.0/mlflow/runs/created', '/api/v1/predictions/{}/feedback/more', '/api/2.0/mlflow/runs/create/x']) {
      expect(isServed(p, templates), p).toBe(false);
    }
  });
});

describe.skipIf(bashMissing)(`buildScript and splitOutput${bashMissing ? ' (skipped: bash or curl not installed)' : ''}`, () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      res.writeHead(req.url === '/ok' ? 200 : 404, { 'content-type': 'application/json' });
      res.end(req.url === '/ok' ? '{"ok":true}' : '{"error":{"code":"NOT_FOUND","message":"no such thing"}}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  // Asynchronous: the test server answers curl from this process's event loop.
  const run = (blocks: string[]) =>
    new Promise<{ code: number | null; runs: ReturnType<typeof splitOutput>; stderr: string }>((resolve) => {
      const fences = parseFences(blocks.map((b) => `\`\`\`bash\n${b}\n\`\`\``).join('\n\n'));
      const child = spawn('bash', ['-c', buildScript(fences, url)]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.once('close', (code) => resolve({ code, runs: splitOutput(stdout), stderr }));
    });

  it('runs the blocks in one shell, against the given server, and splits the output per block', async () => {
    const { code, runs } = await run(['X=1\ncurl -s http://127.0.0.1:8000/ok', 'echo "x=$X"']);
    expect(code).toBe(0);
    expect(runs.map((r) => [r.output, r.finished])).toEqual([
      ['{"ok":true}', true],
      ['x=1\n', true], // echo's newline; the markers add their own
    ]);
    expect(runs.every((r) => r.seconds !== null && r.seconds >= 0)).toBe(true);
  });

  it('stops at an HTTP error, showing its body, and at a failing command inside a pipeline', async () => {
    const http = await run(['echo before', 'curl -s http://127.0.0.1:8000/missing | cat', 'echo never']);
    expect(http.code).not.toBe(0);
    expect(http.runs.map((r) => [r.output.trim(), r.finished])).toEqual([
      ['before', true],
      ['{"error":{"code":"NOT_FOUND","message":"no such thing"}}', false],
    ]);
    expect(http.stderr).toContain('404');
    const pipe = await run(['false | cat', 'echo never']);
    expect(pipe.code).not.toBe(0);
    expect(pipe.runs.map((r) => r.finished)).toEqual([false]);
  });
});
