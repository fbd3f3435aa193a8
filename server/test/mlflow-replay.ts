// Replays recorded MLflow client traffic against a FoodLens app: rewrites the ids MLflow's server made (experiment and
// run ids) into the ones FoodLens made, learning the mapping from each pair of responses, rebuilds request bodies the
// recording cut off, and compares answers: status, error_code, and the response's shape (same fields, same JSON
// types, equal values where they are deterministic).
import type { FastifyInstance } from 'fastify';
import type { RecordedExchange } from './mlflow-transcript.js';
import { CUT, parsePartialJson, type PartialValue } from './partial-json.js';

const RUN_ID = /[0-9a-f]{32}/g;
/** `<experiment id>/<run id>` inside artifact URIs and paths */
const EXP_RUN = /(^|[/:%2F])(\d+)(\/|%2F)([0-9a-f]{32})/gi;

/** Values the server makes up or that depend on the clock. */
const NONDETERMINISTIC_KEYS = new Set(['creation_time', 'last_update_time', 'creation_timestamp', 'last_updated_timestamp', 'file_size']);
/** Tags whose value embeds a request body the recording cut off (rebuilt here, so not the original text). */
const REBUILT_TAG_VALUES = new Set(['mlflow.log-model.history']);

export class IdMap {
  readonly experiments = new Map<string, string>([['0', '0']]);
  readonly runs = new Map<string, string>();

  learn(kind: 'experiment' | 'run', recorded: string, ours: string): string | null {
    const map = kind === 'run' ? this.runs : this.experiments;
    const known = map.get(recorded);
    if (known !== undefined && known !== ours) return `${kind} id ${recorded} was mapped to ${known}, now answered as ${ours}`;
    map.set(recorded, ours);
    return null;
  }

  /** Every recorded id inside a string replaced by ours. */
  rewrite(s: string): string {
    return s
      .replace(/^mlflow-artifacts:\/(\d+)(?=$|\/)/, (all, exp: string) => {
        const e = this.experiments.get(exp);
        return e === undefined ? all : `mlflow-artifacts:/${e}`;
      })
      .replace(EXP_RUN, (all, pre: string, exp: string, sep: string, run: string) => {
        const e = this.experiments.get(exp);
        return e === undefined ? all : `${pre}${e}${sep}${this.runs.get(run) ?? run}`;
      })
      .replace(RUN_ID, (id) => this.runs.get(id) ?? id);
  }

  rewriteValue(key: string | null, v: unknown): unknown {
    if (typeof v === 'string') {
      if (key === 'experiment_id' || key === 'experiment_ids') return this.experiments.get(v) ?? v;
      return this.rewrite(v);
    }
    if (Array.isArray(v)) return v.map((x) => this.rewriteValue(key, x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.rewriteValue(k, x)]));
    }
    return v;
  }

  rewriteUrl(url: string): string {
    const u = new URL(url, 'http://recorded');
    const params = new URLSearchParams();
    for (const [k, v] of u.searchParams) params.append(k, String(this.rewriteValue(k, v)));
    const query = params.toString();
    return `${this.rewrite(u.pathname)}${query ? `?${query}` : ''}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Request bodies the recording cut off, rebuilt from what is visible. Keyed by "<label>#<ordinal>"; the recorded ids
// in them are rewritten like any other body.

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

export const REBUILT_REQUESTS: Record<string, (visible: string) => unknown> = {
  // log_model's MLmodel dict: the visible part, completed the way the client writes it.
  'fluent.pyfunc.log_model#9': (visible) => {
    const runId = /"run_id": "([0-9a-f]{32})"/.exec(visible)![1]!;
    const model = {
      run_id: runId,
      artifact_path: 'model',
      utc_time_created: '2026-11-26 14:54:50.966976',
      flavors: {
        python_function: {
          streamable: false,
          cloudpickle_version: '2.2.0',
          python_model: 'python_model.pkl',
          loader_module: 'mlflow.pyfunc.model',
          python_version: '3.11.2',
          env: { conda: 'conda.yaml', virtualenv: 'python_env.yaml' },
        },
      },
      model_uuid: '4cfabda0c1ed4f8680111de882ff12da',
      mlflow_version: '2.12.2',
      model_size_bytes: 706,
    };
    return { run_id: runId, model_json: JSON.stringify(model) };
  },
  // metric "bm": value i * 0.1 at timestamp 1700000000000 + i, step i; ten points (the count is cut off; ten is
  // what the visible 0.0 .. 0.4 and the client script's range() suggest).
  'run.log_batch#0': (visible) => ({
    run_id: runIdIn(visible),
    metrics: range(0, 10).map((i) => ({ key: 'bm', value: i * 0.1, timestamp: 1_700_000_000_000 + i, step: i })),
  }),
  // 101 params were split by the client into 100 + 1: pp0 .. pp99 here.
  'run.log_batch_too_many_params#0': (visible) => ({
    run_id: runIdIn(visible),
    params: range(0, 100).map((i) => ({ key: `pp${i}`, value: '1' })),
  }),
  // 1500 metrics split into 1000 + 500: value i at step i, one timestamp.
  'run.log_batch_1500_metrics#0': (visible) => ({
    run_id: runIdIn(visible),
    metrics: range(0, 1000).map((i) => ({ key: 'big', value: i, timestamp: 1_700_000_000_000, step: i })),
  }),
  'run.log_batch_1500_metrics#1': (visible) => ({
    run_id: runIdIn(visible),
    metrics: range(1000, 1500).map((i) => ({ key: 'big', value: i, timestamp: 1_700_000_000_000, step: i })),
  }),
};

function runIdIn(text: string): string {
  return /"run_id": "([0-9a-f]{32})"/.exec(text)![1]!;
}

export interface PreparedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
}

/** The request as our server should receive it; throws when a cut body has no rebuild rule. */
export function prepareRequest(x: RecordedExchange, ids: IdMap): PreparedRequest {
  const headers: Record<string, string> = { 'user-agent': 'mlflow-python-client/2.12.2' };
  const req: PreparedRequest = { method: x.method, url: ids.rewriteUrl(x.url), headers };
  if (x.requestBody === null) return req;
  if (x.requestContentType) headers['content-type'] = x.requestContentType;
  if (x.requestContentType !== 'application/json') {
    const binary = /^<(\d+) bytes binary>$/.exec(x.requestBody);
    req.payload = binary ? Buffer.alloc(Number(binary[1]), 7) : x.requestBody;
    return req;
  }
  const parsed = parsePartialJson(x.requestBody);
  let body: unknown;
  if (parsed.complete) body = parsed.value;
  else {
    const rebuild = REBUILT_REQUESTS[`${x.label}#${x.ordinal}`];
    if (!rebuild) throw new Error(`line ${x.line}: request body is cut off and has no rebuild rule (${x.label}#${x.ordinal})`);
    body = rebuild(x.requestBody);
  }
  req.payload = JSON.stringify(ids.rewriteValue(null, body));
  return req;
}

// ---------------------------------------------------------------------------------------------------------------
// Comparing answers.

export interface Comparison {
  problems: string[];
}

function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

/** Learns id pairs from the two answers (walking them in parallel) before values are compared. */
export function learnIds(recorded: PartialValue, ours: unknown, ids: IdMap, problems: string[], path = '$'): void {
  if (recorded === CUT || recorded === null || ours === null || ours === undefined) return;
  if (Array.isArray(recorded) && Array.isArray(ours)) {
    recorded.forEach((r, i) => learnIds(r, ours[i], ids, problems, `${path}[${i}]`));
    return;
  }
  if (typeof recorded !== 'object' || typeof ours !== 'object' || Array.isArray(ours)) return;
  const o = ours as Record<string, unknown>;
  for (const [k, r] of Object.entries(recorded)) {
    const mine = o[k];
    if ((k === 'run_id' || k === 'run_uuid') && typeof r === 'string' && typeof mine === 'string') {
      const p = ids.learn('run', r, mine);
      if (p) problems.push(`${path}.${k}: ${p}`);
    } else if (k === 'experiment_id' && typeof r === 'string' && typeof mine === 'string') {
      const p = ids.learn('experiment', r, mine);
      if (p) problems.push(`${path}.${k}: ${p}`);
    } else learnIds(r, mine, ids, problems, `${path}.${k}`);
  }
}

function matchByKey(items: PartialValue[]): boolean {
  const keys = items.map((i) => (i && typeof i === 'object' && !Array.isArray(i) && typeof i.key === 'string' ? i.key : null));
  return keys.every((k) => k !== null) && new Set(keys).size === keys.length;
}

/** Structural comparison; `incomplete` holds the recorded containers the cut went through. */
export function compareShape(
  recorded: PartialValue,
  ours: unknown,
  ctx: { ids: IdMap; incomplete: WeakSet<object>; problems: string[] },
  path = '$',
  key: string | null = null,
  tagKey: string | null = null,
): void {
  const { problems } = ctx;
  if (ours === undefined) {
    problems.push(`${path}: missing (recorded ${recorded === CUT ? '<cut>' : JSON.stringify(recorded)?.slice(0, 60)})`);
    return;
  }
  if (recorded === CUT) return; // the recording stops inside this value: only its presence can be checked
  const rt = jsonType(recorded);
  const ot = jsonType(ours);
  if (rt !== ot) {
    problems.push(`${path}: recorded ${rt} ${JSON.stringify(recorded)?.slice(0, 60)}, ours ${ot} ${JSON.stringify(ours)?.slice(0, 60)}`);
    return;
  }
  if (Array.isArray(recorded)) {
    const mine = ours as unknown[];
    const cut = ctx.incomplete.has(recorded);
    const whole = recorded.filter((r) => r !== CUT).length;
    if (cut ? mine.length < whole : mine.length !== recorded.length) {
      problems.push(`${path}: recorded ${recorded.length}${cut ? '+' : ''} items, ours ${mine.length}`);
    }
    const byKey = matchByKey(recorded.filter((r) => r !== CUT && !(typeof r === 'object' && r !== null && ctx.incomplete.has(r))));
    recorded.forEach((r, i) => {
      let counterpart: unknown = mine[i];
      if (byKey && r && typeof r === 'object' && !Array.isArray(r) && typeof r.key === 'string') {
        counterpart = mine.find((m) => (m as { key?: unknown } | null)?.key === r.key);
      }
      compareShape(r, counterpart, ctx, `${path}[${i}]`, key, tagKey);
    });
    return;
  }
  if (rt === 'object') {
    const r = recorded as Record<string, PartialValue>;
    const o = ours as Record<string, unknown>;
    const ownTagKey = typeof r.key === 'string' ? r.key : tagKey;
    for (const [k, v] of Object.entries(r)) compareShape(v, o[k], ctx, `${path}.${k}`, k, ownTagKey);
    if (!ctx.incomplete.has(r)) {
      const extra = Object.keys(o).filter((k) => !(k in r));
      if (extra.length > 0) problems.push(`${path}: fields MLflow does not send: ${extra.join(', ')}`);
    }
    return;
  }
  if (key !== null && NONDETERMINISTIC_KEYS.has(key)) return;
  if (key === 'value' && tagKey !== null && REBUILT_TAG_VALUES.has(tagKey)) return;
  const expected = typeof recorded === 'string' ? ctx.ids.rewriteValue(key, recorded) : recorded;
  if (expected !== ours) problems.push(`${path}: recorded ${JSON.stringify(expected)}, ours ${JSON.stringify(ours)}`);
}
