// fast-check settings shared by the hostile-input tests. Runs are kept modest so each file stays fast in `npm test`;
// FOODLENS_FC_RUNS multiplies them for a longer hunt, and FOODLENS_FC_SEED replays the seed a failure printed.
import type { Parameters } from 'fast-check';

const factor = Math.max(1, Number(process.env.FOODLENS_FC_RUNS ?? '1') || 1);
const seed = process.env.FOODLENS_FC_SEED === undefined ? undefined : Number(process.env.FOODLENS_FC_SEED);

export function runs<T>(numRuns: number, extra: Parameters<T> = {}): Parameters<T> {
  return { numRuns: Math.round(numRuns * factor), ...(seed === undefined ? {} : { seed }), ...extra };
}
