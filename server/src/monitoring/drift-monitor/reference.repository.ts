// drift_references: one stored reference (summaries and how they were chosen) per model version, and the raw-row read
// behind first-N references.
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type { DriftReferenceSourceOut } from '@foodlens/contracts';
import type { Tables } from '../../db/tables.js';
import { addPrediction, decodeWindow, emptyWindow, encodeWindow, type WindowSummaries } from './feature-summaries.js';

export interface StoredReference {
  model: string;
  version: string;
  summaries: WindowSummaries;
  source: DriftReferenceSourceOut;
  description: string;
  rows: number;
  rangeFrom: number | null;
  rangeTo: number | null;
  createdTime: number;
}

export async function upsertReference(db: Kysely<Tables>, r: StoredReference): Promise<void> {
  const row = {
    model_name: r.model,
    model_version: r.version,
    features: encodeWindow(r.summaries),
    source: JSON.stringify(r.source),
    description: r.description,
    row_count: r.rows,
    range_from: r.rangeFrom,
    range_to: r.rangeTo,
    created_time: r.createdTime,
  };
  const { model_name, model_version, ...rest } = row;
  await db
    .insertInto('drift_references')
    .values(row)
    .onConflict((oc) => oc.columns(['model_name', 'model_version']).doUpdateSet(rest))
    .execute();
}

/** The stored reference, or null (also when its summaries are of an older FEATURE_SUMMARY_VERSION: set it again). */
export async function selectReference(db: Kysely<Tables>, model: string, version: string): Promise<StoredReference | null> {
  const row = await db.selectFrom('drift_references').selectAll().where('model_name', '=', model).where('model_version', '=', version).executeTakeFirst();
  if (!row) return null;
  const summaries = decodeWindow(row.features);
  return summaries ? { ...describedBy(row), summaries } : null;
}

type DescriptionRow = Omit<Tables['drift_references'], 'features'>;

/** A row's columns other than the summaries. */
function describedBy(row: DescriptionRow): Omit<StoredReference, 'summaries'> {
  return {
    model: row.model_name,
    version: row.model_version,
    source: JSON.parse(row.source) as DriftReferenceSourceOut,
    description: row.description,
    rows: Number(row.row_count),
    rangeFrom: row.range_from === null ? null : Number(row.range_from),
    rangeTo: row.range_to === null ? null : Number(row.range_to),
    createdTime: Number(row.created_time),
  };
}

/** Every stored reference (of one model, or all), without its summaries; by model then version. */
export async function listReferences(db: Kysely<Tables>, model?: string): Promise<Array<Omit<StoredReference, 'summaries'>>> {
  let q = db
    .selectFrom('drift_references')
    .select(['model_name', 'model_version', 'source', 'description', 'row_count', 'range_from', 'range_to', 'created_time']);
  if (model !== undefined) q = q.where('model_name', '=', model);
  return (await q.orderBy('model_name').orderBy('model_version').execute()).map(describedBy);
}

export async function deleteReference(db: Kysely<Tables>, model: string, version: string): Promise<boolean> {
  const r = await db.deleteFrom('drift_references').where('model_name', '=', model).where('model_version', '=', version).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Raw rows store an unknown variant as NULL where the rollups store ''. */
function variantCondition(variants: readonly string[] | undefined): RawBuilder<SqlBool> | null {
  if (variants === undefined) return null;
  const named = variants.filter((v) => v !== '');
  const parts: Array<RawBuilder<unknown>> = [];
  if (named.length) parts.push(sql`variant in (${sql.join(named)})`);
  if (variants.includes('')) parts.push(sql`variant is null`);
  return parts.length ? sql<SqlBool>`(${sql.join(parts, sql` or `)})` : sql<SqlBool>`1 = 0`;
}

const FEATURE_COLUMNS = ['id', 'created_at', 'food_name', 'confidence', 'image_width', 'image_height', 'image_bytes', 'brightness', 'contrast', 'saturation', 'sharpness'] as const;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/**
 * Summarises the first `n` successful predictions of a model version created at or after `after`, oldest first (ties by
 * id), paging by (created_at, id) over the (model_name, model_version, created_at) index. `variants` as in
 * RollupFilter ('' = logged without a variant); undefined = all.
 */
export async function summariseFirstPredictions(
  db: Kysely<Tables>,
  q: { model: string; version: string; after: number | null; n: number; variants: readonly string[] | undefined },
  pageSize = 10_000,
): Promise<{ summaries: WindowSummaries; first: number | null; last: number | null }> {
  const summaries = emptyWindow();
  let first: number | null = null;
  let last: { t: number; id: string } | null = null;
  const variants = variantCondition(q.variants);
  while (summaries.rows < q.n) {
    const limit = Math.min(pageSize, q.n - summaries.rows);
    let query = db
      .selectFrom('predictions')
      .select([...FEATURE_COLUMNS])
      .where('model_name', '=', q.model)
      .where('model_version', '=', q.version)
      .where('status', '=', 'ok')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit);
    if (q.after !== null) query = query.where('created_at', '>=', q.after);
    if (variants !== null) query = query.where(variants);
    if (last !== null) {
      const { t, id } = last;
      query = query.where((eb) => eb.or([eb('created_at', '>', t), eb.and([eb('created_at', '=', t), eb('id', '>', id)])]));
    }
    const rows = await query.execute();
    for (const r of rows) {
      addPrediction(summaries, {
        foodName: r.food_name,
        confidence: num(r.confidence),
        imageWidth: num(r.image_width),
        imageHeight: num(r.image_height),
        imageBytes: num(r.image_bytes),
        brightness: num(r.brightness),
        contrast: num(r.contrast),
        saturation: num(r.saturation),
        sharpness: num(r.sharpness),
      });
    }
    if (rows.length === 0) break;
    first ??= Number(rows[0]!.created_at);
    last = { t: Number(rows[rows.length - 1]!.created_at), id: rows[rows.length - 1]!.id };
    if (rows.length < limit) break;
  }
  return { summaries, first, last: last?.t ?? null };
}
