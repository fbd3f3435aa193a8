// fast-check generators for MLflow search filters and order_by lists, shared by the parser's property tests and the
// database-backed ones: hostile text (any code point, lone surrogates, token soup), and well-formed clauses for each
// search kind built from its grammar (every entity spelling, quoting style, keyword case and spacing) with a printer.
import fc from 'fast-check';
import { GRAMMARS, type KindGrammar } from '../../src/tracking/search/grammar.js';
import type { Comparator, EntityType, SearchKind, ValueType } from '../../src/tracking/search/index.js';

// ---------------------------------------------------------------------------------------------------------------
// Arbitrary text

const LONE_SURROGATES = fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff');
/** any code point, lone surrogates and NUL included */
export const anyText = fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), LONE_SURROGATES), maxLength: 60 });
/** Pieces of the filter language, so the soup reaches past the tokenizer into the parser's checks. */
const PIECES = [
  'metrics', 'metric', 'params', 'tags', 'tag', 'attributes', 'attribute', 'attr', 'run', 'datasets', 'dataset', '.', 'acc',
  'run_id', 'run_name', 'status', 'start_time', 'created', 'name', 'version_number', 'source_path', 'creation_timestamp',
  'last_updated_timestamp', 'experiment_id', 'creation_time', 'digest', 'context', 'timestamp',
  '=', '!=', '>', '>=', '<', '<=', '==', '<>', '!', 'LIKE', 'ilike', 'IN', 'NOT', 'not in', 'IS', 'NULL', 'AND', 'and', 'OR',
  'ASC', 'DESC', '(', ')', ',', "'", '"', '`', '\\', "'x'", '"y"', '`z z`', "''", '1', '-1', '1.5', '1e5', '1e999', '-0', '.5',
  '0x1F', 'NaN', 'Infinity', ';', '--', '/*', '#', '%', '_', '\u0000', '\u00e9', '\u{1F355}', '\ud800', ' ', '  ', '\t', '\n',
];
const soup = fc.array(fc.oneof(fc.constantFrom(...PIECES), anyText), { maxLength: 14 }).map((parts) => parts.join(''));
const soupSpaced = fc.array(fc.constantFrom(...PIECES), { maxLength: 14 }).map((parts) => parts.join(' '));
export const hostileText = fc.oneof(anyText, soup, soupSpaced);

// ---------------------------------------------------------------------------------------------------------------
// Well-formed filters from a generator, and their printer

/** Characters a bare key segment may hold (tokenizer's NAME_SEGMENT); anything else needs quotes. */
export const BARE_KEY = /^[\p{L}\p{N}_]+(?:\.[\p{L}\p{N}_]+)*$/u;
export const BARE_FIRST = /^[\p{L}_][\p{L}\p{N}_]*$/u;

export const backticked = (s: string): string => `\`${s.replaceAll('`', '``')}\``;
export const doubleQuoted = (s: string): string => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '""')}"`;
export const singleQuoted = (s: string, style: 'double' | 'backslash'): string =>
  `'${s.replaceAll('\\', '\\\\').replaceAll("'", style === 'double' ? "''" : "\\'")}'`;

/** Keys and string values: anything but NUL (which no store can hold, and the tokenizer refuses). */
const KEY_CHARS = fc.oneof(
  fc.constantFrom('a', 'b', 'Z', '_', '1', '.', ' ', '`', '"', "'", '\\', '%', '-', '/', '\u00e9', '\u4e2d', '\u{1F355}', '\u0301'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\u0000'),
);
export const keyArb = fc.string({ unit: KEY_CHARS, minLength: 1, maxLength: 12 });
export const stringValueArb = fc.string({ unit: KEY_CHARS, maxLength: 16 });

export type Quoting = 'bare' | 'backtick' | 'double';

export interface ClauseSpec {
  entity: EntityType;
  /** how the entity prefix is written, null for a bare attribute */
  prefix: string | null;
  prefixQuoted: boolean;
  /** the key as the generator chose it (attribute: the spelling written, maybe an alias) */
  key: string;
  /** canonical key the parser should report */
  canonical: string;
  keyQuoting: Quoting;
  valueType: ValueType;
  comparator: Comparator;
  comparatorText: string;
  value:
    | { type: 'number'; text: string; quoted: boolean }
    | { type: 'string'; value: string; quote: 'single-double' | 'single-backslash' | 'double' }
    | { type: 'list'; values: string[]; trailingComma: boolean };
  spaces: [string, string, string];
}

export const ws = (min: number) => fc.constantFrom(...(min === 0 ? ['', ' '] : []), ' ', '  ', '\t', '\n ');
export const keywordCase = (word: string) =>
  fc.constantFrom(word, word.toLowerCase(), word[0]! + word.slice(1).toLowerCase());

/** The keys of the entity table of a kind that a filter or order_by may name, aliases included. */
export function attributeSpellings(grammar: KindGrammar, use: 'filter' | 'order'): Array<{ written: string; canonical: string }> {
  const out: Array<{ written: string; canonical: string }> = [];
  for (const [key, spec] of grammar.attributes) if (use === 'filter' ? spec.filterable : spec.orderable) out.push({ written: key, canonical: key });
  for (const [alias, canonical] of use === 'filter' ? grammar.filterAliases : grammar.orderAliases) out.push({ written: alias, canonical });
  return out;
}

export function prefixesFor(grammar: KindGrammar, entity: EntityType): string[] {
  return [...grammar.entities].filter(([, e]) => e === entity).map(([p]) => p);
}

const numberText = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).map((n) => n.toExponential()),
  fc.constantFrom('0', '-0', '.5', '1.', '1e308', '1e999', '-1e999', '9007199254740993', '1E-5'),
);

function comparatorText(c: Comparator) {
  if (c === 'NOT IN') return fc.tuple(keywordCase('NOT'), ws(1), keywordCase('IN')).map(([a, s, b]) => `${a}${s}${b}`);
  if (c === 'LIKE' || c === 'ILIKE' || c === 'IN') return keywordCase(c);
  return fc.constant(c);
}

export function clauseArb(kind: SearchKind): fc.Arbitrary<ClauseSpec> {
  const grammar = GRAMMARS[kind];
  const entities = [...new Set(grammar.entities.values())];
  return fc.constantFrom(...entities).chain((entity) => {
    const operand =
      entity === 'attribute'
        ? fc
            .tuple(fc.constantFrom(...attributeSpellings(grammar, 'filter')), fc.option(fc.constantFrom(...prefixesFor(grammar, 'attribute')), { nil: null }))
            .map(([a, prefix]) => {
              const spec = grammar.attributes.get(a.canonical)!;
              return { key: a.written, canonical: a.canonical, prefix, valueType: spec.valueType as ValueType, comparators: spec.comparators };
            })
        : entity === 'dataset'
          ? fc.tuple(fc.constantFrom('name', 'digest', 'context'), fc.constantFrom(...prefixesFor(grammar, 'dataset'))).map(([key, prefix]) => ({
              key,
              canonical: key,
              prefix: prefix as string | null,
              valueType: 'string' as ValueType,
              comparators: grammar.entityComparators.dataset!,
            }))
          : fc.tuple(keyArb, fc.constantFrom(...prefixesFor(grammar, entity))).map(([key, prefix]) => ({
              key,
              canonical: key,
              prefix: prefix as string | null,
              valueType: (entity === 'metric' ? 'double' : 'string') as ValueType,
              comparators: grammar.entityComparators[entity as Exclude<EntityType, 'attribute'>]!,
            }));
    return operand.chain((op) =>
      fc.constantFrom(...op.comparators).chain((comparator) => {
        const list = comparator === 'IN' || comparator === 'NOT IN';
        const value: fc.Arbitrary<ClauseSpec['value']> = list
          ? fc.record({ type: fc.constant('list' as const), values: fc.array(stringValueArb, { minLength: 1, maxLength: 4 }), trailingComma: fc.boolean() })
          : op.valueType === 'string'
            ? fc.record({ type: fc.constant('string' as const), value: stringValueArb, quote: fc.constantFrom('single-double', 'single-backslash', 'double') })
            : fc.record({
                type: fc.constant('number' as const),
                text: op.valueType === 'integer' && grammar.quotedIntegers ? fc.oneof(numberText, fc.nat().map(String)) : numberText,
                // model-version search takes a quoted integer too
                quoted: op.valueType === 'integer' && grammar.quotedIntegers ? fc.boolean() : fc.constant(false),
              });
        const needsQuotes = !BARE_KEY.test(op.key) || (op.prefix === null && !BARE_FIRST.test(op.key));
        // A bare double-quoted string stands for an attribute name; after a prefix "..." quotes a key segment.
        const quotings: Quoting[] = needsQuotes ? ['backtick', 'double'] : ['bare', 'backtick', 'double'];
        return fc.record({
          entity: fc.constant(entity),
          prefix: fc.constant(op.prefix),
          prefixQuoted: op.prefix === null ? fc.constant(false) : fc.boolean(),
          key: fc.constant(op.key),
          canonical: fc.constant(op.canonical),
          keyQuoting: fc.constantFrom(...quotings),
          valueType: fc.constant(op.valueType),
          comparator: fc.constant(comparator),
          comparatorText: comparatorText(comparator),
          value,
          spaces: fc.tuple(
            comparator === '=' || comparator === '!=' || comparator.startsWith('<') || comparator.startsWith('>') ? ws(0) : ws(1),
            ws(0),
            ws(0),
          ),
        });
      }),
    );
  });
}

export function identifierText(c: ClauseSpec): string {
  const key = c.keyQuoting === 'bare' ? c.key : c.keyQuoting === 'backtick' ? backticked(c.key) : doubleQuoted(c.key);
  if (c.prefix === null) return key;
  return `${c.prefixQuoted ? backticked(c.prefix) : c.prefix}.${key}`;
}

export function valueText(c: ClauseSpec): string {
  const v = c.value;
  if (v.type === 'number') return v.quoted ? `'${v.text}'` : v.text;
  if (v.type === 'string') {
    return v.quote === 'double' ? doubleQuoted(v.value) : singleQuoted(v.value, v.quote === 'single-double' ? 'double' : 'backslash');
  }
  return `(${v.values.map((s, i) => singleQuoted(s, i % 2 === 0 ? 'double' : 'backslash')).join(`,${c.spaces[2]}`)}${v.trailingComma ? ',' : ''})`;
}

export function clauseText(c: ClauseSpec): { text: string; identifier: string; value: string } {
  const identifier = identifierText(c);
  const value = valueText(c);
  // spaces[0] is at least one space before a keyword comparator; after one, a quote or '(' ends the keyword
  return { text: `${identifier}${c.spaces[0]}${c.comparatorText}${c.spaces[1]}${value}`, identifier, value };
}

export const filterArb = (kind: SearchKind) =>
  fc.record({
    clauses: fc.array(clauseArb(kind), { minLength: 1, maxLength: 6 }),
    and: fc.array(fc.tuple(ws(1), keywordCase('AND'), ws(1)), { minLength: 6, maxLength: 6 }),
    lead: ws(0),
    trail: ws(0),
  });

export function printFilter(f: { clauses: ClauseSpec[]; and: Array<[string, string, string]>; lead: string; trail: string }) {
  let text = f.lead;
  const printed: Array<ReturnType<typeof clauseText> & { at: number }> = [];
  f.clauses.forEach((c, i) => {
    if (i > 0) text += f.and[i - 1]!.join('');
    const p = clauseText(c);
    printed.push({ ...p, at: text.length });
    text += p.text;
  });
  return { text: text + f.trail, printed };
}


export interface OrderSpec {
  entity: Exclude<EntityType, 'dataset'>;
  canonical: string;
  valueType: ValueType;
  text: string;
  ascending: boolean;
}

export function orderClauseArb(kind: SearchKind): fc.Arbitrary<OrderSpec> {
  const grammar = GRAMMARS[kind];
  const direction = fc.oneof(
    fc.constant({ text: '', ascending: true }),
    keywordCase('ASC').map((t) => ({ text: t, ascending: true })),
    keywordCase('DESC').map((t) => ({ text: t, ascending: false })),
  );
  const attribute = fc.constantFrom(...attributeSpellings(grammar, 'order')).chain((a) => {
    const spec = grammar.attributes.get(a.canonical)!;
    // registered models match the whole head against the keys, so no prefix there
    const prefixes = grammar.orderByStyle === 'whole-key' ? [] : prefixesFor(grammar, 'attribute');
    return fc.record({
      entity: fc.constant('attribute' as const),
      canonical: fc.constant(a.canonical),
      valueType: fc.constant(spec.valueType as ValueType),
      head: fc
        .tuple(fc.option(fc.constantFrom(...(prefixes.length ? prefixes : ['unused'])), { nil: null }), fc.constantFrom<Quoting>('bare', 'backtick'))
        .map(([p, q]) => {
          const key = q === 'bare' && BARE_FIRST.test(a.written) ? a.written : backticked(a.written);
          return p === null || prefixes.length === 0 ? key : `${p}.${key}`;
        }),
    });
  });
  const keyed = (entity: 'metric' | 'param' | 'tag') =>
    fc.record({
      entity: fc.constant(entity),
      canonical: keyArb,
      valueType: fc.constant((entity === 'metric' ? 'double' : 'string') as ValueType),
      prefix: fc.constantFrom(...prefixesFor(grammar, entity)),
      quoting: fc.constantFrom<Quoting>('backtick', 'double'),
    }).map((r) => ({ ...r, head: `${r.prefix}.${r.quoting === 'backtick' ? backticked(r.canonical) : doubleQuoted(r.canonical)}` }));
  const choices: Array<fc.Arbitrary<{ entity: OrderSpec['entity']; canonical: string; valueType: ValueType; head: string }>> = [attribute];
  for (const e of ['metric', 'param', 'tag'] as const) if (grammar.orderByEntities.has(e)) choices.push(keyed(e));
  return fc
    .tuple(fc.oneof(...choices), direction, ws(0), ws(1), ws(0))
    .map(([h, d, lead, mid, trail]) => ({
      entity: h.entity,
      canonical: h.canonical,
      valueType: h.valueType,
      text: `${lead}${h.head}${d.text ? `${mid}${d.text}` : ''}${trail}`,
      ascending: d.ascending,
    }));
}
