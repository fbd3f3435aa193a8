// compare: model versions side by side from the prediction log's rollups and feedback (requests, confidence, latency, errors, foods,
// realised accuracy, shadow agreement). Versions without predictions in the window answer zeros, not an error; a
// version the registry does not know is a 404.
import type { VersionComparison, VersionStats } from '@foodlens/contracts';
import type { Database } from '../db/connection.js';
import { NotFound } from '../util/errors.js';
import {
  latencyQuantile,
  selectFoodCounts,
  selectRealisedAccuracy,
  selectShadowAgreement,
  selectVersionTotals,
  type VersionWindow,
} from './version-stats.repository.js';

export interface CompareVersionsInput extends VersionWindow {
  topFoods: number;
}

export async function compareVersions(database: Database, input: CompareVersionsInput): Promise<VersionComparison> {
  const db = database.db;
  const versions = [...new Set(input.versions)];
  const known = await db
    .selectFrom('model_versions')
    .select('version')
    .where('name', '=', input.model)
    .where('version', 'in', versions.map(Number))
    .execute();
  const missing = versions.filter((v) => !known.some((k) => String(k.version) === v));
  if (missing.length > 0) throw new NotFound(`model ${input.model} has no version ${missing.join(', ')}`);

  const w: VersionWindow = { model: input.model, versions, from: input.from, to: input.to };
  const [totals, foods, accuracy, agreement] = await Promise.all([
    selectVersionTotals(db, w),
    selectFoodCounts(db, w, input.topFoods),
    selectRealisedAccuracy(db, w),
    selectShadowAgreement(db, w),
  ]);

  const stats: VersionStats[] = [];
  for (const version of versions) {
    const t = totals.find((x) => x.version === version);
    const ok = t?.ok ?? 0;
    const acc = accuracy.find((a) => a.version === version);
    stats.push({
      version,
      requests: t?.requests ?? 0,
      served: t?.served ?? 0,
      shadow: t?.shadow ?? 0,
      errors: t?.errors ?? 0,
      error_rate: t && t.requests > 0 ? t.errors / t.requests : null,
      mean_confidence: t?.meanConfidence ?? null,
      latency_ms: { p50: latencyQuantile(t, 0.5), p95: latencyQuantile(t, 0.95) },
      foods: foods
        .filter((f) => f.version === version)
        .map((f) => ({ food: f.food, count: f.count, share: ok > 0 ? f.count / ok : 0 })),
      realised_accuracy: acc && acc.labelled > 0 ? { labelled: acc.labelled, correct: acc.correct, accuracy: acc.correct / acc.labelled } : null,
    });
  }
  return {
    model: input.model,
    from: input.from ?? null,
    to: input.to ?? null,
    versions: stats,
    shadow_agreement: agreement
      .filter((a) => versions.includes(a.primary) || versions.includes(a.shadow))
      .map((a) => ({ primary_version: a.primary, shadow_version: a.shadow, pairs: a.pairs, agreed: a.agreed, rate: a.pairs > 0 ? a.agreed / a.pairs : 0 })),
  };
}
