// Security headers on every answer, and the Content-Security-Policy that fits what is answered: the web app gets a
// strict policy (scripts only from this origin, plus the hash of each inline script of its index.html: the theme
// snippet that must run before the first paint), the API a policy under which nothing runs at all (an artifact
// opened in a tab is inert), and /docs its own (DOCS_CSP, given to Swagger UI by api/openapi.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';

/** A page's Content-Security-Policy: everything from this origin only, no plugins, no framing, plus what the page adds. */
function pagePolicy(extra: { scripts?: readonly string[]; styles?: readonly string[]; images: readonly string[]; fonts?: readonly string[] }): string {
  const sources = (list: readonly string[] | undefined) => ['\'self\'', ...(list ?? [])].join(' ');
  return [
    "default-src 'self'",
    `script-src ${sources(extra.scripts)}`,
    `style-src ${sources(extra.styles)}`,
    `img-src ${sources(extra.images)}`,
    `font-src ${sources(extra.fonts)}`,
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The web app: what it loads (its own scripts, styles and API; photo previews from blob: URLs; the data: favicon). */
export function webAppCsp(inlineScriptHashes: readonly string[] = []): string {
  return pagePolicy({ scripts: inlineScriptHashes.map((h) => `'${h}'`), images: ['data:', 'blob:'] });
}

/**
 * Swagger UI at /docs: its own scripts from /docs/static and nothing inline; its styles, which it also writes inline
 * (style attributes in markup it renders, refused by a strict style-src); its SVG icons and fonts as data: URLs; "Try
 * it out" calls to this origin. The web app keeps styles strict.
 */
export const DOCS_CSP = pagePolicy({ styles: ["'unsafe-inline'"], images: ['data:'], fonts: ['data:'] });

/** The web app's policy for the built app in `webRoot`, its inline scripts allowed by hash (none when it is not built). */
export function webAppCspFor(webRoot: string): string {
  let html = '';
  try {
    html = readFileSync(path.join(webRoot, 'index.html'), 'utf8');
  } catch {
    // not built: / says how to build it, and there is no inline script to allow
  }
  return webAppCsp(inlineScriptHashes(html));
}

/** API answers (JSON, metrics, artifact files) never run or embed anything. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; sandbox";

/** Paths whose answers are data, not pages. */
const API_PREFIXES = ['/api/', '/ajax-api/', '/health', '/metrics', '/version'];

/** The CSP source of each inline <script> of an HTML page ('sha256-<base64>'), so the page can run them. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]!)) continue;
    hashes.push(`sha256-${createHash('sha256').update(m[2]!, 'utf8').digest('base64')}`);
  }
  return hashes;
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  // frame-ancestors says the same to browsers that read CSP; this is for those that do not
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Sets the headers on every answer, before any hook or route can answer, so refusals carry them too. */
export function installSecurityHeaders(app: FastifyInstance, opts: { webAppCsp: string }): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.headers(SECURITY_HEADERS);
    const api = API_PREFIXES.some((p) => request.url.startsWith(p));
    reply.header('content-security-policy', api ? API_CSP : opts.webAppCsp);
  });
}
