// Drift statistics speed: 10 numeric features, 100,000 reference vs 100,000 current values each, checked from
// summaries (1,000-bin histograms). Target: the whole check (every feature, default test + KS + JS + PSI) well
// under 200 ms. Also raw-sample KS on 1e5 vs 1e5, which should cost about a sort (O(n log n)).
// Baselines measured in the same run: a plain loop over the same 2e6 values, and sorting 2e5 values.
//
//   cd /work/main && npx tsx bench/drift-stats.ts
import { featureDrift } from '../server/src/monitoring/drift/feature-drift.js';
import { ksTest, ksTestSummaries } from '../server/src/monitoring/drift/ks.js';
import { binnedSharesSummaries } from '../server/src/monitoring/drift/evidently-bins.js';
import { jensenShannonDistance } from '../server/src/monitoring/drift/jensen-shannon.js';
import { psiQuantileBinsSummaries } from '../server/src/monitoring/drift/psi.js';
import { summariseNumbers, type NumericSummary } from '../server/src/monitoring/drift/summaries.js';
import { fmt, verdict } from './_stats.js';

const FEATURES = 10;
const N = 100_000;
const TARGET_MS = 200;
const spec = { lo: -6, hi: 6, bins: 1000 };

function normalSample(n: number, mean: number, sd: number, seed: number): Float64Array {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return out;
}

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const refs = Array.from({ length: FEATURES }, (_, f) => normalSample(N, 0, 1, 100 + f));
const curs = Array.from({ length: FEATURES }, (_, f) => normalSample(N, f * 0.02, 1 + f * 0.01, 200 + f));

// Baseline: one pass over all 2e6 values.
let sink = 0;
const loopMs = best(5, () => {
  for (const xs of [...refs, ...curs]) for (let i = 0; i < xs.length; i++) sink += xs[i]!;
});
const sortMs = best(5, () => {
  const both = new Float64Array(2 * N);
  both.set(refs[0]!);
  both.set(curs[0]!, N);
  both.sort();
});

let refSummaries: NumericSummary[] = [];
let curSummaries: NumericSummary[] = [];
const summariseMs = best(3, () => {
  refSummaries = refs.map((xs) => summariseNumbers(xs, spec));
  curSummaries = curs.map((xs) => summariseNumbers(xs, spec));
});

const drifted: boolean[] = [];
const checkMs = best(5, () => {
  drifted.length = 0;
  for (let f = 0; f < FEATURES; f++) {
    const r = featureDrift({ name: `f${f}`, type: 'numerical', reference: refSummaries[f]!, current: curSummaries[f]! });
    drifted.push(r.drifted);
    // The other statistics too, as a dashboard shows them all.
    ksTestSummaries(refSummaries[f]!, curSummaries[f]!);
    const b = binnedSharesSummaries(refSummaries[f]!, curSummaries[f]!)!;
    jensenShannonDistance(b.reference, b.current);
    psiQuantileBinsSummaries(refSummaries[f]!, curSummaries[f]!);
  }
});

const rawKsMs = best(3, () => void ksTest(refs[0]!, curs[0]!));

console.log(`baseline: plain loop over ${FEATURES}×2×${N} values ${fmt(loopMs, 2)} ms; sort of ${2 * N} values ${fmt(sortMs, 2)} ms`);
console.log(`summarise ${FEATURES} features × 2 windows × ${N} values (1,000-bin histograms): ${fmt(summariseMs)} ms (${fmt(summariseMs / loopMs)}× the loop; done once per window by the rollups, not per check)`);
console.log(`drift check on summaries, ${FEATURES} features (default test + KS + JS + PSI): ${fmt(checkMs, 2)} ms (${fmt(checkMs / loopMs, 2)}× the loop) target < ${TARGET_MS} ms ${verdict(checkMs < TARGET_MS)}`);
console.log(`raw-sample KS 1e5 vs 1e5 (sorts included): ${fmt(rawKsMs)} ms (${fmt(rawKsMs / sortMs, 2)}× one sort of 2e5 values)`);
console.log(`features drifted: ${drifted.filter(Boolean).length}/${FEATURES}`);
if (Number.isNaN(sink)) console.log('(baseline sum was NaN)'); // keeps the baseline loop observable
