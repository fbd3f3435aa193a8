import { describe, expect, it } from 'vitest';
import { checkDistinct, MIN_TOKEN_LENGTH, parseTokenFile, parseTokenList, TokenConfigError } from './tokens.js';

const A = 'a'.repeat(32);
const W = 'w0rd-token_with.all~chars+/==';
const R = 'r'.repeat(MIN_TOKEN_LENGTH);

describe('FOODLENS_TOKENS', () => {
  it('reads role:token[:name] entries, several per role, spaces and empty entries ignored', () => {
    expect(parseTokenList(` admin:${A}:alice , writer:${W},reader:${R}:ci-bot@x, reader:${'z'.repeat(20)} ,`)).toEqual([
      { role: 'admin', token: A, name: 'alice' },
      { role: 'writer', token: W, name: null },
      { role: 'reader', token: R, name: 'ci-bot@x' },
      { role: 'reader', token: 'z'.repeat(20), name: null },
    ]);
    expect(parseTokenList('')).toEqual([]);
  });

  it('refuses unknown roles, short or odd tokens and bad names, naming the entry but never the token', () => {
    const cases: Array<[string, RegExp]> = [
      [`root:${A}`, /entry 1: role 'root' is not admin, writer or reader/],
      [`admin:${A}, reader:short`, /entry 2: the token has 5 characters; between 16 and 512/],
      [`admin:${'x'.repeat(20)}"`, /characters outside/],
      [`admin:${'é'.repeat(20)}`, /characters outside/],
      [`admin:`, /the token is missing/],
      [`admin`, /expected role:token or role:token:name/],
      [`admin:${A}:bob:extra`, /expected role:token/],
      [`admin:${A}:-bob`, /the name '-bob'/],
      [`Admin:${A}`, /role 'Admin'/],
    ];
    for (const [text, message] of cases) {
      let error: unknown;
      try {
        parseTokenList(text);
      } catch (e) {
        error = e;
      }
      expect(error, text).toBeInstanceOf(TokenConfigError);
      expect((error as Error).message, text).toMatch(message);
      expect((error as Error).message, text).not.toContain(A);
      expect((error as Error).message, text).not.toContain('x'.repeat(20));
    }
  });
});

describe('FOODLENS_TOKENS_FILE', () => {
  it('reads "role token [name]" lines, with comments and blank lines', () => {
    const text = `# FoodLens tokens\n\nadmin ${A} alice\r\n  writer\t${W}\n# reader below\nreader ${R}\n`;
    expect(parseTokenFile(text, 'tokens.txt')).toEqual([
      { role: 'admin', token: A, name: 'alice' },
      { role: 'writer', token: W, name: null },
      { role: 'reader', token: R, name: null },
    ]);
  });

  it('names the line of a mistake', () => {
    expect(() => parseTokenFile(`admin ${A}\nreader\n`, 'tokens.txt')).toThrow(/tokens.txt line 2: expected "role token"/);
    expect(() => parseTokenFile(`admin ${A} alice bob\n`, 'tokens.txt')).toThrow(/line 1/);
    expect(() => parseTokenFile(`guest ${A}\n`, 'tokens.txt')).toThrow(/line 1: role 'guest'/);
  });
});

describe('checkDistinct', () => {
  it('refuses one token given twice, whatever the roles', () => {
    expect(() => checkDistinct(parseTokenList(`admin:${A},reader:${R}`))).not.toThrow();
    expect(() => checkDistinct(parseTokenList(`admin:${A},reader:${A}`))).toThrow(/configured twice \(tokens 1 and 2/);
  });
});
