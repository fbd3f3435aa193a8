// Which version answers a user: a stable hash of (model, user) picks one of 10,000 buckets, and the buckets are cut
// by cumulative weight, challengers first in the order configured, the champion taking the rest. A user therefore
// keeps a version as long as the weights in front of it stay the same (raising a challenger's weight only adds users
// to it), and different models split the same user independently.
import { createHash, randomInt } from 'node:crypto';

export const BUCKETS = 10_000;

export interface SplitArm<T> {
  /** share in percent */
  weight: number;
  target: T;
}

/** The bucket of a user for a model, 0..BUCKETS-1; anonymous requests (no user) draw one at random each time. */
export function bucketOf(model: string, userId: string | null): number {
  if (userId === null) return randomInt(BUCKETS);
  const digest = createHash('sha256').update(model).update('\u0000').update(userId).digest();
  // 2^48 / 10,000 leaves a modulo bias below 1e-11.
  return digest.readUIntBE(0, 6) % BUCKETS;
}

/** The arm whose bucket range holds `bucket`, or `rest` when it falls past every arm. Weights sum to at most 100. */
export function pickArm<T>(arms: readonly SplitArm<T>[], bucket: number, rest: T): T {
  let upTo = 0;
  for (const arm of arms) {
    upTo += arm.weight * (BUCKETS / 100);
    if (bucket < upTo) return arm.target;
  }
  return rest;
}
