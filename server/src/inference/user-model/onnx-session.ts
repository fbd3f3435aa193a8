// ONNX models through onnxruntime-node's native CPU execution provider. One intra-op thread per session: each worker
// thread holds its own session and parallelism comes from the worker pool (the box has 2 cores). onnxruntime-node is
// imported on first use, so workers that only serve TF.js models never load the native addon.
import fs from 'node:fs/promises';
import type { ServingSpec } from '@foodlens/contracts';
import { ModelLoadError, pickName, toFloat32, type ModelSession } from './session.js';

export async function openOnnxSession(modelPath: string, spec: ServingSpec): Promise<ModelSession> {
  const ort = await import('onnxruntime-node');
  const bytes = await fs.readFile(modelPath);
  const rssBefore = process.memoryUsage().rss;
  let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;
  try {
    session = await ort.InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
    });
  } catch (err) {
    throw new ModelLoadError(`onnxruntime cannot load the model: ${(err as Error).message}`);
  }
  const rssDelta = process.memoryUsage().rss - rssBefore;
  try {
    const inputName = pickName('input', spec.input.name, session.inputNames);
    const outputName = pickName('output', spec.output.name, session.outputNames);
    const meta = session.inputMetadata.find((m) => m.name === inputName);
    const inputShape = meta?.isTensor && meta.shape.length > 0 ? meta.shape.map((d) => (typeof d === 'number' && d > 0 ? d : null)) : undefined;
    return {
      inputName,
      inputShape,
      memoryBytes: Math.max(rssDelta, bytes.length),
      memoryMethod: rssDelta > bytes.length ? 'rss-delta' : 'file-size',
      async run(data, dims) {
        const feeds = { [inputName]: new ort.Tensor('float32', data, dims) };
        const result = await session.run(feeds, [outputName]);
        const out = result[outputName]!;
        try {
          if (typeof out.data === 'string' || !('length' in out.data)) throw new ModelLoadError(`output ${outputName} is not numeric (${out.type})`);
          return { data: toFloat32(out.data as ArrayLike<number | bigint>), dims: [...out.dims] };
        } finally {
          out.dispose();
        }
      },
      dispose() {
        void session.release().catch(() => undefined);
      },
    };
  } catch (err) {
    await session.release().catch(() => undefined);
    throw err;
  }
}
