// A model spec's shape, checked before it is sent to the workers (a typo fails the caller, not a worker).
import { ARCHITECTURE_NAMES } from './detector.js';
import type { ModelSpec } from './types.js';

export function validateSpec(spec: ModelSpec): void {
  if (spec.kind === 'builtin-detector') {
    if (spec.runtime !== 'tfjs-graph') throw new RangeError(`unsupported model runtime ${String((spec as { runtime?: unknown }).runtime)}`);
    if (!ARCHITECTURE_NAMES.includes(spec.architecture)) {
      throw new RangeError(`unsupported model architecture ${String(spec.architecture)}`);
    }
  } else if (spec.kind === 'user') {
    if (spec.runtime !== 'onnx' && spec.runtime !== 'tfjs-graph') throw new RangeError(`unsupported model runtime ${String(spec.runtime)}`);
  } else {
    throw new RangeError(`unsupported model kind ${String((spec as { kind?: unknown }).kind)}`);
  }
  if (typeof spec.modelPath !== 'string' || spec.modelPath.length === 0) throw new RangeError('modelPath is required');
}
