// Validation of a staged model: load it and run one inference on a generated image in a short-lived engine of its
// own (one worker thread), so a model that crashes or hangs the runtime never touches the serving pool. Bounded by a
// timeout, after which the worker is terminated.
import type { ServingSpec } from '@foodlens/contracts';
import { createInferenceEngine, InferenceWorkerError, WorkerCrashedError } from '../inference/index.js';
import type { LoadedModelInfo, ModelRuntime } from '../inference/types.js';
import { ModelValidationError } from './model-errors.js';

export interface ValidationResult {
  load: LoadedModelInfo;
  /** labels of the generated image's answer (proof the output was read) */
  sampleLabels: string[];
}

export async function validateModel(
  modelPath: string,
  runtime: ModelRuntime,
  serving: ServingSpec,
  opts: { timeoutMs: number },
): Promise<ValidationResult> {
  const engine = createInferenceEngine({ workers: 1 });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_r, reject) => {
    timer = setTimeout(
      () => reject(new ModelValidationError(`the model did not load and answer within ${opts.timeoutMs} ms`, 'timeout')),
      opts.timeoutMs,
    );
  });
  try {
    const name = 'validation';
    const work = (async () => {
      // load() warms the model up: one run on a grey image of the input size, which also checks the output shape
      await engine.load({ kind: 'user', name, version: '1', runtime, modelPath, serving });
      const { width, height } = serving.input;
      const image = gradient(width, height);
      const result = await engine.run(name, '1', image);
      return { load: engine.loadedModels()[0]!, sampleLabels: result.detections.map((d) => d.label) };
    })();
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof ModelValidationError) throw err;
    if (err instanceof InferenceWorkerError) throw new ModelValidationError(err.message, reasonOf(err.workerErrorName));
    if (err instanceof WorkerCrashedError) throw new ModelValidationError(`the model crashed the runtime: ${err.message}`, 'crashed');
    throw err;
  } finally {
    clearTimeout(timer);
    await engine.close();
  }
}

function reasonOf(errorName: string): string {
  return errorName === 'ModelOutputError' ? 'output_mismatch' : errorName === 'ModelLoadError' ? 'load_failed' : 'inference_failed';
}

/** A colourful test image (horizontal red, vertical green gradients), so no model sees only constant input. */
function gradient(width: number, height: number) {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((255 * x) / Math.max(1, width - 1));
      data[i + 1] = Math.round((255 * y) / Math.max(1, height - 1));
      data[i + 2] = 128;
    }
  }
  return { data, width, height };
}
