// One app's observability: the Prometheus metrics, the recent-requests and recent-predictions windows, the event-loop
// monitor. buildApp makes one per app, instruments the app with it, counts predictions through its sink and hands it
// to GET /metrics and GET /api/v1/mlops/monitoring/health.
import type { FastifyInstance } from 'fastify';
import type { PredictionSink } from '../serving/predict.service.js';
import { EventLoopLag } from './event-loop-lag.js';
import { instrumentHttp } from './http-metrics.js';
import type { DriftReport } from '@foodlens/contracts';
import { AppMetrics, type AppMetricsOptions, type MetricsSources } from './metrics.js';
import { countingSink } from './prediction-metrics.js';
import { RecentWindow } from './recent-window.js';

export class Observability {
  readonly startedAt = Date.now();
  readonly metrics: AppMetrics;
  /** HTTP requests, monitoring probes excluded; errors are 5xx */
  readonly requests = new RecentWindow({ seconds: 300 });
  /** served predictions (shadow runs excluded); errors are failed predictions */
  readonly predictions = new RecentWindow({ seconds: 300 });
  readonly eventLoop = new EventLoopLag();

  constructor(opts: AppMetricsOptions = {}) {
    this.metrics = new AppMetrics(opts);
  }

  /** Times every answer of `app` and monitors its event loop until it closes. Call before routes are registered. */
  instrument(app: FastifyInstance): void {
    instrumentHttp(app, this.metrics, this.requests);
    // from ready to close, so an app that fails to build leaves no monitor running
    app.addHook('onReady', async () => this.eventLoop.start());
    app.addHook('onClose', async () => this.eventLoop.stop());
  }

  /** `sink`, also counting every record it is handed. */
  countPredictions(sink: PredictionSink): PredictionSink {
    return countingSink(sink, (record) => {
      this.metrics.countPrediction(record);
      if (record.variant !== 'shadow') this.predictions.record(record.latencyMs, record.status !== 'ok');
    });
  }

  watch(sources: MetricsSources): void {
    this.metrics.watch(sources);
  }

  /** A drift check's result as foodrec_drift_score (each feature's p-value or distance) and foodrec_drift_detected. */
  recordDrift(report: DriftReport): void {
    const base = { model: report.model, version: report.version };
    for (const f of report.features) {
      if (f.status !== 'ok' || f.test === null) continue;
      this.metrics.setDriftScore({ ...base, feature: f.name, test: f.test }, f.p_value ?? f.distance, f.drifted);
    }
    this.metrics.setDriftScore({ ...base, feature: 'dataset', test: 'share' }, report.dataset.share, report.dataset.drifted);
  }
}
