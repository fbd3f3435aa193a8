// HyperLogLog distinct-user sketch: 2^12 registers (standard error 1.04/sqrt(4096) = 1.6%), merged register-wise by
// max, so hourly sketches combine into any range. Stored as text, one character per register ('0' + rank), which
// both databases keep as a plain (and, on PostgreSQL, compressed) text value with no escaping.

export const HLL_PRECISION = 12;
export const HLL_REGISTERS = 1 << HLL_PRECISION;
/** 1.04 / sqrt(m) */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_REGISTERS);

const CHAR_OFFSET = 48;

export function newRegisters(): Uint8Array {
  return new Uint8Array(HLL_REGISTERS);
}

/** Two independent 32-bit hashes of a string (murmur3's mixing over UTF-16 code units, two seeds): the first picks
 * the register, the second gives the rank, so ranks reach 33 and cardinalities far beyond any user count. */
export function hashUser(id: string): [number, number] {
  return [murmur(id, 0), murmur(id, 0x9747b28c)];
}

function murmur(s: string, seed: number): number {
  let h = seed;
  for (let i = 0; i < s.length; i++) {
    let k = Math.imul(s.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ s.length);
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function addHash(registers: Uint8Array, [h1, h2]: readonly [number, number]): void {
  const index = h1 >>> (32 - HLL_PRECISION);
  const rank = Math.clz32(h2) + 1;
  if (rank > registers[index]!) registers[index] = rank;
}

export function mergeInto(into: Uint8Array, from: Uint8Array): Uint8Array {
  for (let i = 0; i < HLL_REGISTERS; i++) if (from[i]! > into[i]!) into[i] = from[i]!;
  return into;
}

export function estimate(registers: Uint8Array): number {
  const m = HLL_REGISTERS;
  let sum = 0;
  let zeros = 0;
  for (let i = 0; i < m; i++) {
    const r = registers[i]!;
    sum += 2 ** -r;
    if (r === 0) zeros++;
  }
  const raw = ((0.7213 / (1 + 1.079 / m)) * m * m) / sum;
  // Small-range correction (linear counting); no large-range one is needed with 44 hash bits.
  return raw <= 2.5 * m && zeros > 0 ? m * Math.log(m / zeros) : raw;
}

export function encodeRegisters(registers: Uint8Array): string {
  const out = Buffer.allocUnsafe(HLL_REGISTERS);
  for (let i = 0; i < HLL_REGISTERS; i++) out[i] = registers[i]! + CHAR_OFFSET;
  return out.toString('latin1');
}

/** The registers of a stored sketch; an empty or malformed value reads as an empty sketch. */
export function decodeRegisters(text: string | null | undefined): Uint8Array {
  const registers = newRegisters();
  if (!text || text.length !== HLL_REGISTERS) return registers;
  for (let i = 0; i < HLL_REGISTERS; i++) registers[i] = Math.max(0, text.charCodeAt(i) - CHAR_OFFSET);
  return registers;
}

/** Merges a stored sketch into `into` without allocating. */
export function mergeEncodedInto(into: Uint8Array, text: string | null | undefined): void {
  if (!text || text.length !== HLL_REGISTERS) return;
  for (let i = 0; i < HLL_REGISTERS; i++) {
    const r = text.charCodeAt(i) - CHAR_OFFSET;
    if (r > into[i]!) into[i] = r;
  }
}
