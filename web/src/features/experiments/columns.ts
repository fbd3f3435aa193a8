// Run table columns and how they sort. A column id names what it shows the way MLflow's search grammar does
// ("metrics.accuracy", "params.lr", "start_time"), so the URL reads naturally and the order_by clause follows from it.
import type { MlopsRun } from '@foodlens/contracts';

export type DataColumn = { entity: 'metrics' | 'params'; key: string; id: string };

/** Built-in columns the API can order by (MLflow's run attributes). Duration is derived, so it cannot. */
export const SORTABLE_ATTRIBUTES = ['run_name', 'status', 'start_time', 'user_id'] as const;
export type SortableAttribute = (typeof SORTABLE_ATTRIBUTES)[number];

export const columnId = (entity: DataColumn['entity'], key: string): string => `${entity}.${key}`;

/** "metrics.val.acc" -> metrics / "val.acc"; null for anything else. */
export function parseDataColumn(id: string): DataColumn | null {
  const dot = id.indexOf('.');
  const entity = id.slice(0, dot);
  const key = id.slice(dot + 1);
  if (dot < 0 || key === '' || (entity !== 'metrics' && entity !== 'params')) return null;
  return { entity, key, id };
}

/** A key as an identifier segment: bare when it is a plain word, else backticked (MLflow keys never hold a backtick). */
function quoteKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? key : `\`${key}\``;
}

export type SortDir = 'asc' | 'desc';

/** The order_by clause for a column id, or undefined when the API cannot sort by it. */
export function orderClause(id: string, dir: SortDir): string | undefined {
  const suffix = dir === 'desc' ? ' DESC' : ' ASC';
  if ((SORTABLE_ATTRIBUTES as readonly string[]).includes(id)) return `attributes.${id}${suffix}`;
  const col = parseDataColumn(id);
  return col ? `${col.entity}.${quoteKey(col.key)}${suffix}` : undefined;
}

/** Metrics first sort best-first (descending), like time (newest first); text sorts A→Z first. */
export function firstDirection(id: string): SortDir {
  return id.startsWith('metrics.') || id === 'start_time' ? 'desc' : 'asc';
}

/** Metric and param keys seen in `runs`, each with how many runs have it, most common first, then by name. */
export function keysSeen(runs: readonly MlopsRun[], entity: DataColumn['entity']): string[] {
  const counts = new Map<string, number>();
  for (const run of runs) for (const k of Object.keys(run[entity])) counts.set(k, (counts.get(k) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

/** Default columns: the few metrics most runs have. */
export const DEFAULT_METRIC_COLUMNS = 3;
