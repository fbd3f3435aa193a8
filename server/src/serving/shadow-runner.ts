// Shadow runs: a sample of served requests also runs on the deployment's shadow version, after the response is sent,
// and is logged with variant 'shadow' pointing at the served prediction. Never in the way of the served request:
// the sampling decision and a copy of the pixels are all that happen before the answer (the engine takes ownership of
// the served request's buffer), the run itself goes to the shadow engine, and when shadow runs pile up (more pending
// than the bound) the sample is skipped and counted rather than queued.
import type { UploadedImage } from '../images/decode.js';
import type { DecodedImage } from '../inference/types.js';
import { uuidv7 } from '../util/ids.js';
import type { DeploymentRouter } from './deployment-router.js';
import { answerDetections } from './food-detections.js';
import { errorRecord, okRecord } from './prediction-record.js';
import type { PredictionSink } from './predict.service.js';

export interface ShadowStats {
  started: number;
  skipped: number;
  failed: number;
}

/** What a reserved shadow run needs from the served prediction, known once it has answered. */
export interface ServedContext {
  predictionId: string;
  userId: string | null;
  upload: UploadedImage;
}

export interface ShadowReservation {
  /** starts the shadow run (call after the response is sent); returns at once */
  start(served: ServedContext): void;
  /** gives the reservation up (the served request failed) */
  cancel(): void;
}

export interface ShadowRunnerOptions {
  router: DeploymentRouter;
  log: PredictionSink;
  /** shadow runs reserved but not finished, at most; default 2 per shadow worker is about one running + one waiting */
  maxPending?: number;
  random?: () => number;
  logger?: { warn(obj: object, msg: string): void };
}

export class ShadowRunner {
  private pending = 0;
  private readonly counts: ShadowStats = { started: 0, skipped: 0, failed: 0 };
  private readonly maxPending: number;
  private readonly random: () => number;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: ShadowRunnerOptions) {
    this.maxPending = opts.maxPending ?? 2;
    this.random = opts.random ?? Math.random;
  }

  /** Samples this request for a shadow run; null when not sampled, no shadow is deployed, or the bound is reached. */
  reserve(image: DecodedImage): ShadowReservation | null {
    const shadow = this.opts.router.shadow();
    if (!shadow || shadow.sampleRate <= 0 || this.random() >= shadow.sampleRate) return null;
    if (this.pending >= this.maxPending || this.opts.router.shadowQueueDepth() >= this.maxPending) {
      this.counts.skipped++;
      return null;
    }
    const lease = this.opts.router.leaseShadow();
    if (!lease) return null;
    this.pending++;
    const pixels: DecodedImage = { width: image.width, height: image.height, data: image.data.slice(0, image.width * image.height * 3) };
    let done = false;
    const finish = () => {
      if (done) return false;
      done = true;
      this.pending--;
      if (this.pending === 0) this.idleWaiters.splice(0).forEach((w) => w());
      return true;
    };
    return {
      cancel: () => {
        if (finish()) lease.release();
      },
      start: (served) => {
        if (done) return;
        this.counts.started++;
        const createdAt = Date.now();
        const started = performance.now();
        const model = { name: lease.name, version: lease.version };
        const base = { id: uuidv7(), createdAt, userId: served.userId, model, variant: 'shadow' as const, shadowOf: served.predictionId, upload: served.upload };
        lease
          .run(pixels)
          .then((result) => {
            const detections = answerDetections(lease.spec, result.detections, served.upload.width, served.upload.height);
            this.opts.log.enqueue(okRecord({ ...base, result, latencyMs: performance.now() - started }, detections));
          })
          .catch((err: Error) => {
            this.counts.failed++;
            this.opts.logger?.warn({ err, model }, 'shadow run failed');
            this.opts.log.enqueue(errorRecord({ ...base, result: null, latencyMs: performance.now() - started }, 'inference', null));
          })
          .finally(finish);
      },
    };
  }

  stats(): ShadowStats {
    return { ...this.counts };
  }

  /** Resolves when no shadow run is reserved or running (tests, benchmarks, shutdown). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
