// Worker-thread entry: one tfjs (wasm backend) instance per thread, any number of loaded model versions.
// Requests are handled strictly one at a time, in arrival order (so an 'unload' never overtakes earlier runs and
// timings are not skewed by interleaving). Errors are answered, never thrown: the wasm glue installs process-level
// handlers that turn any stray rejection into a fatal error, which the pool would treat as a crash.
import { readlinkSync } from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { FOOD_DETECTOR_OPTIONS } from './detector.js';
import { loadModel, type LoadedModel } from './loaded-model.js';
import { initTfWasm } from './runtime.js';
import { modelKey, type WorkerInit, type WorkerRequest, type WorkerResponse } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('inference/worker.ts must be started as a worker thread');

const init = (workerData ?? {}) as Partial<WorkerInit>;
const detectorOptions = init.detectorOptions ?? FOOD_DETECTOR_OPTIONS;
if (init.niceness) lowerThreadPriority(init.niceness);
const tfReady = initTfWasm();
tfReady.catch(() => undefined); // reported per request below
const detectors = new Map<string, LoadedModel>();

type ResponseValue = Extract<WorkerResponse, { ok: true }>['value'];

async function handle(msg: WorkerRequest): Promise<ResponseValue> {
  switch (msg.type) {
    case 'load': {
      const key = modelKey(msg.spec.name, msg.spec.version);
      const existing = detectors.get(key);
      if (existing) return existing.report;
      const t0 = performance.now();
      const model = await loadModel(msg.spec, () => tfReady, detectorOptions);
      try {
        if (msg.warmup) await model.warmup();
      } catch (err) {
        model.dispose();
        throw err;
      }
      detectors.set(key, model);
      // the time until this worker can answer: load plus warm-up
      return { ...model.report, loadMs: performance.now() - t0 };
    }
    case 'unload': {
      detectors.get(msg.key)?.dispose();
      detectors.delete(msg.key);
      return null;
    }
    case 'run': {
      await tfReady;
      const detector = detectors.get(msg.key);
      if (!detector) throw new Error(`model ${msg.key} is not loaded in this worker`);
      return detector.run({ data: new Uint8Array(msg.data), width: msg.width, height: msg.height });
    }
    case 'memory': {
      const tf = await tfReady;
      const m = tf.memory();
      return { numTensors: m.numTensors, numBytes: m.numBytes, models: [...detectors.keys()] };
    }
    case 'crash': {
      setImmediate(() => {
        throw new Error('debug: simulated inference worker crash');
      });
      return new Promise(() => undefined); // never answers; the worker dies
    }
  }
}

let chain: Promise<void> = Promise.resolve();
port.on('message', (msg: WorkerRequest) => {
  chain = chain.then(async () => {
    let response: WorkerResponse;
    try {
      const value = await handle(msg);
      response = { id: msg.id, ok: true, value };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      response = { id: msg.id, ok: false, error: { name: e.name, message: e.message } };
    }
    port.postMessage(response);
  });
});

/**
 * Renices this thread only. On Linux a thread is a task with its own id and nice value, and setpriority() takes a
 * task id; /proc/thread-self names it. Elsewhere (or without /proc) the worker runs at the process's priority.
 */
function lowerThreadPriority(niceness: number): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, niceness);
  } catch {
    // not Linux, or not allowed: priority is an optimisation, not a requirement
  }
}
