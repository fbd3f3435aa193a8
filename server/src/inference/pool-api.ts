// The worker pool's public surface: its options, events, debug hooks and errors (worker-pool.ts implements it).
import { ServiceUnavailable } from '../util/errors.js';
import type { DetectorOptions } from './detector.js';
import type { WorkerMemory } from './protocol.js';
import type { InferenceEngine } from './types.js';

export class WorkerCrashedError extends ServiceUnavailable {
  constructor(message: string, details?: Record<string, unknown>) {
    super(message, details);
  }
}

/** An error reported by a worker while handling a request (bad model file, bad image, ...). */
export class InferenceWorkerError extends Error {
  constructor(
    message: string,
    readonly workerErrorName: string,
  ) {
    super(message);
    this.name = 'InferenceWorkerError';
  }
}

export type PoolEvent =
  | { type: 'worker-exit'; worker: number; exitCode: number; error?: Error; rejected: number; willRestart: boolean }
  | { type: 'worker-ready'; worker: number; restart: boolean; models: number }
  | { type: 'worker-reload-failed'; worker: number; model: string; error: Error };

export interface InferenceEngineOptions {
  /** number of worker threads (>= 1) */
  workers: number;
  /** thresholds used by every worker; default FOOD_DETECTOR_OPTIONS */
  detectorOptions?: DetectorOptions;
  /** nice value of the worker threads (Linux; 0..19, default 0): 19 lets served requests take the CPU first */
  niceness?: number;
  /** warm each model with one blank-image run when loading (default true) */
  warmup?: boolean;
  /** lifecycle notifications (logging/metrics); must not throw */
  onEvent?: (event: PoolEvent) => void;
}

export interface InferencePoolDebug {
  /** terminates worker `index` as if it had crashed; resolves once it has exited (the replacement starts after) */
  terminateWorker(index: number): Promise<void>;
  /** makes worker `index` throw an uncaught exception */
  crashWorker(index: number): void;
  /** tf.memory() of every worker (waits for workers that are restarting) */
  memory(): Promise<WorkerMemory[]>;
  /** resolves when every worker is up and has (re)loaded all models */
  whenReady(): Promise<void>;
  /** number of workers replaced so far */
  restarts(): number;
}

export interface InferenceWorkerPool extends InferenceEngine {
  /** number of worker threads */
  readonly size: number;
  /** run() requests not answered yet: in flight in a worker (queued or running) plus waiting for a worker */
  queueDepth(): number;
  readonly debug: InferencePoolDebug;
}
