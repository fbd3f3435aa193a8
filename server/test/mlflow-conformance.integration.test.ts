// Conformance with the real MLflow client: every request of the recorded MLflow 2.12.2 client transcript
// (fixtures/mlflow/client-2.12.2-transcript.txt, a copy of the team's shared recording) is replayed in order against a FoodLens app, with the ids
// MLflow's server made rewritten to the ones FoodLens makes, and each answer checked against the recorded one: status,
// error_code, and the response's shape (same fields present, same JSON types, equal values where deterministic).
// Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/connection.js';
import { startTestApp, type TestApp } from './app-harness.js';
import { describeEachDatabase } from './databases.js';
import { compareShape, IdMap, learnIds, prepareRequest } from './mlflow-replay.js';
import { loadTranscript, type RecordedExchange } from './mlflow-transcript.js';
import { CUT, parsePartialJson } from './partial-json.js';

/**
 * Requests no FoodLens plugin answers yet, by "<client call>#<position among its requests>". They are still sent (in
 * order, since later requests depend on earlier ones); the test expects them to be answered differently from the
 * recording (but never with a 5xx), and fails once one is answered as recorded, so the entry gets removed. Empty now:
 * every request of the transcript is served.
 */
const NOT_SERVED_YET: readonly string[] = [];

/**
 * Answers where FoodLens differs from MLflow 2.12 on purpose, by the same key: the recorded body rewritten to what
 * FoodLens must answer instead, compared as strictly as any other.
 */
const ANSWERED_DIFFERENTLY: Readonly<Record<string, (recordedBody: string) => string>> = {
  // MLflow 2.12 echoed a `runs:/<run>/model` source; FoodLens resolves it to the run's artifact_uri + path (what
  // later MLflow servers answer): that run's artifact_uri is mlflow-artifacts:/1/<run>/artifacts in the recording.
  'mv.download_uri#0': (body) => body.replace(/"runs:\/([0-9a-f]{32})\/model"/, '"mlflow-artifacts:/1/$1/artifacts/model"'),
};

const exchanges: RecordedExchange[] = loadTranscript();

function title(x: RecordedExchange): string {
  return `line ${x.line} ${x.label}#${x.ordinal}: ${x.method} ${x.url.split('?')[0]} -> ${x.status}`;
}

interface Outcome {
  problems: string[];
  status: number;
}

async function replay(app: FastifyInstance, x: RecordedExchange, ids: IdMap): Promise<Outcome> {
  const req = prepareRequest(x, ids);
  const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload });
  const problems: string[] = [];
  if (res.statusCode !== x.status) problems.push(`status: recorded ${x.status}, ours ${res.statusCode} ${res.body.slice(0, 300)}`);
  const ourType = String(res.headers['content-type'] ?? '');
  if (x.responseContentType && !ourType.startsWith(x.responseContentType)) {
    problems.push(`content-type: recorded ${x.responseContentType}, ours ${ourType}`);
  }
  const status = res.statusCode;
  if (x.responseBody === null || problems.length > 0) return { problems, status };

  if (x.responseContentType !== 'application/json') {
    const binary = /^<(\d+) bytes binary>$/.exec(x.responseBody);
    if (binary && res.rawPayload.length !== Number(binary[1])) {
      problems.push(`body: recorded ${binary[1]} bytes, ours ${res.rawPayload.length}`);
    }
    return { problems, status };
  }
  const differently = ANSWERED_DIFFERENTLY[`${x.label}#${x.ordinal}`];
  const recorded = parsePartialJson(differently ? differently(x.responseBody) : x.responseBody);
  let ours: unknown;
  try {
    ours = res.json();
  } catch {
    return { problems: [`body is not JSON: ${res.body.slice(0, 200)}`], status };
  }
  const rec = recorded.value;
  if (rec !== null && rec !== CUT && typeof rec === 'object' && !Array.isArray(rec) && 'error_code' in rec) {
    // Error messages differ in wording (MLflow's embed SQLAlchemy text); the code and the body's form must not.
    const o = ours as { error_code?: unknown; message?: unknown };
    if (o.error_code !== rec.error_code) problems.push(`error_code: recorded ${String(rec.error_code)}, ours ${String(o.error_code)}`);
    if (typeof o.message !== 'string' || o.message === '') problems.push('message: missing');
    return { problems, status };
  }
  learnIds(rec, ours, ids, problems);
  compareShape(rec, ours, { ids, incomplete: recorded.incomplete, problems });
  return { problems, status };
}

describeEachDatabase((td) => {
  describe('MLflow 2.12.2 client transcript, replayed in order', () => {
    let database: Database;
    let testApp: TestApp;
    const ids = new IdMap();

    beforeAll(async () => {
      database = await td.open();
      testApp = await startTestApp({}, { database });
    });
    afterAll(async () => {
      await testApp?.close();
      await database?.close();
    });

    it('covers every request of the transcript', () => {
      expect(exchanges.length).toBeGreaterThan(90);
      for (const key of Object.keys(ANSWERED_DIFFERENTLY)) {
        const x = exchanges.find((e) => `${e.label}#${e.ordinal}` === key);
        expect(x && ANSWERED_DIFFERENTLY[key]!(x.responseBody ?? ''), `${key} is in the transcript and its rewrite applies`).not.toBe(x?.responseBody);
      }
      for (const key of NOT_SERVED_YET) {
        expect(exchanges.some((x) => `${x.label}#${x.ordinal}` === key), `${key} is in the transcript`).toBe(true);
      }
    });

    for (const x of exchanges) {
      const notServed = NOT_SERVED_YET.includes(`${x.label}#${x.ordinal}`);
      it(`${notServed ? '[not served yet] ' : ''}${title(x)}`, async () => {
        const { problems, status } = await replay(testApp.app, x, ids);
        if (!notServed) {
          expect(problems, problems.join('\n')).toEqual([]);
          return;
        }
        expect(problems, `${x.label}#${x.ordinal} is answered as recorded now: remove it from NOT_SERVED_YET`).not.toEqual([]);
        // Unserved is still a clean 4xx (the client must not retry it), never a server error.
        expect(status).toBeLessThan(500);
      });
    }
  });
});
