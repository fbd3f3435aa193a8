// Recursive-descent parser for MLflow search filters:
//
//   filter     := <empty> | comparison ( AND comparison )*
//   comparison := identifier comparator value
//   comparator := '=' | '!=' | '>' | '>=' | '<' | '<=' | LIKE | ILIKE | IN | NOT IN      (keywords in any case)
//   value      := number | string | '(' string ( ',' string )* [','] ')'
//
// Which identifiers, comparators and value types are allowed depends on the search kind (grammar.ts). The checks
// MLflow spreads over its parser and SQL stores all happen here, so a filter that parses compiles (the one
// exception: dataset filters when the schema mapping has no dataset table).
import type { Comparator, Comparison, FilterAst, Literal, SearchKind } from './ast.js';
import { FilterSyntaxError, quotedList } from './errors.js';
import { grammarFor, type KindGrammar } from './grammar.js';
import { identifierParts, resolveOperand, type ResolvedOperand } from './operand.js';
import { isKeyword, tokenize, type Token } from './tokenizer.js';

export { parseOrderBy } from './order-by-parser.js';

const NUMERIC_STRING = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

// Bounds MLflow does not have, so a valid-looking filter cannot fail or crawl inside the database (a 500 is retried
// by MLflow clients): SQLite refuses expression trees deeper than 1000 and more than 32766 bound values, and
// PostgreSQL's planning time grows steeply with the number of EXISTS semi-joins (~0.3 s at 50, ~2 s at 100,
// ~16 s at 200 on an empty schema). Hand-written and UI-built filters have a handful of clauses.
export const MAX_FILTER_CLAUSES = 50;
export const MAX_LIST_VALUES = 10_000;

class Cursor {
  private index = 0;
  constructor(
    private readonly tokens: Token[],
    readonly source: string,
  ) {}
  next(): Token {
    const t = this.tokens[this.index]!;
    if (t.type !== 'eof') this.index += 1;
    return t;
  }
}

/** Parses `filter` with the grammar of `kind`. An empty or all-blank filter gives no clauses (matches everything). */
export function parseFilter(kind: SearchKind, filter: string | null | undefined): FilterAst {
  const grammar = grammarFor(kind);
  const clauses: Comparison[] = [];
  if (filter === null || filter === undefined) return { type: 'and', kind, clauses };
  if (typeof filter !== 'string') throw new FilterSyntaxError('The filter must be a string');
  if (filter.trim() === '') return { type: 'and', kind, clauses };

  const cursor = new Cursor(tokenize(filter), filter);
  let listValues = 0;
  for (;;) {
    const clause = parseComparison(cursor, grammar);
    if (clauses.length === MAX_FILTER_CLAUSES) {
      throw new FilterSyntaxError(`Search filter has more than ${MAX_FILTER_CLAUSES} clauses`, clause.position);
    }
    if (clause.value.type === 'list') listValues += clause.value.values.length;
    if (listValues > MAX_LIST_VALUES) {
      throw new FilterSyntaxError(`Search filter lists more than ${MAX_LIST_VALUES} values in total`, clause.position);
    }
    clauses.push(clause);
    const t = cursor.next();
    if (t.type === 'eof') break;
    if (isKeyword(t, 'AND')) continue;
    if (isKeyword(t, 'OR')) {
      throw new FilterSyntaxError(
        "Invalid clause(s) in filter string: 'OR'. Search filters join clauses only with AND; OR is not supported",
        t.start,
        t.text,
      );
    }
    throw new FilterSyntaxError(
      `Invalid clause(s) in filter string: '${t.text}'. Expected AND or the end of the filter`,
      t.start,
      t.text,
    );
  }
  return { type: 'and', kind, clauses };
}

function parseComparison(cursor: Cursor, grammar: KindGrammar): Comparison {
  const head = cursor.next();
  const parts = identifierParts(head);
  if (parts === null) throw notAnIdentifier(head);
  const operand = resolveOperand(grammar, parts, head.text, head.start, 'filter');
  const comparator = readComparator(cursor, grammar, operand);
  const value = readValue(cursor, grammar, operand, comparator);
  return { type: 'comparison', operand, comparator, value, position: head.start };
}

function notAnIdentifier(t: Token): FilterSyntaxError {
  if (t.type === 'eof') return new FilterSyntaxError('Unexpected end of filter: expected a comparison after AND', t.start);
  if (t.type === 'lparen') {
    return new FilterSyntaxError("Invalid clause(s) in filter string: '('. Parentheses are not supported", t.start, t.text);
  }
  if (isKeyword(t, 'OR')) {
    return new FilterSyntaxError("Invalid clause(s) in filter string: 'OR'. OR is not supported", t.start, t.text);
  }
  return new FilterSyntaxError(
    `Invalid clause(s) in filter string: '${t.text}'. Expected an identifier such as metrics.<key>, params.<key>, ` +
      'tags.<key> or an attribute name',
    t.start,
    t.text,
  );
}

function allowedComparators(grammar: KindGrammar, operand: ResolvedOperand): readonly Comparator[] {
  if (operand.entity === 'attribute') return grammar.attributes.get(operand.key)!.comparators;
  return grammar.entityComparators[operand.entity] ?? [];
}

/** Reads the comparator words/symbols as written, then checks them against what the operand allows. */
function readComparator(cursor: Cursor, grammar: KindGrammar, operand: ResolvedOperand): Comparator {
  const t = cursor.next();
  let written: string;
  if (t.type === 'operator') {
    written = t.text;
  } else if (isKeyword(t, 'LIKE') || isKeyword(t, 'ILIKE') || isKeyword(t, 'IN')) {
    written = t.text.toUpperCase();
  } else if (isKeyword(t, 'NOT')) {
    const n = cursor.next();
    if (!(isKeyword(n, 'IN') || isKeyword(n, 'LIKE') || isKeyword(n, 'ILIKE'))) {
      throw new FilterSyntaxError(`Invalid comparator 'NOT ${n.text}'`, t.start, `NOT ${n.text}`);
    }
    written = `NOT ${n.text.toUpperCase()}`;
  } else if (isKeyword(t, 'IS')) {
    // MLflow 2.x has no IS [NOT] NULL in any search; say so with the usual "Invalid comparator" wording.
    const n = cursor.next();
    const m = isKeyword(n, 'NOT') ? cursor.next() : null;
    written = ['IS', n.text, m?.text].filter(Boolean).join(' ').toUpperCase();
  } else if (t.type === 'eof') {
    throw new FilterSyntaxError(
      `Invalid comparison clause: expected a comparator after '${operand.raw}' but the filter ended`,
      t.start,
    );
  } else {
    throw new FilterSyntaxError(
      `Invalid comparison clause: expected a comparator after '${operand.raw}', found '${t.text}'`,
      t.start,
      t.text,
    );
  }

  const allowed = allowedComparators(grammar, operand);
  const isList = written === 'IN' || written === 'NOT IN';
  const attribute = operand.entity === 'attribute' ? grammar.attributes.get(operand.key)! : null;
  if (isList && attribute?.valueType === 'string' && !attribute.list) {
    throw new FilterSyntaxError(
      "Only the 'run_id' attribute supports comparison with a list of quoted string values.",
      t.start,
      written,
    );
  }
  const found = allowed.find((c) => c === written);
  if (found === undefined) {
    throw new FilterSyntaxError(`Invalid comparator '${written}' not one of '${quotedList(allowed)}'`, t.start, written);
  }
  return found;
}

function readValue(cursor: Cursor, grammar: KindGrammar, operand: ResolvedOperand, comparator: Comparator): Literal {
  if (comparator === 'IN' || comparator === 'NOT IN') return readList(cursor, comparator);
  const t = cursor.next();
  if (t.type === 'eof') throw new FilterSyntaxError(`Missing value after '${operand.raw} ${comparator}'`, t.start);

  if (operand.valueType !== 'string') {
    if (t.type === 'number') return { type: 'number', value: t.value, raw: t.text };
    // `version_number = '3'`: model-version search accepts a quoted number (the database compares it anyway).
    const quotedInteger = t.type === 'string' && operand.valueType === 'integer' && NUMERIC_STRING.test(t.value);
    if (quotedInteger && grammar.quotedIntegers) {
      return { type: 'number', value: Number(t.value), raw: t.text };
    }
    const what = operand.entity === 'metric' ? 'metric' : `numeric attribute: ${operand.key}`;
    throw new FilterSyntaxError(`Expected numeric value type for ${what}. Found ${t.text}`, t.start, t.text);
  }

  if (t.type === 'string') return { type: 'string', value: t.value, raw: t.text };
  if (t.type === 'lparen') {
    throw new FilterSyntaxError(`A list of values needs IN or NOT IN, not '${comparator}'`, t.start, t.text);
  }
  const what =
    operand.entity === 'param'
      ? "parameter (e.g. 'my-value')"
      : operand.entity === 'tag'
        ? "tag (e.g. 'my-value')"
        : operand.entity === 'dataset'
          ? 'dataset attributes'
          : 'attributes';
  throw new FilterSyntaxError(`Expected a quoted string value for ${what}. Got value ${t.text}`, t.start, t.text);
}

/** `('a', 'b')`: single-quoted strings only (MLflow refuses numbers and double-quoted items), never empty. */
function readList(cursor: Cursor, comparator: Comparator): Literal {
  const open = cursor.next();
  if (open.type !== 'lparen') {
    throw new FilterSyntaxError(
      `Expected a parenthesised list of quoted strings after ${comparator}, found '${open.text}'`,
      open.start,
      open.text,
    );
  }
  const values: string[] = [];
  let close: Token;
  for (;;) {
    const t = cursor.next();
    if (t.type === 'rparen' && values.length === 0) {
      throw new FilterSyntaxError(
        'While parsing a list in the query, expected a non-empty list of string values, but got empty list',
        t.start,
        t.text,
      );
    }
    if (t.type === 'rparen') {
      close = t; // after a trailing comma, as Python's ('a',) allows
      break;
    }
    if (t.type === 'eof') throw new FilterSyntaxError("Unterminated list: missing ')'", open.start, '(');
    if (t.type !== 'string' || t.quote !== "'") {
      throw new FilterSyntaxError(
        'While parsing a list in the query, expected string value, punctuation, or whitespace, but got ' +
          `different type in list: ${t.text} (list items must be single-quoted strings)`,
        t.start,
        t.text,
      );
    }
    values.push(t.value);
    const sep = cursor.next();
    if (sep.type === 'rparen') {
      close = sep;
      break;
    }
    if (sep.type === 'comma') continue;
    if (sep.type === 'eof') throw new FilterSyntaxError("Unterminated list: missing ')'", open.start, '(');
    throw new FilterSyntaxError(
      `While parsing a list in the query, expected ',' or ')', but got '${sep.text}'`,
      sep.start,
      sep.text,
    );
  }
  return { type: 'list', values, raw: cursor.source.slice(open.start, close.end) };
}
