// Model output -> answer for user models (the output conventions are documented in contracts' model-spec.ts).
// Pure JS over the output's values and dims, shared by both runtimes.
import type { ServingSpec } from '@foodlens/contracts';
import type { Box, Detection } from '../types.js';
import { boxToImage, type InputFrame } from './preprocess.js';

/** The model's output does not fit its serving spec (wrong class count, wrong rank, ...): the spec or model is wrong. */
export class ModelOutputError extends Error {
  override name = 'ModelOutputError';
}

export interface OutputTensor {
  data: Float32Array;
  dims: readonly number[];
}

const WHOLE_IMAGE: Box = Object.freeze({ x: 0, y: 0, width: 1, height: 1 });

/** In place, over consecutive groups of `size` values. */
export function activate(values: Float32Array, activation: ServingSpec['output']['activation'], size: number): Float32Array {
  if (activation === 'sigmoid') {
    for (let i = 0; i < values.length; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
  } else if (activation === 'softmax') {
    for (let g = 0; g < values.length; g += size) {
      let max = -Infinity;
      for (let i = g; i < g + size; i++) if (values[i]! > max) max = values[i]!;
      let sum = 0;
      for (let i = g; i < g + size; i++) sum += values[i] = Math.exp(values[i]! - max);
      for (let i = g; i < g + size; i++) values[i]! /= sum;
    }
  }
  return values;
}

/** Checks an output against the spec before anything reads it, with a message that says what is wrong. */
export function checkOutputShape(out: OutputTensor, spec: ServingSpec): void {
  const C = spec.labels.length;
  const shape = `[${out.dims.join(', ')}]`;
  if (spec.task === 'classification') {
    const batch = out.dims.length > 1 ? out.dims[0]! : 1;
    const classes = out.dims.reduce((a, b) => a * b, 1) / (batch || 1);
    if (batch !== 1 || classes !== C || out.data.length !== C) {
      throw new ModelOutputError(`classification output ${shape} has ${classes} classes but ${C} labels were given`);
    }
    return;
  }
  if (out.dims.length !== 3 || out.dims[0] !== 1) {
    throw new ModelOutputError(`detection output must be [1, N, 4 + classes], got ${shape}`);
  }
  if (out.dims[2] !== 4 + C) {
    throw new ModelOutputError(`detection output ${shape} has ${out.dims[2]! - 4} classes per box but ${C} labels were given (expected [1, N, ${4 + C}])`);
  }
}

/** Top-k classes, best first, as detections covering the whole image. The best class is answered even if low. */
export function classify(out: OutputTensor, spec: ServingSpec): Detection[] {
  checkOutputShape(out, spec);
  const probs = activate(Float32Array.from(out.data), spec.output.activation, spec.labels.length);
  const order = [...probs.keys()].sort((a, b) => probs[b]! - probs[a]!);
  return order
    .slice(0, spec.top_k)
    .filter((i, rank) => rank === 0 || probs[i]! >= spec.min_confidence)
    .map((i) => ({ label: spec.labels[i]!, confidence: probs[i]!, box: { ...WHOLE_IMAGE } }));
}

interface Candidate {
  cls: number;
  score: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** Decodes [1, N, 4 + C], keeps each candidate's best class, per-class greedy NMS, top_k, boxes mapped to the image. */
export function detect(out: OutputTensor, spec: ServingSpec, frame: InputFrame, width: number, height: number): Detection[] {
  checkOutputShape(out, spec);
  const C = spec.labels.length;
  const N = out.dims[1]!;
  const row = 4 + C;
  const scores = new Float32Array(C);
  const candidates: Candidate[] = [];
  for (let n = 0; n < N; n++) {
    const o = n * row;
    for (let k = 0; k < C; k++) scores[k] = out.data[o + 4 + k]!;
    activate(scores, spec.output.activation, C);
    let cls = 0;
    for (let k = 1; k < C; k++) if (scores[k]! > scores[cls]!) cls = k;
    const score = scores[cls]!;
    if (!(score >= spec.min_confidence)) continue; // also drops NaN
    const [a, b, c, d] = [out.data[o]!, out.data[o + 1]!, out.data[o + 2]!, out.data[o + 3]!];
    candidates.push({ cls, score, x1: Math.min(a, c), y1: Math.min(b, d), x2: Math.max(a, c), y2: Math.max(b, d) });
  }
  candidates.sort((p, q) => q.score - p.score);
  const kept: Candidate[] = [];
  for (const cand of candidates) {
    if (kept.length >= spec.top_k) break;
    if (kept.some((k) => k.cls === cand.cls && iou(k, cand) > spec.iou_threshold)) continue;
    kept.push(cand);
  }
  return kept.map((k) => ({
    label: spec.labels[k.cls]!,
    confidence: k.score,
    box: boxToImage({ x: k.x1, y: k.y1, width: k.x2 - k.x1, height: k.y2 - k.y1 }, frame, width, height),
  }));
}

function iou(a: Candidate, b: Candidate): number {
  const iw = Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1);
  const ih = Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter);
}
