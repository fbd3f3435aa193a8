// Event-loop delay over the last minute for the monitoring health endpoint. perf_hooks.monitorEventLoopDelay samples
// natively (no JS timer per sample) but its histogram only grows until reset, so it is read and reset every slice
// (5 s) and the last minute's slices are kept. Its samples include the sampling interval itself (an idle loop reads
// ~resolution), so that is subtracted: the numbers are how late the loop was.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

interface Slice {
  /** epoch ms the slice began */
  from: number;
  count: number;
  /** ms, beyond the resolution */
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

export interface EventLoopSummary {
  window_s: number;
  mean_ms: number | null;
  p50_ms: number | null;
  p99_ms: number | null;
  max_ms: number | null;
}

export interface EventLoopLagOptions {
  /** sampling interval, ms (default 10) */
  resolutionMs?: number;
  /** slice length, ms (default 5000) */
  sliceMs?: number;
  /** slices kept (default 12: a minute) */
  slices?: number;
}

export class EventLoopLag {
  readonly #resolutionMs: number;
  readonly #sliceMs: number;
  readonly #keep: number;
  readonly #slices: Slice[] = [];
  #histogram: IntervalHistogram | null = null;
  #timer: NodeJS.Timeout | null = null;
  #sliceFrom = 0;

  constructor(opts: EventLoopLagOptions = {}) {
    this.#resolutionMs = opts.resolutionMs ?? 10;
    this.#sliceMs = opts.sliceMs ?? 5000;
    this.#keep = opts.slices ?? 12;
  }

  start(): void {
    if (this.#histogram) return;
    this.#histogram = monitorEventLoopDelay({ resolution: this.#resolutionMs });
    this.#histogram.enable();
    this.#sliceFrom = Date.now();
    this.#timer = setInterval(() => this.#rotate(), this.#sliceMs);
    this.#timer.unref(); // monitoring must never keep the process alive
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.#histogram?.disable();
    this.#histogram = null;
  }

  summary(): EventLoopSummary {
    const now = Date.now();
    const slices = [...this.#slices];
    const live = this.#read();
    if (live) slices.push(live);
    if (slices.length === 0) return { window_s: 0, mean_ms: null, p50_ms: null, p99_ms: null, max_ms: null };
    const count = slices.reduce((n, s) => n + s.count, 0);
    // medians of slices weighted by their sample counts: the middle sample's slice median
    const byP50 = [...slices].sort((a, b) => a.p50 - b.p50);
    let seen = 0;
    let p50 = byP50[byP50.length - 1]!.p50;
    for (const s of byP50) {
      seen += s.count;
      if (seen * 2 >= count) {
        p50 = s.p50;
        break;
      }
    }
    return {
      window_s: round((now - slices[0]!.from) / 1000),
      mean_ms: round(slices.reduce((n, s) => n + s.mean * s.count, 0) / count),
      p50_ms: round(p50),
      p99_ms: round(Math.max(...slices.map((s) => s.p99))),
      max_ms: round(Math.max(...slices.map((s) => s.max))),
    };
  }

  #rotate(): void {
    const slice = this.#read();
    this.#histogram?.reset();
    this.#sliceFrom = Date.now();
    if (!slice) return;
    this.#slices.push(slice);
    if (this.#slices.length > this.#keep) this.#slices.shift();
  }

  /** The slice in progress; null before its first sample. */
  #read(): Slice | null {
    const h = this.#histogram;
    if (!h || h.count === 0) return null;
    const ms = (ns: number) => Math.max(0, ns / 1e6 - this.#resolutionMs);
    return { from: this.#sliceFrom, count: h.count, mean: ms(h.mean), p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
  }
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}
