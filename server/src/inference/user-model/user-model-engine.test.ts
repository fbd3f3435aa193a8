// User models in the real engine (worker threads): the ONNX colour classifier and detector built by the test
// fixtures, and the hand-written TF.js graph model, on solid-colour images generated with sharp.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServingSpec } from '@foodlens/contracts';
import { COLOUR_LABELS, colourClassifierOnnx, colourDetectorOnnx } from '../../../test/fixtures/onnx-models.js';
import { colourClassifierTfjs } from '../../../test/fixtures/tfjs-models.js';
import { builtinFoodModels, createInferenceEngine, type DecodedImage, type InferenceWorkerPool, type UserModelSpec } from '../index.js';

const COLOURS = { tomato: { r: 220, g: 20, b: 30 }, broccoli: { r: 30, g: 200, b: 40 }, banana: { r: 240, g: 220, b: 30 } } as const;

async function solid(colour: { r: number; g: number; b: number }, width = 120, height = 80): Promise<DecodedImage> {
  const { data, info } = await sharp({ create: { width, height, channels: 3, background: colour } }).raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height };
}

/** softmax(r * [4,-4,3] + g * [-4,4,3] + [0,0,-3]) with r, g in 0..1 */
function colourProbabilities({ r, g }: { r: number; g: number }): number[] {
  const [R, G] = [r / 255, g / 255];
  const logits = [4 * R - 4 * G, 4 * G - 4 * R, 3 * R + 3 * G - 3];
  const e = logits.map(Math.exp);
  return e.map((v) => v / e.reduce((a, b) => a + b, 0));
}

let dir: string;
let engine: InferenceWorkerPool;
const labels = [...COLOUR_LABELS];
// the model ends in Softmax already: activation none
const classifierServing = ServingSpec.parse({
  task: 'classification',
  labels,
  input: { width: 32, height: 32 },
  output: { activation: 'none' },
  top_k: 3,
  min_confidence: 0,
});

const onnxSpec = (): UserModelSpec => ({ kind: 'user', name: 'colours', version: '1', runtime: 'onnx', modelPath: path.join(dir, 'colours.onnx'), serving: classifierServing });

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'foodlens-user-models-'));
  await fs.writeFile(path.join(dir, 'colours.onnx'), colourClassifierOnnx());
  await fs.writeFile(path.join(dir, 'detector.onnx'), colourDetectorOnnx());
  await fs.mkdir(path.join(dir, 'tfjs'));
  for (const [name, bytes] of Object.entries(colourClassifierTfjs())) await fs.writeFile(path.join(dir, 'tfjs', name), bytes);
  engine = createInferenceEngine({ workers: 2 });
}, 60_000);

afterAll(async () => {
  await engine?.close();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('an ONNX classifier in the engine', () => {
  it('answers tomato, broccoli and banana on solid colours, best first, boxes covering the image', async () => {
    await engine.load(onnxSpec());
    for (const [label, colour] of Object.entries(COLOURS)) {
      for (let i = 0; i < 2; i++) {
        // twice: both workers answer
        const r = await engine.run('colours', '1', await solid(colour));
        expect(r.task).toBe('classification');
        expect(r.detections.map((d) => d.label)[0]).toBe(label);
        expect(r.detections).toHaveLength(3);
        // the model's own arithmetic on the mean colour (see onnx-models.ts)
        const expected = colourProbabilities(colour);
        for (const d of r.detections) expect(d.confidence).toBeCloseTo(expected[labels.indexOf(d.label as (typeof labels)[number])]!, 4);
        for (const d of r.detections) expect(d.box).toEqual({ x: 0, y: 0, width: 1, height: 1 });
        expect(r.stats.saturation).toBeGreaterThan(0.7); // image stats are computed for user models too
      }
    }
  });

  it('reports load time and memory per version, next to the built-in detector', async () => {
    await engine.load(builtinFoodModels()[1]!);
    const models = engine.loadedModels();
    const onnx = models.find((m) => m.name === 'colours')!;
    expect(onnx).toMatchObject({ version: '1', runtime: 'onnx', task: 'classification', workers: 2 });
    expect(onnx.loadMs).toBeGreaterThan(0);
    expect(onnx.memoryBytes).toBeGreaterThanOrEqual(2 * colourClassifierOnnx().length);
    expect(['rss-delta', 'file-size']).toContain(onnx.memoryMethod);
    const nanodet = models.find((m) => m.name === 'food-detector')!;
    expect(nanodet).toMatchObject({ runtime: 'tfjs-graph', task: 'detection', memoryMethod: 'tfjs-memory', workers: 2 });
    expect(nanodet.memoryBytes).toBeGreaterThan(2 * 1_000_000); // NanoDet's weights are a few MB per worker
    console.log('loaded models:', JSON.stringify(models));
    await engine.unload('food-detector', '2');
    expect(engine.loadedModels().map((m) => m.name)).toEqual(['colours']);
  });

  it('refuses a spec whose input size contradicts the model, saying so', async () => {
    const spec = { ...onnxSpec(), version: '9', serving: { ...classifierServing, input: { ...classifierServing.input, width: 64, height: 64 } } };
    await expect(engine.load(spec)).rejects.toThrow(/input "image" is \[1, 3, 32, 32\] but the spec says NCHW \[1, 3, 64, 64\]/);
    expect(engine.isLoaded('colours', '9')).toBe(false);
  });

  it('refuses a spec with more labels than the model has classes', async () => {
    const spec = { ...onnxSpec(), version: '8', serving: { ...classifierServing, labels: [...labels, 'kiwi'] } };
    await expect(engine.load(spec)).rejects.toThrow(/has 3 classes but 4 labels were given/);
  });
});

describe('an ONNX detector (output [1, N, 4 + C]) in the engine', () => {
  it('answers boxes mapped back through the letterbox, with NMS', async () => {
    const serving = ServingSpec.parse({
      task: 'detection',
      labels,
      input: { width: 32, height: 32, resize: 'letterbox' },
      output: { activation: 'sigmoid' },
      min_confidence: 0.5,
    });
    await engine.load({ kind: 'user', name: 'colour-boxes', version: '1', runtime: 'onnx', modelPath: path.join(dir, 'detector.onnx'), serving });
    // 200x100: letterboxed into 32x32, the image fills rows 8..24; the first box (0.1..0.6 of the input) maps to
    // x 0.1..0.6, y (3.2-8)/16 -> clipped 0 .. (19.2-8)/16 = 0.7
    const r = await engine.run('colour-boxes', '1', await solid(COLOURS.tomato, 200, 100));
    expect(r.task).toBe('detection');
    expect(r.detections.map((d) => d.label)).toEqual(['tomato', 'tomato']); // the overlapping second box is suppressed
    const [first, far] = r.detections;
    // the model averages the whole input, black padding included: half of it is image
    expect(first!.confidence).toBeCloseTo(1 / (1 + Math.exp((-4 * (220 - 20)) / 255 / 2)), 4);
    expect(first!.box.x).toBeCloseTo(0.1, 2);
    expect(first!.box.width).toBeCloseTo(0.5, 2);
    expect(first!.box.y).toBe(0);
    expect(first!.box.height).toBeCloseTo(0.7, 2);
    expect(far!.box.x).toBeCloseTo(0.7, 2);
  });
});

describe('a TF.js graph model (hand-written model.json + shard) in the engine', () => {
  it('answers the same colours as the ONNX model (NHWC layout)', async () => {
    const serving = ServingSpec.parse({ task: 'classification', labels, input: { width: 32, height: 32, layout: 'NHWC' }, output: { activation: 'none' } });
    await engine.load({ kind: 'user', name: 'colours-tfjs', version: '1', runtime: 'tfjs-graph', modelPath: path.join(dir, 'tfjs', 'model.json'), serving });
    for (const [label, colour] of Object.entries(COLOURS)) {
      const r = await engine.run('colours-tfjs', '1', await solid(colour));
      expect(r.detections[0]!.label).toBe(label);
    }
    const info = engine.loadedModels().find((m) => m.name === 'colours-tfjs')!;
    expect(info).toMatchObject({ runtime: 'tfjs-graph', memoryMethod: 'tfjs-memory', memoryBytes: 2 * (8 + 36 + 12) });
  });
});
