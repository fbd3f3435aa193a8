// Setting a model version's drift reference: summaries of a time window (summed from the rollups, O(buckets)), of the
// first N successful predictions at or after a time (read from the raw rows, e.g. right after a promotion), or of the
// images of an evaluation run of the version (its predictions.csv artifact, evaluation-reference.ts), stored once in
// drift_references and read by every drift check.
import type { DriftReference, DriftReferenceSourceOut, PutDriftReferenceBody } from '@foodlens/contracts';
import type { ArtifactStore } from '../../artifacts/artifact-store.js';
import type { Database } from '../../db/connection.js';
import type { TrackingService } from '../../tracking/types.js';
import { InvalidParameter, ServiceUnavailable } from '../../util/errors.js';
import { resolveScope } from '../rollups/monitoring-range.js';
import { selectFeatureWindow } from '../rollups/rollup-read.repository.js';
import { summaryMean, summaryStd } from '../drift/summaries.js';
import { summariseEvaluationRun } from './evaluation-reference.js';
import { decodeWindow, encodeWindow, NO_FOOD_LABEL, NUMERIC_FEATURES, type WindowSummaries } from './feature-summaries.js';
import { selectReference, summariseFirstPredictions, upsertReference, type StoredReference } from './reference.repository.js';

/** What an evaluation source reads: the run (tracking) and its predictions.csv (the artifact store). */
export interface ReferenceSources {
  tracking?: Pick<TrackingService, 'getRun'>;
  artifacts?: ArtifactStore;
}

const iso = (t: number) => new Date(t).toISOString();

export async function setReference(
  database: Database,
  body: PutDriftReferenceBody,
  now = Date.now(),
  sources: ReferenceSources = {},
): Promise<DriftReference> {
  const { model, version, source } = body;
  let summaries: WindowSummaries;
  let rangeFrom: number | null;
  let rangeTo: number | null;
  let stored: DriftReferenceSourceOut;
  let description: string;
  if (source.type === 'evaluation') {
    const { tracking, artifacts } = sources;
    if (!tracking || !artifacts) {
      throw new ServiceUnavailable('this server reads no tracking store or artifact store for drift references: evaluation runs cannot be used', {
        reason: 'no_artifact_store',
      });
    }
    const r = await summariseEvaluationRun({ tracking, artifacts }, { runId: source.run_id, model, version });
    summaries = r.summaries;
    rangeFrom = r.run.info.startTime;
    rangeTo = r.run.info.endTime;
    stored = { type: 'evaluation', run_id: source.run_id };
    description = r.description;
  } else if (source.type === 'window') {
    const { filter } = resolveScope({ model, version, variant: source.variant }, now);
    const { plan } = resolveScope({ from: source.from, to: source.to, model, version, variant: source.variant }, now);
    summaries = await selectFeatureWindow(database.db, plan, filter);
    rangeFrom = plan.from;
    rangeTo = plan.to;
    stored = { type: 'window', from: source.from, to: source.to, variant: source.variant };
    description = `${summaries.rows} successful predictions (variant ${source.variant}) in [${iso(plan.from)}, ${iso(plan.to)})`;
    if (summaries.rows === 0) {
      throw new InvalidParameter(`${model} version ${version} has no successful predictions (variant ${source.variant}) in [${iso(plan.from)}, ${iso(plan.to)}): nothing to use as a reference`, { reason: 'empty_reference' });
    }
  } else {
    const { filter } = resolveScope({ model, version, variant: source.variant }, now);
    const after = source.after ?? null;
    const r = await summariseFirstPredictions(database.db, { model, version, after, n: source.n, variants: filter.variants });
    summaries = r.summaries;
    rangeFrom = r.first;
    rangeTo = r.last;
    stored = { type: 'first', n: source.n, after, variant: source.variant };
    const since = after === null ? '' : ` at or after ${iso(after)}`;
    description =
      summaries.rows < source.n
        ? `the first ${summaries.rows} successful predictions (variant ${source.variant})${since}: fewer than the ${source.n} asked, all there were`
        : `the first ${source.n} successful predictions (variant ${source.variant})${since}`;
    if (summaries.rows === 0) {
      throw new InvalidParameter(`${model} version ${version} has no stored successful predictions (variant ${source.variant})${since}: nothing to use as a reference`, { reason: 'empty_reference' });
    }
  }
  const reference: StoredReference = { model, version, summaries, source: stored, description, rows: summaries.rows, rangeFrom, rangeTo, createdTime: now };
  await upsertReference(database.db, reference);
  // Answered as stored (moments of exact value counts are recomputed from them), so PUT and GET agree to the last bit.
  return referenceBody({ ...reference, summaries: decodeWindow(encodeWindow(summaries))! });
}

export async function getReference(database: Database, model: string, version: string): Promise<StoredReference | null> {
  return selectReference(database.db, model, version);
}

const finiteOrNull = (x: number) => (Number.isFinite(x) ? x : null);

export function numericStats(s: WindowSummaries['numeric'][number]) {
  return {
    count: s.count,
    missing: s.missing,
    mean: finiteOrNull(summaryMean(s)),
    std: finiteOrNull(summaryStd(s)),
    min: finiteOrNull(s.min),
    max: finiteOrNull(s.max),
  };
}

export function referenceBody(r: StoredReference): DriftReference {
  const numeric: DriftReference['features']['numeric'] = {};
  NUMERIC_FEATURES.forEach((f, i) => (numeric[f.name] = numericStats(r.summaries.numeric[i]!)));
  const food = [...r.summaries.foods.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .map(([k, count]) => ({ food: k === '' ? NO_FOOD_LABEL : k, count }));
  return {
    model: r.model,
    version: r.version,
    source: r.source,
    description: r.description,
    rows: r.rows,
    range: { from: r.rangeFrom, to: r.rangeTo },
    created_time: r.createdTime,
    features: { numeric, food },
  };
}
