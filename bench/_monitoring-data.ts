// Synthetic prediction-log traffic for bench/monitoring.ts: `rows` records over the `days` before `end`, in time
// order (so the writer sees fresh, increasing UUIDv7 ids, as in production), seeded and cheap (a few µs a record).
//
// What it looks like:
//   - a daily rhythm (busy evenings, quiet nights) and traffic growing ~30% over the period;
//   - food-detector: champion v1 then v2 (day 12), a sticky challenger v2 (10% of users, days 6-12) and v3 (15%,
//     day 20 on), shadow runs of v3 for 25% of served requests (days 14-20); food-detector-lite v1 takes 6%;
//   - ten COCO foods with a skewed share, 12% nothing recognised, ~3% errors (rejected uploads without a version,
//     decode and inference failures with one);
//   - ~50,000 users, heavily skewed (user k of n drawn as n·u³: the busiest ~2.7% of traffic), 8% anonymous;
//   - latencies (log-normal per version plus decode time and a slow tail), confidences (better per version, worse in
//     the dark), image sizes from common cameras, bytes, format, and brightness / contrast / saturation / sharpness,
//     with darker, less saturated photos in the last 5 days (drift to find).
import type { PredictionRecord, PredictionVariant } from '../server/src/monitoring/prediction-log/types.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const FOODS = ['banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot', 'hot dog', 'pizza', 'donut', 'cake'];
const FOOD_WEIGHTS = [0.1, 0.08, 0.13, 0.06, 0.05, 0.07, 0.09, 0.22, 0.11, 0.09];
const NO_FOOD_RATE = 0.12;
const ERROR_RATE = 0.03;
const ANONYMOUS_RATE = 0.08;
// error class, share of errors, rejected before a model version was chosen
const ERRORS: Array<[string, number, boolean]> = [
  ['bad_format', 0.3, true],
  ['too_large', 0.15, true],
  ['pixel_limit', 0.1, true],
  ['corrupt', 0.25, true],
  ['inference', 0.2, false],
];
const RESOLUTIONS: Array<[number, number, number]> = [
  // width, height, weight
  [4032, 3024, 0.25],
  [3024, 4032, 0.2],
  [1920, 1080, 0.1],
  [1080, 1920, 0.1],
  [1280, 960, 0.12],
  [800, 600, 0.1],
  [640, 480, 0.08],
  [1024, 1024, 0.05],
];
const FORMATS: Array<[string, number]> = [
  ['jpeg', 0.82],
  ['png', 0.08],
  ['webp', 0.06],
  ['heif', 0.04],
];

interface ModelVersion {
  name: string;
  version: string;
  /** median inference ms */
  inferMs: number;
  /** mean top-1 confidence in good light */
  quality: number;
}
const LITE: ModelVersion = { name: 'food-detector-lite', version: '1', inferMs: 22, quality: 0.55 };
const V1: ModelVersion = { name: 'food-detector', version: '1', inferMs: 70, quality: 0.62 };
const V2: ModelVersion = { name: 'food-detector', version: '2', inferMs: 55, quality: 0.68 };
const V3: ModelVersion = { name: 'food-detector', version: '3', inferMs: 85, quality: 0.73 };

function cumulative(weights: readonly number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => (out[i] = acc += w / total));
  out[out.length - 1] = 1;
  return out;
}

function pickIndex(cum: Float64Array, u: number): number {
  let i = 0;
  while (i < cum.length - 1 && u >= cum[i]!) i++;
  return i;
}

export interface TrafficOptions {
  rows: number;
  /** newest possible createdAt (exclusive), epoch ms */
  end: number;
  days?: number;
  users?: number;
  seed?: number;
}

export interface Traffic {
  /** oldest possible createdAt */
  start: number;
  end: number;
  /** the next record in time order, or null after `rows` */
  next(): PredictionRecord | null;
  /** records made so far */
  made(): number;
}

export function syntheticTraffic({ rows, end, days = 30, users = 50_000, seed = 20261205 }: TrafficOptions): Traffic {
  const start = end - days * DAY_MS;
  const hours = days * 24;

  // Records per hour: daily rhythm (peak ~19:00 UTC, trough ~07:00) times slow growth; exact total by rounding the
  // cumulative share.
  const weights = Array.from({ length: hours }, (_, h) => {
    const mid = start + h * HOUR_MS + HOUR_MS / 2;
    const hourOfDay = (mid % DAY_MS) / HOUR_MS;
    return (1 + 0.6 * Math.sin((2 * Math.PI * (hourOfDay - 13)) / 24)) * (1 + (0.3 * h) / hours);
  });
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const perHour = new Int32Array(hours);
  let acc = 0;
  let assigned = 0;
  for (let h = 0; h < hours; h++) {
    acc += weights[h]!;
    const upto = h === hours - 1 ? rows : Math.round((rows * acc) / totalWeight);
    perHour[h] = upto - assigned;
    assigned = upto;
  }

  let s = seed >>> 0 || 1;
  const rand = () => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  const normal = () => {
    if (spare !== null) {
      const v = spare;
      spare = null;
      return v;
    }
    const r = Math.sqrt(-2 * Math.log(rand() || 1e-12));
    const a = 2 * Math.PI * rand();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  const clamp = (x: number, lo: number, hi: number) => (x < lo ? lo : x > hi ? hi : x);
  const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

  const userIds = Array.from({ length: users }, (_, i) => `user-${i.toString(36).padStart(4, '0')}`);
  const foodCum = cumulative(FOOD_WEIGHTS);
  const errorCum = cumulative(ERRORS.map((e) => e[1]));
  const resCum = cumulative(RESOLUTIONS.map((r) => r[2]));
  const formatCum = cumulative(FORMATS.map((f) => f[1]));

  const tag = (seed & 0xfff).toString(16).padStart(3, '0');
  let counter = 0;
  const idOf = (t: number) => {
    const th = t.toString(16).padStart(12, '0');
    const c = (counter++).toString(16).padStart(15, '0');
    return `${th.slice(0, 8)}-${th.slice(8)}-7${c.slice(0, 3)}-8${c.slice(3, 6)}-${c.slice(6)}${tag}`;
  };

  /** the served version for a user at a day; sticky challenger buckets by user */
  const route = (day: number, userBucket: number): [ModelVersion, PredictionVariant] => {
    if (userBucket < 6) return [LITE, 'champion'];
    if (day < 12) return day >= 6 && userBucket >= 90 ? [V2, 'challenger'] : [V1, 'champion'];
    return day >= 20 && userBucket >= 85 ? [V3, 'challenger'] : [V2, 'champion'];
  };

  interface Image {
    width: number;
    height: number;
    bytes: number;
    format: string;
    brightness: number;
    contrast: number;
    saturation: number;
    sharpness: number;
  }
  const image = (day: number): Image => {
    const [width, height] = RESOLUTIONS[pickIndex(resCum, rand())]!;
    const format = FORMATS[pickIndex(formatCum, rand())]![0];
    const bpp = format === 'png' ? 1.2 + rand() : 0.12 + 0.25 * rand();
    const dark = day >= days - 5; // the last 5 days: darker, duller photos
    return {
      width,
      height,
      format,
      bytes: Math.round(width * height * bpp),
      brightness: round4(clamp((dark ? 0.44 : 0.52) + 0.13 * normal(), 0.02, 0.98)),
      contrast: round4(clamp(0.22 + 0.06 * normal(), 0.01, 0.6)),
      saturation: round4(clamp((dark ? 0.33 : 0.38) + 0.12 * normal(), 0, 1)),
      sharpness: Math.round(Math.exp(-5.5 + 0.8 * normal()) * 1e7) / 1e7,
    };
  };

  const okRecord = (
    id: string,
    t: number,
    userId: string | null,
    mv: ModelVersion,
    variant: PredictionVariant,
    img: Image,
    shadowOf: string | null,
  ): PredictionRecord => {
    const inferenceMs = Math.round(mv.inferMs * Math.exp(0.25 * normal()) * 100) / 100;
    let latencyMs = inferenceMs + 6 + (img.width * img.height) / 1.5e6 + 3 * rand();
    if (rand() < 0.02) latencyMs += 100 + 900 * rand() * rand(); // queueing tail
    latencyMs = Math.round(latencyMs * 100) / 100;
    const found = rand() >= NO_FOOD_RATE;
    const food = found ? FOODS[pickIndex(foodCum, rand())]! : null;
    const confidence = food === null ? null : round4(clamp(mv.quality - (0.52 - img.brightness) * 0.3 + 0.17 * normal(), 0.3, 0.999));
    const detections =
      food === null
        ? []
        : [{ label: food, confidence: confidence!, box: { x: round4(rand() * 0.5), y: round4(rand() * 0.5), width: round4(0.2 + rand() * 0.5), height: round4(0.2 + rand() * 0.5) } }];
    if (food !== null && rand() < 0.35) {
      const other = FOODS[pickIndex(foodCum, rand())]!;
      detections.push({ label: other, confidence: round4(confidence! * (0.3 + 0.5 * rand())), box: { x: round4(rand() * 0.5), y: round4(rand() * 0.5), width: round4(0.1 + rand() * 0.3), height: round4(0.1 + rand() * 0.3) } });
    }
    return {
      id, createdAt: t, userId, modelName: mv.name, modelVersion: mv.version, status: 'ok', errorClass: null,
      foodName: food, confidence, detections, latencyMs, inferenceMs, imageWidth: img.width, imageHeight: img.height,
      imageBytes: img.bytes, imageFormat: img.format, brightness: img.brightness, contrast: img.contrast,
      saturation: img.saturation, sharpness: img.sharpness, variant, shadowOf,
    };
  };

  let hour = 0;
  let slot = 0;
  let made = 0;
  /** the last served successful food-detector prediction, which the next slot may shadow */
  let lastServed: { id: string; userId: string | null; img: Image } | null = null;

  return {
    start,
    end,
    made: () => made,
    next(): PredictionRecord | null {
      while (hour < hours && slot >= perHour[hour]!) {
        hour++;
        slot = 0;
      }
      if (hour >= hours) return null;
      const n = perHour[hour]!;
      const t = start + hour * HOUR_MS + Math.floor(((slot + rand()) * HOUR_MS) / n);
      slot++;
      made++;
      const day = (t - start) / DAY_MS;
      const id = idOf(t);

      // a shadow run of v3 for the previous served request (same user and image), logged after it
      if (lastServed !== null && day >= 14 && day < 20 && rand() < 0.25) {
        const served = lastServed;
        lastServed = null;
        return okRecord(id, t, served.userId, V3, 'shadow', served.img, served.id);
      }
      lastServed = null;

      const anonymous = rand() < ANONYMOUS_RATE;
      const userIndex = Math.floor(users * rand() ** 3);
      const userId = anonymous ? null : userIds[userIndex]!;
      const bucket = anonymous ? Math.floor(rand() * 100) : (userIndex * 2654435761) % 100;
      const [mv, variant] = route(day, bucket);

      if (rand() < ERROR_RATE) {
        const [errorClass, , rejected] = ERRORS[pickIndex(errorCum, rand())]!;
        if (rejected) {
          return {
            id, createdAt: t, userId, modelName: mv.name, modelVersion: null, status: 'error', errorClass, foodName: null,
            confidence: null, detections: [], latencyMs: Math.round((0.5 + 8 * rand()) * 100) / 100, inferenceMs: null,
            imageWidth: null, imageHeight: null, imageBytes: errorClass === 'too_large' ? 10_485_760 + Math.floor(rand() * 2e7) : Math.floor(2e4 + rand() * 4e6),
            imageFormat: null, brightness: null, contrast: null, saturation: null, sharpness: null, variant: null, shadowOf: null,
          };
        }
        const img = image(day);
        return {
          id, createdAt: t, userId, modelName: mv.name, modelVersion: mv.version, status: 'error', errorClass, foodName: null,
          confidence: null, detections: [], latencyMs: Math.round((30 + 170 * rand()) * 100) / 100, inferenceMs: null,
          imageWidth: img.width, imageHeight: img.height, imageBytes: img.bytes, imageFormat: img.format, brightness: null,
          contrast: null, saturation: null, sharpness: null, variant, shadowOf: null,
        };
      }
      const img = image(day);
      const record = okRecord(id, t, userId, mv, variant, img, null);
      if (mv !== LITE) lastServed = { id, userId, img };
      return record;
    },
  };
}
