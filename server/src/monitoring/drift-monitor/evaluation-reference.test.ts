import { describe, expect, it } from 'vitest';
import { AppError } from '../../util/errors.js';
import { NUMERIC_FEATURES } from './feature-summaries.js';
import { summarisePredictionsCsv } from './evaluation-reference.js';

const ctx = { runId: 'r1', model: 'food-detector', version: '2' };
const HEADER = 'path,label,predicted,confidence,latency_ms,error,image_width,image_height,image_bytes,brightness,contrast,saturation,sharpness';
const from = (text: string, chunk = text.length) =>
  summarisePredictionsCsv(
    (async function* () {
      for (let i = 0; i < text.length; i += chunk) yield Buffer.from(text.slice(i, i + chunk));
    })(),
    ctx,
  );
const feature = (name: string) => NUMERIC_FEATURES.findIndex((f) => f.name === name);

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe('summarisePredictionsCsv', () => {
  it('summarises predicted rows like live predictions: no food has no confidence, failed images are left out', async () => {
    const text =
      `${HEADER}\n` +
      'apple/1.jpg,apple,apple,0.9,10,,300,200,1000,0.5,0.2,0.4,0.01\n' +
      '"apple/""2"", red.jpg",apple,orange,0.6,11,,600,200,3000,0.7,0.2,0.4,0.02\n' +
      'carrot/1.jpg,carrot,none,,12,,400,400,2000,0.3,0.1,0.2,0.03\n' +
      'carrot/2.jpg,carrot,,,,"corrupt, truncated",,,,,,,\n' +
      // a user model's own class called "none" has a confidence: it is that food, not "no food"
      'x/1.jpg,x,none,0.8,9,,100,100,500,0.1,0.1,0.1,0.001\n';
    for (const chunk of [text.length, 5, 1]) {
      const { summaries, failed } = await from(text, chunk);
      expect(failed).toBe(1);
      expect(summaries.rows).toBe(4);
      expect(Object.fromEntries(summaries.foods)).toEqual({ apple: 1, orange: 1, '': 1, none: 1 });
      const conf = summaries.numeric[feature('confidence')]!;
      expect(conf).toMatchObject({ count: 3, missing: 1 });
      expect(conf.sum).toBeCloseTo(2.3, 12);
      const aspect = summaries.numeric[feature('aspect_ratio')]!;
      expect(aspect.distinct).toEqual([[1, 2], [1.5, 1], [3, 1]]);
      expect(summaries.numeric[feature('image_bytes')]!.sum).toBe(6500);
      expect(summaries.numeric[feature('sharpness')]!).toMatchObject({ count: 4, missing: 0, max: 0.03 });
    }
  });

  it('reads the columns by name, so their order does not matter', async () => {
    const { summaries } = await from('brightness,contrast,saturation,sharpness,image_width,image_height,image_bytes,path,label,predicted,confidence,latency_ms,error\n0.5,0.1,0.2,0.01,10,20,30,a.jpg,a,a,0.5,1,\n');
    expect(summaries.rows).toBe(1);
    expect(summaries.numeric[feature('aspect_ratio')]!.distinct).toEqual([[0.5, 1]]);
  });

  it('400 for a file of a run logged before image statistics, saying to re-run evaluate', async () => {
    const e = await rejection(from('path,label,predicted,confidence,latency_ms,error\napple/1.jpg,apple,apple,0.9,10,\n'));
    expect(e.statusCode).toBe(400);
    expect(e.details).toEqual({ reason: 'no_image_stats' });
    expect(e.message).toMatch(/older evaluate\. Re-run `npm run evaluate -- --model food-detector\/2 --data <folder>`/);
  });

  it('400 for anything else that is not an evaluation predictions file', async () => {
    for (const [text, message] of [
      ['', /is empty/],
      ['a,b\n1,2\n', /has no column path, label, predicted, confidence, latency_ms, error/],
      [`${HEADER}\na.jpg,a,a,0.5\n`, /row 1 has 4 fields, the header 13/],
      [`${HEADER}\na.jpg,a,a,high,1,,1,1,1,1,1,1,1\n`, /row 1: confidence "high" is not a number/],
      [`${HEADER}\n"a.jpg"x,a,a,0.5,1,,1,1,1,1,1,1,1\n`, /is not valid CSV: line 2: unexpected "x" after a closing quote/],
    ] as const) {
      const e = await rejection(from(text));
      expect(e.statusCode, text).toBe(400);
      expect(e.details, text).toEqual({ reason: 'invalid_predictions' });
      expect(e.message, text).toMatch(message);
    }
  });

  it('counts a file whose images all failed as empty (the caller refuses it)', async () => {
    const { summaries, failed } = await from(`${HEADER}\na.jpg,a,,,,broken,,,,,,,\n`);
    expect({ rows: summaries.rows, failed }).toEqual({ rows: 0, failed: 1 });
  });
});
