// Rollup grains and bucket arithmetic. Buckets are UTC, aligned to the epoch, identified by their start (epoch ms).

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** 'm' minute, 'h' hour, 'd' UTC day: the grain column of every rollup table. */
export type Grain = 'm' | 'h' | 'd';
export const GRAIN_MS: Record<Grain, number> = { m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** How long minute buckets are kept (the retention job deletes older ones; readers use hours beyond it). */
export const DEFAULT_MINUTE_RETENTION_MS = 48 * HOUR_MS;

export function floorTo(t: number, step: number): number {
  return t - (((t % step) + step) % step);
}

export function ceilTo(t: number, step: number): number {
  const f = floorTo(t, step);
  return f === t ? t : f + step;
}

/** 'YYYY-MM-DD' of the UTC day holding t. */
export function utcDay(t: number): string {
  return new Date(floorTo(t, DAY_MS)).toISOString().slice(0, 10);
}
