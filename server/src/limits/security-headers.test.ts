import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_CSP, inlineScriptHashes, webAppCsp, webAppCspFor } from './security-headers.js';

/** a CSP header as directive -> sources */
function parseCsp(header: string): Record<string, string[]> {
  return Object.fromEntries(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((d) => d[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

describe('inlineScriptHashes', () => {
  it('hashes the text of each inline script as CSP does (sha256, base64), and skips scripts loaded from a file', () => {
    const theme = "\n      try { document.documentElement.dataset.theme = 'dark'; } catch (e) {}\n    ";
    const html = `<head><script>${theme}</script><script type="module" crossorigin src="/assets/index.js"></script><SCRIPT>alert(1)</SCRIPT></head>`;
    const digest = (s: string) => `sha256-${createHash('sha256').update(s).digest('base64')}`;
    expect(inlineScriptHashes(html)).toEqual([digest(theme), digest('alert(1)')]);
    expect(inlineScriptHashes('<p>no scripts</p>')).toEqual([]);
  });
});

describe('webAppCsp', () => {
  it('allows scripts from this origin and the given hashes only, and every other directive the web app needs', () => {
    const csp = parseCsp(webAppCsp(['sha256-abc=']));
    expect(csp).toEqual({
      'default-src': ["'self'"],
      'script-src': ["'self'", "'sha256-abc='"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:', 'blob:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'object-src': ["'none'"],
      'base-uri': ["'self'"],
      'form-action': ["'self'"],
      'frame-ancestors': ["'none'"],
    });
    expect(webAppCsp()).not.toMatch(/unsafe|\*/);
  });

  it("reads the built app's index.html for its inline scripts, and allows none when the app is not built", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-csp-'));
    try {
      writeFileSync(path.join(dir, 'index.html'), '<script>var t = 1;</script><script type="module" src="/assets/a.js"></script>');
      expect(webAppCspFor(dir)).toBe(webAppCsp(inlineScriptHashes('<script>var t = 1;</script>')));
      expect(parseCsp(webAppCspFor(dir))['script-src']).toHaveLength(2);
      expect(webAppCspFor(path.join(dir, 'missing'))).toBe(webAppCsp());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('lets nothing run or embed API answers', () => {
    expect(parseCsp(API_CSP)).toEqual({ 'default-src': ["'none'"], 'frame-ancestors': ["'none'"], sandbox: [] });
  });
});
