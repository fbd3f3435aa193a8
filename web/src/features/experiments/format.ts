// Formatting for tracked values: metric values keep six significant digits (the full value goes in a title), durations
// and file sizes pick a readable unit.
import { DASH } from '../../lib/format';

/** null is how the tracker endpoints carry NaN. */
export function metricValue(v: number | null | undefined): string {
  if (v === undefined) return DASH;
  if (v === null || Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return v !== 0 && (Math.abs(v) < 1e-4 || Math.abs(v) >= 1e15) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
}

export function duration(ms: number | null): string {
  if (ms === null || ms < 0) return DASH;
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min ${String(Math.floor(s % 60)).padStart(2, '0')} s`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** A run's duration: end − start, or "running" time so far for a run without an end. */
export function runDuration(run: { start_time: number | null; end_time: number | null; status: string }, now = Date.now()): string {
  if (run.start_time === null) return DASH;
  if (run.end_time !== null) return duration(run.end_time - run.start_time);
  return run.status === 'RUNNING' ? `${duration(now - run.start_time)} so far` : DASH;
}

export function fileSize(bytes: number | undefined): string {
  if (bytes === undefined) return DASH;
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}

/** A run's name, or the start of its id for a run without one. */
export function runLabel(run: { run_name: string; run_id: string }): string {
  return run.run_name || run.run_id.slice(0, 8);
}
