// Isotonic regression by pool-adjacent-violators, the calibrator NannyML uses
// (scikit-learn's IsotonicRegression(out_of_bounds='clip')): a non-decreasing fit of y on x, predicted by linear
// interpolation between the fitted points and clipped to the fitted range outside it.

export interface IsotonicModel {
  /** Distinct x values, ascending. */
  x: number[];
  /** Fitted (non-decreasing) value at each x. */
  y: number[];
}

/** Fit y ≈ f(x), f non-decreasing, minimising Σ w(y − f(x))². Equal x values are pooled first. */
export function fitIsotonic(xIn: ArrayLike<number>, yIn: ArrayLike<number>, weights?: ArrayLike<number>): IsotonicModel {
  const n = xIn.length;
  if (n === 0) throw new RangeError('isotonic regression needs at least one point');
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => xIn[a]! - xIn[b]!);
  // Pool ties in x into one weighted point.
  const xs: number[] = [];
  const sums: number[] = [];
  const ws: number[] = [];
  for (const i of order) {
    const w = weights ? weights[i]! : 1;
    if (xs.length && xs[xs.length - 1] === xIn[i]) {
      sums[sums.length - 1]! += w * yIn[i]!;
      ws[ws.length - 1]! += w;
    } else {
      xs.push(xIn[i]!);
      sums.push(w * yIn[i]!);
      ws.push(w);
    }
  }
  // PAV: a stack of blocks (weighted mean, weight, length); merge backwards while a block undercuts the one before.
  const mean: number[] = [];
  const weight: number[] = [];
  const size: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    mean.push(sums[k]! / ws[k]!);
    weight.push(ws[k]!);
    size.push(1);
    while (mean.length > 1 && mean[mean.length - 2]! > mean[mean.length - 1]!) {
      const m2 = mean.pop()!;
      const w2 = weight.pop()!;
      const s2 = size.pop()!;
      const last = mean.length - 1;
      const w = weight[last]! + w2;
      mean[last] = (mean[last]! * weight[last]! + m2 * w2) / w;
      weight[last] = w;
      size[last]! += s2;
    }
  }
  const y: number[] = [];
  mean.forEach((m, b) => {
    for (let t = 0; t < size[b]!; t++) y.push(m);
  });
  return { x: xs, y };
}

/** f(x): linear between fitted points, clipped to the end values outside [x_min, x_max]. */
export function predictIsotonic(model: IsotonicModel, x: number): number {
  const { x: xs, y } = model;
  const last = xs.length - 1;
  if (x <= xs[0]!) return y[0]!;
  if (x >= xs[last]!) return y[last]!;
  let lo = 0;
  let hi = last; // xs[lo] < x < xs[hi] after the search
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! <= x) lo = mid;
    else hi = mid;
  }
  const t = (x - xs[lo]!) / (xs[hi]! - xs[lo]!);
  return y[lo]! + (y[hi]! - y[lo]!) * t;
}
