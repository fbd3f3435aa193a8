// The REST tracker and its HTTP client against tiny local servers that record what arrives and answer as told:
// credentials on every call, the MLflow calls and bodies, and each way a server can fail, as one clear message.
// (evaluation-run.integration.test.ts runs whole evaluations against the real app.)
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MlflowRestTracker } from './mlflow-rest-tracker.js';
import { authorizationHeader, TrackingConfigError, TrackingServerClient, TrackingServerError } from './tracking-server-client.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((resolve) => s.close(resolve));
  }
});

/** A server recording every request and answering with `answer(request)`. */
async function recorder(answer: (r: Received) => Answer): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString() };
      received.push(r);
      const a = answer(r);
      if (a === 'hang') return;
      res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers }).end(a.body ?? '{}');
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** An MLflow server in a few lines: no experiment until created, then a run, every other call accepted. */
function mlflowAnswers(r: Received): Answer {
  const path = r.url.split('?')[0];
  if (path === '/api/2.0/mlflow/experiments/get-by-name') {
    return { status: 404, body: JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Experiment 'x' does not exist." }) };
  }
  if (path === '/api/2.0/mlflow/experiments/create') return { status: 200, body: '{"experiment_id":"7"}' };
  if (path === '/api/2.0/mlflow/runs/create') {
    return { status: 200, body: JSON.stringify({ run: { info: { run_id: 'abc123', artifact_uri: 'mlflow-artifacts:/7/abc123/artifacts' }, data: {} } }) };
  }
  return { status: 200, body: '{}' };
}

const newRun = { experimentId: '7', userId: 'ann', runName: 'r', startTime: 1_700_000_000_000, tags: [{ key: 't', value: 'v' }] };

describe('MLflow REST tracker', () => {
  it('makes the MLflow client calls, with the credentials on every one, the artifact upload included', async () => {
    const server = await recorder(mlflowAnswers);
    const tracker = new MlflowRestTracker(new TrackingServerClient(`${server.url}/`, { env: { MLFLOW_TRACKING_TOKEN: 'tok-123' } }));

    expect(await tracker.ensureExperiment('food-detector-evaluation', [{ key: 'mlflow.note.content', value: 'n' }])).toBe('7');
    const run = await tracker.createRun(newRun);
    expect(run).toEqual({ runId: 'abc123', artifactUri: 'mlflow-artifacts:/7/abc123/artifacts' });
    // 150 params go out as 100 + 50, as MLflow's client splits them
    await tracker.logParams('abc123', Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`p${i}`, String(i)])));
    await tracker.logMetrics('abc123', { accuracy: 0.5, latency_mean_ms: NaN }, { step: 0, timestamp: 42 });
    await tracker.logInputs('abc123', [
      { tags: [{ key: 'mlflow.data.context', value: 'evaluation' }], dataset: { name: 'd', digest: 'dg', sourceType: 'local', source: '{}', schema: null, profile: '{"n":1}' } },
    ]);
    await tracker.putArtifact(run, 'sub dir/predictions.csv', Buffer.from('a,b\n'));
    await tracker.updateRun('abc123', 'FINISHED', 99);

    expect(server.received.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=food-detector-evaluation',
      'POST /api/2.0/mlflow/experiments/create',
      'POST /api/2.0/mlflow/runs/create',
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/log-inputs',
      'PUT /api/2.0/mlflow-artifacts/artifacts/7/abc123/artifacts/sub%20dir/predictions.csv',
      'POST /api/2.0/mlflow/runs/update',
    ]);
    expect(server.received.every((r) => r.headers.authorization === 'Bearer tok-123')).toBe(true);
    const bodies = server.received.map((r) => (r.method === 'PUT' ? r.body : JSON.parse(r.body || '{}')));
    expect(bodies[1]).toEqual({ name: 'food-detector-evaluation', tags: [{ key: 'mlflow.note.content', value: 'n' }] });
    expect(bodies[2]).toEqual({ experiment_id: '7', user_id: 'ann', run_name: 'r', start_time: 1_700_000_000_000, tags: [{ key: 't', value: 'v' }] });
    expect([bodies[3].params.length, bodies[4].params.length]).toEqual([100, 50]);
    // JSON has no NaN: MLflow's string form
    expect(bodies[5]).toEqual({
      run_id: 'abc123',
      metrics: [
        { key: 'accuracy', value: 0.5, timestamp: 42, step: 0 },
        { key: 'latency_mean_ms', value: 'NaN', timestamp: 42, step: 0 },
      ],
    });
    expect(bodies[6].datasets).toEqual([
      { tags: [{ key: 'mlflow.data.context', value: 'evaluation' }], dataset: { name: 'd', digest: 'dg', source_type: 'local', source: '{}', profile: '{"n":1}' } },
    ]);
    expect(bodies[7]).toBe('a,b\n');
    expect(server.received[7]!.headers['content-type']).toBe('text/plain');
    expect(bodies[8]).toEqual({ run_id: 'abc123', status: 'FINISHED', end_time: 99 });
  });

  it('uses an existing experiment, restores a deleted one, and reads the winner when another client creates it first', async () => {
    let stage = 'active';
    const existing = await recorder((r) =>
      r.url.startsWith('/api/2.0/mlflow/experiments/get-by-name')
        ? { status: 200, body: JSON.stringify({ experiment: { experiment_id: '3', name: 'e', lifecycle_stage: stage } }) }
        : { status: 200 },
    );
    const tracker = new MlflowRestTracker(new TrackingServerClient(existing.url, { env: {} }));
    expect(await tracker.ensureExperiment('e', [])).toBe('3');
    stage = 'deleted';
    expect(await tracker.ensureExperiment('e', [])).toBe('3');
    expect(existing.received.map((r) => `${r.method} ${r.url.split('?')[0]}`)).toEqual([
      'GET /api/2.0/mlflow/experiments/get-by-name',
      'GET /api/2.0/mlflow/experiments/get-by-name',
      'POST /api/2.0/mlflow/experiments/restore',
    ]);
    expect(existing.received.every((r) => r.headers.authorization === undefined)).toBe(true);

    let lookups = 0;
    const race = await recorder((r) => {
      if (r.url.startsWith('/api/2.0/mlflow/experiments/get-by-name')) {
        return lookups++ === 0
          ? { status: 404, body: '{"error_code":"RESOURCE_DOES_NOT_EXIST","message":"no"}' }
          : { status: 200, body: '{"experiment":{"experiment_id":"5","lifecycle_stage":"active"}}' };
      }
      return { status: 400, body: '{"error_code":"RESOURCE_ALREADY_EXISTS","message":"Experiment \'e\' already exists."}' };
    });
    expect(await new MlflowRestTracker(new TrackingServerClient(race.url, { env: {} })).ensureExperiment('e', [])).toBe('5');
  });

  it('refuses a run whose artifacts the server does not proxy, before anything else is logged, and marks it FAILED', async () => {
    const server = await recorder((r) =>
      r.url === '/api/2.0/mlflow/runs/create'
        ? { status: 200, body: '{"run":{"info":{"run_id":"r1","artifact_uri":"s3://bucket/7/r1/artifacts"}}}' }
        : { status: 200 },
    );
    const tracker = new MlflowRestTracker(new TrackingServerClient(server.url, { env: {} }));
    await expect(tracker.createRun(newRun)).rejects.toThrow(/artifact_uri s3:\/\/bucket\/7\/r1\/artifacts is not an mlflow-artifacts: URI/);
    expect(server.received.map((r) => r.url)).toEqual(['/api/2.0/mlflow/runs/create', '/api/2.0/mlflow/runs/update']);
    expect(JSON.parse(server.received[1]!.body)).toMatchObject({ run_id: 'r1', status: 'FAILED' });
  });
});

describe('tracking server client', () => {
  it('sends Basic from MLFLOW_TRACKING_USERNAME/PASSWORD (before a token, as MLflow does), Bearer from MLFLOW_TRACKING_TOKEN', async () => {
    const server = await recorder(() => ({ status: 200 }));
    await new TrackingServerClient(server.url, { env: { MLFLOW_TRACKING_USERNAME: 'ann', MLFLOW_TRACKING_PASSWORD: 'pä:ss', MLFLOW_TRACKING_TOKEN: 't' } }).get('/x');
    expect(server.received[0]!.headers.authorization).toBe(`Basic ${Buffer.from('ann:pä:ss').toString('base64')}`);
    expect(authorizationHeader({ MLFLOW_TRACKING_TOKEN: 't' })).toBe('Bearer t');
    expect(authorizationHeader({ MLFLOW_TRACKING_TOKEN: '' })).toBeUndefined();
    expect(() => authorizationHeader({ MLFLOW_TRACKING_USERNAME: 'ann' })).toThrow(
      /MLFLOW_TRACKING_USERNAME is set without MLFLOW_TRACKING_PASSWORD/,
    );
    expect(() => new TrackingServerClient('http://ann:secret@127.0.0.1:1', { env: {} })).toThrow(TrackingConfigError);
    expect(() => new TrackingServerClient('http://ann:secret@127.0.0.1:1', { env: {} })).not.toThrow(/secret/);
  });

  it("turns MLflow's and FoodLens's error bodies, and bodies of neither, into messages naming the call and the server", async () => {
    const server = await recorder((r) => {
      if (r.url === '/mlflow') return { status: 400, body: '{"error_code":"INVALID_PARAMETER_VALUE","message":"Changing param values is not allowed."}' };
      if (r.url === '/foodlens') return { status: 401, body: '{"error":{"code":"UNAUTHENTICATED","message":"a valid token is required"}}' };
      if (r.url === '/gateway') return { status: 502, body: '<html><body>Bad   gateway</body></html>', headers: { 'content-type': 'text/html' } };
      if (r.url === '/missing') return { status: 404, body: '' };
      return { status: 200, body: '<!doctype html><p>a web page', headers: { 'content-type': 'text/html' } };
    });
    const client = new TrackingServerClient(server.url, { env: { MLFLOW_TRACKING_TOKEN: 'very-secret-token' } });
    const failure = async (p: Promise<unknown>) => {
      const err = await p.then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(TrackingServerError);
      expect((err as Error).message).not.toContain('very-secret-token');
      return err as TrackingServerError;
    };

    const mlflow = await failure(client.post('/mlflow', {}));
    expect(mlflow.message).toBe(`POST /mlflow on ${server.url} failed: 400 INVALID_PARAMETER_VALUE: Changing param values is not allowed.`);
    expect([mlflow.status, mlflow.code, mlflow.call]).toEqual([400, 'INVALID_PARAMETER_VALUE', 'POST /mlflow']);
    expect((await failure(client.get('/foodlens'))).message).toBe(
      `GET /foodlens on ${server.url} failed: 401 UNAUTHENTICATED: a valid token is required ` +
        '(check MLFLOW_TRACKING_TOKEN, or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD)',
    );
    expect((await failure(client.put('/gateway', Buffer.from('x'), 'text/plain'))).message).toBe(
      `PUT /gateway on ${server.url} failed: 502: text/html: <html><body>Bad gateway</body></html>`,
    );
    expect((await failure(client.get('/missing'))).message).toBe(
      `GET /missing on ${server.url} failed: 404: Not Found (is the URI a FoodLens or MLflow tracking server?)`,
    );
    expect((await failure(client.get('/page'))).message).toMatch(/^GET \/page on .* answered 200 without a JSON object \(text\/html: <!doctype html><p>a web page\): is it a FoodLens or MLflow/);
  });

  it('says which URL could not be reached, and does not wait forever for one that never answers', async () => {
    const closed = await recorder(() => ({ status: 200 }));
    const url = closed.url;
    const server = servers.pop()!;
    await new Promise((resolve) => server.close(resolve));
    const refused = await new TrackingServerClient(url, { env: {} }).get('/api/2.0/mlflow/experiments/get-by-name').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TrackingServerError);
    expect((refused as Error).message).toBe(
      `GET /api/2.0/mlflow/experiments/get-by-name: could not reach the tracking server at ${url} (connect ECONNREFUSED ${url.slice('http://'.length)})`,
    );

    const silent = await recorder(() => 'hang');
    await expect(new TrackingServerClient(silent.url, { env: {}, timeoutMs: 200 }).post('/x', {})).rejects.toThrow(
      `POST /x: the tracking server at ${silent.url} did not answer within 200 ms`,
    );
  });

  it('reports a redirect instead of following it, so credentials never go to another address', async () => {
    const elsewhere = await recorder(() => ({ status: 200 }));
    const server = await recorder(() => ({ status: 307, headers: { location: `${elsewhere.url}/api/2.0/mlflow/runs/create` } }));
    await expect(new TrackingServerClient(server.url, { env: { MLFLOW_TRACKING_TOKEN: 't' } }).post('/api/2.0/mlflow/runs/create', {})).rejects.toThrow(
      `POST /api/2.0/mlflow/runs/create on ${server.url} answered 307, a redirect to ${elsewhere.url}/api/2.0/mlflow/runs/create: ` +
        'set MLFLOW_TRACKING_URI (or --tracking-uri) to the address the server redirects to',
    );
    expect(elsewhere.received).toEqual([]);
  });
});
