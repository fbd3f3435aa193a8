// Survival function of the two-sided one-sample Kolmogorov-Smirnov statistic D_n for finite n: SciPy's
// `kstwo.sf(x, n)`, which `ks_2samp` uses on its asymptotic path with n = round(n1·n2/(n1+n2)).
// The region choice follows Simard & L'Ecuyer (2011), as SciPy does: Ruben-Gambino closed forms at the ends,
// 2·(one-sided Smirnov tail) where the two tails cannot overlap (x ≥ 0.5) or the overlap is negligible,
// the Durbin matrix (Marsaglia-Tsang-Wang) for small n·x^1.5, and the Pelz-Good expansion otherwise.
// jstat has no KS distribution, hence this module. One deliberate difference: for n ≤ 140 and
// 0.754693 < n·x² ≤ 4 SciPy uses Pomeranz's recursion; we use the Durbin matrix there too. Both are exact
// algorithms, so the results differ only by rounding (tested to 1e-10 relative).

const POW2_128 = 2 ** 128;
const POW2_M128 = 2 ** -128;

function clip01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/** log(n!/n^n) by Stirling's series (n > 140, where the series is exact to double precision). */
function logFactorialOverPower(n: number): number {
  const r = 1 / n;
  const r2 = r * r;
  const series = r * (1 / 12 - r2 * (1 / 360 - r2 * (1 / 1260 - r2 * (1 / 1680))));
  return 0.5 * Math.log(2 * Math.PI * n) - n + series;
}

/**
 * One-sided tail P(D_n^+ ≥ x) by the Birnbaum-Tingey sum
 * x·Σ_{j=0}^{⌊n(1−x)⌋} C(n,j)·(x + j/n)^(j−1)·(1 − x − j/n)^(n−j). All terms are positive, so summing them
 * in log space (binomial coefficients by a running log, no lgamma) keeps full relative precision.
 */
export function smirnovSf(n: number, x: number): number {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  const last = Math.min(Math.floor(n * (1 - x)), n - 1);
  // log C(n, j) as a running sum of log((n−j)/(j+1)), compensated (Neumaier): plain summation drifts by
  // ~1e-9 relative over 1e5 terms.
  let logBinom = 0;
  let carry = 0;
  let sum = 0;
  for (let j = 0; j <= last; j++) {
    const a = x + j / n;
    const b = 1 - a;
    if (b > 0) sum += Math.exp(logBinom + carry + (j - 1) * Math.log(a) + (n - j) * Math.log(b));
    const step = Math.log((n - j) / (j + 1));
    const next = logBinom + step;
    carry += Math.abs(logBinom) >= Math.abs(step) ? logBinom - next + step : step - next + logBinom;
    logBinom = next;
  }
  return clip01(sum * x);
}

function matMul(a: Float64Array, b: Float64Array, m: number): Float64Array {
  const c = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let k = 0; k < m; k++) {
      const aik = a[i * m + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < m; j++) c[i * m + j]! += aik * b[k * m + j]!;
    }
  }
  return c;
}

/**
 * P(D_n < x) by Durbin's matrix: with k = ⌈nx⌉, h = k − nx, the answer is n!/n^n · (H^n)[k−1][k−1] for a
 * (2k−1)² matrix H built from h (Marsaglia, Tsang & Wang 2003). Powers are rescaled by 2^±128 with the
 * exponent tracked apart, as the entries span far more than a double's range.
 */
function durbinCdf(n: number, x: number): number {
  const nd = n * x;
  if (x >= 1) return 1;
  if (nd <= 0.5) return 0;
  const k = Math.ceil(nd);
  const h = k - nd;
  const m = 2 * k - 1;
  const H = new Float64Array(m * m);
  const invFact = new Float64Array(m + 1); // 1/j!
  invFact[0] = 1;
  for (let j = 1; j <= m; j++) invFact[j] = invFact[j - 1]! / j;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < m; j++) if (i - j + 1 >= 0) H[i * m + j] = invFact[i - j + 1]!;
  }
  for (let i = 0; i < m; i++) {
    H[i * m] = (1 - h ** (i + 1)) * invFact[i + 1]!; // first column
    H[(m - 1) * m + i] = (1 - h ** (m - i)) * invFact[m - i]!; // last row
  }
  H[(m - 1) * m] = (1 - 2 * h ** m + Math.max(0, 2 * h - 1) ** m) * invFact[m]!;

  let power: Float64Array | null = null;
  let base: Float64Array = H;
  let powerExp = 0;
  let baseExp = 0;
  for (let e = n; e > 0; e = Math.floor(e / 2)) {
    if (e % 2 === 1) {
      power = power ? matMul(power, base, m) : base.slice();
      powerExp += baseExp;
    }
    if (e > 1) {
      base = matMul(base, base, m);
      baseExp *= 2;
      if (Math.abs(base[(k - 1) * m + (k - 1)]!) > POW2_128) {
        for (let t = 0; t < base.length; t++) base[t]! *= POW2_M128;
        baseExp += 128;
      }
    }
  }
  let p = power![(k - 1) * m + (k - 1)]!;
  for (let i = 1; i <= n; i++) {
    p = (i * p) / n;
    if (Math.abs(p) < POW2_M128) {
      p *= POW2_128;
      powerExp -= 128;
    }
  }
  return clip01(p * 2 ** powerExp);
}

/**
 * Pelz & Good (1976): P(D_n ≤ x) ≈ K0(z) + K1(z)/√n + K2(z)/n + K3(z)/n^1.5 with z = x√n, each K written
 * with Jacobi-theta sums over odd m = 2k−1 of exp(−m²π²/(8z²)) so that it converges for small z.
 */
function pelzGoodCdf(n: number, x: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const z = Math.sqrt(n) * x;
  const z2 = z * z;
  const z4 = z2 * z2;
  const z6 = z4 * z2;
  const logQ = -(Math.PI ** 2) / 8 / z2;
  if (logQ < -708) return 0;
  const q = Math.exp(logQ);
  const pi2 = Math.PI ** 2;
  const pi4 = pi2 * pi2;
  const pi6 = pi4 * pi2;
  const kMax = Math.ceil((16 * z) / Math.PI);
  const K = [0, 0, 0, 0];
  // Σ_k c_k q^((2k−1)²) by Horner in q^(8k), since (2k+1)² − (2k−1)² = 8k.
  for (let k = kMax; k >= 1; k--) {
    const m2 = (2 * k - 1) ** 2;
    const m4 = m2 * m2;
    const m6 = m4 * m2;
    const qk = q ** (8 * k);
    const c = [
      1,
      (pi2 * m2) / 4 - z2,
      6 * z6 + 2 * z4 + ((2 * z4 - 5 * z2) * pi2 * m2) / 4 + (pi4 * (1 - 2 * z2) * m4) / 16,
      -30 * z6 - 90 * z6 * z2 + (pi2 * (135 * z4 - 96 * z6) * m2) / 4 + (pi4 * (212 * z4 - 60 * z2) * m4) / 16 +
        (pi6 * (5 - 30 * z2) * m6) / 64,
    ];
    for (let t = 0; t < 4; t++) K[t] = K[t]! * qk + c[t]!;
  }
  const root2pi = Math.sqrt(2 * Math.PI);
  const scale = [z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4];
  for (let t = 0; t < 4; t++) K[t] = (K[t]! * q * root2pi) / scale[t]!;
  // The terms over all integers k of exp(−k²π²/(2z²)) that K2 and K3 carry besides the odd-m sums.
  const r = Math.exp(-pi2 / 2 / z2);
  let s2 = 0;
  let s3 = 0;
  for (let k = kMax; k >= 1; k--) {
    const k2 = k * k;
    const w = k2 * r ** k2;
    s2 += w;
    s3 += (3 * z2 - pi2 * k2) * w;
  }
  K[2] = K[2]! + (s2 * pi2 * root2pi) / (-36 * z2 * z);
  K[3] = K[3]! + (s3 * pi2 * root2pi) / (216 * z6);
  return K[0]! + K[1]! / Math.sqrt(n) + K[2]! / n + K[3]! / (n * Math.sqrt(n));
}

/** P(D_n ≥ x), SciPy's `kstwo.sf(x, n)` (n a positive integer). */
export function kolmogorovSf(n: number, x: number): number {
  if (!Number.isInteger(n) || n <= 0) return NaN;
  if (Number.isNaN(x)) return NaN;
  if (x >= 1) return 0;
  if (x <= 0) return 1;
  const t = n * x;
  if (t <= 1) {
    // Ruben-Gambino: P(D_n ≤ x) = n!/n^n · (2t − 1)^n for 1/(2n) ≤ x ≤ 1/n.
    if (t <= 0.5) return 1;
    let cdf: number;
    if (n <= 140) {
      cdf = 1;
      for (let i = 1; i <= n; i++) cdf *= (i / n) * (2 * t - 1);
    } else {
      cdf = Math.exp(logFactorialOverPower(n) + n * Math.log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * (1 - x) ** n); // Ruben-Gambino at the upper end
  if (x >= 0.5) return clip01(2 * smirnovSf(n, x)); // the two one-sided events are disjoint
  const nx2 = t * x;
  if (n <= 140) {
    if (nx2 <= 4) return clip01(1 - durbinCdf(n, x));
    return clip01(2 * smirnovSf(n, x)); // Miller's approximation: the overlap term is negligible here
  }
  if (nx2 >= 370) return 0;
  if (nx2 >= 2.2) return clip01(2 * smirnovSf(n, x));
  const cdf = n <= 100_000 && n * x ** 1.5 <= 1.4 ? durbinCdf(n, x) : pelzGoodCdf(n, x);
  return clip01(1 - cdf);
}
