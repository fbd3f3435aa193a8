// Every MLflow REST endpoint the app registers, with wrong types in every field, on every database. The routes are
// enumerated from the app itself (the OpenAPI document, cross-checked against the router's own list), so a route added
// later is covered, or fails here until its fields are classified below. For each POST/PATCH/DELETE field: objects,
// lists, null, booleans, huge and unsafe numbers, "NaN"/"Infinity" strings, NUL, a lone surrogate and a 100 KB string,
// on top of a body that is otherwise valid and points at live fixtures; for each GET parameter: non-numeric,
// fractional, exponent and out-of-range numbers, repeated and bracketed keys. Nothing may be a 5xx (MLflow clients
// retry those for minutes); every 4xx is MLflow's {error_code, message}; a value of the wrong type for its field is
// 400 INVALID_PARAMETER_VALUE, as MLflow's server answers (shared/docs/mlflow-rest.md: "Missing value" and "Invalid
// value" are both INVALID_PARAMETER_VALUE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/connection.js';
import { startTestApp, type TestApp } from '../app-harness.js';
import { describeEachDatabase } from '../databases.js';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
interface Operation {
  method: Method;
  path: string;
  /** body properties (POST/PATCH/DELETE) or query parameters (GET) */
  fields: string[];
}

/**
 * What each field holds, as the route reads it (api/mlflow/lenient.ts): a string (a number or boolean is read as its
 * text, like protobuf's JSON reader; the first of a repeated key), an int64, a double, a boolean, an enum MLflow
 * ignores when unreadable, a list of strings, or a list of objects.
 */
type Kind = 'string' | 'int64' | 'double' | 'bool' | 'ignoredEnum' | 'stringList' | 'objectList';
const KINDS: Record<string, Kind> = {
  name: 'string', artifact_location: 'string', experiment_id: 'string', experiment_name: 'string', page_token: 'string',
  filter: 'string', new_name: 'string', key: 'string', value: 'string', run_id: 'string', run_uuid: 'string',
  user_id: 'string', run_name: 'string', model_json: 'string', metric_key: 'string', path: 'string',
  description: 'string', alias: 'string', version: 'string', source: 'string', run_link: 'string', stage: 'string',
  max_results: 'int64', start_time: 'int64', end_time: 'int64', timestamp: 'int64', step: 'int64', start_step: 'int64',
  end_step: 'int64',
  archive_existing_versions: 'bool',
  status: 'ignoredEnum', view_type: 'ignoredEnum', run_view_type: 'ignoredEnum',
  experiment_ids: 'stringList', run_ids: 'stringList', order_by: 'stringList', stages: 'stringList',
  tags: 'objectList', metrics: 'objectList', params: 'objectList', datasets: 'objectList',
};
/** Where a field name means something else on one route. */
const KIND_ON_ROUTE: Record<string, Record<string, Kind>> = { 'runs/log-metric': { value: 'double' } };

const kindOf = (op: Operation, field: string): Kind | undefined =>
  KIND_ON_ROUTE[op.path.replace(/^.*\/mlflow\//, '')]?.[field] ?? KINDS[field];

// ---------------------------------------------------------------------------------------------------------------
// Wrong values, and which kinds must refuse each one

const OBJECT = { a: 1 };
const BODY_VALUES: Array<{ label: string; value: unknown; refusedBy: Kind[] }> = [
  { label: '{}', value: {}, refusedBy: ['string', 'int64', 'double', 'bool', 'stringList', 'objectList'] },
  { label: '{a:1}', value: OBJECT, refusedBy: ['string', 'int64', 'double', 'bool', 'stringList', 'objectList'] },
  { label: '[{}]', value: [{}], refusedBy: ['string', 'int64', 'double', 'bool', 'stringList'] },
  { label: '[[1]]', value: [[1]], refusedBy: ['string', 'int64', 'double', 'bool', 'stringList', 'objectList'] },
  { label: '[]', value: [], refusedBy: ['string', 'int64', 'double', 'bool'] },
  { label: '["a",1]', value: ['a', 1], refusedBy: ['int64', 'double', 'bool', 'objectList'] },
  { label: 'null', value: null, refusedBy: [] },
  { label: 'true', value: true, refusedBy: ['int64', 'double', 'objectList'] },
  { label: '0', value: 0, refusedBy: ['bool', 'objectList'] },
  { label: '-1', value: -1, refusedBy: ['bool', 'objectList'] },
  { label: '1.5', value: 1.5, refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '1e308', value: 1e308, refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '-1e308', value: -1e308, refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '2^63', value: 2 ** 63, refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '2^53+1 as a string', value: '9007199254740993', refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '"NaN"', value: 'NaN', refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '"Infinity"', value: 'Infinity', refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '"-Infinity"', value: '-Infinity', refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '"1e3"', value: '1e3', refusedBy: ['int64', 'bool', 'objectList'] },
  { label: '"abc"', value: 'abc', refusedBy: ['int64', 'double', 'bool', 'objectList'] },
  { label: '" "', value: ' ', refusedBy: ['int64', 'double', 'bool', 'objectList'] },
  { label: '"\\u0000"', value: '\u0000', refusedBy: ['int64', 'double', 'bool', 'objectList'] },
  { label: 'lone surrogate', value: '\ud800', refusedBy: ['int64', 'double', 'bool', 'objectList'] },
  { label: '100 KB string', value: 'x'.repeat(100_000), refusedBy: ['int64', 'double', 'bool', 'objectList'] },
];

/** Query values are text: what is not an integer must be refused by int64 parameters. */
const QUERY_VALUES: Array<{ label: string; raw: string; refusedBy: Kind[] }> = [
  { label: 'abc', raw: 'abc', refusedBy: ['int64'] },
  { label: 'NaN', raw: 'NaN', refusedBy: ['int64'] },
  { label: 'Infinity', raw: 'Infinity', refusedBy: ['int64'] },
  { label: '1.5', raw: '1.5', refusedBy: ['int64'] },
  { label: '1e3', raw: '1e3', refusedBy: ['int64'] },
  { label: '2^64', raw: '18446744073709551616', refusedBy: ['int64'] },
  { label: '2^53+1', raw: '9007199254740993', refusedBy: ['int64'] },
  { label: '0x10', raw: '0x10', refusedBy: ['int64'] },
  { label: 'true', raw: 'true', refusedBy: ['int64'] },
  { label: '-1', raw: '-1', refusedBy: [] },
  { label: 'empty', raw: '', refusedBy: [] },
  { label: '%00', raw: '%00', refusedBy: ['int64'] },
  { label: 'lone surrogate (%ED%A0%80)', raw: '%ED%A0%80', refusedBy: ['int64'] },
  { label: '100 KB', raw: 'x'.repeat(100_000), refusedBy: ['int64'] },
];

/** "METHOD /path" for every route in Fastify's printRoutes tree (a child line continues its parent's path). */
function routerRoutes(tree: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[└├]── (.*) \(([^)]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const full = (depth === 0 ? '' : stack[depth - 1]!) + m[2]!;
    stack[depth] = full;
    for (const method of m[3]!.split(', ')) out.add(`${method} ${full}`);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

describeEachDatabase((td) => {
  describe('every MLflow endpoint with wrong types', () => {
    let database: Database;
    let t: TestApp;
    let ops: Operation[];
    let n = 0;

    const inject = (method: Method, url: string, body?: unknown) =>
      t.app.inject({
        method,
        url,
        ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) }),
      });

    async function ok(method: Method, path: string, body: unknown): Promise<any> {
      const res = await inject(method, `/api/2.0/mlflow/${path}`, body);
      expect(res.statusCode, `${path}: ${res.body}`).toBe(200);
      return res.json();
    }

    /** Fresh fixtures for one route, and a body of correct types for each field name, pointing at them. */
    async function validValues(): Promise<Record<string, unknown>> {
      n += 1;
      const experimentId = (await ok('POST', 'experiments/create', { name: `wt-exp-${n}` })).experiment_id as string;
      const run = (await ok('POST', 'runs/create', { experiment_id: experimentId, run_name: `r${n}` })).run.info.run_id as string;
      await ok('POST', 'runs/log-metric', { run_id: run, key: 'm', value: 1, timestamp: 1_700_000_000_000, step: 0 });
      const model = `wt-model-${n}`;
      await ok('POST', 'registered-models/create', { name: model });
      await ok('POST', 'model-versions/create', { name: model, source: `s3://bucket/${model}`, run_id: run });
      await ok('POST', 'registered-models/alias', { name: model, alias: 'blue', version: '1' });
      return {
        name: model, artifact_location: `s3://bucket/exp-${n}`, experiment_id: experimentId, experiment_name: `wt-exp-${n}`,
        page_token: '', filter: '', new_name: `wt-new-${n}`, key: 'k', value: 'v', run_id: run, run_uuid: run, user_id: 'alice',
        run_name: 'renamed', model_json: JSON.stringify({ artifact_path: 'm', flavors: {}, utc_time_created: '2026-01-01', run_id: run }),
        metric_key: 'm', path: '', description: 'd', alias: 'blue', version: '1', source: `s3://bucket/${model}/2`, run_link: '',
        stage: 'Staging', max_results: 10, start_time: 1_700_000_000_000, end_time: 1_700_000_000_001, timestamp: 1_700_000_000_002,
        step: 1, start_step: 0, end_step: 10, archive_existing_versions: false, status: 'FINISHED', view_type: 'ALL',
        run_view_type: 'ALL', experiment_ids: [experimentId], run_ids: [run], order_by: [], stages: ['None'],
        tags: [{ key: 't', value: 'v' }], metrics: [{ key: 'm2', value: 0.5, timestamp: 1_700_000_000_003, step: 2 }],
        params: [{ key: 'p', value: '1' }], datasets: [],
      };
    }

    const counts = { requests: 0, refused: 0, accepted: 0 };

    function expectAnswer(res: { statusCode: number; body: string; headers: Record<string, unknown> }, what: string, mustRefuse: boolean): void {
      counts.requests += 1;
      const label = `${what} -> ${res.statusCode} ${res.body.slice(0, 300)}`;
      expect(res.statusCode, label).toBeLessThan(500);
      expect(String(res.headers['content-type']), label).toMatch(/^application\/json/);
      if (res.statusCode >= 400) {
        counts.refused += 1;
        expect(JSON.parse(res.body), label).toEqual({ error_code: expect.any(String), message: expect.any(String) });
      } else {
        counts.accepted += 1;
      }
      if (mustRefuse) {
        expect(res.statusCode, label).toBe(400);
        expect(JSON.parse(res.body).error_code, label).toBe('INVALID_PARAMETER_VALUE');
      }
    }

    beforeAll(async () => {
      database = await td.open();
      t = await startTestApp({ FOODLENS_ALERT_INTERVAL_S: '0', FOODLENS_SERVING_METRICS_INTERVAL_S: '0' }, { database });
      const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{ paths: Record<string, Record<string, any>> }>();
      ops = [];
      for (const [path, methods] of Object.entries(doc.paths)) {
        if (!/^\/(ajax-)?api\/2\.0\/mlflow\//.test(path)) continue;
        for (const [m, op] of Object.entries(methods)) {
          const method = m.toUpperCase() as Method;
          const fields =
            method === 'GET'
              ? (op.parameters ?? []).filter((p: { in: string }) => p.in === 'query').map((p: { name: string }) => p.name)
              : Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
          ops.push({ method, path, fields });
        }
      }
    });
    afterAll(async () => {
      console.log(`MLflow wrong types on ${td.name}: ${ops?.length} operations, ${counts.requests} requests, ${counts.refused} refused, ${counts.accepted} accepted`);
      await t?.close();
      await database?.close();
    });

    it('finds every MLflow route the router holds, each with its fields classified', () => {
      // the router's own list, independent of the OpenAPI plugin
      const routed = new Set([...routerRoutes(t.app.printRoutes({ commonPrefix: false }))].filter((r) => /^(?!HEAD)\w+ \/(ajax-)?api\/2\.0\/mlflow\//.test(r)));
      expect(new Set(ops.map((o) => `${o.method} ${o.path}`))).toEqual(routed);
      expect(ops.length).toBeGreaterThanOrEqual(90);
      const unclassified = ops.flatMap((o) => o.fields.filter((f) => kindOf(o, f) === undefined).map((f) => `${o.path} ${f}`));
      expect(unclassified, 'add these fields to KINDS').toEqual([]);
      expect(ops.every((o) => o.fields.length > 0 || o.method === 'GET')).toBe(true);
    });

    it('POST/PATCH/DELETE bodies with a wrong type in each field: 400 INVALID_PARAMETER_VALUE where the type is wrong, never a 5xx', { timeout: 300_000 }, async () => {
      const writes = ops.filter((o) => o.method !== 'GET' && o.path.startsWith('/api/'));
      expect(writes.length).toBeGreaterThan(30);
      for (const op of writes) {
        const valid = await validValues();
        const base = Object.fromEntries(op.fields.map((f) => [f, valid[f]]));
        for (const field of op.fields) {
          const kind = kindOf(op, field)!;
          for (const v of BODY_VALUES) {
            const res = await inject(op.method, op.path, { ...base, [field]: v.value });
            expectAnswer(res, `${op.method} ${op.path} ${field}=${v.label}`, v.refusedBy.includes(kind));
          }
        }
        // the whole body of the wrong type
        for (const body of [[], 'x', 1, null, [base]]) {
          expectAnswer(await inject(op.method, op.path, body), `${op.method} ${op.path} body=${JSON.stringify(body).slice(0, 40)}`, true);
        }
      }
    });

    it('GET query parameters of the wrong type, repeated and bracketed: 400 where an integer is wanted, never a 5xx', { timeout: 300_000 }, async () => {
      const reads = ops.filter((o) => o.method === 'GET' && o.path.startsWith('/api/'));
      expect(reads.length).toBeGreaterThan(8);
      for (const op of reads) {
        const valid = await validValues();
        const query = (over: Record<string, string>) => {
          const q = new URLSearchParams();
          for (const f of op.fields) {
            const v = valid[f];
            for (const item of Array.isArray(v) ? v : [v]) if (item !== undefined) q.append(f, String(item));
          }
          let text = q.toString();
          for (const [k, raw] of Object.entries(over)) text = `${text.replace(new RegExp(`(^|&)${k}=[^&]*`, 'g'), '')}&${k}=${raw}`;
          return text.replace(/^&/, '');
        };
        for (const field of op.fields) {
          const kind = kindOf(op, field)!;
          for (const v of QUERY_VALUES) {
            expectAnswer(await inject('GET', `${op.path}?${query({ [field]: v.raw })}`), `GET ${op.path} ${field}=${v.label}`, v.refusedBy.includes(kind));
          }
          // repeated, bracketed and nested spellings never reach a handler as an object
          for (const spelling of [`${field}=1&${field}=abc`, `${field}[]=abc&${field}[]=1`, `${field}[0]=x`, `${field}[a]=1`, `${field}[a][b]=1`]) {
            expectAnswer(await inject('GET', `${op.path}?${query({})}&${spelling}`), `GET ${op.path} ${spelling}`, false);
          }
        }
      }
    });

    it('the /ajax-api mirror refuses an object in every field the same way', { timeout: 300_000 }, async () => {
      const mirror = ops.filter((o) => o.path.startsWith('/ajax-api/'));
      expect(mirror.length).toBe(ops.length / 2);
      const valid = await validValues();
      for (const op of mirror) {
        for (const field of op.fields) {
          const kind = kindOf(op, field)!;
          if (op.method === 'GET') {
            const res = await inject('GET', `${op.path}?${field}=abc&${field}[x]=1`);
            expectAnswer(res, `GET ${op.path} ${field}`, kind === 'int64');
          } else {
            const base = Object.fromEntries(op.fields.map((f) => [f, valid[f]]));
            expectAnswer(await inject(op.method, op.path, { ...base, [field]: OBJECT }), `${op.method} ${op.path} ${field}={a:1}`, kind !== 'ignoredEnum');
          }
        }
      }
    });
  });
});
