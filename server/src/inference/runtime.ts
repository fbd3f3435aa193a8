// tfjs + wasm backend bootstrap, graph-model loading from the filesystem, and one loaded detector. Runs wherever it
// is imported (normally inside worker.ts, one instance per worker thread); tests may use it in-process.
import fs from 'node:fs/promises';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tfNamespace from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { centernet } from './centernet.js';
import { nanodet } from './nanodet.js';
import { computeImageStats } from './image-stats.js';
import {
  FOOD_DETECTOR_OPTIONS,
  letterboxFrame,
  unletterboxBox,
  type Architecture,
  type DetectorOptions,
  type GraphModel,
  type Tensor,
  type Tensor4D,
  type Tf,
} from './detector.js';
import type { BuiltinDetectorSpec, DecodedImage, InferenceResult, ModelArchitecture, ModelSpec } from './types.js';

const tf: Tf = tfNamespace;

export const ARCHITECTURES: Readonly<Record<ModelArchitecture, Architecture>> = Object.freeze({ centernet, nanodet });

/** Folder holding tfjs-backend-wasm's .wasm binaries (the package's dist/), with a trailing separator. */
export function wasmDistDir(): string {
  const require = createRequire(import.meta.url);
  // `main` is dist/tf-backend-wasm.node.js, next to tfjs-backend-wasm{,-simd,-threaded-simd}.wasm
  return path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
}

let ready: Promise<Tf> | undefined;

/**
 * Selects the wasm backend once per thread. In Node the emscripten loader reads the .wasm from a file path, so the
 * prefix is the package's dist folder. Node has no SharedArrayBuffer-based wasm threads here, so the (SIMD,
 * single-threaded) binary is used; parallelism comes from the worker pool.
 */
export function initTfWasm(): Promise<Tf> {
  ready ??= (async () => {
    setWasmPaths(wasmDistDir());
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const ok = await tf.setBackend('wasm');
    if (!ok) throw new Error('tfjs: the wasm backend failed to initialise');
    await tf.ready();
    return tf;
  })();
  return ready;
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tfNamespace.io.WeightsManifestEntry[] }[];
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
}

/** Reads a TF.js graph model (model.json + its .bin shards) from disk; @tensorflow/tfjs has no file:// loader. */
export async function readGraphModelArtifacts(modelPath: string): Promise<tfNamespace.io.ModelArtifacts> {
  const json = JSON.parse(await fs.readFile(modelPath, 'utf8')) as ModelJson;
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${modelPath}: not a TF.js graph model (modelTopology/weightsManifest missing)`);
  }
  const dir = path.dirname(modelPath);
  const weightSpecs: tfNamespace.io.WeightsManifestEntry[] = [];
  const shards: Buffer[] = [];
  for (const group of json.weightsManifest) {
    for (const p of group.paths) shards.push(await fs.readFile(path.join(dir, p)));
    weightSpecs.push(...group.weights);
  }
  const all = Buffer.concat(shards);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) as ArrayBuffer;
  return {
    modelTopology: json.modelTopology as tfNamespace.io.ModelArtifacts['modelTopology'],
    weightSpecs,
    weightData,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy,
    signature: json.signature as object | undefined,
    userDefinedMetadata: json.userDefinedMetadata as tfNamespace.io.ModelArtifacts['userDefinedMetadata'],
    modelInitializer: json.modelInitializer as object | undefined,
  };
}

export async function loadGraphModelFile(tfx: Tf, modelPath: string): Promise<{ model: GraphModel; signature: unknown }> {
  const artifacts = await readGraphModelArtifacts(modelPath);
  const model = await tfx.loadGraphModel({ load: async () => artifacts });
  return { model, signature: artifacts.signature };
}

/** Packed RGB uint8 -> [1, H, W, 3] float32 0..255, the tensor human hands its object detectors. */
export function imageToTensor(tfx: Tf, image: DecodedImage): Tensor4D {
  const { data, width, height } = image;
  const n = width * height * 3;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`invalid image size ${width}x${height}`);
  }
  if (data.length < n) throw new RangeError(`image data holds ${data.length} bytes, ${width}x${height} RGB needs ${n}`);
  const values = new Float32Array(n);
  for (let i = 0; i < n; i++) values[i] = data[i]!;
  return tfx.tensor4d(values, [1, height, width, 3], 'float32');
}

/** A model version loaded into this thread's tfjs. */
export class LoadedDetector {
  private constructor(
    private readonly tfx: Tf,
    readonly spec: BuiltinDetectorSpec,
    private readonly model: GraphModel,
    private readonly arch: Architecture,
    readonly inputSize: number,
    readonly options: DetectorOptions,
  ) {}

  static async load(tfx: Tf, spec: BuiltinDetectorSpec | ModelSpec, options: DetectorOptions = FOOD_DETECTOR_OPTIONS): Promise<LoadedDetector> {
    if (spec.kind !== 'builtin-detector') throw new Error(`LoadedDetector runs built-in detectors only, not ${String(spec.kind)}`);
    if (spec.runtime !== 'tfjs-graph') throw new Error(`unsupported runtime ${String((spec as { runtime?: unknown }).runtime)}`);
    const arch = ARCHITECTURES[spec.architecture];
    if (!arch) throw new Error(`unsupported architecture ${String(spec.architecture)}`);
    const { model, signature } = await loadGraphModelFile(tfx, spec.modelPath);
    return new LoadedDetector(tfx, spec, model, arch, arch.inputSize(signature), options);
  }

  async run(image: DecodedImage): Promise<InferenceResult> {
    const tfx = this.tfx;
    const stats = computeImageStats(image);
    let input: Tensor4D | undefined;
    let prepared: Tensor | undefined;
    let outputs: Tensor[] = [];
    try {
      const t0 = performance.now();
      input = imageToTensor(tfx, image);
      if (this.options.letterbox && image.width !== image.height) {
        const { side, padX, padY } = letterboxFrame(image.width, image.height);
        const square: Tensor4D = tfx.pad(input, [[0, 0], [padY, side - image.height - padY], [padX, side - image.width - padX], [0, 0]]);
        input.dispose();
        input = square;
      }
      prepared = this.arch.preprocess(tfx, input, this.inputSize);
      const t1 = performance.now();
      outputs = this.arch.execute(this.model, prepared);
      const t2 = performance.now();
      let detections = await this.arch.postprocess(tfx, outputs, this.inputSize, this.options);
      if (this.options.letterbox && image.width !== image.height) {
        detections = detections.map((d) => ({ ...d, box: unletterboxBox(d.box, image.width, image.height) }));
      }
      const t3 = performance.now();
      return { task: 'detection', detections, stats, preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 };
    } finally {
      tfx.dispose([...(input ? [input] : []), ...(prepared ? [prepared] : []), ...outputs]);
    }
  }

  /** One run on a blank (black) image at the model's input size, so kernels and buffers are allocated. */
  async warmup(): Promise<void> {
    const s = this.inputSize;
    await this.run({ data: new Uint8Array(s * s * 3), width: s, height: s });
  }

  dispose(): void {
    this.model.dispose();
  }
}
