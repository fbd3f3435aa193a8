// HTTP load generator for bench/tracking.ts, run in a child process so the server under test keeps its own event loop
// (and core). N keep-alive clients each send one request at a time for a fixed duration, or a fixed number of
// sequential requests; it reports the count and every latency. Request bodies are built here from a small recipe,
// since functions cannot cross the process boundary.
import http from 'node:http';

export type Recipe =
  | { kind: 'get'; path: string }
  | { kind: 'post-json'; path: string; body: string }
  | { kind: 'log-metric'; path: string; runIds: string[] }
  | { kind: 'log-batch'; path: string; runIds: string[]; metrics: number };

export interface LoadJob {
  port: number;
  recipe: Recipe;
  clients: number;
  /** run for this long (ms), or ... */
  durationMs?: number;
  /** ... send this many requests in total */
  requests?: number;
  /** status every answer must have */
  expectStatus: number;
}

export interface LoadResult {
  count: number;
  elapsedMs: number;
  latenciesMs: number[];
  errors: string[];
}

function bodyFor(recipe: Recipe, client: number, seq: number): string | null {
  switch (recipe.kind) {
    case 'get':
      return null;
    case 'post-json':
      return recipe.body;
    case 'log-metric': {
      const runId = recipe.runIds[client % recipe.runIds.length]!;
      // What the Python client sends for mlflow.log_metric: both id spellings, a fresh timestamp and step.
      return JSON.stringify({ run_uuid: runId, key: 'loss', value: 1 / (seq + 1), timestamp: Date.now(), step: seq, run_id: runId });
    }
    case 'log-batch': {
      // Built as text: the client shares the machine's two cores with the server, so it should cost little.
      const runId = recipe.runIds[client % recipe.runIds.length]!;
      const ts = Date.now();
      const base = seq * 1000;
      let metrics = '';
      for (let i = 0; i < recipe.metrics; i++) {
        metrics += `${i ? ',' : ''}{"key":"m${i % 10}","value":${(i % 97) / 97},"timestamp":${ts},"step":${base + Math.floor(i / 10)}}`;
      }
      return `{"run_id":"${runId}","metrics":[${metrics}]}`;
    }
  }
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.clients });
  const method = job.recipe.kind === 'get' ? 'GET' : 'POST';
  const latencies: number[] = [];
  const errors: string[] = [];
  let sent = 0;
  const started = performance.now();
  const deadline = job.durationMs !== undefined ? started + job.durationMs : Infinity;
  const more = () => (job.requests !== undefined ? sent < job.requests : performance.now() < deadline);

  const one = (client: number, seq: number) =>
    new Promise<void>((resolve) => {
      const body = bodyFor(job.recipe, client, seq);
      const t0 = performance.now();
      const req = http.request(
        {
          host: '127.0.0.1',
          port: job.port,
          path: job.recipe.path,
          method,
          agent,
          headers: body === null ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode !== job.expectStatus && errors.length < 5) {
              errors.push(`${res.statusCode}: ${Buffer.concat(chunks).toString().slice(0, 300)}`);
            }
            resolve();
          });
        },
      );
      req.on('error', (err) => {
        if (errors.length < 5) errors.push(err.message);
        resolve();
      });
      req.end(body ?? undefined);
    });

  await Promise.all(
    Array.from({ length: job.clients }, async (_, client) => {
      let seq = 0;
      while (more()) {
        sent++;
        await one(client, seq++);
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { count: latencies.length, elapsedMs, latenciesMs: latencies, errors };
}

process.on('message', (job: LoadJob) => {
  run(job).then(
    (result) => process.send!(result),
    (err: unknown) => process.send!({ count: 0, elapsedMs: 0, latenciesMs: [], errors: [String(err)] }),
  );
});
