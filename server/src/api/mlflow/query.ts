// Query strings as MLflow's clients write them: Python requests repeats a key for a list (run_ids=a&run_ids=b); other
// clients write run_ids[]=a or run_ids[0]=a. Fastify's parser gives repeated keys as an array already; this folds the
// bracket forms into the plain key, so schemas see one name.
const BRACKETED = /^(.+)\[\d*\]$/;

export function normalizeQuery(query: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(query)) {
    const m = BRACKETED.exec(key);
    if (!m) continue;
    out ??= { ...query };
    delete out[key];
    const base = m[1]!;
    const prev = out[base];
    const add = Array.isArray(value) ? value : [value];
    out[base] = prev === undefined ? add : [...(Array.isArray(prev) ? prev : [prev]), ...add];
  }
  return out ?? query;
}
