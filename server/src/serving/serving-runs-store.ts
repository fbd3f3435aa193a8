// The serving run of a model version: one run per version in the experiment `food-detector-serving`, found again
// by its tags after a restart, so a version's production metrics form one continuous history.
//
// Several instances may look for the run at once and each create one. They converge on one run: the canonical run is
// the oldest active one with the tags (earliest start_time, then smallest run_id), and every tick resolves it
// afresh. An instance deletes a run it created itself as soon as it sees that run is not the canonical one: at once
// when its check right after creating shows an older one, or at a later tick when the other instance's run, created
// in the same instant, turns out to sort first. Metrics logged into such a run meanwhile were logged into the
// canonical run too (the other instance logs the same windows), so nothing is lost with it.
import {
  filterString,
  MODEL_NAME_TAG,
  MODEL_VERSION_TAG,
  RUN_TYPE_TAG,
  SERVING_EXPERIMENT,
} from '../tracking/tracker/run-tags.js';
import { ensureExperiment } from '../tracking/tracker/ensure-experiment.js';
import type { Run, TrackingService } from '../tracking/types.js';

export const SERVING_METRIC_KEYS = ['requests', 'mean_confidence', 'p95_latency_ms', 'error_rate'] as const;

export class ServingRunStore {
  private experimentId: string | null = null;
  /** runs this instance created, which it may delete if another instance's run wins */
  private readonly created = new Set<string>();

  constructor(private readonly tracking: TrackingService) {}

  async experiment(): Promise<string> {
    this.experimentId ??= (
      await ensureExperiment(this.tracking, SERVING_EXPERIMENT, [
        { key: 'mlflow.note.content', value: 'FoodLens serving metrics: one run per model version, metrics appended every tick.' },
      ])
    ).experimentId;
    return this.experimentId;
  }

  /** The version's serving run, or null when it has none. Does not create one. */
  async find(modelName: string, modelVersion: string): Promise<Run | null> {
    // A read: it must not create the experiment as a side effect.
    const experimentId = this.experimentId ?? (await this.tracking.findExperimentByName(SERVING_EXPERIMENT))?.experimentId;
    if (experimentId === undefined) return null;
    return canonical(await this.search(experimentId, modelName, modelVersion));
  }

  /** The version's serving run, created when it has none. */
  async resolve(modelName: string, modelVersion: string): Promise<Run> {
    const experimentId = await this.experiment();
    const found = await this.search(experimentId, modelName, modelVersion);
    const existing = canonical(found);
    if (existing) {
      await this.dropOwnLosers(found, existing);
      return existing;
    }
    const created = await this.tracking.createRun({
      experimentId,
      runName: `${modelName}-v${modelVersion}-serving`,
      tags: [
        { key: RUN_TYPE_TAG, value: 'serving' },
        { key: MODEL_NAME_TAG, value: modelName },
        { key: MODEL_VERSION_TAG, value: modelVersion },
      ],
    });
    this.created.add(created.info.runId);
    // Another instance may have created one at the same moment: keep the canonical one, drop ours if it lost.
    const after = await this.search(experimentId, modelName, modelVersion);
    const winner = canonical(after) ?? created;
    if (winner.info.runId !== created.info.runId) {
      await this.dropOwnLosers(after, winner);
      return winner;
    }
    await this.tracking.logBatch({
      runId: created.info.runId,
      params: [
        { key: 'model_name', value: modelName },
        { key: 'model_version', value: modelVersion },
      ],
    });
    return this.tracking.getRun(created.info.runId);
  }

  private async dropOwnLosers(found: readonly Run[], winner: Run): Promise<void> {
    for (const r of found) {
      if (r.info.runId === winner.info.runId || !this.created.has(r.info.runId)) continue;
      await this.tracking.deleteRun(r.info.runId);
      this.created.delete(r.info.runId);
    }
  }

  private async search(experimentId: string, modelName: string, modelVersion: string): Promise<Run[]> {
    const filter = [
      `tags.\`${RUN_TYPE_TAG}\` = 'serving'`,
      `tags.\`${MODEL_NAME_TAG}\` = ${filterString(modelName)}`,
      `tags.\`${MODEL_VERSION_TAG}\` = ${filterString(modelVersion)}`,
    ].join(' and ');
    const runs: Run[] = [];
    let pageToken: string | null = null;
    do {
      const page = await this.tracking.searchRuns({ experimentIds: [experimentId], filter, maxResults: 100, pageToken });
      runs.push(...page.runs);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return runs;
  }
}

function canonical(runs: readonly Run[]): Run | null {
  let best: Run | null = null;
  for (const r of runs) {
    if (!best) best = r;
    else {
      const a = r.info.startTime ?? Number.MAX_SAFE_INTEGER;
      const b = best.info.startTime ?? Number.MAX_SAFE_INTEGER;
      if (a < b || (a === b && r.info.runId < best.info.runId)) best = r;
    }
  }
  return best;
}
