// The runtime adapter the worker drives: whatever the file format, a loaded version answers run(image) with an
// InferenceResult and reports its load cost. Built-in detectors and user models (ONNX or TF.js) sit behind it.
import type { DetectorOptions, Tf } from './detector.js';
import { LoadedDetector } from './runtime.js';
import type { DecodedImage, InferenceResult, ModelLoadReport, ModelSpec } from './types.js';
import { LoadedUserModel } from './user-model/loaded-user-model.js';

export interface LoadedModel {
  readonly report: ModelLoadReport;
  run(image: DecodedImage): Promise<InferenceResult>;
  /** one run on a generated image so the first real request does not pay for allocation */
  warmup(): Promise<unknown>;
  dispose(): void;
}

export async function loadModel(spec: ModelSpec, tf: () => Promise<Tf>, detectorOptions: DetectorOptions): Promise<LoadedModel> {
  if (spec.kind === 'user') return LoadedUserModel.load(spec, tf);
  const tfx = await tf();
  const t0 = performance.now();
  const before = tfx.memory().numBytes;
  const detector = await LoadedDetector.load(tfx, spec, detectorOptions);
  const report: ModelLoadReport = {
    runtime: 'tfjs-graph',
    task: 'detection',
    loadMs: performance.now() - t0,
    memoryBytes: tfx.memory().numBytes - before,
    memoryMethod: 'tfjs-memory',
  };
  return {
    report,
    run: (image) => detector.run(image),
    warmup: () => detector.warmup(),
    dispose: () => detector.dispose(),
  };
}
