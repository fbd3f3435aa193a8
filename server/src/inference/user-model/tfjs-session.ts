// TF.js graph models (model.json + weight shards) on the worker's wasm backend. executeAsync, because user graphs may
// hold control flow that the synchronous execute() refuses.
import type { ServingSpec } from '@foodlens/contracts';
import type { Tensor, Tf } from '../detector.js';
import { loadGraphModelFile } from '../runtime.js';
import { ModelLoadError, pickName, toFloat32, type ModelSession } from './session.js';

export async function openTfjsSession(tf: Tf, modelPath: string, spec: ServingSpec): Promise<ModelSession> {
  const before = tf.memory().numBytes;
  let model: Awaited<ReturnType<typeof loadGraphModelFile>>['model'];
  try {
    ({ model } = await loadGraphModelFile(tf, modelPath));
  } catch (err) {
    throw new ModelLoadError(`tfjs cannot load the graph model: ${(err as Error).message}`);
  }
  const memoryBytes = tf.memory().numBytes - before;
  try {
    const inputName = pickName('input', spec.input.name, model.inputs.map((i) => i.name));
    const outputName = pickName('output', spec.output.name, model.outputs.map((o) => o.name));
    const shape = model.inputs.find((i) => i.name === inputName)?.shape;
    const inputShape = shape?.map((d) => (typeof d === 'number' && d > 0 ? d : null));
    return {
      inputName,
      inputShape,
      memoryBytes,
      memoryMethod: 'tfjs-memory',
      async run(data, dims) {
        const input = tf.tensor(data, dims, 'float32');
        let out: Tensor | Tensor[] | undefined;
        try {
          out = await model.executeAsync({ [inputName]: input }, outputName);
          const t = Array.isArray(out) ? out[0]! : out;
          return { data: toFloat32(await t.data()), dims: [...t.shape] };
        } finally {
          tf.dispose([input, ...(out ? (Array.isArray(out) ? out : [out]) : [])]);
        }
      },
      dispose() {
        model.dispose();
      },
    };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
