import { describe, expect, it } from 'vitest';
import { decideBind, isLoopback } from './bind-policy.js';
import { parseTokenList } from './tokens.js';

const none = { tokens: [], predictRequiresToken: false };

describe('where serve may listen', () => {
  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST', '::ffff:127.0.0.1', '0:0:0:0:0:0:0:1']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '', '10.0.0.5', '192.168.1.2', 'foodlens.example.com', '128.0.0.1', '::2']) expect(isLoopback(h), h).toBe(false);
  });

  it('without tokens: loopback only, and says so', () => {
    const ok = decideBind('127.0.0.1', none);
    expect(ok.allowed).toBe(true);
    expect(ok.message).toMatch(/authentication off: no tokens configured .* loopback only \(127\.0\.0\.1\)/);
    const refused = decideBind('0.0.0.0', none);
    expect(refused.allowed).toBe(false);
    expect(refused.message).toMatch(/refusing to listen on 0\.0\.0\.0 without authentication.*FOODLENS_TOKENS/);
  });

  it('with tokens: any address, saying how many of each role and what predict needs', () => {
    const auth = { tokens: parseTokenList(`admin:${'a'.repeat(20)},reader:${'r'.repeat(20)},reader:${'s'.repeat(20)}`), predictRequiresToken: true };
    const d = decideBind('0.0.0.0', auth);
    expect(d).toEqual({
      allowed: true,
      message: 'authentication on: 3 tokens (1 admin, 0 writer, 2 reader); POST /api/v1/predict needs a reader token',
    });
    expect(d.message).not.toContain('a'.repeat(20));
  });
});
