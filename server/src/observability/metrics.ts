// The Prometheus metrics of one app (GET /metrics). One Registry per instance, never prom-client's global one: tests
// build several apps in one process, and each must count only its own requests. Naming follows
// https://prometheus.io/docs/practices/naming (prefix foodrec_, base units, counters ending in _total, an _info gauge
// for metadata); every label value is bounded (route templates, capped model/version/food/outcome sets).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { PredictionLogStats } from '../monitoring/prediction-log/prediction-log-writer.js';
import type { PredictionRecord } from '../monitoring/prediction-log/types.js';
import type { ModelStatus } from '../serving/deployment-router.js';
import { LabelCap } from './label-cap.js';

export const METRIC_PREFIX = 'foodrec_';
/** Requests answered by no route (404s of unknown paths) share one label instead of one series per URL. */
export const UNKNOWN_ROUTE = '__unknown__';
/** The label of what is unknown or absent (a prediction rejected before a model was chosen). */
export const NONE = 'none';

/** 5 ms to 10 s: this service answers most requests in tens of ms, predictions in ~20-500 ms. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10];
export const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Label caps: beyond these, new values are counted under `other` (models, versions, foods) or `other_error`. */
export const LABEL_LIMITS = { models: 50, versions: 100, foods: 100, outcomes: 30, features: 50 } as const;

export interface MetricsSources {
  /** the prediction log's counters, read at scrape time */
  predictionLog?: () => PredictionLogStats;
  /** every deployed model's status, read at scrape time for foodrec_model_info */
  models?: () => ModelStatus[];
}

export interface DriftScoreLabels {
  model: string;
  version: string;
  /** what drifted, e.g. brightness, confidence, food; `dataset` for the share of drifted features */
  feature: string;
  /** the test whose statistic the score is (ks, chisquare, z: a p-value; wasserstein, jensenshannon: a distance;
   * share for the dataset), so a rule compares it with the right threshold */
  test: string;
}

export interface AppMetricsOptions {
  /** include prom-client's process and Node.js metrics (default true) */
  defaultMetrics?: boolean;
}

// Process and Node.js metrics describe the process, not an app, so they are collected once per process into their own
// registry and added to every app's scrape. (Collecting them per app would also start one event-loop monitor and GC
// observer per app, never stopped: prom-client has no way to stop them.)
let processRegistry: Registry | null = null;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export class AppMetrics {
  /** this app's own metrics; add new ones here (registers: [metrics.registry]) */
  readonly registry = new Registry();
  readonly #withProcessMetrics: boolean;
  #sources: MetricsSources = {};
  readonly #models = new LabelCap(LABEL_LIMITS.models);
  readonly #versions = new LabelCap(LABEL_LIMITS.versions);
  readonly #foods = new LabelCap(LABEL_LIMITS.foods);
  readonly #outcomes = new LabelCap(LABEL_LIMITS.outcomes, 'other_error');
  readonly #features = new LabelCap(LABEL_LIMITS.features);

  readonly #httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  readonly #predictions: Counter<'model' | 'model_version' | 'variant' | 'outcome'>;
  readonly #confidence: Histogram<'model' | 'model_version' | 'variant'>;
  readonly #foodsPredicted: Counter<'model' | 'model_version' | 'variant' | 'food'>;
  readonly #drift: Gauge<'model' | 'model_version' | 'feature' | 'test'>;
  readonly #drifted: Gauge<'model' | 'model_version' | 'feature'>;
  readonly #alerts: Gauge<'state' | 'severity'>;
  readonly #alertDeliveries: Counter<'outcome'>;
  readonly #rejected: Counter<'reason' | 'route_class'>;
  /** the drift series set, so one model's can be removed (prom-client removes by the full label set only) */
  readonly #driftSeries = new Map<string, { model: string; model_version: string; feature: string; test: string }>();

  constructor(opts: AppMetricsOptions = {}) {
    const registers = [this.registry];
    const p = METRIC_PREFIX;
    this.#httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration, by route template',
      labelNames: ['method', 'route', 'status_code'],
      buckets: HTTP_DURATION_BUCKETS,
      registers,
    });
    this.#predictions = new Counter({
      name: `${p}predictions_total`,
      help: 'Model runs logged to the prediction log (served and shadow); outcome is ok or the error class',
      labelNames: ['model', 'model_version', 'variant', 'outcome'],
      registers,
    });
    this.#confidence = new Histogram({
      name: `${p}prediction_confidence`,
      help: 'Confidence of the top food of successful predictions that found one (ratio 0-1)',
      labelNames: ['model', 'model_version', 'variant'],
      buckets: CONFIDENCE_BUCKETS,
      registers,
    });
    this.#foodsPredicted = new Counter({
      name: `${p}predicted_food_total`,
      help: `Top food of successful predictions (food="${NONE}" when none was found; at most ${LABEL_LIMITS.foods} foods, the rest "other")`,
      labelNames: ['model', 'model_version', 'variant', 'food'],
      registers,
    });
    this.#drift = new Gauge({
      name: `${p}drift_score`,
      help: 'Latest drift statistic of a feature of a model version against its reference (a p-value or a distance, see test), from the drift job or endpoint',
      labelNames: ['model', 'model_version', 'feature', 'test'],
      registers,
    });
    this.#drifted = new Gauge({
      name: `${p}drift_detected`,
      help: 'Whether the latest drift check flagged the feature (1) or not (0); feature="dataset" for the whole set',
      labelNames: ['model', 'model_version', 'feature'],
      registers,
    });

    this.#alerts = new Gauge({
      name: `${p}alerts`,
      help: 'Alerts (rule scopes) pending or firing at the last evaluation; set by the instance that evaluates alert rules',
      labelNames: ['state', 'severity'],
      registers,
    });
    this.#alertDeliveries = new Counter({
      name: `${p}alert_notification_attempts_total`,
      help: 'Webhook delivery attempts by this instance: delivered, retry (failed, will be retried) or failed (given up)',
      labelNames: ['outcome'],
      registers,
    });

    this.#rejected = new Counter({
      name: `${p}requests_rejected_total`,
      help: 'Requests refused by the limits: rate_limited (429), overloaded (503, the event loop lagging) or body_timeout (408, the body did not arrive in time); route_class is predict, writes or reads',
      labelNames: ['reason', 'route_class'],
      registers,
    });

    const sources = () => this.#sources;
    new Gauge({
      name: `${p}prediction_log_queue_depth`,
      help: 'Prediction-log records accepted and not yet written',
      registers,
      collect() {
        const stats = sources().predictionLog?.();
        if (stats) this.set(stats.queued);
      },
    });
    // The writer keeps cumulative counts; the counters follow them by their increase since the last scrape.
    const followCounter = (name: string, help: string, read: (s: PredictionLogStats) => number) => {
      let last = 0;
      new Counter({
        name,
        help,
        registers,
        collect() {
          const stats = sources().predictionLog?.();
          if (!stats) return;
          const now = read(stats);
          if (now > last) this.inc(now - last);
          last = Math.max(last, now);
        },
      });
    };
    followCounter(
      `${p}prediction_log_dropped_records_total`,
      'Prediction-log records lost (queue full, refused by the database, unwritten at shutdown)',
      (s) => s.dropped,
    );
    followCounter(`${p}prediction_log_written_records_total`, 'Prediction-log records written to the store', (s) => s.written);
    followCounter(`${p}prediction_log_failed_flushes_total`, 'Prediction-log batch writes that failed (each retry counts)', (s) => s.failedFlushes);

    const models = this.#models;
    const versions = this.#versions;
    new Gauge({
      name: `${p}model_info`,
      help: 'Model versions with a role in a deployment here (=1); variant is the role: champion, challenger or shadow',
      labelNames: ['model', 'model_version', 'variant'],
      registers,
      collect() {
        const statuses = sources().models?.();
        if (!statuses) return;
        // rebuilt on every scrape, so a version that lost its role disappears
        this.reset();
        for (const s of statuses) {
          for (const v of s.versions) {
            // roles read "champion", "challenger 30%", "shadow 10%": the word is the variant
            for (const role of v.roles) {
              this.set({ model: models.value(s.name), model_version: versions.value(v.version), variant: role.split(' ')[0]! }, 1);
            }
          }
        }
      },
    });

    this.#withProcessMetrics = opts.defaultMetrics ?? true;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** Where scrape-time gauges and counters read from (the prediction log, the deployed models). */
  watch(sources: MetricsSources): void {
    this.#sources = { ...this.#sources, ...sources };
  }

  observeHttpRequest(method: string, route: string | undefined, statusCode: number, seconds: number): void {
    this.#httpDuration.observe({ method, route: route ?? UNKNOWN_ROUTE, status_code: String(statusCode) }, seconds);
  }

  /** Counts one prediction-log record: served predictions, failed ones and shadow runs alike. */
  countPrediction(record: PredictionRecord): void {
    const labels = {
      model: record.modelName === null ? NONE : this.#models.value(record.modelName),
      model_version: record.modelVersion === null ? NONE : this.#versions.value(record.modelVersion),
      variant: record.variant ?? NONE,
    };
    const outcome = record.status === 'ok' ? 'ok' : this.#outcomes.value(record.errorClass ?? 'unknown');
    this.#predictions.inc({ ...labels, outcome });
    if (record.status !== 'ok') return;
    if (record.confidence !== null && Number.isFinite(record.confidence)) this.#confidence.observe(labels, record.confidence);
    this.#foodsPredicted.inc({ ...labels, food: record.foodName === null ? NONE : this.#foods.value(record.foodName) });
  }

  /** Sets the latest drift result of one feature of a model version (score null: not computable, only the flag). */
  /** The pending and firing alert counts of an evaluation pass, by severity. */
  setAlerts(counts: ReadonlyArray<{ state: 'pending' | 'firing'; severity: string; count: number }>): void {
    this.#alerts.reset();
    for (const c of counts) this.#alerts.set({ state: c.state, severity: c.severity }, c.count);
  }

  countAlertDelivery(outcome: 'delivered' | 'retry' | 'failed'): void {
    this.#alertDeliveries.inc({ outcome });
  }

  /** One request refused by the limits (limits/): both labels come from fixed sets. */
  countRejection(reason: 'rate_limited' | 'overloaded' | 'body_timeout', routeClass: 'predict' | 'writes' | 'reads'): void {
    this.#rejected.inc({ reason, route_class: routeClass });
  }

  setDriftScore(labels: DriftScoreLabels, score: number | null, drifted?: boolean): void {
    const key = { model: this.#models.value(labels.model), model_version: this.#versions.value(labels.version), feature: this.#features.value(labels.feature) };
    const set = { ...key, test: labels.test };
    // a feature's test can change (the reference grew past 1,000 rows): drop the series of the old one
    for (const [k, old] of this.#driftSeries) {
      if (old.model === set.model && old.model_version === set.model_version && old.feature === set.feature && old.test !== set.test) {
        this.#drift.remove(old);
        this.#driftSeries.delete(k);
      }
    }
    if (score !== null && Number.isFinite(score)) {
      this.#drift.set(set, score);
      this.#driftSeries.set(JSON.stringify(set), set);
    }
    if (drifted !== undefined) this.#drifted.set(key, drifted ? 1 : 0);
  }

  /** Forgets drift scores: all, or one model's (e.g. its deployment was deleted). */
  clearDriftScores(model?: string): void {
    for (const [key, labels] of this.#driftSeries) {
      if (model !== undefined && labels.model !== model) continue;
      this.#drift.remove(labels);
      this.#drifted.remove({ model: labels.model, model_version: labels.model_version, feature: labels.feature });
      this.#driftSeries.delete(key);
    }
  }

  /** The text exposition of this app's metrics and the process's. */
  metrics(): Promise<string> {
    // merged per scrape (a handful of references), so metrics registered after construction are included too
    return this.#withProcessMetrics ? Registry.merge([this.registry, processMetrics()]).metrics() : this.registry.metrics();
  }
}
