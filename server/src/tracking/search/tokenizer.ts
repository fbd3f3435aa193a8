// Lexer for MLflow search filters and order_by clauses.
//
// Token boundaries follow what MLflow's sqlparse-based parser accepts, so the same strings split the same way:
// - an identifier is a dotted path (`metrics.acc`, `tags.mlflow.runName`); a segment may be quoted with backticks or
//   double quotes (``metrics.`f1 score` ``, `tags."mlflow.source.name"`); a whole identifier may be backticked;
// - a string is '...' or "..." (a bare "..." is a string token; the parser lets it stand for an attribute name in
//   identifier position, as MLflow does);
// - numbers are decimal, optionally signed and with an exponent; hex and trailing letters are rejected;
// - comparators are lexed as one run of <>=! characters so '>>' or '==' is reported whole, as MLflow does.
// Anything else (comments, ';', arithmetic) is an error here: MLflow rejects it too, and refusing it early means no
// SQL-looking text ever reaches the compiler except inside bound values.
import { FilterSyntaxError } from './errors.js';

export type QuoteChar = "'" | '"' | '`';

export interface IdentifierPart {
  text: string;
  /** null for a bare segment */
  quote: '`' | '"' | null;
  position: number;
}

interface TokenBase {
  /** 0-based offset of the first character */
  start: number;
  /** offset just past the last character */
  end: number;
  /** the source text of the token */
  text: string;
}

export type Token =
  | (TokenBase & { type: 'identifier'; parts: IdentifierPart[] })
  | (TokenBase & { type: 'string'; value: string; quote: "'" | '"' })
  | (TokenBase & { type: 'number'; value: number })
  | (TokenBase & { type: 'operator' })
  | (TokenBase & { type: 'lparen' | 'rparen' | 'comma' | 'eof' });

// Sticky (y) regexes matched at an offset; `u` makes \p{...} and lastIndex work on whole code points.
const WHITESPACE = /\s+/uy;
const NAME_START = /[\p{L}_][\p{L}\p{N}_]*/uy;
// Segments after a dot may start with a digit (`metrics.1st`): keys are data, not SQL names.
const NAME_SEGMENT = /[\p{L}\p{N}_]+/uy;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPERATOR = /[<>=!]+/y;
const WORD_CHAR = /[\p{L}\p{N}_.]/uy;

function matchAt(re: RegExp, input: string, pos: number): string | null {
  re.lastIndex = pos;
  const m = re.exec(input);
  return m ? m[0] : null;
}

/**
 * Reads a quoted run starting at `start` (which holds the quote). Inside, a doubled quote or a backslash before the
 * quote stands for the quote, and a doubled backslash for one backslash; any other backslash is literal.
 */
function readQuoted(input: string, start: number, quote: QuoteChar): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < input.length) {
    const ch = input[i]!;
    const next = input[i + 1];
    if (ch === quote) {
      if (next === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    if (ch === '\\' && quote !== '`' && (next === quote || next === '\\')) {
      value += next;
      i += 2;
      continue;
    }
    value += ch;
    i += 1;
  }
  const what = quote === '`' ? 'backtick-quoted identifier' : 'string literal';
  throw new FilterSyntaxError(`Unterminated ${what} starting with ${quote}`, start, input.slice(start));
}

function readIdentifier(input: string, start: number): Token {
  const parts: IdentifierPart[] = [];
  let pos = start;
  const readSegment = (first: boolean): void => {
    const ch = input[pos];
    if (ch === '`' || (ch === '"' && !first)) {
      const q = readQuoted(input, pos, ch);
      parts.push({ text: q.value, quote: ch, position: pos });
      pos = q.end;
      return;
    }
    const name = matchAt(first ? NAME_START : NAME_SEGMENT, input, pos);
    if (name === null) {
      const shown = input.slice(start, pos);
      throw new FilterSyntaxError(`Invalid identifier '${shown}': expected a key after '.'`, pos, shown);
    }
    parts.push({ text: name, quote: null, position: pos });
    pos += name.length;
  };
  readSegment(true);
  while (input[pos] === '.') {
    pos += 1;
    readSegment(false);
  }
  return { type: 'identifier', parts, start, end: pos, text: input.slice(start, pos) };
}

function readNumber(input: string, start: number): Token {
  const text = matchAt(NUMBER, input, start)!;
  const end = start + text.length;
  if (matchAt(WORD_CHAR, input, end) !== null) {
    // `0x1F`, `1e`, `1.2.3`, `5abc`: sqlparse would not read these as one number either.
    const bad = /^[^\s()<>=!,'"`]*/u.exec(input.slice(start))![0];
    throw new FilterSyntaxError(`Invalid numeric literal '${bad}'`, start, bad);
  }
  return { type: 'number', value: Number(text), start, end, text };
}

function unexpected(input: string, pos: number): never {
  const ch = String.fromCodePoint(input.codePointAt(pos)!);
  if (input.startsWith('--', pos) || input.startsWith('/*', pos) || ch === '#') {
    throw new FilterSyntaxError('Comments are not allowed in a search filter', pos, input.slice(pos));
  }
  if (ch === ';') {
    throw new FilterSyntaxError(
      "Search filter contained multiple expressions (';'). Provide an AND-ed expression list",
      pos,
      ch,
    );
  }
  throw new FilterSyntaxError(`Unexpected character '${ch}'`, pos, ch);
}

/** Splits `input` into tokens, ending with an 'eof' token. Throws FilterSyntaxError on anything unlexable. */
export function tokenize(input: string): Token[] {
  // PostgreSQL cannot hold NUL in text (binding one fails the whole query), so no stored value can contain it.
  const nul = input.indexOf('\u0000');
  if (nul >= 0) throw new FilterSyntaxError('Invalid character U+0000 in search filter', nul);
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < input.length) {
    const ws = matchAt(WHITESPACE, input, pos);
    if (ws !== null) {
      pos += ws.length;
      continue;
    }
    const ch = input[pos]!;
    let token: Token;
    if (ch === "'" || ch === '"') {
      const q = readQuoted(input, pos, ch);
      token = { type: 'string', value: q.value, quote: ch, start: pos, end: q.end, text: input.slice(pos, q.end) };
    } else if (ch === '`' || matchAt(NAME_START, input, pos) !== null) {
      token = readIdentifier(input, pos);
    } else if (matchAt(NUMBER, input, pos) !== null) {
      token = readNumber(input, pos);
    } else if (ch === '(' || ch === ')' || ch === ',') {
      const type = ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma';
      token = { type, start: pos, end: pos + 1, text: ch };
    } else {
      const op = matchAt(OPERATOR, input, pos);
      if (op === null) unexpected(input, pos);
      token = { type: 'operator', start: pos, end: pos + op.length, text: op };
    }
    tokens.push(token);
    pos = token.end;
  }
  tokens.push({ type: 'eof', start: input.length, end: input.length, text: '' });
  return tokens;
}

/** True for a bare one-segment identifier spelling `word` in any case (keywords are case-insensitive). */
export function isKeyword(token: Token, word: string): boolean {
  return (
    token.type === 'identifier' &&
    token.parts.length === 1 &&
    token.parts[0]!.quote === null &&
    token.parts[0]!.text.toUpperCase() === word
  );
}
