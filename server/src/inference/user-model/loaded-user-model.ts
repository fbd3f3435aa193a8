// A user-registered version loaded in this thread: preprocess (spec) -> session (ONNX or TF.js) -> postprocess (spec).
import type { Tf } from '../detector.js';
import { computeImageStats } from '../image-stats.js';
import type { DecodedImage, InferenceResult, ModelLoadReport, UserModelSpec } from '../types.js';
import { openOnnxSession } from './onnx-session.js';
import { classify, detect } from './postprocess.js';
import { prepareInput } from './preprocess.js';
import { ModelLoadError, type ModelSession } from './session.js';
import { openTfjsSession } from './tfjs-session.js';

export class LoadedUserModel {
  private constructor(
    readonly spec: UserModelSpec,
    private readonly session: ModelSession,
    readonly report: ModelLoadReport,
  ) {}

  /** tf: this thread's initialised tfjs, needed by TF.js models only. */
  static async load(spec: UserModelSpec, tf: () => Promise<Tf>): Promise<LoadedUserModel> {
    const t0 = performance.now();
    const session =
      spec.runtime === 'onnx' ? await openOnnxSession(spec.modelPath, spec.serving) : await openTfjsSession(await tf(), spec.modelPath, spec.serving);
    try {
      checkInputShape(session, spec);
    } catch (err) {
      session.dispose();
      throw err;
    }
    const report: ModelLoadReport = {
      runtime: spec.runtime,
      task: spec.serving.task,
      loadMs: performance.now() - t0,
      memoryBytes: session.memoryBytes,
      memoryMethod: session.memoryMethod,
    };
    return new LoadedUserModel(spec, session, report);
  }

  async run(image: DecodedImage): Promise<InferenceResult> {
    const serving = this.spec.serving;
    const stats = computeImageStats(image);
    const t0 = performance.now();
    const input = prepareInput(image, serving);
    const t1 = performance.now();
    const output = await this.session.run(input.data, input.dims);
    const t2 = performance.now();
    const detections =
      serving.task === 'classification' ? classify(output, serving) : detect(output, serving, input.frame, image.width, image.height);
    const t3 = performance.now();
    return { task: serving.task, detections, stats, preprocessMs: t1 - t0, inferenceMs: t2 - t1, postprocessMs: t3 - t2 };
  }

  /** One run on a mid-grey image of the input size, so kernels and buffers are allocated (and the output checked). */
  async warmup(): Promise<InferenceResult> {
    const { width, height } = this.spec.serving.input;
    return this.run({ data: new Uint8Array(width * height * 3).fill(128), width, height });
  }

  dispose(): void {
    this.session.dispose();
  }
}

/** Compares the model's declared input shape (where static) with the spec's layout and size. */
function checkInputShape(session: ModelSession, spec: UserModelSpec): void {
  const declared = session.inputShape;
  if (!declared) return;
  const { width, height, layout } = spec.serving.input;
  const expected = layout === 'NCHW' ? [1, 3, height, width] : [1, height, width, 3];
  const fits = declared.length === 4 && declared.every((d, i) => d === null || i === 0 || d === expected[i]);
  if (!fits) {
    const shown = `[${declared.map((d) => d ?? '?').join(', ')}]`;
    throw new ModelLoadError(
      `model input ${JSON.stringify(session.inputName)} is ${shown} but the spec says ${layout} [${expected.join(', ')}] (input.width/height/layout)`,
    );
  }
}
