// Formatting particular to the Models pages (lib/format has the shared ones).
import { bytes } from '../../lib/format';

/** Model files run from a few hundred bytes (test models) to gigabytes: pick the unit that shows something. */
export function fileSize(v: number | null | undefined): string {
  if (v === null || v === undefined || v >= 1024 * 1024) return bytes(v);
  return v >= 1024 ? `${(v / 1024).toFixed(1)} KiB` : `${v} B`;
}

export const STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
