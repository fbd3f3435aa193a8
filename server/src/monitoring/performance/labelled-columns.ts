// Labelled predictions as columns of typed arrays: up to a few hundred thousand rows are filtered and bucketed per
// request, and arrays of objects (or of boxed doubles) cost far more to fill and to walk.

export interface LabelledPredictions {
  /** rows in this part */
  length: number;
  /** epoch ms of the prediction */
  createdAt: Float64Array;
  /** top-1 confidence; NaN when the prediction has none (nothing recognised, or failed) */
  confidence: Float64Array;
  /** 1 when the feedback (or, for a shadow run, the served prediction's ground truth) says it was right */
  correct: Uint8Array;
}

export function emptyLabelled(capacity = 64): LabelledPredictions {
  return { length: 0, createdAt: new Float64Array(capacity), confidence: new Float64Array(capacity), correct: new Uint8Array(capacity) };
}

/** Appends one row to a part that owns its rows, growing the arrays (doubling) when full. */
export function pushLabelled(l: LabelledPredictions, createdAt: number, confidence: number | null, correct: boolean): void {
  if (l.length === l.createdAt.length) {
    const cap = Math.max(64, l.length * 2);
    const createdAtGrown = new Float64Array(cap);
    createdAtGrown.set(l.createdAt);
    const confidenceGrown = new Float64Array(cap);
    confidenceGrown.set(l.confidence);
    const correctGrown = new Uint8Array(cap);
    correctGrown.set(l.correct);
    l.createdAt = createdAtGrown;
    l.confidence = confidenceGrown;
    l.correct = correctGrown;
  }
  l.createdAt[l.length] = createdAt;
  l.confidence[l.length] = confidence ?? NaN;
  l.correct[l.length] = correct ? 1 : 0;
  l.length++;
}

/** Calls visit(createdAt, confidence, correct) for every row of every part. */
export function forEachLabelled(parts: readonly LabelledPredictions[], visit: (createdAt: number, confidence: number, correct: number) => void): void {
  for (const p of parts) {
    const { createdAt, confidence, correct } = p;
    for (let i = 0; i < p.length; i++) visit(createdAt[i]!, confidence[i]!, correct[i]!);
  }
}
