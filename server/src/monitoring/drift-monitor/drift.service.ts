// GET /api/v1/mlops/monitoring/drift: a model version's current window (summed from the rollups) against its stored
// reference, feature by feature with Evidently's default test (monitoring/drift featureDrift), and Evidently's dataset
// rule over the features. Reads one reference row plus the window's rollup rows: O(buckets), whatever the traffic.
import type { DriftDistribution, DriftFeatureName, DriftQuery, DriftReport, FeatureDriftReport } from '@foodlens/contracts';
import type { Database } from '../../db/connection.js';
import { getChampionVersion } from '../../deployments/champion-alias.js';
import { InvalidParameter, NotFound } from '../../util/errors.js';
import { datasetDrift, featureDrift, type BinnedShares, type CategoricalSummary, type FeatureDriftResult, type FeatureInput } from '../drift/index.js';
import { resolveScope } from '../rollups/monitoring-range.js';
import { selectFeatureWindow } from '../rollups/rollup-read.repository.js';
import { FOOD_FEATURE, NO_FOOD_LABEL, NUMERIC_FEATURES, type WindowSummaries } from './feature-summaries.js';
import { selectReference } from './reference.repository.js';
import { numericStats } from './reference.service.js';

export function noReferenceMessage(model: string, version: string): string {
  return (
    `no drift reference for ${model} version ${version}: set one with PUT /api/v1/mlops/monitoring/drift/reference, ` +
    `body {"model":"${model}","version":"${version}","source":{"type":"window","from":"<ISO or epoch ms>","to":"<ISO or epoch ms>"}} ` +
    `(predictions in a time window), {"model":"${model}","version":"${version}","source":{"type":"first","n":5000,"after":"<promotion time>"}} ` +
    `(the first n predictions after a time) or {"model":"${model}","version":"${version}","source":{"type":"evaluation","run_id":"<run id>"}} ` +
    `(the images of an evaluation run of the version)`
  );
}

/** The version a query names, or the model's champion. */
export async function resolveVersion(database: Database, model: string, version: string | undefined): Promise<string> {
  if (version !== undefined) return version;
  const champion = await getChampionVersion(database.db, model);
  if (champion === null) throw new InvalidParameter(`model ${model} has no champion version: give version`, { reason: 'no_champion' });
  return champion;
}

function foodSummary(foods: Map<string, number>): CategoricalSummary {
  const counts = Object.create(null) as Record<string, number>;
  let count = 0;
  for (const [k, n] of foods) {
    if (n <= 0) continue;
    const label = k === '' ? NO_FOOD_LABEL : k;
    counts[label] = (counts[label] ?? 0) + n;
    count += n;
  }
  return { kind: 'categorical', counts, count, missing: 0 };
}

function inputs(reference: WindowSummaries, current: WindowSummaries): FeatureInput[] {
  const out: FeatureInput[] = NUMERIC_FEATURES.map((f, i) => ({ name: f.name, type: 'numerical', reference: reference.numeric[i]!, current: current.numeric[i]! }));
  out.push({ name: FOOD_FEATURE, type: 'categorical', reference: foodSummary(reference.foods), current: foodSummary(current.foods) });
  return out;
}

const finite = (x: number | null): number | null => (x !== null && Number.isFinite(x) ? x : null);

function distribution(b: BinnedShares): DriftDistribution {
  return { edges: b.edges ? b.edges.map(finite) : null, labels: b.labels, reference: b.reference, current: b.current };
}

function report(r: FeatureDriftResult, input: FeatureInput, psi: FeatureDriftResult | null, psiThreshold: number): FeatureDriftReport {
  const stats = input.type === 'numerical' ? { reference: numericStats(input.reference as never), current: numericStats(input.current as never) } : undefined;
  const base = {
    name: r.name as DriftFeatureName,
    type: r.type,
    reference_count: r.referenceCount,
    current_count: r.currentCount,
    ...(stats ? { stats } : {}),
    ...(psi === null ? {} : { psi: psi.status === 'ok' ? { value: psi.score, threshold: psiThreshold, drifted: psi.drifted, approximate: psi.approximate, distribution: distribution(psi.distributions) } : null }),
  };
  if (r.status !== 'ok') {
    return { ...base, status: 'not_enough_data', reason: r.reason, test: null, statistic: null, p_value: null, distance: null, threshold: null, drifted: false, approximate: false, distribution: null };
  }
  return {
    ...base,
    status: 'ok',
    test: r.test,
    statistic: finite(r.statistic),
    p_value: r.pValue,
    distance: r.distance,
    threshold: r.threshold,
    drifted: r.drifted,
    approximate: r.approximate,
    distribution: distribution(r.distributions),
  };
}

export async function checkDrift(database: Database, q: DriftQuery, now = Date.now()): Promise<DriftReport> {
  const version = await resolveVersion(database, q.model, q.version);
  const reference = await selectReference(database.db, q.model, version);
  if (reference === null) throw new NotFound(noReferenceMessage(q.model, version), { reason: 'no_reference' });
  const { plan, filter } = resolveScope({ from: q.from, to: q.to, window: q.window, model: q.model, version, variant: q.variant }, now);
  const current = await selectFeatureWindow(database.db, plan, filter);

  const features: FeatureDriftReport[] = [];
  const results: FeatureDriftResult[] = [];
  for (const input of inputs(reference.summaries, current)) {
    const r = featureDrift(input, q.stattest_threshold === undefined ? {} : { threshold: q.stattest_threshold });
    const psi = q.method === 'psi' ? featureDrift(input, { test: 'psi', threshold: q.psi_threshold }) : null;
    results.push(r);
    features.push(report(r, input, psi, q.psi_threshold));
  }
  const dataset = datasetDrift(results, q.drift_share);
  return {
    model: q.model,
    version,
    variant: q.variant,
    reference: {
      source: reference.source,
      description: reference.description,
      rows: reference.rows,
      range: { from: reference.rangeFrom, to: reference.rangeTo },
      created_time: reference.createdTime,
    },
    current: { range: { from: plan.from, to: plan.to }, rows: current.rows },
    features,
    dataset: {
      features: results.length,
      evaluated: dataset.evaluated,
      drifted_features: dataset.drifted,
      share: dataset.share,
      drift_share: dataset.driftShare,
      drifted: dataset.datasetDrift,
      not_enough_data: dataset.notEnoughData,
    },
    psi: q.method === 'psi' ? { threshold: q.psi_threshold, drifted_features: features.filter((f) => f.psi?.drifted).map((f) => f.name) } : null,
  };
}
