// Fixed histogram edges shared by every rollup row, so histograms merge by adding counts bin by bin, and the
// quantile/threshold arithmetic read back from merged histograms.
//
// Confidence: 50 bins of width 0.02 over [0, 1] (1.0 falls in the last bin). A quantile interpolated inside its bin
// is within one bin width (0.02) of the exact sample quantile.
// Latency: bin 0 is [0, 0.5 ms), then 8 bins per doubling up to 60 s (ratio 2^(1/8), 135 bins), and a last bin for
// >= 60 s. Interpolated quantiles are within one bin's ratio (+9.1%) of the exact value between 0.5 ms and 60 s.

export const CONFIDENCE_BINS = 50;
export const CONFIDENCE_BIN_WIDTH = 1 / CONFIDENCE_BINS;
/** The stated bound on |histogram quantile - exact quantile| for confidence. */
export const CONFIDENCE_QUANTILE_ERROR = CONFIDENCE_BIN_WIDTH;

const LATENCY_MIN_MS = 0.5;
const LATENCY_MAX_MS = 60_000;
const LATENCY_BINS_PER_DOUBLING = 8;
const LATENCY_LOG_BINS = Math.ceil(Math.log2(LATENCY_MAX_MS / LATENCY_MIN_MS) * LATENCY_BINS_PER_DOUBLING);
/** underflow + log bins + overflow */
export const LATENCY_BINS = LATENCY_LOG_BINS + 2;
/** The stated relative bound on latency quantiles read from the histogram (one bin's width ratio). */
export const LATENCY_QUANTILE_RELATIVE_ERROR = 2 ** (1 / LATENCY_BINS_PER_DOUBLING) - 1;

export function confidenceBin(c: number): number {
  if (!(c > 0)) return 0;
  if (c >= 1) return CONFIDENCE_BINS - 1;
  return Math.min(CONFIDENCE_BINS - 1, Math.floor(c * CONFIDENCE_BINS));
}

export function latencyBin(ms: number): number {
  if (!(ms >= LATENCY_MIN_MS)) return 0;
  if (ms >= LATENCY_MAX_MS) return LATENCY_BINS - 1;
  return 1 + Math.min(LATENCY_LOG_BINS - 1, Math.floor(Math.log2(ms / LATENCY_MIN_MS) * LATENCY_BINS_PER_DOUBLING));
}

/** [lower, upper) of a latency bin, ms; the overflow bin's upper edge is Infinity. */
export function latencyBinEdges(bin: number): [number, number] {
  if (bin <= 0) return [0, LATENCY_MIN_MS];
  if (bin >= LATENCY_BINS - 1) return [LATENCY_MAX_MS, Infinity];
  const edge = (i: number) => Math.min(LATENCY_MAX_MS, LATENCY_MIN_MS * 2 ** (i / LATENCY_BINS_PER_DOUBLING));
  return [edge(bin - 1), edge(bin)];
}

export function confidenceBinEdges(bin: number): [number, number] {
  return [bin * CONFIDENCE_BIN_WIDTH, (bin + 1) * CONFIDENCE_BIN_WIDTH];
}

/** Adds `from` into `into` bin by bin (both of the same length). */
export function addInto(into: number[], from: readonly number[]): number[] {
  for (let i = 0; i < into.length; i++) into[i]! += from[i] ?? 0;
  return into;
}

/**
 * The q-quantile (0 <= q <= 1) of the values a histogram counted, interpolating linearly inside the bin where the
 * cumulative count crosses q·n (the histogram_quantile rule). Null for an empty histogram. The overflow bin has no
 * upper edge, so a quantile falling in it answers its lower edge.
 */
export function histogramQuantile(counts: readonly number[], q: number, edges: (bin: number) => [number, number]): number | null {
  let n = 0;
  for (const c of counts) n += c;
  if (n === 0) return null;
  const rank = q * n;
  let cum = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    if (cum + c >= rank) {
      const [lo, hi] = edges(i);
      if (!Number.isFinite(hi)) return lo;
      return lo + ((hi - lo) * Math.max(0, rank - cum)) / c;
    }
    cum += c;
  }
  return edges(counts.length - 1)[0];
}

/** How many counted values lie below `threshold`, assuming values spread evenly inside the bin it falls in
 * (exact when the threshold is a bin edge). */
export function countBelow(counts: readonly number[], threshold: number, edges: (bin: number) => [number, number]): number {
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const [lo, hi] = edges(i);
    if (hi <= threshold) below += counts[i]!;
    else if (lo < threshold) below += (counts[i]! * (threshold - lo)) / (hi - lo);
  }
  return below;
}

/** Merges adjacent confidence bins into `bins` wider ones (bins must divide CONFIDENCE_BINS). */
export function rebin(counts: readonly number[], bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1 || counts.length % bins !== 0) throw new RangeError(`cannot split ${counts.length} bins into ${bins}`);
  const per = counts.length / bins;
  const out = new Array<number>(bins).fill(0);
  for (let i = 0; i < counts.length; i++) out[Math.floor(i / per)]! += counts[i]!;
  return out;
}
