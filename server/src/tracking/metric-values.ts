// How metric values are stored, as MLflow's SQL store does it: NaN becomes 0 with is_nan = 1 (NaN cannot take part in
// a primary key or a comparison) and ±Infinity becomes ±DBL_MAX (PostgreSQL could hold it, SQLite's REAL
// round-trips it as NULL in some drivers, and MLflow's answers show the clamped value, so clients expect it).
export interface StoredMetricValue {
  value: number;
  isNan: 0 | 1;
}

export function toStoredValue(v: number): StoredMetricValue {
  if (Number.isNaN(v)) return { value: 0, isNan: 1 };
  if (v === Infinity) return { value: Number.MAX_VALUE, isNan: 0 };
  if (v === -Infinity) return { value: -Number.MAX_VALUE, isNan: 0 };
  return { value: v, isNan: 0 };
}

export function fromStoredValue(value: number, isNan: number | boolean): number {
  return isNan ? NaN : value;
}
