import { describe, expect, it } from 'vitest';
import {
  addHash,
  decodeRegisters,
  encodeRegisters,
  estimate,
  hashUser,
  HLL_STANDARD_ERROR,
  mergeEncodedInto,
  mergeInto,
  newRegisters,
} from './hyperloglog.js';

function sketchOf(ids: Iterable<string>): Uint8Array {
  const r = newRegisters();
  for (const id of ids) addHash(r, hashUser(id));
  return r;
}

const range = (from: number, to: number, prefix = 'user-') => Array.from({ length: to - from }, (_, i) => `${prefix}${from + i}`);

describe('HyperLogLog', () => {
  it.each([
    ['user-', 100_000],
    ['u', 100_000],
    ['a3f9e2c1-', 250_000],
  ])('estimates %s* x %i distinct users within two standard errors (3.3 percent)', (prefix, n) => {
    const est = estimate(sketchOf(range(0, n, prefix)));
    expect(Math.abs(est - n) / n).toBeLessThanOrEqual(2 * HLL_STANDARD_ERROR);
  });

  it('is near exact for small counts (linear counting) and ignores repeats', () => {
    const ids = range(0, 300);
    expect(Math.abs(estimate(sketchOf([...ids, ...ids, ...ids])) - 300)).toBeLessThanOrEqual(6);
    expect(estimate(newRegisters())).toBe(0);
  });

  it('merges by register-wise max: the merge of two sketches equals the sketch of the union', () => {
    const a = range(0, 60_000);
    const b = range(40_000, 100_000);
    const merged = mergeInto(sketchOf(a), sketchOf(b));
    expect(merged).toEqual(sketchOf([...a, ...b]));
    const est = estimate(merged);
    expect(Math.abs(est - 100_000) / 100_000).toBeLessThanOrEqual(2 * HLL_STANDARD_ERROR);
  });

  it('round-trips through its stored text form, and merges stored text directly', () => {
    const r = sketchOf(range(0, 5000));
    const text = encodeRegisters(r);
    expect(text).toHaveLength(4096);
    expect(text).toMatch(/^[0-9:;<=>?@A-Q]+$/);
    expect(decodeRegisters(text)).toEqual(r);
    const into = sketchOf(range(5000, 6000));
    mergeEncodedInto(into, text);
    expect(into).toEqual(sketchOf(range(0, 6000)));
    expect(decodeRegisters(null)).toEqual(newRegisters());
  });
});
