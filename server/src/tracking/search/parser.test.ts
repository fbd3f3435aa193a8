import { describe, expect, it } from 'vitest';
import type { Comparator, EntityType, SearchKind } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { parseFilter } from './parser.js';

// The expected comparator sets are written out here rather than imported from grammar.ts, so the test checks the
// grammar against MLflow's tables instead of against itself.
const NUM = ['=', '!=', '>', '>=', '<', '<='];
const STR = ['=', '!=', 'LIKE', 'ILIKE'];
const ALL_COMPARATORS: Comparator[] = ['=', '!=', '>', '>=', '<', '<=', 'LIKE', 'ILIKE', 'IN', 'NOT IN'];

type Case = { kind: SearchKind; ident: string; entity: EntityType; key: string; allowed: string[]; value: 'number' | 'string' };

const c = (kind: SearchKind, ident: string, entity: EntityType, key: string, allowed: string[], value: Case['value']): Case => ({
  kind,
  ident,
  entity,
  key,
  allowed,
  value,
});

const MATRIX: Case[] = [
  ...['metric', 'metrics', '`metrics`'].map((p) => c('runs', `${p}.acc`, 'metric', 'acc', NUM, 'number')),
  ...['param', 'params', 'parameter', 'parameters'].map((p) => c('runs', `${p}.lr`, 'param', 'lr', STR, 'string')),
  ...['tag', 'tags'].map((p) => c('runs', `${p}.team`, 'tag', 'team', STR, 'string')),
  ...['', 'attribute.', 'attributes.', 'attr.', 'run.'].flatMap((p) => [
    c('runs', `${p}run_id`, 'attribute', 'run_id', [...STR, 'IN', 'NOT IN'], 'string'),
    c('runs', `${p}run_name`, 'attribute', 'run_name', STR, 'string'),
    c('runs', `${p}user_id`, 'attribute', 'user_id', STR, 'string'),
    c('runs', `${p}status`, 'attribute', 'status', STR, 'string'),
    c('runs', `${p}artifact_uri`, 'attribute', 'artifact_uri', STR, 'string'),
    c('runs', `${p}start_time`, 'attribute', 'start_time', NUM, 'number'),
    c('runs', `${p}end_time`, 'attribute', 'end_time', NUM, 'number'),
    c('runs', `${p}created`, 'attribute', 'start_time', NUM, 'number'),
    c('runs', `${p}Created`, 'attribute', 'start_time', NUM, 'number'),
    c('runs', `${p}\`Run name\``, 'attribute', 'run_name', STR, 'string'),
    c('runs', `${p}\`run name\``, 'attribute', 'run_name', STR, 'string'),
    c('runs', `${p}\`Run Name\``, 'attribute', 'run_name', STR, 'string'),
  ]),
  ...['dataset', 'datasets'].flatMap((p) =>
    ['name', 'digest', 'context'].map((k) => c('runs', `${p}.${k}`, 'dataset', k, [...STR, 'IN', 'NOT IN'], 'string')),
  ),
  ...['', 'attribute.'].flatMap((p) => [
    c('experiments', `${p}name`, 'attribute', 'name', STR, 'string'),
    c('experiments', `${p}creation_time`, 'attribute', 'creation_time', NUM, 'number'),
    c('experiments', `${p}last_update_time`, 'attribute', 'last_update_time', NUM, 'number'),
    c('registered_models', `${p}name`, 'attribute', 'name', STR, 'string'),
    c('model_versions', `${p}name`, 'attribute', 'name', STR, 'string'),
    c('model_versions', `${p}run_id`, 'attribute', 'run_id', [...STR, 'IN'], 'string'),
    c('model_versions', `${p}source_path`, 'attribute', 'source_path', STR, 'string'),
    c('model_versions', `${p}version_number`, 'attribute', 'version_number', NUM, 'number'),
  ]),
  ...(['experiments', 'registered_models', 'model_versions'] as const).flatMap((kind) =>
    ['tag', 'tags'].map((p) => c(kind, `${p}.owner`, 'tag', 'owner', STR, 'string')),
  ),
];

function valueFor(comparator: Comparator, value: Case['value']): string {
  if (comparator === 'IN' || comparator === 'NOT IN') return "('a', 'b')";
  return value === 'number' ? '1.5' : "'v'";
}

describe('parseFilter: every entity and comparator', () => {
  const rows = MATRIX.flatMap((m) => ALL_COMPARATORS.map((cmp) => ({ ...m, cmp, ok: m.allowed.includes(cmp) })));
  it.each(rows)('$kind: $ident $cmp -> ok=$ok', ({ kind, ident, entity, key, cmp, ok, value }) => {
    const filter = `${ident} ${cmp} ${valueFor(cmp, value)}`;
    if (!ok) {
      expect(() => parseFilter(kind, filter)).toThrow(/Invalid comparator|Only the 'run_id' attribute supports/);
      return;
    }
    const ast = parseFilter(kind, filter);
    expect(ast.clauses).toHaveLength(1);
    const clause = ast.clauses[0]!;
    expect(clause.operand).toMatchObject({ entity, key, raw: ident });
    expect(clause.comparator).toBe(cmp);
    if (cmp === 'IN' || cmp === 'NOT IN') expect(clause.value).toMatchObject({ type: 'list', values: ['a', 'b'] });
    else if (value === 'number') expect(clause.value).toMatchObject({ type: 'number', value: 1.5 });
    else expect(clause.value).toMatchObject({ type: 'string', value: 'v' });
  });
});

describe('parseFilter: shapes', () => {
  it('parses the MLflow example into a flat conjunction', () => {
    const ast = parseFilter(
      'runs',
      `metrics.x > 0.5 and params.lr = '0.01' and tags."mlflow.runName" LIKE 'r%' and attributes.status = 'FINISHED'`,
    );
    expect(ast.type).toBe('and');
    expect(ast.kind).toBe('runs');
    expect(ast.clauses.map((c) => [c.operand.entity, c.operand.key, c.comparator, c.value])).toEqual([
      ['metric', 'x', '>', { type: 'number', value: 0.5, raw: '0.5' }],
      ['param', 'lr', '=', { type: 'string', value: '0.01', raw: "'0.01'" }],
      ['tag', 'mlflow.runName', 'LIKE', { type: 'string', value: 'r%', raw: "'r%'" }],
      ['attribute', 'status', '=', { type: 'string', value: 'FINISHED', raw: "'FINISHED'" }],
    ]);
    expect(ast.clauses.map((c) => c.position)).toEqual([0, 20, 43, 79]);
  });

  it.each([null, undefined, '', '   ', '\n\t'])('gives no clauses for %j', (filter) => {
    expect(parseFilter('runs', filter)).toEqual({ type: 'and', kind: 'runs', clauses: [] });
  });

  it.each([
    ['metrics.`f1 score` > 0', 'metric', 'f1 score'],
    ['metrics."f1 score" > 0', 'metric', 'f1 score'],
    ['tags.`mlflow.source.name` = "x"', 'tag', 'mlflow.source.name'],
    ['tags.mlflow.source.name = "x"', 'tag', 'mlflow.source.name'],
    ['params.`a``b` = "x"', 'param', 'a`b'],
    ['params."a""b" = "x"', 'param', 'a"b'],
    ['params.`lr; DROP TABLE runs` = "x"', 'param', 'lr; DROP TABLE runs'],
    ['"status" = "x"', 'attribute', 'status'],
    ['`status` = "x"', 'attribute', 'status'],
    ['`attributes`.status = "x"', 'attribute', 'status'],
    ['metrics.1st > 0', 'metric', '1st'],
    ['metrics.précision > 0', 'metric', 'précision'],
  ])('reads the key of %s', (filter, entity, key) => {
    expect(parseFilter('runs', filter).clauses[0]!.operand).toMatchObject({ entity, key });
  });

  it.each([
    ["params.x = 'single'", 'single'],
    ['params.x = "double"', 'double'],
    ["params.x = 'it''s'", "it's"],
    ["params.x = 'it\\'s'", "it's"],
    ['params.x = "say ""hi"""', 'say "hi"'],
    ["params.x = ''", ''],
    ["params.x = 'a AND b OR c'", 'a AND b OR c'],
    ["params.x = '%_'", '%_'],
  ])('reads the string value of %s', (filter, value) => {
    expect(parseFilter('runs', filter).clauses[0]!.value).toMatchObject({ type: 'string', value });
  });

  it.each([
    ['metrics.x > -1', -1],
    ['metrics.x > .25', 0.25],
    ['metrics.x > 1e-3', 0.001],
    ['metrics.x > 10', 10],
    ['start_time >= 1700000000000', 1700000000000],
  ])('reads the number in %s', (filter, value) => {
    expect(parseFilter('runs', filter).clauses[0]!.value).toMatchObject({ type: 'number', value });
  });

  it('accepts a quoted integer for version_number, as the SQL store compares it anyway', () => {
    expect(parseFilter('model_versions', "version_number = '3'").clauses[0]!.value).toMatchObject({ type: 'number', value: 3 });
  });

  it.each([
    "metrics.a>1 and params.b='x'",
    "metrics.a > 1 AND params.b = 'x'",
    "metrics.a > 1 AnD params.b = 'x'",
    "  metrics.a\t>\n1\r\nand\tparams.b   =   'x'  ",
    "metrics.a >1 and params.b LIKE 'x'",
  ])('is indifferent to whitespace and keyword case: %j', (filter) => {
    expect(parseFilter('runs', filter).clauses).toHaveLength(2);
  });

  it.each([
    ["params.b like 'x'", 'LIKE'],
    ["params.b Like 'x'", 'LIKE'],
    ["params.b ilike 'x'", 'ILIKE'],
    ["run_id in ('a')", 'IN'],
    ["run_id not in ('a')", 'NOT IN'],
    ["run_id NOT   In ('a')", 'NOT IN'],
  ])('reads the keyword comparator in %s', (filter, comparator) => {
    expect(parseFilter('runs', filter).clauses[0]!.comparator).toBe(comparator);
  });

  it.each([
    ["run_id IN ('a')", ['a']],
    ["run_id IN ('a','b' ,  'c')", ['a', 'b', 'c']],
    ["run_id IN ('a',)", ['a']],
    ["run_id IN ('x''y', 'p\\'q')", ["x'y", "p'q"]],
    ["run_id IN ('a); DROP TABLE runs; --')", ['a); DROP TABLE runs; --']],
  ])('reads the list in %s', (filter, values) => {
    expect(parseFilter('runs', filter).clauses[0]!.value).toMatchObject({ type: 'list', values });
  });

  it('keeps clause order and repeats', () => {
    const ast = parseFilter('runs', 'metrics.a > 1 and metrics.a < 2 and metrics.a != 1.5');
    expect(ast.clauses.map((c) => c.comparator)).toEqual(['>', '<', '!=']);
  });

  it('accepts up to 50 clauses and 10,000 list values', () => {
    const many = Array.from({ length: 50 }, (_, i) => `tags.k${i} = 'v'`).join(' and ');
    expect(parseFilter('runs', many).clauses).toHaveLength(50);
    const ids = Array.from({ length: 5000 }, (_, i) => `'r${i}'`).join(',');
    expect(parseFilter('runs', `run_id IN (${ids}) and run_id NOT IN (${ids})`).clauses).toHaveLength(2);
  });

  it('throws for an unknown kind', () => {
    expect(() => parseFilter('traces' as SearchKind, 'x = 1')).toThrow(/unknown search kind/);
  });
});

function expectError(kind: SearchKind, filter: string, message: RegExp, position?: number): void {
  try {
    parseFilter(kind, filter);
  } catch (err) {
    expect(err).toBeInstanceOf(FilterSyntaxError);
    const e = err as FilterSyntaxError;
    expect(e.message).toMatch(message);
    expect(e.errorCode).toBe('INVALID_PARAMETER_VALUE');
    expect(e.name).toBe('FilterSyntaxError');
    if (position !== undefined) {
      expect(e.position).toBe(position);
      expect(e.message).toContain(`(at position ${position})`);
    }
    return;
  }
  expect.unreachable(`no error for ${filter}`);
}

describe('parseFilter: errors', () => {
  it.each<[SearchKind, string, RegExp, number?]>([
    ['runs', "params.a = 'x' OR params.b = 'y'", /'OR'.*only with AND/, 15],
    ['runs', "params.a = 'x' or params.b = 'y'", /OR is not supported/, 15],
    ['runs', "OR params.a = 'x'", /'OR'. OR is not supported/, 0],
    ['runs', "foo.bar = 'x'", /Invalid entity type 'foo'. Valid values are \['metric', 'parameter', 'tag', 'attribute', 'dataset'\]/, 0],
    ['runs', 'METRICS.x > 1', /Invalid entity type 'METRICS'/, 0],
    ['runs', 'metricz.x > 1', /Invalid entity type 'metricz'/, 0],
    ['experiments', "attributes.name = 'x'", /Invalid entity type 'attributes'. Valid entity types are \('attribute', 'tag', 'tags'\)/, 0],
    ['experiments', 'metrics.x > 1', /Invalid entity type 'metrics'/, 0],
    ['registered_models', "params.x = 'y'", /Invalid entity type 'params'/, 0],
    ['model_versions', "datasets.name = 'y'", /Invalid entity type 'datasets'/, 0],
    ['runs', 'metrics.m >> 1', /^Invalid comparator '>>' not one of '\['=', '!=', '>', '>=', '<', '<='\]'/, 10],
    ['runs', 'metrics.m == 1', /Invalid comparator '=='/, 10],
    ['runs', 'metrics.m <> 1', /Invalid comparator '<>'/, 10],
    ['runs', "params.x > '1'", /^Invalid comparator '>' not one of '\['=', '!=', 'LIKE', 'ILIKE'\]'/, 9],
    ['runs', "tags.x NOT LIKE 'a'", /Invalid comparator 'NOT LIKE'/, 7],
    ['runs', 'tags.x IS NULL', /Invalid comparator 'IS NULL'/, 7],
    ['runs', 'end_time IS NOT NULL', /Invalid comparator 'IS NOT NULL'/, 9],
    ['runs', "tags.x IN ('a')", /Invalid comparator 'IN'/, 7],
    ['runs', "status IN ('a')", /Only the 'run_id' attribute supports comparison with a list/, 7],
    ['runs', 'start_time IN (1)', /Invalid comparator 'IN'/, 11],
    ['model_versions', "run_id NOT IN ('a')", /Invalid comparator 'NOT IN' not one of '\['=', '!=', 'LIKE', 'ILIKE', 'IN'\]'/],
    ['model_versions', "name IN ('a')", /Only the 'run_id' attribute/],
    ['experiments', "name IN ('a')", /Only the 'run_id' attribute/],
    ['runs', "params.x = 'abc", /Unterminated string literal/, 11],
    ['runs', 'params.x = "abc', /Unterminated string literal/, 11],
    ['runs', 'params.`x = 1', /Unterminated backtick/, 7],
    ['runs', 'metrics.x > 1 junk', /Invalid clause\(s\) in filter string: 'junk'/, 14],
    ['runs', 'metrics.x > 1 2', /Invalid clause\(s\) in filter string: '2'/, 14],
    ['runs', "metrics.x > 1 and", /Unexpected end of filter/, 17],
    ['runs', "and metrics.x > 1", /Invalid clause\(s\) in filter string: 'and'/, 0],
    ['runs', "metrics.x > 1 and and metrics.y > 1", /Invalid clause\(s\) in filter string: 'and'/, 18],
    ['runs', "(metrics.x > 1)", /Parentheses are not supported/, 0],
    ['runs', "NOT metrics.x > 1", /Invalid clause\(s\) in filter string: 'NOT'/, 0],
    ['runs', 'metrics. > 1', /expected a key after '.'/, 8],
    ['runs', 'metrics.`` > 1', /the key is empty/, 8],
    ['runs', 'tags."" = "x"', /the key is empty/, 5],
    ['runs', 'tags.a."b" = "x"', /quote the whole key/, 5],
    ['runs', "run_id IN ()", /non-empty list of string values, but got empty list/, 11],
    ['runs', "run_id IN ('a'", /Unterminated list/, 10],
    ['runs', "run_id IN ('a',", /Unterminated list/, 10],
    ['runs', 'run_id IN (1)', /expected string value.*different type in list: 1/, 11],
    ['runs', 'run_id IN ("a")', /list items must be single-quoted/, 11],
    ['runs', "run_id IN ('a' 'b')", /expected ',' or '\)'/, 15],
    ['runs', "run_id IN 'a'", /Expected a parenthesised list/, 10],
    ['runs', "run_id = ('a')", /needs IN or NOT IN/, 9],
    ['runs', "metrics.x = 'a'", /^Expected numeric value type for metric. Found 'a'/, 12],
    ['runs', 'metrics.x = "1"', /Expected numeric value type for metric/, 12],
    ['runs', 'metrics.x = nan', /Expected numeric value type for metric. Found nan/, 12],
    ['runs', "start_time > '1'", /Expected numeric value type for numeric attribute: start_time/, 13],
    ['experiments', "creation_time > '1'", /Expected numeric value type for numeric attribute: creation_time/, 16],
    ['model_versions', "version_number = 'one'", /Expected numeric value type for numeric attribute: version_number/],
    ['runs', 'params.x = 1', /Expected a quoted string value for parameter \(e.g. 'my-value'\). Got value 1/, 11],
    ['runs', 'tags.x = abc', /Expected a quoted string value for tag/, 9],
    ['runs', 'status = FINISHED', /Expected a quoted string value for attributes. Got value FINISHED/, 9],
    ['runs', 'datasets.name = 1', /Expected a quoted string value for dataset attributes/, 16],
    ['runs', 'metrics.x >', /Missing value after 'metrics.x >'/, 11],
    ['runs', 'metrics.x', /expected a comparator after 'metrics.x' but the filter ended/, 9],
    ['runs', "metrics.x 'a'", /expected a comparator after 'metrics.x', found ''a''/, 10],
    ['runs', "bogus = 'x'", /Invalid attribute key 'bogus' specified. Valid keys are '\['artifact_uri', 'end_time', 'run_id'/, 0],
    ['runs', "attributes.lifecycle_stage = 'active'", /Invalid attribute key 'lifecycle_stage'/, 11],
    ['runs', "attributes.constructor = 'x'", /Invalid attribute key 'constructor'/],
    ['runs', "attributes.__proto__ = 'x'", /Invalid attribute key '__proto__'/],
    ['runs', "datasets.size = 'x'", /Invalid dataset key 'size' specified/, 9],
    ['experiments', "experiment_id = 1", /Invalid attribute key 'experiment_id'/, 0],
    ['registered_models', 'version_number = 1', /Invalid attribute key 'version_number'/, 0],
    ['model_versions', 'creation_timestamp > 1', /Invalid attribute key 'creation_timestamp'/, 0],
    ['runs', "'status' = 'x'", /Invalid clause\(s\) in filter string: ''status''/, 0],
    ['runs', "metrics.x > 1; DROP TABLE runs", /multiple expressions/, 13],
    ['runs', "metrics.x > 1 -- and more", /Comments are not allowed/, 14],
    ['runs', "metrics.x > 1 /* c */", /Comments are not allowed/, 14],
    ['runs', 'metrics.x > 0x10', /Invalid numeric literal '0x10'/, 12],
    ['runs', "params.x = 'a' || 'b'", /Unexpected character '\|'/, 15],
  ])('%s: %j', (kind, filter, message, position) => {
    expectError(kind, filter, message, position);
  });

  it('refuses filters big enough to fail inside the database', () => {
    const many = Array.from({ length: 51 }, (_, i) => `tags.k${i} = 'v'`).join(' and ');
    expect(() => parseFilter('runs', many)).toThrow(/more than 50 clauses/);
    const ids = Array.from({ length: 5001 }, (_, i) => `'r${i}'`).join(',');
    expect(() => parseFilter('runs', `run_id IN (${ids}) and run_id NOT IN (${ids})`)).toThrow(/more than 10000 values/);
  });

  it('refuses a filter that is not a string', () => {
    expect(() => parseFilter('runs', 42 as unknown as string)).toThrow(FilterSyntaxError);
  });

  it('is an Error subclass the API can map to 400', () => {
    const err = (() => {
      try {
        parseFilter('runs', 'metrics.x LIKE 1');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ errorCode: 'INVALID_PARAMETER_VALUE', token: 'LIKE', position: 10 });
  });
});
