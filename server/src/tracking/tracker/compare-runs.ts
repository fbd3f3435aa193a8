// compare_models: runs side by side. Params and latest metrics are aligned by key (one column per run, null where
// a run lacks the key), and for each metric the best run is named. Pure: the caller fetches the runs.
import type { Run } from '../types.js';
import { metricDirection, type MetricDirection } from './metric-direction.js';
import { MODEL_NAME_TAG, MODEL_VERSION_TAG } from './run-tags.js';

export interface ComparedParam {
  key: string;
  values: Array<string | null>;
  /** false when every run has the same value (absent counts as a value) */
  differs: boolean;
}

export interface ComparedMetric {
  key: string;
  /** the latest value per run; NaN stays NaN */
  values: Array<number | null>;
  direction: MetricDirection;
  /** null when fewer than two runs have a comparable (non-NaN) value, or when the best value is shared */
  bestRunId: string | null;
}

export interface RunComparison {
  runs: Array<{ runId: string; runName: string; experimentId: string; status: string; startTime: number | null; model: string | null }>;
  params: ComparedParam[];
  metrics: ComparedMetric[];
}

const byKey = (a: { key: string }, b: { key: string }) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export function compareRuns(runs: readonly Run[], opts: { lowerIsBetter?: ReadonlySet<string> } = {}): RunComparison {
  const paramKeys = new Set(runs.flatMap((r) => r.data.params.map((p) => p.key)));
  const params = [...paramKeys].map((key): ComparedParam => {
    const values = runs.map((r) => r.data.params.find((p) => p.key === key)?.value ?? null);
    return { key, values, differs: new Set(values).size > 1 };
  });

  const metricKeys = new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)));
  const metrics = [...metricKeys].map((key): ComparedMetric => {
    const values = runs.map((r) => r.data.metrics.find((m) => m.key === key)?.value ?? null);
    const direction = metricDirection(key, opts.lowerIsBetter);
    return { key, values, direction, bestRunId: bestRun(runs, values, direction) };
  });

  return {
    runs: runs.map((r) => ({
      runId: r.info.runId,
      runName: r.info.runName,
      experimentId: r.info.experimentId,
      status: r.info.status,
      startTime: r.info.startTime,
      model: modelOf(r),
    })),
    params: params.sort(byKey),
    metrics: metrics.sort(byKey),
  };
}

function bestRun(runs: readonly Run[], values: ReadonlyArray<number | null>, direction: MetricDirection): string | null {
  const comparable = values.flatMap((v, i) => (v === null || Number.isNaN(v) ? [] : [{ v, i }]));
  if (comparable.length < 2) return null;
  const better = (a: number, b: number) => (direction === 'higher_is_better' ? a > b : a < b);
  let best = comparable[0]!;
  for (const c of comparable.slice(1)) if (better(c.v, best.v)) best = c;
  if (comparable.filter((c) => c.v === best.v).length > 1) return null; // a tie names nobody
  return runs[best.i]!.info.runId;
}

/** `<name>/<version>` from the FoodLens run tags, if the run has them. */
function modelOf(run: Run): string | null {
  const tag = (k: string) => run.data.tags.find((t) => t.key === k)?.value;
  const name = tag(MODEL_NAME_TAG);
  const version = tag(MODEL_VERSION_TAG);
  return name && version ? `${name}/${version}` : null;
}
