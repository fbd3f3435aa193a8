import { describe, expect, it } from 'vitest';
import { estimateAccuracy, estimateAccuracyFromHistogram } from './cbpe.js';
import { seededRandom } from '../../util/seeded-random.js';
import { expectedCalibrationError, fitCalibration, type LabelledConfidence } from './calibration.js';
import { summariseNumbers } from '../drift/summaries.js';

/** Confidence c ~ U(0.3, 1); the prediction is right with probability f(c). */
function synthetic(n: number, f: (c: number) => number, seed: number): LabelledConfidence[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const confidence = 0.3 + 0.7 * random();
    return { confidence, correct: random() < f(confidence) };
  });
}

const overconfident = (c: number) => c * c; // true accuracy E[c²] = (1 − 0.027)/(3·0.7) ≈ 0.463, raw mean c = 0.65

describe('CBPE accuracy estimate', () => {
  const feedback = synthetic(2000, overconfident, 1);
  const window = synthetic(5000, overconfident, 2);
  const realised = window.filter((p) => p.correct).length / window.length;
  const confidences = window.map((p) => p.confidence);

  it('calibration is chosen for a miscalibrated model, and lowers ECE on every fold', () => {
    const decision = fitCalibration(feedback);
    expect(decision.reason).toBe('calibrated');
    expect(decision.folds).toHaveLength(10);
    for (const f of decision.folds) expect(f.calibrated).toBeLessThan(f.raw);
  });

  it('the calibrated estimate covers the realised accuracy; the raw one does not', () => {
    const { calibrator } = fitCalibration(feedback);
    const calibrated = estimateAccuracy(confidences, calibrator);
    const raw = estimateAccuracy(confidences);
    if (calibrated.status !== 'ok' || raw.status !== 'ok') throw new Error('expected estimates');
    expect(realised).toBeGreaterThanOrEqual(calibrated.lower);
    expect(realised).toBeLessThanOrEqual(calibrated.upper);
    expect(realised < raw.lower || realised > raw.upper).toBe(true);
    expect(raw.estimate).toBeGreaterThan(0.6);
    // SE = √(p(1−p)/n), band ±3 SE
    expect(calibrated.standardError).toBeCloseTo(Math.sqrt((calibrated.estimate * (1 - calibrated.estimate)) / 5000), 15);
    expect(calibrated.upper - calibrated.estimate).toBeCloseTo(3 * calibrated.standardError, 15);
  });

  it('from the confidence histogram: bracketed, and close to the per-prediction estimate', () => {
    const { calibrator } = fitCalibration(feedback);
    const exact = estimateAccuracy(confidences, calibrator);
    const hist = estimateAccuracyFromHistogram(summariseNumbers(confidences, { lo: 0, hi: 1, bins: 100 }), calibrator);
    if (exact.status !== 'ok' || hist.status !== 'ok') throw new Error('expected estimates');
    expect(exact.estimate).toBeGreaterThanOrEqual(hist.estimateLow);
    expect(exact.estimate).toBeLessThanOrEqual(hist.estimateHigh);
    expect(Math.abs(hist.estimate - exact.estimate)).toBeLessThan(0.005);
  });

  it('keeps raw confidences for a well-calibrated model or too little feedback', () => {
    expect(fitCalibration(synthetic(2000, (c) => c, 3)).reason).toBe('no_improvement');
    expect(fitCalibration(feedback.slice(0, 99))).toMatchObject({ calibrator: null, reason: 'too_few_pairs' });
    expect(fitCalibration(feedback.map((p) => ({ ...p, correct: true }))).reason).toBe('single_class');
  });

  it('an empty window is "not enough data"', () => {
    expect(estimateAccuracy([])).toEqual({ status: 'not_enough_data', n: 0 });
    expect(estimateAccuracy([NaN]).status).toBe('not_enough_data');
  });
});

describe('expectedCalibrationError', () => {
  it('equal-count bins: hand-computed', () => {
    // bin 1: mean conf 0.15, accuracy 0.5 -> 0.35; bin 2: mean conf 0.85, accuracy 1 -> 0.15; ECE = (0.35 + 0.15)/2
    expect(expectedCalibrationError([0.9, 0.1, 0.2, 0.8], [true, false, true, true], 2)).toBeCloseTo(0.25, 15);
  });
});
