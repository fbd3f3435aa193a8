// Messages between worker-pool.ts (main thread) and worker.ts (one per worker thread). Structured-clone friendly.
import type { DetectorOptions } from './detector.js';
import type { InferenceResult, ModelLoadReport, ModelSpec } from './types.js';

/** Map key of a model version (names may contain any character, so no ad-hoc separator). */
export function modelKey(name: string, version: string): string {
  return JSON.stringify([name, version]);
}

export interface WorkerInit {
  detectorOptions: DetectorOptions;
  /** Linux nice value for the worker thread (0 = as the process); background work such as shadow runs uses 19 */
  niceness?: number;
}

export type WorkerRequest =
  | { id: number; type: 'load'; spec: ModelSpec; warmup: boolean }
  | { id: number; type: 'unload'; key: string }
  /** data is the transferred pixel buffer; exactly width*height*3 bytes are used from offset 0 */
  | { id: number; type: 'run'; key: string; data: ArrayBuffer; width: number; height: number }
  /** debug: tf.memory() of the worker */
  | { id: number; type: 'memory' }
  /** debug: throws an uncaught exception inside the worker (simulates a crash) */
  | { id: number; type: 'crash' };

export interface WorkerMemory {
  numTensors: number;
  numBytes: number;
  models: string[];
}

export type WorkerResponse =
  /** load answers the ModelLoadReport of that worker */
  | { id: number; ok: true; value: InferenceResult | WorkerMemory | ModelLoadReport | null }
  | { id: number; ok: false; error: { name: string; message: string } };

/**
 * The ArrayBuffer to post: the caller's own buffer when the view covers all of it (transferred, so the caller's
 * data is detached), otherwise a copy of exactly `bytes` bytes.
 */
export function transferableCopy(data: Uint8Array, bytes: number): ArrayBuffer {
  const buf = data.buffer;
  if (buf instanceof ArrayBuffer && data.byteOffset === 0 && data.byteLength === bytes && buf.byteLength === bytes) {
    return buf;
  }
  const copy = new Uint8Array(bytes);
  copy.set(data.subarray(0, bytes));
  return copy.buffer;
}
