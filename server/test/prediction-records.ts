// Realistic prediction-log records for tests and benchmarks: mostly successful predictions of a few dozen foods by a
// few thousand users, some anonymous, a few errors without image data.
import type { PredictionRecord } from '../src/monitoring/prediction-log/types.js';
import { uuidv7 } from '../src/util/ids.js';

const FOODS = ['pizza', 'sushi', 'salad', 'hamburger', 'ramen', 'tacos', 'pancakes', 'steak', 'donut', 'apple_pie',
  'caesar_salad', 'fried_rice', 'hot_dog', 'ice_cream', 'lasagna', 'omelette', 'paella', 'pho', 'waffles', 'burrito'];
const FORMATS = ['jpeg', 'jpeg', 'jpeg', 'png', 'webp'];
const ERRORS = ['bad_format', 'corrupt', 'pixel_limit', 'too_large', 'inference'];

/** The image and inference fields of a record that has none (tests that do not look at them). */
export const NO_IMAGE = {
  inferenceMs: null,
  imageWidth: null,
  imageHeight: null,
  imageBytes: null,
  imageFormat: null,
  brightness: null,
  contrast: null,
  saturation: null,
  sharpness: null,
} satisfies Partial<PredictionRecord>;

/** Deterministic for a given seed, so failures reproduce. */
export function recordFactory(seed = 1): (overrides?: Partial<PredictionRecord>) => PredictionRecord {
  let s = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32: fast and good enough for fixtures
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return (overrides = {}) => {
    const createdAt = overrides.createdAt ?? Date.now();
    const id = overrides.id ?? uuidv7(createdAt);
    const userId = rand() < 0.1 ? null : `user-${Math.floor(rand() * 5000)}`;
    if (rand() < 0.03) {
      return {
        id, createdAt, userId, modelName: 'food-detector', modelVersion: '1', status: 'error', errorClass: pick(ERRORS),
        foodName: null, confidence: null, detections: [], latencyMs: 1 + rand() * 20, inferenceMs: null,
        imageWidth: null, imageHeight: null, imageBytes: rand() < 0.5 ? Math.floor(rand() * 2e7) : null, imageFormat: null,
        brightness: null, contrast: null, saturation: null, sharpness: null, variant: 'champion', shadowOf: null, ...overrides,
      };
    }
    const n = 1 + Math.floor(rand() * 3);
    const detections = Array.from({ length: n }, (_, i) => ({
      label: pick(FOODS),
      confidence: Math.round((0.95 - i * 0.2 - rand() * 0.1) * 1e4) / 1e4,
      box: { x: rand() * 0.5, y: rand() * 0.5, width: 0.1 + rand() * 0.5, height: 0.1 + rand() * 0.5 },
    }));
    const width = pick([640, 800, 1024, 1280, 1600, 3024, 4032]);
    const modelVersion = rand() < 0.8 ? '1' : '2';
    return {
      id, createdAt, userId, modelName: 'food-detector', modelVersion, variant: modelVersion === '1' ? 'champion' : 'challenger', shadowOf: null, status: 'ok',
      errorClass: null, foodName: detections[0]!.label, confidence: detections[0]!.confidence, detections,
      latencyMs: 20 + rand() * 80, inferenceMs: 10 + rand() * 40, imageWidth: width, imageHeight: Math.round(width * 0.75),
      imageBytes: 50_000 + Math.floor(rand() * 3e6), imageFormat: pick(FORMATS), brightness: rand(), contrast: rand() * 0.4,
      saturation: rand(), sharpness: rand() * 0.05, ...overrides,
    };
  };
}
