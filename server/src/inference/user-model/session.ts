// The one seam between a user model's file format and the rest of inference: a session takes the prepared input
// tensor and answers the output tensor the serving spec names. onnx-session.ts and tfjs-session.ts implement it.
import type { ModelLoadReport } from '../types.js';
import type { OutputTensor } from './postprocess.js';

export interface ModelSession {
  /** the input tensor fed */
  readonly inputName: string;
  /** its declared shape; null where a dimension is dynamic; undefined when the model does not say */
  readonly inputShape: ReadonlyArray<number | null> | undefined;
  /** measured while loading (see ModelLoadReport) */
  readonly memoryBytes: number;
  readonly memoryMethod: ModelLoadReport['memoryMethod'];
  run(data: Float32Array, dims: number[]): Promise<OutputTensor>;
  dispose(): void;
}

/** A model that cannot be opened or does not expose what the spec asks for (named input/output missing, ...). */
export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
}

/** Picks the tensor named by the spec, or the model's first one, with a message listing what exists. */
export function pickName(kind: 'input' | 'output', wanted: string | undefined, available: readonly string[]): string {
  if (available.length === 0) throw new ModelLoadError(`the model has no ${kind}s`);
  if (wanted === undefined) return available[0]!;
  if (!available.includes(wanted)) {
    throw new ModelLoadError(`the model has no ${kind} named ${JSON.stringify(wanted)} (it has ${available.map((n) => JSON.stringify(n)).join(', ')})`);
  }
  return wanted;
}

export function toFloat32(values: ArrayLike<number | bigint>): Float32Array {
  if (values instanceof Float32Array) return values;
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Number(values[i]);
  return out;
}
