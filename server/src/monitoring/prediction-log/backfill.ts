// Back-filled predictions (POST /api/v1/predictions/backfill): an existing prediction's answer logged again at a past
// time for another user. Nothing is invented: food, confidence, detections, image statistics and model version are
// copied from a prediction the model really made on a real image; only the time, user, variant, latency and the
// shadow link are the caller's. The demo uses it to lay 14 days of history in seconds; it also fits importing
// traffic replayed from elsewhere. Written in one transaction with its rollups, so an answered request is stored.
import type { Database } from '../../db/connection.js';
import { InvalidParameter, NotFound } from '../../util/errors.js';
import { uuidv7At } from '../../util/ids.js';
import { insertPredictions } from './prediction-log.repository.js';
import { fromPredictionRow } from './prediction-row.js';
import type { PredictionRecord, PredictionVariant } from './types.js';

export interface BackfillItem {
  source: { predictionId: string; version?: string };
  createdAt: number;
  userId: string | null;
  variant: PredictionVariant | null;
  latencyMs?: number;
  /** shadow items: index of the served item (earlier in the same request) they shadow */
  shadowOf?: number;
}

export interface BackfillDeps {
  database: Database;
  /** writes predictions still queued, so a source answered a moment ago is found */
  flushPending?: () => Promise<void>;
  /** raw rows older than this many days are deleted by retention; 0 keeps them forever */
  rawRetentionDays: number;
  now?: number;
}

/** A record may be stamped up to this far ahead of the server's clock (clients' clocks drift). */
const CLOCK_SKEW_MS = 60_000;

export async function backfillPredictions(deps: BackfillDeps, items: readonly BackfillItem[]): Promise<string[]> {
  const now = deps.now ?? Date.now();
  items.forEach((item, i) => checkItem(item, i, items, now, deps.rawRetentionDays));
  const sources = await loadSources(deps, items);
  const ids = items.map((item) => uuidv7At(item.createdAt));
  const records = items.map((item, i): PredictionRecord => {
    const source = sources.get(sourceKey(item))!;
    const latencyMs = item.latencyMs ?? source.latencyMs;
    return {
      ...source,
      id: ids[i]!,
      createdAt: item.createdAt,
      userId: item.userId,
      variant: item.variant,
      shadowOf: item.shadowOf === undefined ? null : ids[item.shadowOf]!,
      latencyMs,
      // the model's run can't have taken longer than the whole request
      inferenceMs: source.inferenceMs === null ? null : Math.min(source.inferenceMs, latencyMs),
    };
  });
  await insertPredictions(deps.database, records);
  return ids;
}

function checkItem(item: BackfillItem, i: number, items: readonly BackfillItem[], now: number, retentionDays: number): void {
  const at = `records[${i}]`;
  if (item.createdAt > now + CLOCK_SKEW_MS) throw new InvalidParameter(`${at}.created_at is in the future`, { reason: 'out_of_range' });
  if (retentionDays > 0 && item.createdAt < now - retentionDays * 86_400_000) {
    throw new InvalidParameter(`${at}.created_at is older than the raw-log retention (${retentionDays} days); it would be deleted at once`, {
      reason: 'out_of_range',
    });
  }
  if (item.variant === 'shadow') {
    if (item.shadowOf === undefined) throw new InvalidParameter(`${at} is a shadow run: shadow_of must name the served record it shadows`);
    const served = items[item.shadowOf];
    if (item.shadowOf >= i || !served) throw new InvalidParameter(`${at}.shadow_of must be the index of an earlier record in this request`);
    if (served.variant === 'shadow') throw new InvalidParameter(`${at}.shadow_of names another shadow run; it must name a served record`);
  } else if (item.shadowOf !== undefined) {
    throw new InvalidParameter(`${at}.shadow_of is only for shadow runs (variant "shadow")`);
  }
}

function sourceKey(item: BackfillItem): string {
  return `${item.source.predictionId}\u0000${item.source.version ?? ''}`;
}

/** The stored predictions the items copy, by source key; a missing one is a 404 naming it. */
async function loadSources(deps: BackfillDeps, items: readonly BackfillItem[]): Promise<Map<string, PredictionRecord>> {
  const wanted = new Map(items.map((item) => [sourceKey(item), item.source]));
  const predictionIds = [...new Set(items.map((item) => item.source.predictionId))];
  let rows = await readRows(deps.database, predictionIds);
  if (deps.flushPending && [...wanted.values()].some((s) => !match(rows, s))) {
    await deps.flushPending();
    rows = await readRows(deps.database, predictionIds);
  }
  const found = new Map<string, PredictionRecord>();
  for (const [key, source] of wanted) {
    const record = match(rows, source);
    if (!record) {
      const what = source.version === undefined ? '' : ` (or its run by version ${source.version})`;
      throw new NotFound(`prediction ${source.predictionId}${what} does not exist`, { reason: 'unknown_source' });
    }
    found.set(key, record);
  }
  return found;
}

/** A prediction and the shadow runs of it, for each id (chunked: SQLite caps bound parameters). */
async function readRows(database: Database, predictionIds: readonly string[]): Promise<PredictionRecord[]> {
  const out: PredictionRecord[] = [];
  for (let i = 0; i < predictionIds.length; i += 400) {
    const chunk = predictionIds.slice(i, i + 400);
    // two lookups, each on its own index (the primary key, the partial index of shadow runs)
    const served = await database.db.selectFrom('predictions').selectAll().where('id', 'in', chunk).execute();
    const shadows = await database.db.selectFrom('predictions').selectAll().where('shadow_of', 'in', chunk).execute();
    out.push(...served.map(fromPredictionRow), ...shadows.map(fromPredictionRow));
  }
  return out;
}

/** The prediction itself, or with a version other than its own, its shadow run by that version. */
function match(rows: readonly PredictionRecord[], source: BackfillItem['source']): PredictionRecord | undefined {
  const served = rows.find((r) => r.id === source.predictionId);
  if (!served) return undefined;
  if (source.version === undefined || source.version === served.modelVersion) return served;
  return rows.find((r) => r.shadowOf === source.predictionId && r.modelVersion === source.version && r.modelName === served.modelName);
}
