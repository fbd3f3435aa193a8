// Property-based tests of MLflow search filters and order_by (tracking/search), for all four searches:
// - arbitrary text (any code point, lone surrogates, filter-like token soup) never makes the parser or the compiler
//   throw anything but FilterSyntaxError (the API's 400), and what parses always compiles on both dialects;
// - filters and order_by lists built from a generator (every entity spelling, quoting style, keyword case, spacing)
//   parse to exactly the clauses that were built: the generator's printer and the parser round-trip
//   (there is no printer in the server, so the test brings one);
// - request text never becomes SQL text: two filters of the same shape with different keys and strings compile to
//   the same SQL, only the bound parameters differ;
// - page tokens: any string is an offset or a 400.
import fc from 'fast-check';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { decodePageToken, encodePageToken } from '../../src/tracking/page-token.js';
import { TRACKING_SEARCH_SCHEMA } from '../../src/tracking/search-schema.js';
import { GRAMMARS } from '../../src/tracking/search/grammar.js';
import {
  applyOrderBy,
  compileFilter,
  compileOrderBy,
  DEFAULT_SEARCH_SCHEMA,
  FilterSyntaxError,
  parseFilter,
  parseOrderBy,
  SEARCH_KINDS,
  type SearchDialect,
  type SearchKind,
  type SearchSchema,
} from '../../src/tracking/search/index.js';
import { InvalidParameter } from '../../src/util/errors.js';
import { runs } from './fc-config.js';
import {
  anyText,
  filterArb,
  hostileText,
  keyArb,
  orderClauseArb,
  printFilter,
  type ClauseSpec,
} from './search-arbitraries.js';

// ---------------------------------------------------------------------------------------------------------------
// Compiling without a database (enough to see SQL text and parameters)

function builder(dialect: SearchDialect): Kysely<any> {
  return new Kysely<any>({
    dialect:
      dialect === 'sqlite'
        ? {
            createAdapter: () => new SqliteAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new SqliteIntrospector(db),
            createQueryCompiler: () => new SqliteQueryCompiler(),
          }
        : {
            createAdapter: () => new PostgresAdapter(),
            createDriver: () => new DummyDriver(),
            createIntrospector: (db) => new PostgresIntrospector(db),
            createQueryCompiler: () => new PostgresQueryCompiler(),
          },
  });
}
const BUILDERS: Record<SearchDialect, Kysely<any>> = { sqlite: builder('sqlite'), postgres: builder('postgres') };
const TABLE: Record<SearchKind, string> = {
  runs: 'runs',
  experiments: 'experiments',
  registered_models: 'registered_models',
  model_versions: 'model_versions',
};
/** The schemas the server compiles with: tracking adds dataset inputs to runs, the registry uses the default. */
const SCHEMA: Record<SearchKind, SearchSchema> = {
  runs: TRACKING_SEARCH_SCHEMA,
  experiments: TRACKING_SEARCH_SCHEMA,
  registered_models: DEFAULT_SEARCH_SCHEMA,
  model_versions: DEFAULT_SEARCH_SCHEMA,
};

function compileAll(kind: SearchKind, filter: string, orderBy: string[], dialect: SearchDialect): CompiledQuery {
  const where = compileFilter(parseFilter(kind, filter), SCHEMA[kind], dialect);
  const query = BUILDERS[dialect].selectFrom(TABLE[kind]).selectAll().where(where);
  return applyOrderBy(query, compileOrderBy(parseOrderBy(kind, orderBy), SCHEMA[kind])).compile();
}

/** Runs `fn`; anything thrown must be a FilterSyntaxError whose position (if any) lies inside `source`. */
function onlySyntaxErrors(fn: () => void, source: string): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof FilterSyntaxError)) throw new Error(`threw ${String(err)} for ${JSON.stringify(source)}`, { cause: err });
    if (err.position !== undefined && (err.position < 0 || err.position > source.length)) {
      throw new Error(`position ${err.position} outside ${JSON.stringify(source)}`);
    }
  }
}

describe('arbitrary text', () => {
  it('parseFilter throws nothing but FilterSyntaxError, and what parses compiles on both dialects', () => {
    let parsed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...SEARCH_KINDS), hostileText, (kind, text) => {
        onlySyntaxErrors(() => {
          parseFilter(kind, text);
          parsed += 1;
          for (const dialect of ['sqlite', 'postgres'] as const) compileAll(kind, text, [], dialect);
        }, text);
      }),
      runs(3000),
    );
    // the generator must reach the compiler, not only the tokenizer's refusals
    expect(parsed).toBeGreaterThan(30);
  });

  it('parseOrderBy throws nothing but FilterSyntaxError on lists of arbitrary text, and what parses compiles', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEARCH_KINDS), fc.array(hostileText, { maxLength: 4 }), (kind, list) => {
        onlySyntaxErrors(() => {
          parseOrderBy(kind, list);
          for (const dialect of ['sqlite', 'postgres'] as const) compileAll(kind, '', list, dialect);
        }, list.reduce((a, b) => (a.length >= b.length ? a : b), '')); // positions are within one clause
      }),
      runs(2000),
    );
  });

  it('non-string filters and order_by items from a JSON body are refused with FilterSyntaxError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEARCH_KINDS), fc.jsonValue(), (kind, value) => {
        fc.pre(typeof value !== 'string' && value !== null);
        expect(() => parseFilter(kind, value as never)).toThrow(FilterSyntaxError);
        expect(() => parseOrderBy(kind, [value as never])).toThrow(FilterSyntaxError);
      }),
      runs(300),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Well-formed filters parse to what was built

function expectedLiteral(c: ClauseSpec, raw: string) {
  const v = c.value;
  if (v.type === 'number') return { type: 'number', value: Number(v.text), raw };
  if (v.type === 'string') return { type: 'string', value: v.value, raw };
  return { type: 'list', values: v.values, raw };
}

describe('generated filters parse to what was built', () => {
  for (const kind of SEARCH_KINDS) {
    it(`${kind}: entities, keys, comparators and values survive printing and parsing`, () => {
      fc.assert(
        fc.property(filterArb(kind), (f) => {
          const { text, printed } = printFilter(f);
          const ast = parseFilter(kind, text);
          expect(ast.kind).toBe(kind);
          expect(ast.clauses).toEqual(
            f.clauses.map((c, i) => ({
              type: 'comparison',
              operand: { entity: c.entity, key: c.canonical, valueType: c.valueType, raw: printed[i]!.identifier, position: printed[i]!.at },
              comparator: c.comparator,
              value: expectedLiteral(c, printed[i]!.value),
              position: printed[i]!.at,
            })),
          );
        }),
        runs(400),
      );
    });
  }

  it('an empty or blank filter matches everything, in every search', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SEARCH_KINDS), fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\r', '\u00a0', '\u2003') }), (kind, blank) => {
        expect(parseFilter(kind, blank).clauses).toEqual([]);
      }),
      runs(100),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Request text never becomes SQL text

/** The same shape with every free text (metric/param/tag keys, string values, list items) replaced. */
function rekey(c: ClauseSpec, texts: string[]): ClauseSpec {
  let n = 0;
  const next = () => texts[n++ % texts.length]!;
  const freeKey = c.entity === 'metric' || c.entity === 'param' || c.entity === 'tag';
  const key = freeKey ? next() : c.key;
  const v = c.value;
  const value: ClauseSpec['value'] =
    v.type === 'string' ? { ...v, value: next() } : v.type === 'list' ? { ...v, values: v.values.map(() => next()) } : v;
  return { ...c, key, canonical: freeKey ? key : c.canonical, keyQuoting: 'backtick', value };
}

describe('filter text never becomes SQL text', () => {
  for (const kind of SEARCH_KINDS) {
    it(`${kind}: same shape, different keys and strings -> same SQL, different parameters`, () => {
      fc.assert(
        fc.property(filterArb(kind), fc.array(keyArb, { minLength: 1, maxLength: 8 }), (f, texts) => {
          const a = printFilter(f).text;
          const b = printFilter({ ...f, clauses: f.clauses.map((c) => rekey(c, texts)) }).text;
          for (const dialect of ['sqlite', 'postgres'] as const) {
            const ca = compileAll(kind, a, [], dialect);
            const cb = compileAll(kind, b, [], dialect);
            expect(cb.sql).toBe(ca.sql);
            expect(cb.parameters.length).toBe(ca.parameters.length);
            // the free text is there, as a bound parameter (PostgreSQL binds LIKE patterns unchanged)
            const usesText = f.clauses.some((c) => c.entity === 'metric' || c.entity === 'param' || c.entity === 'tag' || c.value.type !== 'number');
            if (usesText && dialect === 'postgres') expect(cb.parameters).toContain(texts[0]);
          }
        }),
        runs(200),
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// order_by

describe('generated order_by lists parse to what was built', () => {
  for (const kind of SEARCH_KINDS) {
    it(`${kind}: fields and directions survive; a repeated field is refused where MLflow refuses it`, () => {
      const grammar = GRAMMARS[kind];
      fc.assert(
        fc.property(fc.array(orderClauseArb(kind), { minLength: 1, maxLength: 5 }), (specs) => {
          const list = specs.map((s) => s.text);
          const fields = specs.map((s) => `${s.entity}:${s.canonical}`);
          if (grammar.rejectDuplicateOrderBy && new Set(fields).size < fields.length) {
            expect(() => parseOrderBy(kind, list)).toThrow(/duplicate fields/);
            return;
          }
          const ast = parseOrderBy(kind, list);
          expect(ast.clauses).toEqual(
            specs.map((s) => ({ entity: s.entity, key: s.canonical, valueType: s.valueType, ascending: s.ascending, raw: s.text })),
          );
          for (const dialect of ['sqlite', 'postgres'] as const) compileAll(kind, '', list, dialect);
        }),
        runs(300),
      );
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Page tokens (both searches take them from the request)

describe('page tokens', () => {
  it('any string decodes to a non-negative offset or is refused with 400 INVALID_PARAMETER_VALUE', () => {
    const tokenish = fc.oneof(
      anyText,
      fc.base64String({ maxLength: 40 }),
      fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? 'null').toString('base64')),
      fc.record({ offset: fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)) }).map((v) => Buffer.from(JSON.stringify(v)).toString('base64')),
    );
    fc.assert(
      fc.property(tokenish, (token) => {
        try {
          const offset = decodePageToken(token);
          expect(Number.isSafeInteger(offset) && offset >= 0).toBe(true);
        } catch (err) {
          expect(err).toBeInstanceOf(InvalidParameter);
        }
      }),
      runs(1000),
    );
  });

  it('round-trips every offset it issues', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(decodePageToken(encodePageToken(n))).toBe(n);
      }),
      runs(300),
    );
  });
});
