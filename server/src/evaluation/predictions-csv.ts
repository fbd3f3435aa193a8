// predictions.csv, the per-image artifact of an evaluation run, written here and read back (as a drift reference,
// monitoring/drift-monitor/evaluation-reference.ts) with the parser below, so both sides agree on the format:
//
//   path,label,predicted,confidence,latency_ms,error,image_width,image_height,image_bytes,brightness,contrast,saturation,sharpness
//
// RFC 4180: a field holding a comma, a double quote, CR or LF is quoted, an inner quote doubled; rows end in LF.
// `predicted` is NO_FOOD ('none') with an empty confidence when the model found no food, and empty (with the message in
// `error`) when the image could not be predicted; a failed image has no statistics either. Numbers are JavaScript's
// shortest round-trip form (latency rounded to 0.01 ms). Runs logged before the image statistics existed have only the
// first six columns.
import type { ImagePrediction } from './predict-dataset.js';

export const PREDICTION_COLUMNS = ['path', 'label', 'predicted', 'confidence', 'latency_ms', 'error'] as const;
/** The image statistics, in the names the prediction log and the drift features use. */
export const IMAGE_STAT_COLUMNS = ['image_width', 'image_height', 'image_bytes', 'brightness', 'contrast', 'saturation', 'sharpness'] as const;
export const PREDICTIONS_CSV_COLUMNS = [...PREDICTION_COLUMNS, ...IMAGE_STAT_COLUMNS] as const;

export function csvCell(v: string | number | null | undefined): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function predictionsCsv(predictions: readonly ImagePrediction[]): string {
  const rows = predictions.map((p) => {
    const i = p.image;
    return [
      p.item.relativePath,
      p.item.label,
      p.predicted,
      p.confidence,
      p.latencyMs === null ? null : Math.round(p.latencyMs * 100) / 100,
      p.error,
      i?.width,
      i?.height,
      i?.bytes,
      i?.brightness,
      i?.contrast,
      i?.saturation,
      i?.sharpness,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${PREDICTIONS_CSV_COLUMNS.join(',')}\n${rows.map((r) => `${r}\n`).join('')}`;
}

export class CsvSyntaxError extends Error {
  override name = 'CsvSyntaxError';
  constructor(
    message: string,
    /** 1-based line of the file where the problem is */
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/**
 * RFC 4180 records from text arriving in chunks (strings, or UTF-8 bytes split anywhere), one array of fields per
 * record, without holding more than one record: quoted fields may hold commas, doubled quotes and line breaks; records
 * end in LF, CRLF or CR; blank lines are skipped. A quote inside an unquoted field is kept as it is (as Python's csv
 * module does); text after a closing quote other than a separator, and a quote left open at the end, are errors.
 */
export async function* parseCsv(chunks: AsyncIterable<string | Uint8Array>): AsyncGenerator<string[], void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let record: string[] = [];
  let field = '';
  // 'start' of a field, 'plain' unquoted field, 'quoted' inside quotes, 'closed' just after a quote inside quotes
  type State = 'start' | 'plain' | 'quoted' | 'closed';
  let state: State = 'start';
  let line = 1;
  let recordLine = 1;
  let lastWasCr = false;
  const out: string[][] = [];

  const endRecord = () => {
    record.push(field);
    field = '';
    state = 'start';
    if (!(record.length === 1 && record[0] === '')) out.push(record);
    record = [];
  };

  const feed = (text: string) => {
    for (let k = 0; k < text.length; k++) {
      const c = text[k]!;
      if (lastWasCr) {
        lastWasCr = false;
        if (c === '\n') continue; // CRLF: the CR already ended the record (or was kept inside quotes)
      }
      if (state === 'quoted') {
        // line breaks inside quotes are part of the field, as they are
        if (c === '"') state = 'closed';
        else {
          field += c;
          if (c === '\n') line++;
        }
        continue;
      }
      if (state === 'closed') {
        if (c === '"') {
          field += '"';
          state = 'quoted';
          continue;
        }
        if (c !== ',' && c !== '\n' && c !== '\r') throw new CsvSyntaxError(`unexpected ${JSON.stringify(c)} after a closing quote`, line);
      }
      if (c === ',') {
        record.push(field);
        field = '';
        state = 'start';
      } else if (c === '\n' || c === '\r') {
        endRecord();
        line++;
        recordLine = line;
        if (c === '\r') lastWasCr = true;
      } else if (c === '"' && state === 'start') {
        state = 'quoted';
      } else {
        field += c;
        state = 'plain';
      }
    }
  };

  const decode = (chunk?: Uint8Array) => {
    try {
      return chunk ? decoder.decode(chunk, { stream: true }) : decoder.decode();
    } catch {
      throw new CsvSyntaxError('the file is not UTF-8 text', line);
    }
  };
  for await (const chunk of chunks) {
    feed(typeof chunk === 'string' ? chunk : decode(chunk));
    yield* out.splice(0);
  }
  feed(decode());
  // (feed() changes the state: TypeScript does not see that through the closure)
  if ((state as State) === 'quoted') throw new CsvSyntaxError('a quoted field is not closed at the end of the file', recordLine);
  if ((state as State) !== 'start' || field !== '' || record.length > 0) endRecord();
  yield* out.splice(0);
}
