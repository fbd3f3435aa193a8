// Where `serve` may listen. Without tokens FoodLens has no authentication at all, so it listens on loopback only and
// refuses any other address, rather than hand the registry and deployments to whoever can reach the port.
import net from 'node:net';
import type { AuthSettings } from './tokens.js';

export type BindDecision = { allowed: true; message: string } | { allowed: false; message: string };

export function isLoopback(host: string): boolean {
  const h = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

export function decideBind(host: string, auth: AuthSettings): BindDecision {
  const tokens = auth.tokens.length;
  if (tokens > 0) {
    const roles = (['admin', 'writer', 'reader'] as const).map((r) => `${auth.tokens.filter((t) => t.role === r).length} ${r}`).join(', ');
    return {
      allowed: true,
      message: `authentication on: ${tokens} token${tokens === 1 ? '' : 's'} (${roles}); POST /api/v1/predict ${auth.predictRequiresToken ? 'needs a reader token' : 'is open (FOODLENS_PREDICT_REQUIRES_TOKEN=1 closes it)'}`,
    };
  }
  if (isLoopback(host)) {
    return {
      allowed: true,
      message: `authentication off: no tokens configured (FOODLENS_TOKENS or FOODLENS_TOKENS_FILE), so FoodLens listens on loopback only (${host}) and anyone on this machine may do anything`,
    };
  }
  return {
    allowed: false,
    message:
      `refusing to listen on ${host} without authentication: no tokens are configured. ` +
      'Set FOODLENS_TOKENS or FOODLENS_TOKENS_FILE (see docs/security.md), or listen on loopback (HOST=127.0.0.1).',
  };
}
