// Contracts between the request path and the model runtimes. Nothing outside inference/ knows a model file's format.

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

/** What the runtime needs to load one model version. */
export interface ModelSpec {
  name: string;
  version: string;
  runtime: 'tfjs-graph';
  architecture: ModelArchitecture;
  /** absolute path of the TF.js graph model.json */
  modelPath: string;
}

export interface InferenceResult {
  /** every detection above the model's threshold, best first, all COCO classes */
  detections: Detection[];
  stats: ImageStats;
  preprocessMs: number;
  inferenceMs: number;
  postprocessMs: number;
}

export interface InferenceEngine {
  /** Loads (and warms) a model version; resolves when it can answer. Idempotent. */
  load(spec: ModelSpec): Promise<void>;
  unload(name: string, version: string): Promise<void>;
  isLoaded(name: string, version: string): boolean;
  run(name: string, version: string, image: DecodedImage): Promise<InferenceResult>;
  close(): Promise<void>;
}
