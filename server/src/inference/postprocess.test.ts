// Pre/postprocessing of both architectures on hand-made tensors (no model). Uses tfjs's CPU backend: the code under
// test only needs tf ops, and keeping the wasm glue out of the test process avoids its process-wide error hooks.
import * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CENTERNET_DEFAULT_INPUT_SIZE, centernet, postprocessCenternet, preprocessCenternet } from './centernet.js';
import { FOOD_DETECTOR_OPTIONS, HUMAN_OBJECT_DEFAULTS, inputSizeFromSignature, letterboxFrame, unletterboxBox, type Tf } from './detector.js';
import { NANODET_DEFAULT_INPUT_SIZE, nanodet, postprocessNanodet, preprocessNanodet } from './nanodet.js';

const tf: Tf = tfjs;

beforeAll(async () => {
  await tf.setBackend('cpu');
  await tf.ready();
});

const opts = FOOD_DETECTOR_OPTIONS; // minConfidence 0.1, iou 0.4, maxDetected 10

describe('detector options', () => {
  it("are human's object defaults except a lower minConfidence", () => {
    expect(HUMAN_OBJECT_DEFAULTS).toEqual({ minConfidence: 0.2, iouThreshold: 0.4, maxDetected: 10 });
    expect(FOOD_DETECTOR_OPTIONS).toEqual({ minConfidence: 0.1, iouThreshold: 0.4, maxDetected: 10, letterbox: true });
  });

  it('reads the input size from signature dim[2] like the reference', () => {
    const sig = (dims: number[]) => ({ inputs: { x: { tensorShape: { dim: dims.map((size) => ({ size: String(size) })) } } } });
    expect(centernet.inputSize(sig([1, 512, 512, 3]))).toBe(512);
    expect(nanodet.inputSize(sig([1, 3, 416, 416]))).toBe(416);
    expect(inputSizeFromSignature(undefined, 416)).toBe(416);
    expect(inputSizeFromSignature({ inputs: {} }, 512)).toBe(512);
  });
});

describe('centernet', () => {
  it('preprocess stretches the whole image to inputSize², keeping 0..255 RGB NHWC', () => {
    const img = tf.tensor4d(new Float32Array(2 * 3 * 3).fill(200), [1, 2, 3, 3]);
    const out = preprocessCenternet(tf, img, CENTERNET_DEFAULT_INPUT_SIZE);
    expect(out.shape).toEqual([1, 512, 512, 3]);
    expect(Array.from(tf.max(out).dataSync())).toEqual([200]);
    expect(Array.from(tf.min(out).dataSync())).toEqual([200]);
    tf.dispose([img, out]);
  });

  // rows: [x1, y1, x2, y2, score, classIndex] in input pixels (0..512)
  const rows = [
    [0, 0, 256, 256, 0.9, 46], // banana, kept; float32 0.9 is 0.8999999762 -> truncated to 0.89 as in the reference
    [10, 10, 256, 256, 0.8, 47], // IoU 0.92 with the banana -> suppressed (class-agnostic NMS)
    [256, 256, 512, 512, 0.456, 49], // orange, score truncated to 0.45
    [0, 256, 100, 356, 0.05, 0], // below minConfidence
    [300, 0, 400, 100, 0.5, Number.NaN], // NaN class -> skipped
    [-10, 400, 600, 520, 0.3, 0], // person, IoU 0.26 with the orange; box clamped to the image
  ];

  it('decodes, NMSes, truncates scores and normalises boxes like the reference', async () => {
    const t = tf.tensor3d([rows], [1, rows.length, 6]);
    const dets = await postprocessCenternet(tf, t, 512, opts);
    t.dispose();
    expect(dets.map((d) => [d.label, d.confidence])).toEqual([
      ['banana', 0.89],
      ['orange', 0.45],
      ['person', 0.3],
    ]);
    expect(dets[0]!.box).toEqual({ x: 0, y: 0, width: 0.5, height: 0.5 });
    expect(dets[1]!.box).toEqual({ x: 0.5, y: 0.5, width: 0.5, height: 0.5 });
    expect(dets[2]!.box).toEqual({ x: 0, y: 400 / 512, width: 1, height: 1 - 400 / 512 });
  });

  it('respects maxDetected and minConfidence', async () => {
    const t = tf.tensor3d([rows], [1, rows.length, 6]);
    const one = await postprocessCenternet(tf, t, 512, { ...opts, maxDetected: 1 });
    const strict = await postprocessCenternet(tf, t, 512, { ...opts, minConfidence: 0.4 });
    t.dispose();
    expect(one.map((d) => d.label)).toEqual(['banana']);
    expect(strict.map((d) => d.label)).toEqual(['banana', 'orange']);
  });

  it('rejects an output of the wrong shape and does not leak tensors', async () => {
    const before = tf.memory().numTensors;
    const bad = tf.zeros([1, 4, 5]);
    await expect(postprocessCenternet(tf, bad, 512, opts)).rejects.toThrow(/\[1,N,6\]/);
    bad.dispose();
    const t = tf.tensor3d([rows], [1, rows.length, 6]);
    await postprocessCenternet(tf, t, 512, opts);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('nanodet', () => {
  it('preprocess resizes to inputSize², scales to 0..1 and transposes to NCHW', () => {
    const data = new Float32Array(2 * 2 * 3);
    for (let i = 0; i < 4; i++) data.set([255, 51, 0], i * 3);
    const img = tf.tensor4d(data, [1, 2, 2, 3]);
    const out = preprocessNanodet(tf, img, NANODET_DEFAULT_INPUT_SIZE);
    expect(out.shape).toEqual([1, 3, 416, 416]);
    const channelMeans = Array.from(tf.mean(out, [0, 2, 3]).dataSync());
    expect(channelMeans[0]).toBeCloseTo(1, 6);
    expect(channelMeans[1]).toBeCloseTo(0.2, 6);
    expect(channelMeans[2]).toBeCloseTo(0, 6);
    tf.dispose([img, out]);
  });

  /** the six outputs for a 416 input: scores [1,cells,80] and box bins [1,cells,44] per level, in model order */
  function outputs(
    hits: Array<{ level: 0 | 1 | 2; cell: number; cls: number; score: number; bins?: [number, number, number, number] }>,
  ) {
    const grids = [13, 26, 52];
    const scores = grids.map((g) => new Float32Array(g * g * 80));
    const boxes = grids.map((g) => new Float32Array(g * g * 44));
    for (const h of hits) {
      scores[h.level]![h.cell * 80 + h.cls] = h.score;
      const bins = h.bins ?? [0, 0, 0, 0];
      bins.forEach((b, side) => {
        boxes[h.level]![h.cell * 44 + side * 11 + b] = 1; // arg-max bin of this side
      });
    }
    // the model's own output order: Identity_2 (169x80), Identity_5 (169x44), Identity_1, Identity, Identity_4, Identity_3
    return [
      tf.tensor3d(scores[0]!, [1, 169, 80]),
      tf.tensor3d(boxes[0]!, [1, 169, 44]),
      tf.tensor3d(scores[1]!, [1, 676, 80]),
      tf.tensor3d(scores[2]!, [1, 2704, 80]),
      tf.tensor3d(boxes[1]!, [1, 676, 44]),
      tf.tensor3d(boxes[2]!, [1, 2704, 44]),
    ];
  }

  const hits = [
    // 13x13 grid, centre cell (cx = cy = 0.5), bins [2,4,2,4]: offsets bin/32, spread 2.5
    { level: 0 as const, cell: 6 * 13 + 6, cls: 46, score: 0.734, bins: [2, 4, 2, 4] as [number, number, number, number] },
    // the next cell to the right, same bins: 'apple' overlapping the banana
    { level: 0 as const, cell: 6 * 13 + 7, cls: 47, score: 0.6, bins: [2, 4, 2, 4] as [number, number, number, number] },
    // 26x26 grid, top-left cell, bins 1: box runs off the image -> clamped
    { level: 1 as const, cell: 0, cls: 0, score: 0.5, bins: [1, 1, 1, 1] as [number, number, number, number] },
    // class 61 ('toilet') is skipped by the reference
    { level: 2 as const, cell: 1000, cls: 61, score: 0.95 },
    // not above minConfidence
    { level: 2 as const, cell: 2000, cls: 2, score: 0.09 },
  ];

  it("decodes boxes from arg-max bins, skips class 61 and keeps human's [y, x, h, w] NMS boxes", async () => {
    const outs = outputs(hits);
    const dets = await postprocessNanodet(tf, outs, 416, opts);
    tf.dispose(outs);
    // reference NMS compares the boxes between the points (x, y) and (w, h): banana vs apple IoU 0.29 -> both kept
    expect(dets.map((d) => [d.label, d.confidence])).toEqual([
      ['banana', 0.73],
      ['apple', 0.6],
      ['person', 0.5],
    ]);
    const b = dets[0]!.box;
    expect(b.x).toBeCloseTo(0.5 - 2.5 * (2 / 32), 6); // 0.34375
    expect(b.y).toBeCloseTo(0.5 - 2.5 * (4 / 32), 6); // 0.1875
    expect(b.width).toBeCloseTo(2 * 2.5 * (2 / 32), 6); // 0.3125
    expect(b.height).toBeCloseTo(2 * 2.5 * (4 / 32), 6); // 0.625
    const p = dets[2]!.box; // cx = 0.5/26, offsets 1/32 * 1.25
    expect(p.x).toBe(0);
    expect(p.y).toBe(0);
    expect(p.width).toBeCloseTo(2 * 1.25 / 32, 6);
    expect(p.height).toBeCloseTo(2 * 1.25 / 32, 6);
  });

  it("with nmsBoxes: 'corners' the overlapping apple is suppressed", async () => {
    const outs = outputs(hits);
    const dets = await postprocessNanodet(tf, outs, 416, { ...opts, nmsBoxes: 'corners' });
    tf.dispose(outs);
    expect(dets.map((d) => d.label)).toEqual(['banana', 'person']);
  });

  it('keeps returned boxes inside the image', async () => {
    // bottom-right cell of the 13x13 grid with wide bins: the reference clamps x, y, w, h separately
    const outs = outputs([{ level: 0, cell: 168, cls: 49, score: 0.5, bins: [1, 1, 10, 10] }]);
    const [d] = await postprocessNanodet(tf, outs, 416, opts);
    tf.dispose(outs);
    expect(d!.label).toBe('orange');
    expect(d!.box.x + d!.box.width).toBeLessThanOrEqual(1);
    expect(d!.box.y + d!.box.height).toBeLessThanOrEqual(1);
  });

  it('returns nothing for empty outputs, throws on missing outputs, and does not leak tensors', async () => {
    const before = tf.memory().numTensors;
    const outs = outputs([]);
    expect(await postprocessNanodet(tf, outs, 416, opts)).toEqual([]);
    await expect(postprocessNanodet(tf, outs.slice(0, 2), 416, opts)).rejects.toThrow(/26x26/);
    tf.dispose(outs);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('letterbox', () => {
  it.each([
    // width, height, box in the square -> box in the image
    [200, 100, { x: 0, y: 0.25, width: 1, height: 0.5 }, { x: 0, y: 0, width: 1, height: 1 }],
    [200, 100, { x: 0.5, y: 0.5, width: 0.25, height: 0.25 }, { x: 0.5, y: 0.5, width: 0.25, height: 0.5 }],
    [100, 200, { x: 0.25, y: 0, width: 0.25, height: 1 }, { x: 0, y: 0, width: 0.5, height: 1 }],
    // a box reaching into the padding is clipped to the image
    [200, 100, { x: 0, y: 0, width: 0.5, height: 0.5 }, { x: 0, y: 0, width: 0.5, height: 0.5 }],
    [100, 100, { x: 0.1, y: 0.2, width: 0.3, height: 0.4 }, { x: 0.1, y: 0.2, width: 0.3, height: 0.4 }],
  ])('%i x %i: %j -> %j', (w, h, box, want) => {
    const got = unletterboxBox(box, w, h);
    for (const k of ['x', 'y', 'width', 'height'] as const) expect(got[k]).toBeCloseTo(want[k], 9);
  });

  it('centres the image in the square', () => {
    expect(letterboxFrame(307, 172)).toEqual({ side: 307, padX: 0, padY: 67 });
    expect(letterboxFrame(172, 307)).toEqual({ side: 307, padX: 67, padY: 0 });
  });
});
