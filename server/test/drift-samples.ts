// Test-only (kept free of vitest imports so the build stays clean). Fixed samples shared by the drift tests and copied verbatim into the Python expressions that produced the
// expected values. A-D: `numpy.round(numpy.random.default_rng(seed).normal(mu, sigma, n), digits)` with
// (seed, mu, sigma, n, digits) = A (1, 0, 1, 30, 3), B (2, 0.5, 1.2, 25, 3), C (3, 0, 1, 40, 2), D (4, 0.3, 1, 40, 2).

export const A = [0.346, 0.822, 0.33, -1.303, 0.905, 0.446, -0.537, 0.581, 0.365, 0.294, 0.028, 0.547, -0.736, -0.163, -0.482, 0.599, 0.04, -0.292, -0.782, -0.257, 0.008, -0.276, 1.294, 1.007, -2.711, -1.889, -0.175, -0.422, 0.214, 0.217];
export const B = [0.727, -0.127, 0.004, -2.43, 2.66, 1.873, 0.109, 1.429, 0.837, -0.165, 1.673, 0.127, 0.105, -0.451, 1.046, 0.381, 1.154, -0.229, 0.652, -0.571, 1.51, 0.726, 0.897, 0.993, -0.713];
export const C = [2.04, -2.56, 0.42, -0.57, -0.45, -0.22, -2.02, -0.23, -0.87, 3.32, 0.23, -0.35, -0.28, -0.67, -1.06, -0.39, 0.48, -0.24, 0.96, -0.2, 0.02, 1.55, 0.55, -0.51, -0.18, 0.54, 1.94, -0.27, -0.24, 1.0, -0.89, -0.29, 0.88, 0.58, 0.09, 0.67, -2.83, 1.02, -0.96, -1.67];
export const D = [-0.35, 0.13, 1.96, 0.96, -1.34, 0.29, -0.32, 0.45, -1.31, 0.54, 0.54, 1.88, 0.62, 0.81, -1.19, 2.55, -1.62, 1.4, -0.03, -0.58, -0.36, -0.37, 0.68, 0.19, 1.78, -1.53, 0.3, -0.59, 1.08, -1.82, -0.04, 0.51, -1.18, 1.29, 0.48, 1.31, 1.26, -0.68, -0.5, 0.1];

/**
 * Large deterministic samples without a shared RNG: only integer products, %, one division, one multiply and
 * one add, which IEEE doubles evaluate identically in Python and JavaScript.
 * Python: `[((i * a) % mod) / mod * scale + shift for i in range(n)]`.
 */
export function gen(n: number, a: number, mod: number, scale = 1, shift = 0): number[] {
  return Array.from({ length: n }, (_, i) => (((i * a) % mod) / mod) * scale + shift);
}

/** |actual − expected| ≤ rel·|expected| (or ≤ rel when expected is 0). */
export function expectClose(actual: number, expected: number, rel: number): void {
  const tol = expected === 0 ? rel : rel * Math.abs(expected);
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new Error(`expected ${actual} to be within ${rel} (relative) of ${expected}`);
  }
}
