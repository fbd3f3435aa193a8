// Synthetic prediction streams for the drift tests: every drift feature drawn from a fixed distribution (seeded), with
// optional shifts of image brightness and of the food mix.
import type { Detection } from '../../inference/types.js';
import type { PredictionRecord } from '../prediction-log/types.js';
import { seededRandom } from '../rollups/rollup-test-data.js';
import { uuidv7 } from '../../util/ids.js';

export const DRIFT_FOODS = ['pizza', 'sushi', 'salad', 'hamburger', 'ramen', 'tacos', 'pancakes', 'steak', 'donut', 'waffles'];

export interface StreamOptions {
  from: number;
  to: number;
  model?: string;
  version?: string;
  variant?: PredictionRecord['variant'];
  /** added to every brightness (then clamped to [0, 1]) */
  brightnessShift?: number;
  /** relative weight of each of DRIFT_FOODS (default uniform) */
  foodWeights?: readonly number[];
  /** share of failed requests (default 0.05); failures carry no features */
  errorRate?: number;
}

export function driftStream(seed: number, n: number, o: StreamOptions): PredictionRecord[] {
  const rand = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const weights = o.foodWeights ?? DRIFT_FOODS.map(() => 1);
  const total = weights.reduce((a, b) => a + b, 0);
  const food = (): string | null => {
    if (rand() < 0.05) return null;
    let u = rand() * total;
    for (let i = 0; i < DRIFT_FOODS.length; i++) if ((u -= weights[i]!) < 0) return DRIFT_FOODS[i]!;
    return DRIFT_FOODS[DRIFT_FOODS.length - 1]!;
  };
  // Irwin-Hall(3): a bounded bell shape, mean 0, sd 0.5
  const bell = () => rand() + rand() + rand() - 1.5;
  const out: PredictionRecord[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = o.from + Math.floor(rand() * (o.to - o.from));
    const base: Pick<PredictionRecord, 'id' | 'createdAt' | 'userId' | 'modelName' | 'modelVersion' | 'variant' | 'shadowOf' | 'detections' | 'imageFormat'> = {
      id: uuidv7(createdAt),
      createdAt,
      userId: `user-${Math.floor(rand() * 300)}`,
      modelName: o.model ?? 'food-detector',
      modelVersion: o.version ?? '1',
      variant: o.variant === undefined ? 'champion' : o.variant,
      shadowOf: null,
      detections: [] as Detection[],
      imageFormat: 'jpeg',
    };
    if (rand() < (o.errorRate ?? 0.05)) {
      out.push({
        ...base, status: 'error', errorClass: 'corrupt', foodName: null, confidence: null, latencyMs: 2 + rand() * 3, inferenceMs: null,
        imageWidth: null, imageHeight: null, imageBytes: Math.floor(rand() * 1e6), brightness: null, contrast: null, saturation: null, sharpness: null,
      });
      continue;
    }
    const width = pick([640, 800, 1024, 1280, 3024, 4032]);
    const f = food();
    out.push({
      ...base,
      status: 'ok',
      errorClass: null,
      foodName: f,
      confidence: f === null ? null : 0.35 + 0.6 * Math.sqrt(rand()),
      latencyMs: 20 + rand() * 80,
      inferenceMs: 10 + rand() * 40,
      imageWidth: width,
      imageHeight: Math.round(width * pick([0.75, 1, 0.5625, 1.3333])),
      imageBytes: 60_000 + Math.floor(rand() * 2.5e6),
      brightness: Math.min(1, Math.max(0, 0.45 + 0.2 * bell() + (o.brightnessShift ?? 0))),
      contrast: 0.05 + 0.25 * rand(),
      saturation: Math.min(1, Math.max(0, 0.4 + 0.3 * bell())),
      sharpness: 0.02 * rand() * rand(),
    });
  }
  return out;
}
