import { randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond timestamp, then a 12-bit counter so ids made in the same millisecond by
 * this process still sort in creation order, then random bits. Sorting by id is sorting by creation time, which is
 * what cursor paging of the prediction log relies on.
 */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
    now = lastMs;
  } else {
    lastMs = now;
    seq = 0;
  }
  return format(now, seq);
}

/**
 * A UUIDv7 for a past moment (a back-filled record): the timestamp is `ms` as given, the counter random, and the
 * process's monotonic clock is left alone, so ids made for now still sort after everything made for the past.
 */
export function uuidv7At(ms: number): string {
  return format(ms, randomBytes(2).readUInt16BE(0) & 0xfff);
}

function format(ms: number, counter: number): string {
  const b = randomBytes(16);
  b.writeUIntBE(ms, 0, 6);
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
