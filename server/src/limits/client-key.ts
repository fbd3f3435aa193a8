// Whose budget a request spends: its token's when it presents a valid one (one budget per token, wherever it is sent
// from), else its address's. An IPv6 client usually holds a whole /64, so its addresses share one budget; an
// IPv4-mapped IPv6 address counts as the IPv4 address. An invalid token is no identity: it cannot buy a fresh budget.
import { isIP } from 'node:net';
import type { Identity } from '../auth/token-verifier.js';

const tokenIds = new WeakMap<Identity, number>();
let nextId = 1;

/** The rate-limit key of a request presenting `identity` (null: none or not valid) from address `ip`. */
export function clientKey(identity: Identity | null, ip: string): string {
  if (identity) {
    // the verifier hands out one Identity object per configured token, so the object names the token
    let id = tokenIds.get(identity);
    if (id === undefined) tokenIds.set(identity, (id = nextId++));
    return `token:${id}`;
  }
  return `ip:${addressKey(ip)}`;
}

/** An IPv4 address as is; an IPv6 address as its /64 prefix; an IPv4-mapped IPv6 address as the IPv4 address. */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIP(ip) !== 6) return ip;
  return `${expandIpv6(ip).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without leading zeros ("2001:db8::1" -> 2001,db8,0,0,0,0,0,1). */
function expandIpv6(ip: string): string[] {
  const bare = ip.split('%')[0]!; // a zone (fe80::1%eth0) is not part of the address
  const [head, tail] = bare.split('::') as [string, string | undefined];
  const parse = (s: string | undefined) => (s ? s.split(':') : []);
  const left = parse(head);
  const right = parse(tail);
  // an embedded IPv4 tail (::ffff:1.2.3.4 handled above; 64:ff9b::1.2.3.4 here) is two groups
  const last = right.length > 0 ? right : left;
  if (last.length > 0 && last[last.length - 1]!.includes('.')) {
    const [a, b, c, d] = last.pop()!.split('.').map(Number) as [number, number, number, number];
    last.push(((a << 8) | b).toString(16), ((c << 8) | d).toString(16));
  }
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((g) => parseInt(g, 16).toString(16));
}
