// Exact null distribution of the two-sample KS statistic: P(D_{n1,n2} ≥ d), counting monotone lattice paths
// from (0,0) to (n1,n2) that touch the band |x/n1 − y/n2| ≥ d (Hodges 1958). SciPy's `ks_2samp` does this
// whenever max(n1, n2) ≤ 10,000; these functions follow the same recursions so the p-values agree to rounding.

export function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * n1 = n2 = n, D ≥ h/n: reflection gives 2·Σ_{k≥1} (−1)^(k−1) C(2n, n−kh)/C(2n, n). The alternating sum
 * cancels badly, so it is nested Horner-style, 2·A1(1 − A2(1 − A3(…))) with A_k = C(2n, n−kh)/C(2n, n−(k−1)h),
 * each a product of h ratios, evaluated from the innermost k outwards.
 */
export function probOutsideSquare(n: number, h: number): number {
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let a = 1;
    for (let j = 0; j < h; j++) a = ((n - k * h - j) * a) / (n + k * h + j + 1);
    p = a * (1 - p);
  }
  return 2 * p;
}

/**
 * n1 ≠ n2: the probability that a uniformly random path leaves the band |g·(x·n2 − y·n1)/(n1·n2)|·lcm < h.
 * Following Viehmann (2021), the recursion carries the *exit* probability rather than the count of paths that
 * stay inside, so small p-values keep their relative precision: for a point inside the band,
 * exit(x, y) = x/(x+y)·exit(x−1, y) + y/(x+y)·exit(x, y−1), and every point outside the band has exit = 1.
 * Only the band's window of one column is kept, so the cost is O(n1 · width of the band).
 */
export function probOutsideBand(n1: number, n2: number, g: number, h: number): number {
  const m = Math.max(n1, n2);
  const n = Math.min(n1, n2);
  const mg = m / g;
  const ng = n / g;
  // Column x = i holds y in [lo, hi) with |ng·i − mg·y| < h.
  let lo = 0;
  let hi = Math.min(Math.ceil(h / mg), n + 1);
  let prev = new Float64Array(Math.min(2 * hi + 2, n + 1) + 1);
  let next = new Float64Array(prev.length);
  // Column 0: inside points are reached without leaving (exit 0).
  for (let y = lo; y < hi; y++) prev[y - lo] = 0;
  for (let i = 1; i <= m; i++) {
    const prevLo = lo;
    const prevHi = hi;
    lo = Math.min(Math.max(Math.floor((ng * i - h) / mg) + 1, 0), n);
    hi = Math.min(Math.ceil((ng * i + h) / mg), n + 1);
    if (hi <= lo) return 1;
    if (next.length < hi - lo) {
      next = new Float64Array(hi - lo);
    }
    // exit(i, lo − 1) is 1 (below the band) unless lo = 0, where that neighbour does not exist (weight 0).
    let below = lo === 0 ? 0 : 1;
    for (let y = lo; y < hi; y++) {
      const left = y >= prevLo && y < prevHi ? prev[y - prevLo]! : 1;
      below = (left * i + below * y) / (i + y);
      next[y - lo] = below;
    }
    [prev, next] = [next, prev];
  }
  return prev[hi - lo - 1]!;
}

export interface ExactResult {
  /** The statistic rounded to the lattice, h/lcm(n1, n2), as SciPy reports it on the exact path. */
  d: number;
  p: number;
}

/** SciPy's `_attempt_exact_2kssamp` (two-sided): null when the computation under- or overflows. */
export function exactKsPValue(n1: number, n2: number, d: number): ExactResult | null {
  const g = gcd(n1, n2);
  const lcm = (n1 / g) * n2;
  const h = roundHalfEven(d * lcm);
  const dLattice = h / lcm;
  if (h === 0) return { d: dLattice, p: 1 };
  const p = n1 === n2 ? probOutsideSquare(n1, h) : probOutsideBand(n1, n2, g, h);
  if (!Number.isFinite(p) || p < 0 || p > 1) return null;
  return { d: dLattice, p };
}

/** numpy's round (ties to even). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
