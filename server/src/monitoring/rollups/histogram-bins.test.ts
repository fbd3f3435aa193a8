import { describe, expect, it } from 'vitest';
import {
  CONFIDENCE_BINS,
  CONFIDENCE_QUANTILE_ERROR,
  confidenceBin,
  confidenceBinEdges,
  countBelow,
  histogramQuantile,
  LATENCY_BINS,
  LATENCY_QUANTILE_RELATIVE_ERROR,
  latencyBin,
  latencyBinEdges,
  rebin,
} from './histogram-bins.js';

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** Nearest-rank sample quantile. */
function exactQuantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

const QS = [0, 0.01, 0.05, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

describe('confidence histogram', () => {
  it('puts every value in the bin whose edges hold it, 1.0 in the last', () => {
    for (const c of [0, 0.0199, 0.02, 0.5, 0.73, 0.999, 1]) {
      const [lo, hi] = confidenceBinEdges(confidenceBin(c));
      expect(c).toBeGreaterThanOrEqual(lo - 1e-12);
      expect(c === 1 ? c <= hi : c < hi + 1e-12).toBe(true);
    }
    expect(confidenceBin(1)).toBe(CONFIDENCE_BINS - 1);
  });

  it.each([1, 2, 3])('answers quantiles within 0.02 of the exact ones (seed %i)', (seed) => {
    const rand = seeded(seed);
    // skewed towards high confidence, as a detector's are
    const values = Array.from({ length: 20_000 }, () => 1 - rand() ** 2 * rand());
    const hist = new Array<number>(CONFIDENCE_BINS).fill(0);
    for (const v of values) hist[confidenceBin(v)]!++;
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QS) {
      const got = histogramQuantile(hist, q, confidenceBinEdges)!;
      expect(Math.abs(got - exactQuantile(sorted, q))).toBeLessThanOrEqual(CONFIDENCE_QUANTILE_ERROR);
    }
  });

  it('counts values below a threshold exactly on bin edges, interpolated inside a bin', () => {
    const hist = new Array<number>(CONFIDENCE_BINS).fill(0);
    hist[10] = 4; // [0.2, 0.22)
    hist[40] = 6;
    expect(countBelow(hist, 0.2, confidenceBinEdges)).toBe(0);
    expect(countBelow(hist, 0.22, confidenceBinEdges)).toBeCloseTo(4, 9);
    expect(countBelow(hist, 0.21, confidenceBinEdges)).toBeCloseTo(2, 9);
    expect(countBelow(hist, 1, confidenceBinEdges)).toBeCloseTo(10, 9);
  });

  it('merges adjacent bins and refuses uneven merges', () => {
    const hist = Array.from({ length: CONFIDENCE_BINS }, (_, i) => i);
    expect(rebin(hist, 5)).toEqual([45, 145, 245, 345, 445]);
    expect(rebin(hist, 1)).toEqual([1225]);
    expect(() => rebin(hist, 3)).toThrow(RangeError);
  });

  it('has no quantile for an empty histogram', () => {
    expect(histogramQuantile(new Array(CONFIDENCE_BINS).fill(0), 0.5, confidenceBinEdges)).toBeNull();
  });
});

describe('latency histogram', () => {
  it('has contiguous log-spaced edges from 0.5 ms to 60 s with under- and overflow bins', () => {
    expect(latencyBinEdges(0)).toEqual([0, 0.5]);
    for (let b = 1; b < LATENCY_BINS - 1; b++) {
      const [lo, hi] = latencyBinEdges(b);
      expect(lo).toBeCloseTo(latencyBinEdges(b - 1)[1], 9);
      expect(hi / lo).toBeLessThanOrEqual(1 + LATENCY_QUANTILE_RELATIVE_ERROR + 1e-9);
    }
    expect(latencyBinEdges(LATENCY_BINS - 1)).toEqual([60_000, Infinity]);
    expect(latencyBin(0.1)).toBe(0);
    expect(latencyBin(60_000)).toBe(LATENCY_BINS - 1);
  });

  it('places values inside their bin edges', () => {
    const rand = seeded(9);
    for (let i = 0; i < 5000; i++) {
      const v = 0.5 * 2 ** (rand() * 16.8);
      const [lo, hi] = latencyBinEdges(latencyBin(v));
      expect(v >= lo * (1 - 1e-12) && v < hi * (1 + 1e-12)).toBe(true);
    }
  });

  it('answers quantiles within one bin ratio of the exact ones', () => {
    const rand = seeded(4);
    const values = Array.from({ length: 20_000 }, () => 5 * Math.exp(rand() * 4)); // 5 ms .. 270 ms, long tail
    const hist = new Array<number>(LATENCY_BINS).fill(0);
    for (const v of values) hist[latencyBin(v)]!++;
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of QS) {
      const exact = exactQuantile(sorted, q);
      const got = histogramQuantile(hist, q, latencyBinEdges)!;
      expect(Math.abs(got - exact) / exact).toBeLessThanOrEqual(LATENCY_QUANTILE_RELATIVE_ERROR);
    }
  });
});
