// Shadow runs: a sample of served requests also runs on the deployment's shadow version, after the response is sent,
// and is logged with variant 'shadow' pointing at the served prediction. Never in the way of the served request:
// the sampling decision and a copy of the pixels are all that happen before the answer (the engine takes ownership of
// the served request's buffer), the run itself goes to the shadow engine, and when shadow runs pile up (more pending
// than the bound) the sample is skipped and counted rather than queued. One runner serves every deployed model (the
// bound is on memory and the one shadow engine, so it is shared); counts are kept per model.
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
  log: PredictionSink;
  /**
   * shadow runs reserved but not finished, at most (default 16). The shadow worker runs at the lowest CPU priority,
   * so a queue of shadow runs waits for idle CPU instead of slowing served requests; the bound caps the memory the
   * queued pixel copies hold (16 x at most 1024 x 1024 x 3 bytes = 48 MiB) and how stale a shadow run may get.
   */
  maxPending?: number;
  random?: () => number;
  logger?: { warn(obj: object, msg: string): void };
}

export class ShadowRunner {
  private pending = 0;
  private readonly counts = new Map<string, ShadowStats>();
  private readonly maxPending: number;
  private readonly random: () => number;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: ShadowRunnerOptions) {
    this.maxPending = opts.maxPending ?? 16;
    this.random = opts.random ?? Math.random;
  }

  /**
   * Samples this request for a shadow run of `router`'s model; null when not sampled, no shadow is deployed, the
   * request was answered by the shadow version itself (a challenger that is also the shadow: the run would only
   * repeat the answer and count as a perfect agreement), or the bound is reached.
   */
  reserve(router: DeploymentRouter, image: DecodedImage, servedVersion?: string): ShadowReservation | null {
    const shadow = router.shadow();
    if (!shadow || shadow.version === servedVersion || shadow.sampleRate <= 0 || this.random() >= shadow.sampleRate) return null;
    if (this.pending >= this.maxPending || router.shadowQueueDepth() >= this.maxPending) {
      const name = router.current()?.name;
      if (name !== undefined) this.countsOf(name).skipped++;
      return null;
    }
    const lease = router.leaseShadow();
    if (!lease) return null;
    const counts = this.countsOf(lease.name);
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
        counts.started++;
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
            counts.failed++;
            this.opts.logger?.warn({ err, model }, 'shadow run failed');
            this.opts.log.enqueue(errorRecord({ ...base, result: null, latencyMs: performance.now() - started }, 'inference', null));
          })
          .finally(finish);
      },
    };
  }

  /** Shadow runs of `model` since this process started. */
  stats(model: string): ShadowStats {
    return { ...(this.counts.get(model) ?? { started: 0, skipped: 0, failed: 0 }) };
  }

  /** Forgets a model's counts (its deployment was deleted). */
  forget(model: string): void {
    this.counts.delete(model);
  }

  private countsOf(model: string): ShadowStats {
    let c = this.counts.get(model);
    if (!c) this.counts.set(model, (c = { started: 0, skipped: 0, failed: 0 }));
    return c;
  }

  /** Resolves when no shadow run is reserved or running (tests, benchmarks, shutdown). */
  idle(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}
