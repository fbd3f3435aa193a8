// Which configured token, if any, a request presents. Every comparison is between SHA-256 digests (fixed length) with
// crypto.timingSafeEqual, and every configured token is compared on every call, so neither the time taken nor an early
// exit says how much of a guess was right or which entry it was near.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Role } from './roles.js';
import type { TokenEntry } from './tokens.js';

export interface Identity {
  role: Role;
  name: string | null;
}

const digest = (token: string): Buffer => createHash('sha256').update(token, 'utf8').digest();

export class TokenVerifier {
  /** digests only: the tokens themselves are not kept */
  private readonly known: ReadonlyArray<{ digest: Buffer; identity: Identity }>;

  constructor(entries: readonly TokenEntry[]) {
    this.known = entries.map((e) => ({ digest: digest(e.token), identity: { role: e.role, name: e.name } }));
  }

  get size(): number {
    return this.known.length;
  }

  /** The identity of `presented`, or null when it is no configured token. */
  verify(presented: string): Identity | null {
    const d = digest(presented);
    let match: Identity | null = null;
    for (const k of this.known) {
      // no break: the loop costs the same wherever (and whether) the token matches
      if (timingSafeEqual(d, k.digest) && match === null) match = k.identity;
    }
    return match;
  }
}
