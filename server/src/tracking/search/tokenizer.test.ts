import { describe, expect, it } from 'vitest';
import { FilterSyntaxError } from './errors.js';
import { tokenize, type Token } from './tokenizer.js';

const kinds = (input: string): string[] => tokenize(input).map((t) => t.type);
const only = (input: string): Token => {
  const tokens = tokenize(input);
  expect(tokens).toHaveLength(2);
  return tokens[0]!;
};

describe('tokenize', () => {
  it('splits a clause and ends with eof', () => {
    expect(kinds("metrics.acc>=0.5 and params.lr = 'x'")).toEqual([
      'identifier',
      'operator',
      'number',
      'identifier',
      'identifier',
      'operator',
      'string',
      'eof',
    ]);
  });

  it.each([
    ['metrics.acc', [['metrics', null], ['acc', null]]],
    ['tags.mlflow.runName', [['tags', null], ['mlflow', null], ['runName', null]]],
    ['metrics.`f1 score`', [['metrics', null], ['f1 score', '`']]],
    ['tags."mlflow.source.name"', [['tags', null], ['mlflow.source.name', '"']]],
    ['`metrics`.acc', [['metrics', '`'], ['acc', null]]],
    ['`Run name`', [['Run name', '`']]],
    ['tags.`a``b`', [['tags', null], ['a`b', '`']]],
    ['metrics.1st', [['metrics', null], ['1st', null]]],
    ['métriques.précision', [['métriques', null], ['précision', null]]],
    ['_x', [['_x', null]]],
  ])('reads the identifier %s', (input, parts) => {
    const t = only(input);
    expect(t.type).toBe('identifier');
    if (t.type !== 'identifier') return;
    expect(t.parts.map((p) => [p.text, p.quote])).toEqual(parts);
    expect(t.text).toBe(input);
  });

  it.each([
    ["'abc'", 'abc', "'"],
    ['"abc"', 'abc', '"'],
    ["''", '', "'"],
    ["'it''s'", "it's", "'"],
    ["'it\\'s'", "it's", "'"],
    ['"say ""hi"""', 'say "hi"', '"'],
    ['"a\\"b"', 'a"b', '"'],
    ["'C:\\models\\x'", 'C:\\models\\x', "'"],
    ["'ends with \\\\'", 'ends with \\', "'"],
    ["'%_*?[' ", '%_*?[', "'"],
    ["'; DROP TABLE runs; --'", '; DROP TABLE runs; --', "'"],
    ["'/* not a comment */'", '/* not a comment */', "'"],
    ["'`'", '`', "'"],
    ["'ünïcødé 🍕'", 'ünïcødé 🍕', "'"],
  ])('reads the string %s', (input, value, quote) => {
    const t = tokenize(input)[0]!;
    expect(t).toMatchObject({ type: 'string', value, quote });
  });

  it.each([
    ['0', 0],
    ['42', 42],
    ['-1', -1],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['-.5', -0.5],
    ['1.', 1],
    ['1e3', 1000],
    ['1.5E-2', 0.015],
    ['-2e+2', -200],
    ['1e999', Infinity],
  ])('reads the number %s', (input, value) => {
    expect(only(input)).toMatchObject({ type: 'number', value, text: input });
  });

  it.each(['=', '!=', '>', '>=', '<', '<=', '==', '>>', '<>', '=!'])('reads the operator %s whole', (op) => {
    expect(only(op)).toMatchObject({ type: 'operator', text: op });
  });

  it('reads parentheses and commas', () => {
    expect(kinds("('a', 'b')")).toEqual(['lparen', 'string', 'comma', 'string', 'rparen', 'eof']);
  });

  it('records 0-based offsets', () => {
    const [a, op, v] = tokenize("  tags.x  =  'y'");
    expect([a!.start, a!.end, op!.start, v!.start, v!.end]).toEqual([2, 8, 10, 13, 16]);
  });

  it.each([
    ["'abc", /Unterminated string literal/, 0],
    ['x = "abc', /Unterminated string literal/, 4],
    ["'it\\'", /Unterminated string literal/, 0],
    ['`abc', /Unterminated backtick-quoted identifier/, 0],
    ['metrics.', /expected a key after '.'/, 8],
    ['metrics. acc', /expected a key after '.'/, 8],
    ['metrics..acc', /expected a key after '.'/, 8],
    ['a -- comment', /Comments are not allowed/, 2],
    ['a /* c */', /Comments are not allowed/, 2],
    ['a # c', /Comments are not allowed/, 2],
    ['a; b', /multiple expressions/, 1],
    ['a + 1', /Unexpected character '\+'/, 2],
    ['a ~ 1', /Unexpected character '~'/, 2],
    ['a = 0x1F', /Invalid numeric literal '0x1F'/, 4],
    ['a = 1e', /Invalid numeric literal '1e'/, 4],
    ['a = 1.2.3', /Invalid numeric literal '1.2.3'/, 4],
    ['a = 5abc', /Invalid numeric literal '5abc'/, 4],
    ['a = .', /Unexpected character '.'/, 4],
    ['"tags".x', /Unexpected character '.'/, 6],
  ])('refuses %j', (input, message, position) => {
    try {
      tokenize(input);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FilterSyntaxError);
      expect((err as FilterSyntaxError).message).toMatch(message);
      expect((err as FilterSyntaxError).position).toBe(position);
    }
  });
});
