// Deciding whether to calibrate confidences, NannyML's rule (`nannyml/calibration.py`): fit isotonic regression on
// labelled (confidence, correct) pairs only when there are enough of them and, on every held-out fold of a
// stratified shuffle split, the calibrated scores have a lower expected calibration error than the raw ones.
import { fitIsotonic, predictIsotonic, type IsotonicModel } from './isotonic.js';
import { seededRandom } from '../../util/seeded-random.js';

export interface LabelledConfidence {
  confidence: number;
  correct: boolean;
}

/** Fewer feedback pairs than this and the raw confidence is used as is. */
export const MIN_CALIBRATION_PAIRS = 100;

/** ECE with equal-count bins: Σ_b (n_b/N)·|mean confidence_b − accuracy_b|, bins of consecutive sorted scores. */
export function expectedCalibrationError(scores: ArrayLike<number>, correct: ArrayLike<boolean>, bins = 10): number {
  const n = scores.length;
  if (n === 0) return NaN;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let ece = 0;
  const k = Math.min(bins, n);
  for (let b = 0; b < k; b++) {
    // numpy.array_split sizes: the first n % k bins get one extra.
    const start = b * Math.floor(n / k) + Math.min(b, n % k);
    const end = start + Math.floor(n / k) + (b < n % k ? 1 : 0);
    let conf = 0;
    let acc = 0;
    for (let t = start; t < end; t++) {
      conf += scores[order[t]!]!;
      acc += correct[order[t]!]! ? 1 : 0;
    }
    ece += Math.abs(conf - acc) / n;
  }
  return ece;
}


function shuffled(indices: number[], random: () => number): number[] {
  const a = indices.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

export interface CalibrationDecision {
  calibrator: IsotonicModel | null;
  reason: 'calibrated' | 'too_few_pairs' | 'no_improvement' | 'single_class';
  /** Raw and calibrated ECE per held-out fold (empty when no folds were run). */
  folds: Array<{ raw: number; calibrated: number }>;
}

export interface CalibrationOptions {
  minPairs?: number;
  splits?: number;
  testSize?: number;
  bins?: number;
  seed?: number;
}

/**
 * NannyML's `needs_calibration` then the fit: `splits` stratified shuffle splits (test share `testSize`,
 * correct and incorrect pairs split separately so each fold keeps the accuracy), isotonic fitted on the train
 * part, ECE compared on the test part; calibrate (on all pairs) only if every fold improves.
 */
export function fitCalibration(pairs: readonly LabelledConfidence[], options: CalibrationOptions = {}): CalibrationDecision {
  const { minPairs = MIN_CALIBRATION_PAIRS, splits = 10, testSize = 0.1, bins = 10, seed = 42 } = options;
  if (pairs.length < minPairs) return { calibrator: null, reason: 'too_few_pairs', folds: [] };
  const positives = pairs.flatMap((p, i) => (p.correct ? [i] : []));
  const negatives = pairs.flatMap((p, i) => (p.correct ? [] : [i]));
  if (positives.length === 0 || negatives.length === 0) return { calibrator: null, reason: 'single_class', folds: [] };
  const random = seededRandom(seed);
  const folds: CalibrationDecision['folds'] = [];
  for (let s = 0; s < splits; s++) {
    const test: number[] = [];
    const train: number[] = [];
    for (const group of [positives, negatives]) {
      const order = shuffled(group, random);
      const nTest = Math.max(1, Math.round(group.length * testSize));
      test.push(...order.slice(0, nTest));
      train.push(...order.slice(nTest));
    }
    const model = fitIsotonic(train.map((i) => pairs[i]!.confidence), train.map((i) => (pairs[i]!.correct ? 1 : 0)));
    const raw = test.map((i) => pairs[i]!.confidence);
    const labels = test.map((i) => pairs[i]!.correct);
    folds.push({
      raw: expectedCalibrationError(raw, labels, bins),
      calibrated: expectedCalibrationError(raw.map((c) => predictIsotonic(model, c)), labels, bins),
    });
  }
  if (!folds.every((f) => f.calibrated < f.raw)) return { calibrator: null, reason: 'no_improvement', folds };
  const calibrator = fitIsotonic(pairs.map((p) => p.confidence), pairs.map((p) => (p.correct ? 1 : 0)));
  return { calibrator, reason: 'calibrated', folds };
}
