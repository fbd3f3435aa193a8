// Reads fixtures/mlflow/client-2.12.2-transcript.txt (a copy of the shared recording): traffic between the MLflow 2.12.2 Python client and
// MLflow's own server, grouped by the client call that sent it. Format (bodies flattened to one line, cut at ~400
// characters):
//
//   ### fluent.set_experiment  err=None
//     GET /api/2.0/mlflow/experiments/get-by-name?experiment_name=x ct=None -> 404 application/json
//       REQ: {...}
//       RESP: {...}
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface RecordedExchange {
  /** the client call, e.g. "fluent.log_metric" */
  label: string;
  /** position among the label's requests */
  ordinal: number;
  /** 1-based line of the request in the file, for messages */
  line: number;
  method: string;
  url: string;
  requestContentType: string | null;
  status: number;
  responseContentType: string | null;
  requestBody: string | null;
  responseBody: string | null;
}

/** Recorded traffic of the real MLflow 2.12.2 client against MLflow's server (the team's shared fixtures), kept in the
 * repository so every clone replays it. */
export const TRANSCRIPT_PATH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/mlflow/client-2.12.2-transcript.txt');

const HEADER = /^### (\S+)/;
const REQUEST = /^ {2}([A-Z]+) (\S+) ct=(\S+) -> (\d{3}) (\S+)\s*$/;
const BODY = /^ {4}(REQ|RESP): ?(.*)$/;

export function parseTranscript(text: string): RecordedExchange[] {
  const out: RecordedExchange[] = [];
  let label = '';
  let ordinal = 0;
  let current: RecordedExchange | null = null;
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    let m = HEADER.exec(line);
    if (m) {
      label = m[1]!;
      ordinal = 0;
      current = null;
      return;
    }
    m = REQUEST.exec(line);
    if (m) {
      current = {
        label,
        ordinal: ordinal++,
        line: index + 1,
        method: m[1]!,
        url: m[2]!,
        requestContentType: m[3] === 'None' ? null : m[3]!,
        status: Number(m[4]),
        responseContentType: m[5] === 'None' ? null : m[5]!,
        requestBody: null,
        responseBody: null,
      };
      out.push(current);
      return;
    }
    m = BODY.exec(line);
    if (m && current) {
      if (m[1] === 'REQ') current.requestBody = m[2]!;
      else current.responseBody = m[2]!;
      return;
    }
    if (line.trim() !== '') throw new Error(`transcript line ${index + 1} not understood: ${line.slice(0, 80)}`);
  });
  return out;
}

export function loadTranscript(): RecordedExchange[] {
  return parseTranscript(readFileSync(TRANSCRIPT_PATH, 'utf8'));
}
