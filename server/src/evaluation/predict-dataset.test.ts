import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { walkDataset, type DatasetItem } from './dataset.js';
import { NO_FOOD } from './labels.js';
import { evaluationMetrics, metricKeyPart, predictDataset, summarise, type Predictor } from './predict-dataset.js';

let tmp: string;
let items: DatasetItem[];

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'foodlens-predict-dataset-'));
  // The file content says what the fake model answers.
  const files: Record<string, string> = {
    'apple/1.jpg': 'apple',
    'apple/2.jpg': 'orange',
    'hot dog/1.jpg': 'hot dog',
    'carrot/1.jpg': '',
    'carrot/2.jpg': 'BROKEN',
  };
  for (const [rel, answer] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(tmp, rel)), { recursive: true });
    writeFileSync(path.join(tmp, rel), answer);
  }
  items = await walkDataset(tmp);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const stats = (image: Buffer) => ({ width: 4, height: 3, bytes: image.length, brightness: 0.5, contrast: 0.1, saturation: 0.2, sharpness: 0.01 });
const fake: Predictor = async (image) => {
  const answer = image.toString();
  if (answer === 'BROKEN') throw new Error('the jpeg image is truncated or corrupt');
  if (answer === 'orange') return { label: answer, confidence: 0.5 }; // a predictor without image statistics
  return answer === '' ? { label: null, confidence: null, image: stats(image) } : { label: answer, confidence: 0.5, image: stats(image) };
};

describe('predictDataset + summarise', () => {
  it("scores answers, counts 'found nothing' as none, and reports failed images apart", async () => {
    const seen: string[] = [];
    const predictions = await predictDataset(items, fake, (p) => seen.push(p.item.relativePath));
    expect(seen).toEqual(['apple/1.jpg', 'apple/2.jpg', 'carrot/1.jpg', 'carrot/2.jpg', 'hot dog/1.jpg']);
    expect(predictions.map((p) => p.predicted)).toEqual(['apple', 'orange', NO_FOOD, null, 'hot dog']);
    expect(predictions[3]).toMatchObject({ latencyMs: null, error: 'the jpeg image is truncated or corrupt', image: null });
    // the predictor's image statistics are kept with the answer, also when it found no food
    expect(predictions.map((p) => p.image?.bytes ?? null)).toEqual([5, null, 0, null, 7]);
    expect(predictions[2]).toMatchObject({ predicted: NO_FOOD, confidence: null, image: { width: 4, height: 3, brightness: 0.5 } });

    const s = summarise(predictions);
    expect(s).toMatchObject({ evaluated: 4, failed: 1 });
    expect(s.confusion).toEqual({
      labels: ['apple', 'carrot', 'hot dog', 'orange', NO_FOOD],
      matrix: [
        [1, 0, 0, 1, 0],
        [0, 0, 0, 0, 1],
        [0, 0, 1, 0, 0],
        [0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0],
      ],
    });
    expect(s.latencyMs.p50).toBeGreaterThanOrEqual(0);
    expect(s.latencyMs.p95).toBeGreaterThanOrEqual(s.latencyMs.p50);

    const m = evaluationMetrics(s);
    expect(m).toMatchObject({
      accuracy: 0.5,
      precision_apple: 1,
      recall_apple: 0.5,
      precision_carrot: 0,
      recall_carrot: 0,
      precision_hot_dog: 1,
      recall_hot_dog: 1,
      precision_orange: 0,
      recall_orange: 0,
      precision_none: 0,
      recall_none: 0,
      images_evaluated: 4,
      images_failed: 1,
    });
    expect(m.precision_macro).toBeCloseTo(2 / 5, 12);
    expect(m.recall_macro).toBeCloseTo(1.5 / 5, 12);
    expect(Object.keys(m)).toEqual(expect.arrayContaining(['latency_p50_ms', 'latency_p95_ms', 'latency_mean_ms']));
  });

  it('makes labels safe metric keys', () => {
    expect(['hot dog', 'crème brûlée', 'a/b.c-d_e'].map(metricKeyPart)).toEqual(['hot_dog', 'cr_me_br_l_e', 'a/b.c-d_e']);
  });
});
