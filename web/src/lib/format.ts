// Number and time formatting shared by the dashboard; null (no data) shows as a dash everywhere.

export const DASH = '—';

export function percent(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined ? DASH : `${(v * 100).toFixed(digits)}%`;
}

export function ms(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  return v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(v < 10 ? 1 : 0)} ms`;
}

export function count(v: number | null | undefined): string {
  return v === null || v === undefined ? DASH : v.toLocaleString('en-US');
}

export function bytes(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  const mib = v / 1024 / 1024;
  return mib >= 1024 ? `${(mib / 1024).toFixed(2)} GiB` : `${mib.toFixed(1)} MiB`;
}

/** Scores span p-values near 0 and distances near 1: keep three significant digits either way. */
export function score(v: number | null | undefined): string {
  if (v === null || v === undefined) return DASH;
  return v !== 0 && Math.abs(v) < 0.001 ? v.toExponential(2) : String(Number(v.toPrecision(3)));
}

/** HH:MM:SS, 24-hour, local time. */
export function clock(t: number | Date): string {
  return new Date(t).toLocaleTimeString('en-GB', { hour12: false });
}

export function dateTime(t: number | string): string {
  return new Date(t).toLocaleString('en-GB', { dateStyle: 'short', timeStyle: 'medium', hour12: false });
}
