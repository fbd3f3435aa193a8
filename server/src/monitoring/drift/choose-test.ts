// Evidently's default test per column (`stattests/registry.py::_get_default_stattest`) and each test's default
// threshold and drift rule.

export type DriftTestName = 'ks' | 'chisquare' | 'chi2_contingency' | 'z' | 'wasserstein' | 'jensenshannon' | 'psi';
export type FeatureType = 'numerical' | 'categorical';

export interface DriftTestSpec {
  test: DriftTestName;
  /** 'p_value': drift when p is below the threshold; 'distance': drift when the score reaches it. */
  kind: 'p_value' | 'distance';
  threshold: number;
}

const DEFAULTS: Record<DriftTestName, DriftTestSpec> = {
  ks: { test: 'ks', kind: 'p_value', threshold: 0.05 },
  chisquare: { test: 'chisquare', kind: 'p_value', threshold: 0.05 },
  chi2_contingency: { test: 'chi2_contingency', kind: 'p_value', threshold: 0.05 },
  z: { test: 'z', kind: 'p_value', threshold: 0.05 },
  wasserstein: { test: 'wasserstein', kind: 'distance', threshold: 0.1 },
  jensenshannon: { test: 'jensenshannon', kind: 'distance', threshold: 0.1 },
  psi: { test: 'psi', kind: 'distance', threshold: 0.1 },
};

export function testSpec(test: DriftTestName, threshold?: number): DriftTestSpec {
  return { ...DEFAULTS[test], ...(threshold === undefined ? {} : { threshold }) };
}

/** Evidently's "small reference" boundary: up to this many rows the defaults are statistical tests. */
export const SMALL_REFERENCE_ROWS = 1000;

/**
 * The default test: reference ≤ 1000 rows → KS for numerical with > 5 distinct values, chi-square for 3–5
 * (or categorical with > 2), the z-test for ≤ 2; above 1000 rows → normalised Wasserstein for numerical with
 * > 5 distinct values, Jensen-Shannon otherwise. `nUnique` counts distinct values over both windows.
 */
export function chooseTest(input: { referenceRows: number; type: FeatureType; nUnique: number }): DriftTestSpec {
  const { referenceRows, type, nUnique } = input;
  if (referenceRows <= SMALL_REFERENCE_ROWS) {
    if (type === 'numerical' && nUnique > 5) return testSpec('ks');
    return testSpec(nUnique > 2 ? 'chisquare' : 'z');
  }
  return testSpec(type === 'numerical' && nUnique > 5 ? 'wasserstein' : 'jensenshannon');
}

/** Evidently's comparison: KS drifts at p ≤ threshold, the other p-value tests at p < threshold. */
export function isDrift(spec: DriftTestSpec, score: number): boolean {
  if (spec.kind === 'distance') return score >= spec.threshold;
  return spec.test === 'ks' ? score <= spec.threshold : score < spec.threshold;
}
