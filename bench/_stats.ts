// Small helpers shared by the benchmarks.
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

export const fmt = (v: number, digits = 1) => v.toFixed(digits);

export function verdict(ok: boolean): string {
  return ok ? 'PASS' : 'FAIL';
}
