// How late the event loop runs now: a timer due every `intervalMs` measures how late it fired. A loop that is blocked
// or saturated fires it late, and because timers run before the loop reads new connections, the lateness is known
// before the requests that waited during it are handled. One on-time tick ends the overload: shedding lasts as long
// as the lag, not a fixed penalty. (observability/event-loop-lag.ts keeps the minute's quantiles for the health
// endpoint; this is the instant reading the load shedder needs.)

export interface LoopLagOptions {
  /** ms between ticks (default 100) */
  intervalMs?: number;
}

export class LoopLag {
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;
  #expected = 0;
  #lagMs = 0;

  constructor(opts: LoopLagOptions = {}) {
    this.#intervalMs = opts.intervalMs ?? 100;
  }

  /** how late the last tick fired, ms */
  get lagMs(): number {
    return this.#lagMs;
  }

  start(): void {
    if (this.#timer) return;
    this.#schedule();
  }

  stop(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#lagMs = 0;
  }

  #schedule(): void {
    this.#expected = performance.now() + this.#intervalMs;
    this.#timer = setTimeout(() => {
      this.#lagMs = Math.max(0, performance.now() - this.#expected);
      this.#schedule();
    }, this.#intervalMs);
    this.#timer.unref(); // never keeps the process alive
  }
}
