// Rule durations ("90s", "5m", "2h", "1d") in words, read with the contracts' parseDuration so the form accepts exactly
// what the server does.
import { parseDuration } from '@foodlens/contracts';

const UNITS: Array<[number, string]> = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1000, 'second'],
];

/** 300000 -> "5 minutes", 5400000 -> "90 minutes"; 0 -> "0 seconds". */
export function durationWords(ms: number): string {
  for (const [size, name] of UNITS) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size;
      return `${n.toLocaleString('en-US')} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${ms / 1000} seconds`;
}

export interface DurationBounds {
  minMs: number;
  maxMs: number;
}

/** The same rule as the contract's duration fields: a parseable duration within the bounds. */
export function checkDuration(text: string, { minMs, maxMs }: DurationBounds): { ms: number } | { error: string } {
  const ms = parseDuration(text.trim());
  if (ms === null) return { error: 'a whole number and a unit: s, m, h or d (like 90s, 5m, 2h, 1d)' };
  if (ms < minMs) return { error: `at least ${durationWords(minMs)}` };
  if (ms > maxMs) return { error: `at most ${durationWords(maxMs)}` };
  return { ms };
}
