// The InferenceEngine: N worker threads (worker.ts), every loaded model version loaded in every worker.
//
// * run() goes to the ready worker with the fewest requests in flight (each worker answers its own queue in order);
//   if no worker can take it (all are restarting), it waits in a small backlog.
// * The pixel buffer is transferred, not copied, when the caller's Uint8Array spans a whole ArrayBuffer: run() takes
//   ownership of image.data, which is detached afterwards. Partial views are copied first. Buffers Node refuses to
//   transfer (e.g. sharp's externally allocated output) are cloned by postMessage instead.
// * load() loads the model in every worker and warms it with one blank-image run; it is idempotent.
// * A worker that exits (crash, OOM, terminate) rejects its in-flight requests with WorkerCrashedError
//   (a ServiceUnavailable) and is replaced; the replacement reloads every loaded model before it takes requests.
//   Consecutive crashes without a successful run are backed off (0 ms, then 250 ms doubling up to 30 s).
// * The worker file is worker-entry.ts's business (compiled JS or TypeScript sources).
import { Worker } from 'node:worker_threads';
import { ServiceUnavailable } from '../util/errors.js';
import { FOOD_DETECTOR_OPTIONS, type DetectorOptions } from './detector.js';
import { validateSpec } from './spec-check.js';
import { workerEntry } from './worker-entry.js';
import { modelKey, transferableCopy, type WorkerMemory, type WorkerRequest, type WorkerResponse } from './protocol.js';
import type { DecodedImage, InferenceEngine, InferenceResult, LoadedModelInfo, ModelLoadReport, ModelSpec } from './types.js';

import {
  InferenceWorkerError,
  WorkerCrashedError,
  type InferenceEngineOptions,
  type InferencePoolDebug,
  type InferenceWorkerPool,
  type PoolEvent,
} from './pool-api.js';

export function createInferenceEngine(options: InferenceEngineOptions): InferenceWorkerPool {
  return new WorkerPool(options);
}

// ---------------------------------------------------------------------------------------------------------------

/** consecutive crashes (without a successful run) after which waiting callers give up */
const CRASH_LIMIT = 3;

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  isRun: boolean;
}

interface Slot {
  readonly index: number;
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  readonly models: Set<string>;
  /** what loading each model cost in this worker */
  readonly reports: Map<string, ModelLoadReport>;
  /** run requests in flight */
  runs: number;
  /** accepts run requests */
  ready: boolean;
  dead: boolean;
  lastError?: Error;
  /** settles when the initial (re)load finished or the worker died */
  started: Promise<void>;
}

interface BacklogItem {
  key: string;
  data: ArrayBuffer;
  width: number;
  height: number;
  resolve: (r: InferenceResult) => void;
  reject: (err: Error) => void;
}

type RequestBody = WorkerRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never;

class WorkerPool implements InferenceWorkerPool {
  readonly size: number;
  readonly debug: InferencePoolDebug;
  private readonly detectorOptions: DetectorOptions;
  private readonly niceness: number;
  private readonly warmup: boolean;
  private readonly onEvent: (event: PoolEvent) => void;
  private readonly entry = workerEntry();
  private readonly slots: Slot[] = [];
  private readonly slotWaiters: Array<Array<() => void>> = [];
  private readonly crashStreak: number[] = [];
  private readonly restartTimers = new Set<NodeJS.Timeout>();
  /** models every worker should have (loaded or loading) */
  private readonly desired = new Map<string, ModelSpec>();
  private readonly loaded = new Set<string>();
  private readonly loading = new Map<string, Promise<void>>();
  private backlog: BacklogItem[] = [];
  private nextId = 1;
  private rr = 0;
  private restartCount = 0;
  private closed = false;
  private closing: Promise<void> | undefined;

  constructor(options: InferenceEngineOptions) {
    if (!Number.isInteger(options.workers) || options.workers < 1) {
      throw new RangeError(`workers must be a positive integer, got ${String(options.workers)}`);
    }
    this.size = options.workers;
    this.detectorOptions = options.detectorOptions ?? FOOD_DETECTOR_OPTIONS;
    this.niceness = options.niceness ?? 0;
    this.warmup = options.warmup ?? true;
    const onEvent = options.onEvent;
    this.onEvent = (e) => {
      try {
        onEvent?.(e);
      } catch {
        // a listener must not break the pool
      }
    };
    for (let i = 0; i < this.size; i++) {
      this.slotWaiters.push([]);
      this.crashStreak.push(0);
      this.spawn(i, false);
    }
    this.debug = {
      terminateWorker: async (index) => {
        const slot = this.slotAt(index);
        await slot.worker.terminate();
      },
      crashWorker: (index) => {
        const slot = this.slotAt(index);
        if (!slot.dead) slot.worker.postMessage({ id: 0, type: 'crash' } satisfies WorkerRequest);
      },
      memory: () => Promise.all(this.slots.map((_s, i) => this.withLiveSlot(i, (s) => this.request<WorkerMemory>(s, { type: 'memory' })))),
      whenReady: async () => {
        await Promise.all(this.slots.map((_s, i) => this.withLiveSlot(i, async () => undefined)));
      },
      restarts: () => this.restartCount,
    };
  }

  // ---- InferenceEngine -----------------------------------------------------------------------------------------

  load(spec: ModelSpec): Promise<void> {
    if (this.closed) return Promise.reject(new ServiceUnavailable('inference engine is closed'));
    try {
      validateSpec(spec);
    } catch (err) {
      return Promise.reject(err);
    }
    const key = modelKey(spec.name, spec.version);
    if (this.loaded.has(key)) return Promise.resolve();
    const inFlight = this.loading.get(key);
    if (inFlight) return inFlight;
    this.desired.set(key, spec);
    const p = (async () => {
      try {
        // wait for every worker (not just the first failure) so a failed load leaves nothing half-loaded behind
        const settled = await Promise.allSettled(this.slots.map((_s, i) => this.ensureLoadedOn(i, key, spec)));
        const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
        if (failed) throw failed.reason;
        this.loaded.add(key);
        this.drainBacklog();
      } catch (err) {
        this.desired.delete(key);
        await Promise.all(
          this.slots
            .filter((s) => !s.dead && s.models.has(key))
            .map((s) => {
              s.models.delete(key);
              s.reports.delete(key);
              return this.request(s, { type: 'unload', key }).catch(() => undefined);
            }),
        );
        throw err;
      } finally {
        this.loading.delete(key);
      }
    })();
    this.loading.set(key, p);
    return p;
  }

  async unload(name: string, version: string): Promise<void> {
    const key = modelKey(name, version);
    const inFlight = this.loading.get(key);
    if (inFlight) await inFlight.catch(() => undefined);
    this.desired.delete(key);
    this.loaded.delete(key);
    this.backlog = this.backlog.filter((item) => {
      if (item.key !== key) return true;
      item.reject(new ServiceUnavailable(`model ${name} version ${version} was unloaded`));
      return false;
    });
    // Requests already sent to a worker are answered before the unload: each worker handles messages in order.
    await Promise.all(
      this.slots
        .filter((s) => !s.dead && s.models.has(key))
        .map((s) => {
          s.models.delete(key);
          s.reports.delete(key);
          return this.request(s, { type: 'unload', key }).catch(() => undefined);
        }),
    );
  }

  isLoaded(name: string, version: string): boolean {
    return this.loaded.has(modelKey(name, version));
  }

  loadedModels(): LoadedModelInfo[] {
    const out: LoadedModelInfo[] = [];
    for (const key of this.loaded) {
      const spec = this.desired.get(key);
      const reports = this.slots.filter((s) => !s.dead && s.models.has(key)).flatMap((s) => s.reports.get(key) ?? []);
      if (!spec || reports.length === 0) continue;
      const first = reports[0]!;
      out.push({
        name: spec.name,
        version: spec.version,
        runtime: first.runtime,
        task: first.task,
        loadMs: Math.max(...reports.map((r) => r.loadMs)),
        memoryBytes: reports.reduce((sum, r) => sum + r.memoryBytes, 0),
        memoryMethod: first.memoryMethod,
        workers: reports.length,
      });
    }
    return out;
  }

  run(name: string, version: string, image: DecodedImage): Promise<InferenceResult> {
    if (this.closed) return Promise.reject(new ServiceUnavailable('inference engine is closed'));
    const key = modelKey(name, version);
    if (!this.loaded.has(key)) {
      return Promise.reject(new ServiceUnavailable(`model ${name} version ${version} is not loaded`, { name, version }));
    }
    const { width, height, data } = image;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      return Promise.reject(new RangeError(`invalid image size ${width}x${height}`));
    }
    const bytes = width * height * 3;
    if (!(data instanceof Uint8Array) || data.length < bytes) {
      return Promise.reject(new RangeError(`image data must hold ${bytes} bytes for ${width}x${height} RGB`));
    }
    const buffer = transferableCopy(data, bytes);
    const slot = this.pickSlot(key);
    if (!slot) {
      if (this.allFailing()) return Promise.reject(this.failingError());
      if (this.allUpWithout()) {
        return Promise.reject(new ServiceUnavailable(`model ${name} version ${version} is not available in any worker`));
      }
      return new Promise((resolve, reject) => this.backlog.push({ key, data: buffer, width, height, resolve, reject }));
    }
    return this.dispatchRun(slot, key, buffer, width, height);
  }

  close(): Promise<void> {
    if (this.closing) return this.closing;
    this.closed = true;
    for (const t of this.restartTimers) clearTimeout(t);
    this.restartTimers.clear();
    for (const item of this.backlog) item.reject(new ServiceUnavailable('inference engine is closed'));
    this.backlog = [];
    for (const waiters of this.slotWaiters) waiters.splice(0).forEach((w) => w());
    this.closing = Promise.all(this.slots.map((s) => s.worker.terminate())).then(() => undefined);
    return this.closing;
  }

  queueDepth(): number {
    let n = this.backlog.length;
    for (const s of this.slots) n += s.runs;
    return n;
  }

  // ---- internals -----------------------------------------------------------------------------------------------

  private slotAt(index: number): Slot {
    const slot = this.slots[index];
    if (!slot) throw new RangeError(`no worker ${index} (pool has ${this.size})`);
    return slot;
  }

  private spawn(index: number, restart: boolean): void {
    const worker = new Worker(this.entry.script, {
      eval: this.entry.eval,
      // From TypeScript, workspace packages resolve to their sources (the "development" export condition), as in
      // vitest: a clean clone has no packages/contracts/dist.
      ...(this.entry.eval ? { execArgv: [...process.execArgv, '--conditions=development'] } : {}),
      workerData: { detectorOptions: this.detectorOptions, niceness: this.niceness },
      name: `foodlens-inference-${index}`,
    });
    const slot: Slot = {
      index,
      worker,
      pending: new Map(),
      models: new Set(),
      reports: new Map(),
      runs: 0,
      ready: false,
      dead: false,
      started: Promise.resolve(),
    };
    worker.on('message', (m: WorkerResponse) => this.onMessage(slot, m));
    worker.on('error', (err) => {
      slot.lastError = err;
    });
    worker.on('exit', (code) => this.onExit(slot, code));
    this.slots[index] = slot;
    slot.started = this.startSlot(slot, restart);
    this.slotWaiters[index]?.splice(0).forEach((w) => w());
  }

  /** Loads every wanted model into a fresh worker, then lets it take requests. */
  private async startSlot(slot: Slot, restart: boolean): Promise<void> {
    for (const [key, spec] of [...this.desired]) {
      if (slot.dead) return;
      try {
        slot.reports.set(key, await this.request<ModelLoadReport>(slot, { type: 'load', spec, warmup: this.warmup }));
        slot.models.add(key);
      } catch (err) {
        if (slot.dead) return;
        this.onEvent({ type: 'worker-reload-failed', worker: slot.index, model: key, error: asError(err) });
      }
    }
    if (slot.dead || this.closed) return;
    slot.ready = true;
    this.onEvent({ type: 'worker-ready', worker: slot.index, restart, models: slot.models.size });
    this.drainBacklog();
  }

  /**
   * Calls fn with the current live, started slot at `index`, waiting for a replacement if it is dead. Gives up with
   * WorkerCrashedError after CRASH_LIMIT worker deaths (e.g. a worker that cannot even start).
   */
  private async withLiveSlot<T>(index: number, fn: (slot: Slot) => Promise<T>): Promise<T> {
    let deaths = 0;
    for (;;) {
      if (this.closed) throw new ServiceUnavailable('inference engine is closed');
      const slot = this.slotAt(index);
      if (!slot.dead) await slot.started;
      if (slot.dead) {
        if (++deaths >= CRASH_LIMIT) {
          const cause = slot.lastError ? `: ${slot.lastError.message}` : '';
          throw new WorkerCrashedError(`inference worker ${index} keeps exiting${cause}`, { worker: index });
        }
        if (this.slots[index] === slot) await new Promise<void>((resolve) => this.slotWaiters[index]!.push(resolve));
        continue;
      }
      return fn(slot);
    }
  }

  private async ensureLoadedOn(index: number, key: string, spec: ModelSpec): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.withLiveSlot(index, async (slot) => {
          if (slot.models.has(key)) return;
          const report = await this.request<ModelLoadReport>(slot, { type: 'load', spec, warmup: this.warmup });
          if (!slot.dead) {
            slot.models.add(key);
            slot.reports.set(key, report);
          }
        });
        return;
      } catch (err) {
        // the worker died while loading: its replacement reloads `desired`, so wait for it (a few times at most)
        if (!(err instanceof WorkerCrashedError) || attempt >= 3 || this.closed) throw err;
      }
    }
  }

  private request<T = unknown>(slot: Slot, body: RequestBody, transfer?: ArrayBuffer[]): Promise<T> {
    if (slot.dead) {
      return Promise.reject(new WorkerCrashedError(`inference worker ${slot.index} is not running`));
    }
    const id = this.nextId++;
    const isRun = body.type === 'run';
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, isRun });
      if (isRun) slot.runs++;
      const message = { ...body, id } as WorkerRequest;
      try {
        try {
          slot.worker.postMessage(message, transfer);
        } catch (err) {
          // Node >= 21 throws for untransferable buffers in the transfer list (Node 20 clones them silently)
          if (!transfer?.length || asError(err).name !== 'DataCloneError') throw err;
          slot.worker.postMessage(message);
        }
      } catch (err) {
        slot.pending.delete(id);
        if (isRun) slot.runs--;
        reject(asError(err));
      }
    });
  }

  private dispatchRun(slot: Slot, key: string, data: ArrayBuffer, width: number, height: number): Promise<InferenceResult> {
    return this.request<InferenceResult>(slot, { type: 'run', key, data, width, height }, [data]);
  }

  private onMessage(slot: Slot, m: WorkerResponse): void {
    const p = slot.pending.get(m.id);
    if (!p) return;
    slot.pending.delete(m.id);
    if (p.isRun) slot.runs--;
    if (m.ok) {
      if (p.isRun) this.crashStreak[slot.index] = 0;
      p.resolve(m.value);
    } else {
      p.reject(new InferenceWorkerError(m.error.message, m.error.name));
    }
  }

  private onExit(slot: Slot, exitCode: number): void {
    if (slot.dead) return;
    slot.dead = true;
    slot.ready = false;
    const cause = slot.lastError ? `: ${slot.lastError.message}` : '';
    const err = this.closed
      ? new ServiceUnavailable('inference engine is closed')
      : new WorkerCrashedError(`inference worker ${slot.index} exited with code ${exitCode}${cause}`, {
          worker: slot.index,
          exitCode,
        });
    const rejected = slot.pending.size;
    for (const p of slot.pending.values()) p.reject(err);
    slot.pending.clear();
    slot.runs = 0;
    const willRestart = !this.closed && this.slots[slot.index] === slot;
    this.onEvent({ type: 'worker-exit', worker: slot.index, exitCode, error: slot.lastError, rejected, willRestart });
    if (!willRestart) return;
    this.restartCount++;
    const streak = ++this.crashStreak[slot.index]!;
    const delay = streak <= 1 ? 0 : Math.min(30_000, 250 * 2 ** (streak - 2));
    if (this.allFailing()) {
      const failing = this.failingError();
      for (const item of this.backlog.splice(0)) item.reject(failing);
    }
    const timer = setTimeout(() => {
      this.restartTimers.delete(timer);
      if (!this.closed) this.spawn(slot.index, true);
    }, delay);
    this.restartTimers.add(timer);
  }

  /** every worker is up, yet pickSlot found none with the model (each failed to reload it after a restart) */
  private allUpWithout(): boolean {
    return this.slots.every((s) => !s.dead && s.ready);
  }

  /** no worker can take requests and every one has crashed CRASH_LIMIT times in a row */
  private allFailing(): boolean {
    return this.slots.every((s, i) => !s.ready && (this.crashStreak[i] ?? 0) >= CRASH_LIMIT);
  }

  private failingError(): WorkerCrashedError {
    const last = this.slots.find((s) => s.lastError)?.lastError;
    return new WorkerCrashedError(`every inference worker keeps exiting${last ? `: ${last.message}` : ''}`);
  }

  private pickSlot(key: string): Slot | undefined {
    let best: Slot | undefined;
    const n = this.slots.length;
    for (let k = 0; k < n; k++) {
      const s = this.slots[(this.rr + k) % n]!;
      if (!s.ready || s.dead || !s.models.has(key)) continue;
      if (!best || s.runs < best.runs) best = s;
    }
    if (best) this.rr = (best.index + 1) % n; // rotate ties
    return best;
  }

  private drainBacklog(): void {
    if (this.backlog.length === 0) return;
    const waiting = this.backlog;
    this.backlog = [];
    for (const item of waiting) {
      if (!this.loaded.has(item.key) && !this.desired.has(item.key)) {
        item.reject(new ServiceUnavailable('model was unloaded'));
        continue;
      }
      const slot = this.pickSlot(item.key);
      if (!slot) {
        if (this.allUpWithout()) item.reject(new ServiceUnavailable('model is not available in any worker'));
        else this.backlog.push(item);
        continue;
      }
      this.dispatchRun(slot, item.key, item.data, item.width, item.height).then(item.resolve, item.reject);
    }
  }
}

function asError(err: unknown): Error {
  return err instanceof Error ? err : new Error(String(err));
}
