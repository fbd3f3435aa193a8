// One error type for every way a search filter or order_by can be wrong, so the API layer maps it to
// 400 INVALID_PARAMETER_VALUE in one place (MLflow answers every such mistake with that code, never a 500, which
// the Python client would retry).

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  /** The MLflow error code the REST layer should answer with (HTTP 400). */
  readonly errorCode = 'INVALID_PARAMETER_VALUE' as const;

  /**
   * @param detail   what is wrong, worded like MLflow's messages
   * @param position 0-based offset into the filter (or order_by clause) where the problem starts, when known
   * @param token    the offending source text, when there is one
   */
  constructor(
    readonly detail: string,
    readonly position?: number,
    readonly token?: string,
  ) {
    super(position === undefined ? detail : `${detail} (at position ${position})`);
  }
}

/** Formats a list the way MLflow's messages show one: ['a', 'b']. */
export function quotedList(items: readonly string[]): string {
  return `[${items.map((i) => `'${i}'`).join(', ')}]`;
}
