// Keeps a Prometheus label's cardinality bounded: the first `limit` distinct values pass through, later ones collapse
// into one overflow value. Every distinct value is a time series kept forever by the server and the registry, so a
// value that comes from outside (a food name, an error class) must never be able to grow them without bound.
export class LabelCap {
  readonly #seen = new Set<string>();

  constructor(
    readonly limit: number,
    readonly overflow = 'other',
  ) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  }

  value(v: string): string {
    if (this.#seen.has(v)) return v;
    if (this.#seen.size >= this.limit) return this.overflow;
    this.#seen.add(v);
    return v;
  }
}
