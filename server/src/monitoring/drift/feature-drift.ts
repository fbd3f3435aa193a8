// One feature's drift check: pick the test (Evidently's default unless one is given), run it on raw samples or
// on summaries, and return the score, the decision and both binned distributions for plotting.
import { categoricalShares, binnedSharesRaw, binnedSharesSummaries, type BinnedShares } from './evidently-bins.js';
import { chiSquareContingencyTest, chiSquareGoodnessOfFit } from './chi-square.js';
import { chooseTest, isDrift, testSpec, type DriftTestName, type DriftTestSpec, type FeatureType } from './choose-test.js';
import { jensenShannonDistance } from './jensen-shannon.js';
import { ksTest, ksTestSummaries } from './ks.js';
import { psi, psiQuantileBins, psiQuantileBinsSummaries } from './psi.js';
import { distinctCount, finiteValues } from './samples.js';
import {
  combinedDistinct,
  summariseCategories,
  summariseNumbers,
  type CategoricalSummary,
  type NumericSummary,
} from './summaries.js';
import { twoProportionZTest } from './z-test.js';
import { wassersteinTest, wassersteinTestSummaries } from './wasserstein.js';

export type NumericWindow = NumericSummary | ArrayLike<number>;
export type CategoricalWindow = CategoricalSummary | ArrayLike<string | null | undefined>;

export type FeatureInput =
  | { name: string; type: 'numerical'; reference: NumericWindow; current: NumericWindow }
  | { name: string; type: 'categorical'; reference: CategoricalWindow; current: CategoricalWindow };

export interface FeatureDriftOptions {
  test?: DriftTestName;
  threshold?: number;
  /** Bins for PSI (reference quantiles). */
  psiBins?: number;
}

interface Common {
  name: string;
  type: FeatureType;
  referenceCount: number;
  currentCount: number;
}

export interface FeatureDriftOk extends Common {
  status: 'ok';
  test: DriftTestName;
  /** The score the threshold applies to: the p-value for p-value tests, else the distance. */
  score: number;
  /** The test statistic (KS D, χ², z, or the distance itself). */
  statistic: number;
  pValue: number | null;
  distance: number | null;
  threshold: number;
  drifted: boolean;
  /** True when computed from fine histograms rather than exactly (see each test for the bound). */
  approximate: boolean;
  distributions: BinnedShares;
}

export interface FeatureDriftNotEnoughData extends Common {
  status: 'not_enough_data';
  reason: string;
  drifted: false;
}

export type FeatureDriftResult = FeatureDriftOk | FeatureDriftNotEnoughData;

function isNumericSummary(w: NumericWindow): w is NumericSummary {
  return (w as NumericSummary).kind === 'numeric';
}

function isCategoricalSummary(w: CategoricalWindow): w is CategoricalSummary {
  return (w as CategoricalSummary).kind === 'categorical';
}

/** A numeric feature with few values, as categories (for chi-square / z on numbers, as Evidently does). */
function valuesAsCategories(s: NumericSummary): CategoricalSummary {
  const counts = Object.create(null) as Record<string, number>;
  for (const [v, c] of s.distinct ?? []) counts[String(v)] = c;
  return { kind: 'categorical', counts, count: s.count, missing: s.missing };
}

function notEnough(base: Common, reason: string): FeatureDriftNotEnoughData {
  return { ...base, status: 'not_enough_data', reason, drifted: false };
}

function finish(base: Common, spec: DriftTestSpec, r: { statistic: number; pValue?: number; distance?: number; approximate: boolean; distributions: BinnedShares }): FeatureDriftOk {
  const score = spec.kind === 'p_value' ? r.pValue! : r.distance!;
  return {
    ...base,
    status: 'ok',
    test: spec.test,
    score,
    statistic: r.statistic,
    pValue: r.pValue ?? null,
    distance: r.distance ?? null,
    threshold: spec.threshold,
    drifted: isDrift(spec, score),
    approximate: r.approximate,
    distributions: r.distributions,
  };
}

export function featureDrift(input: FeatureInput, options: FeatureDriftOptions = {}): FeatureDriftResult {
  return input.type === 'numerical' ? numericDrift(input.name, input.reference, input.current, options) : categoricalDrift(input.name, input.reference, input.current, options);
}

function numericDrift(name: string, reference: NumericWindow, current: NumericWindow, options: FeatureDriftOptions): FeatureDriftResult {
  // Mixed inputs: summarise the raw side on the summary's spec.
  if (isNumericSummary(reference) !== isNumericSummary(current)) {
    const spec = (isNumericSummary(reference) ? reference : (current as NumericSummary)).spec;
    if (!isNumericSummary(reference)) reference = summariseNumbers(reference, spec);
    if (!isNumericSummary(current)) current = summariseNumbers(current, spec);
  }
  return isNumericSummary(reference) ? numericSummaryDrift(name, reference, current as NumericSummary, options) : numericRawDrift(name, reference, current as ArrayLike<number>, options);
}

function numericRawDrift(name: string, referenceIn: ArrayLike<number>, currentIn: ArrayLike<number>, options: FeatureDriftOptions): FeatureDriftResult {
  const reference = finiteValues(referenceIn);
  const current = finiteValues(currentIn);
  const base: Common = { name, type: 'numerical', referenceCount: reference.length, currentCount: current.length };
  if (!reference.length || !current.length) return notEnough(base, reference.length ? 'the current window is empty' : 'the reference is empty');
  const nUnique = distinctCount(reference, current);
  const spec = options.test ? testSpec(options.test, options.threshold) : withThreshold(chooseTest({ referenceRows: reference.length, type: 'numerical', nUnique }), options.threshold);
  const distributions = binnedSharesRaw(reference, current)!;
  switch (spec.test) {
    case 'ks': {
      const r = ksTest(reference, current)!;
      return finish(base, spec, { statistic: r.statistic, pValue: r.pValue, approximate: false, distributions });
    }
    case 'wasserstein': {
      const r = wassersteinTest(reference, current)!;
      return finish(base, spec, { statistic: r.normalised, distance: r.normalised, approximate: false, distributions });
    }
    case 'jensenshannon': {
      const d = jensenShannonDistance(distributions.reference, distributions.current);
      return finish(base, spec, { statistic: d, distance: d, approximate: false, distributions });
    }
    case 'psi': {
      const r = psiQuantileBins(reference, current, options.psiBins)!;
      return finish(base, spec, { statistic: r.value, distance: r.value, approximate: false, distributions: psiShares(r) });
    }
    default: {
      const toCats = (xs: Float64Array) => summariseCategories(Array.from(xs, String));
      return categoricalTests(base, spec, toCats(reference), toCats(current));
    }
  }
}

function numericSummaryDrift(name: string, reference: NumericSummary, current: NumericSummary, options: FeatureDriftOptions): FeatureDriftResult {
  const base: Common = { name, type: 'numerical', referenceCount: reference.count, currentCount: current.count };
  if (!reference.count || !current.count) return notEnough(base, reference.count ? 'the current window is empty' : 'the reference is empty');
  const spec = options.test ? testSpec(options.test, options.threshold) : withThreshold(chooseTest({ referenceRows: reference.count, type: 'numerical', nUnique: combinedDistinct(reference, current) }), options.threshold);
  const distributions = binnedSharesSummaries(reference, current)!;
  switch (spec.test) {
    case 'ks': {
      const r = ksTestSummaries(reference, current)!;
      return finish(base, spec, { statistic: r.statistic, pValue: r.pValue, approximate: !r.exact, distributions });
    }
    case 'wasserstein': {
      const r = wassersteinTestSummaries(reference, current)!;
      const exact = reference.distinct !== null && current.distinct !== null;
      return finish(base, spec, { statistic: r.normalised, distance: r.normalised, approximate: !exact, distributions });
    }
    case 'jensenshannon': {
      const d = jensenShannonDistance(distributions.reference, distributions.current);
      return finish(base, spec, { statistic: d, distance: d, approximate: distributions.approximate, distributions });
    }
    case 'psi': {
      const r = psiQuantileBinsSummaries(reference, current, options.psiBins)!;
      return finish(base, spec, { statistic: r.value, distance: r.value, approximate: r.approximate, distributions: psiShares(r) });
    }
    default:
      if (!reference.distinct || !current.distinct) {
        return notEnough(base, `${spec.test} needs exact value counts, and this feature has more than 20 distinct values`);
      }
      return categoricalTests(base, spec, valuesAsCategories(reference), valuesAsCategories(current));
  }
}

function categoricalDrift(name: string, referenceIn: CategoricalWindow, currentIn: CategoricalWindow, options: FeatureDriftOptions): FeatureDriftResult {
  const reference = isCategoricalSummary(referenceIn) ? referenceIn : summariseCategories(referenceIn);
  const current = isCategoricalSummary(currentIn) ? currentIn : summariseCategories(currentIn);
  const base: Common = { name, type: 'categorical', referenceCount: reference.count, currentCount: current.count };
  if (!reference.count || !current.count) return notEnough(base, reference.count ? 'the current window is empty' : 'the reference is empty');
  const nUnique = new Set([...Object.keys(reference.counts), ...Object.keys(current.counts)]).size;
  const spec = options.test ? testSpec(options.test, options.threshold) : withThreshold(chooseTest({ referenceRows: reference.count, type: 'categorical', nUnique }), options.threshold);
  return categoricalTests(base, spec, reference, current);
}

function categoricalTests(base: Common, spec: DriftTestSpec, reference: CategoricalSummary, current: CategoricalSummary): FeatureDriftResult {
  const distributions = categoricalShares(reference, current)!;
  switch (spec.test) {
    case 'chisquare': {
      const r = chiSquareGoodnessOfFit(reference, current)!;
      return finish(base, spec, { statistic: r.statistic, pValue: r.pValue, approximate: false, distributions });
    }
    case 'chi2_contingency': {
      const r = chiSquareContingencyTest(reference, current)!;
      return finish(base, spec, { statistic: r.statistic, pValue: r.pValue, approximate: false, distributions });
    }
    case 'z': {
      if (distributions.labels.length > 2) return notEnough(base, 'the z-test needs at most two categories');
      const r = twoProportionZTest(reference, current)!;
      return finish(base, spec, { statistic: r.statistic, pValue: r.pValue, approximate: false, distributions });
    }
    case 'jensenshannon': {
      const d = jensenShannonDistance(distributions.reference, distributions.current);
      return finish(base, spec, { statistic: d, distance: d, approximate: false, distributions });
    }
    case 'psi': {
      // Union of categories, zero-filled: a new category weighs in through the filler share.
      const value = psi(distributions.reference, distributions.current);
      return finish(base, spec, { statistic: value, distance: value, approximate: false, distributions });
    }
    default:
      return notEnough(base, `${spec.test} does not apply to categorical features`);
  }
}

function psiShares(r: { edges: number[]; reference: number[]; current: number[]; approximate: boolean }): BinnedShares {
  const edges = [-Infinity, ...r.edges, Infinity];
  return {
    edges,
    labels: edges.slice(0, -1).map((e, i) => `[${e}, ${edges[i + 1]})`),
    reference: r.reference,
    current: r.current,
    approximate: r.approximate,
  };
}

function withThreshold(spec: DriftTestSpec, threshold: number | undefined): DriftTestSpec {
  return threshold === undefined ? spec : { ...spec, threshold };
}
