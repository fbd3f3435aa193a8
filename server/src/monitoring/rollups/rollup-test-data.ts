// Seeded prediction records for the rollup tests: several models, versions and variants, errors, anonymous users,
// nothing-recognised answers, spread over a few days.
import type { PredictionRecord, PredictionVariant } from '../prediction-log/types.js';
import { uuidv7 } from '../../util/ids.js';

export function seededRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

const FOODS = ['banana', 'apple', 'pizza', 'donut', 'cake'];
const VARIANTS: Array<PredictionVariant | null> = ['champion', 'champion', 'challenger', 'shadow', null];

export interface RecordOptions {
  /** records are spread uniformly over [from, to) */
  from: number;
  to: number;
  users?: number;
}

export function rollupRecords(seed: number, n: number, { from, to, users = 200 }: RecordOptions): PredictionRecord[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const out: PredictionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = from + Math.floor(rand() * (to - from));
    const error = rand() < 0.07;
    const food = error || rand() < 0.1 ? null : pick(FOODS);
    out.push({
      id: uuidv7(createdAt),
      createdAt,
      userId: rand() < 0.1 ? null : `user-${Math.floor(rand() ** 2 * users)}`,
      modelName: rand() < 0.85 ? 'food-detector' : rand() < 0.5 ? 'other' : null,
      modelVersion: pick(['1', '2', '3']),
      status: error ? 'error' : 'ok',
      errorClass: error ? 'corrupt' : null,
      foodName: food,
      confidence: food === null ? null : Math.round(rand() * 1e6) / 1e6,
      detections: [],
      latencyMs: error ? rand() * 5 : 5 + rand() ** 3 * 2000,
      inferenceMs: null,
      imageWidth: null,
      imageHeight: null,
      imageBytes: null,
      imageFormat: null,
      brightness: null,
      contrast: null,
      saturation: null,
      sharpness: null,
      variant: pick(VARIANTS),
      shadowOf: null,
    });
  }
  return out;
}
