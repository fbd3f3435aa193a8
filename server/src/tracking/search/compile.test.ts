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
import type { SearchKind } from './ast.js';
import { applyOrderBy, compileOrderBy } from './compile-order.js';
import { compileFilter } from './compile.js';
import { likeToGlob, type SearchDialect } from './dialect.js';
import { FilterSyntaxError } from './errors.js';
import { parseOrderBy } from './order-by-parser.js';
import { parseFilter } from './parser.js';
import { DEFAULT_SEARCH_SCHEMA, type SearchSchema } from './schema.js';

// Query builders that only compile (no database): enough to inspect SQL text and bound parameters.
const builders: Record<SearchDialect, Kysely<any>> = {
  sqlite: new Kysely<any>({
    dialect: {
      createAdapter: () => new SqliteAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new SqliteIntrospector(db),
      createQueryCompiler: () => new SqliteQueryCompiler(),
    },
  }),
  postgres: new Kysely<any>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  }),
};
const DIALECTS: SearchDialect[] = ['sqlite', 'postgres'];

const TABLE: Record<SearchKind, string> = {
  runs: 'runs',
  experiments: 'experiments',
  registered_models: 'registered_models',
  model_versions: 'model_versions',
};

function compileSearch(
  dialect: SearchDialect,
  kind: SearchKind,
  filter: string,
  orderBy: string[] = [],
  schema: SearchSchema = DEFAULT_SEARCH_SCHEMA,
  from: string = TABLE[kind],
): CompiledQuery {
  const where = compileFilter(parseFilter(kind, filter), schema, dialect);
  const query = builders[dialect].selectFrom(from).selectAll().where(where);
  return applyOrderBy(query, compileOrderBy(parseOrderBy(kind, orderBy), schema)).compile();
}

const whereOf = (q: CompiledQuery): string => q.sql.slice(q.sql.indexOf(' where ') + 7).split(' order by ')[0]!;

describe('compileFilter: SQL shape', () => {
  it.each(DIALECTS)('%s: compiles metrics, params, tags and attributes to bound comparisons', (dialect) => {
    const q = compileSearch(
      dialect,
      'runs',
      `metrics.x > 0.5 and params.lr = '0.01' and tags."mlflow.runName" LIKE 'r%' and attributes.status = 'FINISHED'`,
    );
    const p = dialect === 'postgres' ? (n: number) => `$${n}` : () => '?';
    expect(whereOf(q)).toBe(
      [
        `(exists (select 1 from "latest_metrics" as "s_metric" where "s_metric"."run_uuid" = "runs"."run_uuid" and "s_metric"."key" = ${p(1)} and "s_metric"."value" > ${p(2)} and not (coalesce(cast("s_metric"."is_nan" as integer), 0) <> 0)))`,
        `(exists (select 1 from "params" as "s_param" where "s_param"."run_uuid" = "runs"."run_uuid" and "s_param"."key" = ${p(3)} and "s_param"."value" = ${p(4)}))`,
        dialect === 'postgres'
          ? `(exists (select 1 from "tags" as "s_tag" where "s_tag"."run_uuid" = "runs"."run_uuid" and "s_tag"."key" = $5 and "s_tag"."value" like $6 escape ''))`
          : `(exists (select 1 from "tags" as "s_tag" where "s_tag"."run_uuid" = "runs"."run_uuid" and "s_tag"."key" = ? and "s_tag"."value" glob ?))`,
        `("runs"."status" = ${p(7)})`,
      ].join(' and '),
    );
    expect(q.parameters).toEqual(['x', 0.5, 'lr', '0.01', 'mlflow.runName', dialect === 'postgres' ? 'r%' : 'r*', 'FINISHED']);
  });

  it.each(DIALECTS)('%s: an empty filter is always true', (dialect) => {
    const q = compileSearch(dialect, 'runs', '');
    expect(whereOf(q)).toBe('1 = 1');
    expect(q.parameters).toEqual([]);
  });

  it.each([
    ['sqlite', "tags.t ILIKE 'Ab%'", 'lower("s_tag"."value") like lower(?)', 'Ab%'],
    ['postgres', "tags.t ILIKE 'Ab%'", `"s_tag"."value" ilike $2 escape ''`, 'Ab%'],
    ['sqlite', "tags.t LIKE 'a*b?[c]_%'", '"s_tag"."value" glob ?', 'a[*]b[?][[]c]?*'],
    ['postgres', "tags.t LIKE 'a*b?[c]_%'", `"s_tag"."value" like $2 escape ''`, 'a*b?[c]_%'],
  ] as const)('%s: %s', (dialect, filter, fragment, pattern) => {
    const q = compileSearch(dialect, 'runs', filter);
    expect(q.sql).toContain(fragment);
    expect(q.parameters).toEqual(['t', pattern]);
  });

  it.each(DIALECTS)('%s: != on a metric also matches NaN; the others exclude it', (dialect) => {
    expect(compileSearch(dialect, 'runs', 'metrics.x != 1').sql).toContain(
      `("s_metric"."value" <> ${dialect === 'postgres' ? '$2' : '?'} or coalesce(cast("s_metric"."is_nan" as integer), 0) <> 0)`,
    );
    for (const op of ['=', '<', '<=', '>', '>=']) {
      expect(compileSearch(dialect, 'runs', `metrics.x ${op} 1`).sql).toContain('and not (coalesce(cast("s_metric"."is_nan" as integer), 0) <> 0)');
    }
  });

  it('clamps infinite metric literals to the stored ±DBL_MAX', () => {
    expect(compileSearch('sqlite', 'runs', 'metrics.x > 1e999').parameters).toEqual(['x', Number.MAX_VALUE]);
    expect(compileSearch('sqlite', 'runs', 'metrics.x < -1e999').parameters).toEqual(['x', -Number.MAX_VALUE]);
  });

  it.each([
    ['start_time > 1.5', '"runs"."start_time" > ?', [1]],
    ['start_time >= 1.5', '"runs"."start_time" >= ?', [2]],
    ['start_time < 1.5', '"runs"."start_time" < ?', [2]],
    ['start_time <= 1.5', '"runs"."start_time" <= ?', [1]],
    ['start_time = 1.5', '1 = 0', []],
    ['start_time != 1.5', '"runs"."start_time" is not null', []],
    ['start_time > -1.5', '"runs"."start_time" > ?', [-2]],
    ['start_time = 1e3', '"runs"."start_time" = ?', [1000]],
    ['start_time > 1e30', '1 = 0', []],
    ['start_time < 1e30', '"runs"."start_time" is not null', []],
    ['start_time >= -1e30', '"runs"."start_time" is not null', []],
    ['start_time = -1e30', '1 = 0', []],
  ])('keeps integer columns integral: %s', (filter, fragment, params) => {
    const q = compileSearch('sqlite', 'runs', filter);
    expect(whereOf(q)).toBe(`(${fragment})`);
    expect(q.parameters).toEqual(params);
  });

  it.each(DIALECTS)('%s: IN and NOT IN bind every item', (dialect) => {
    const q = compileSearch(dialect, 'runs', "run_id IN ('a', 'b') and attributes.run_id NOT IN ('c')");
    const p = dialect === 'postgres' ? ['$1', '$2', '$3'] : ['?', '?', '?'];
    expect(whereOf(q)).toBe(`("runs"."run_uuid" in (${p[0]}, ${p[1]})) and ("runs"."run_uuid" not in (${p[2]}))`);
    expect(q.parameters).toEqual(['a', 'b', 'c']);
  });

  it('maps the registry and experiment attributes to their columns', () => {
    expect(whereOf(compileSearch('sqlite', 'model_versions', "source_path = 's' and version_number >= 2 and run_id IN ('r')"))).toBe(
      '("model_versions"."source" = ?) and ("model_versions"."version" >= ?) and ("model_versions"."run_id" in (?))',
    );
    expect(whereOf(compileSearch('sqlite', 'experiments', "name = 'e' and last_update_time > 5"))).toBe(
      '("experiments"."name" = ?) and ("experiments"."last_update_time" > ?)',
    );
    expect(whereOf(compileSearch('sqlite', 'registered_models', "tags.k = 'v'"))).toBe(
      '(exists (select 1 from "registered_model_tags" as "s_tag" where "s_tag"."name" = "registered_models"."name" and "s_tag"."key" = ? and "s_tag"."value" = ?))',
    );
  });

  it('correlates model-version tags on both key columns', () => {
    expect(whereOf(compileSearch('postgres', 'model_versions', "tags.k = 'v'"))).toBe(
      '(exists (select 1 from "model_version_tags" as "s_tag" where "s_tag"."name" = "model_versions"."name" and "s_tag"."version" = "model_versions"."version" and "s_tag"."key" = $1 and "s_tag"."value" = $2))',
    );
  });

  it('uses the mapping for names, including an alias for the outer table', () => {
    const runs = DEFAULT_SEARCH_SCHEMA.runs!;
    const schema: SearchSchema = {
      runs: {
        ...runs,
        runs: { ...runs.runs, ref: 'r', columns: { ...runs.runs.columns, status: 'run_status' } },
        params: { ...runs.params, table: 'run_params' },
      },
    };
    const q = compileSearch('sqlite', 'runs', "status = 'X' and params.p = 'v'", [], schema, 'runs as r');
    expect(q.sql).toContain('"r"."run_status" = ?');
    expect(q.sql).toContain('from "run_params" as "s_param" where "s_param"."run_uuid" = "r"."run_uuid"');
  });

  it('refuses a mapping whose names are not plain identifiers', () => {
    const runs = DEFAULT_SEARCH_SCHEMA.runs!;
    const schema: SearchSchema = { runs: { ...runs, params: { ...runs.params, table: 'params; drop table runs' } } };
    expect(() => compileSearch('sqlite', 'runs', "params.p = 'v'", [], schema)).toThrow(/unsafe SQL identifier/);
  });

  it('says which mapping is missing', () => {
    expect(() => compileFilter(parseFilter('experiments', ''), { runs: DEFAULT_SEARCH_SCHEMA.runs! }, 'sqlite')).toThrow(
      /no mapping for experiments/,
    );
  });

  it('answers dataset filters with a 400-style error when no dataset mapping is given', () => {
    expect(() => compileSearch('sqlite', 'runs', "datasets.name = 'd'")).toThrow(FilterSyntaxError);
    expect(() => compileSearch('sqlite', 'runs', "datasets.name = 'd'")).toThrow(/not supported by this server/);
  });

  it('compiles dataset filters against a dataset-inputs mapping', () => {
    const schema: SearchSchema = {
      runs: {
        ...DEFAULT_SEARCH_SCHEMA.runs!,
        datasetInputs: { table: 'run_dataset_inputs', runId: 'run_uuid', name: 'name', digest: 'digest', context: 'context' },
      },
    };
    const q = compileSearch('postgres', 'runs', "datasets.context IN ('train', 'eval')", [], schema);
    expect(whereOf(q)).toBe(
      '(exists (select 1 from "run_dataset_inputs" as "s_dataset" where "s_dataset"."run_uuid" = "runs"."run_uuid" and "s_dataset"."context" in ($1, $2)))',
    );
  });
});

describe('likeToGlob', () => {
  it.each([
    ['abc', 'abc'],
    ['a%', 'a*'],
    ['_b_', '?b?'],
    ['*?[]', '[*][?][[]]'],
    ['50%\\_', '50*\\?'],
    ['', ''],
  ])('%j -> %j', (like, glob) => expect(likeToGlob(like)).toBe(glob));
});

describe('compileOrderBy: SQL shape', () => {
  const orderOf = (q: CompiledQuery): string => q.sql.slice(q.sql.indexOf(' order by ') + 10);

  it('runs: default order is start_time DESC, run_uuid ASC', () => {
    expect(orderOf(compileSearch('sqlite', 'runs', ''))).toBe('"runs"."start_time" desc, "runs"."run_uuid" asc');
  });

  it('runs: a metric sorts numbers, then NaN, then missing, then the tie-breakers', () => {
    const q = compileSearch('postgres', 'runs', '', ['metrics.acc DESC']);
    expect(orderOf(q)).toBe(
      'coalesce((select case when coalesce(cast("s_metric"."is_nan" as integer), 0) <> 0 then 1 else 0 end from "latest_metrics" as "s_metric" where "s_metric"."run_uuid" = "runs"."run_uuid" and "s_metric"."key" = $1), 2) asc, ' +
        '(select "s_metric"."value" from "latest_metrics" as "s_metric" where "s_metric"."run_uuid" = "runs"."run_uuid" and "s_metric"."key" = $2) desc, ' +
        '"runs"."start_time" desc, "runs"."run_uuid" asc',
    );
    expect(q.parameters).toEqual(['acc', 'acc']);
  });

  it('runs: ordering by start_time drops that tie-breaker; run_uuid always stays', () => {
    expect(orderOf(compileSearch('sqlite', 'runs', '', ['attributes.start_time ASC']))).toBe(
      'case when "runs"."start_time" is null then 1 else 0 end asc, "runs"."start_time" asc, "runs"."run_uuid" asc',
    );
    expect(orderOf(compileSearch('sqlite', 'runs', '', ['created DESC']))).toBe(
      'case when "runs"."start_time" is null then 1 else 0 end asc, "runs"."start_time" desc, "runs"."run_uuid" asc',
    );
  });

  it('experiments: default and tie-breaker', () => {
    expect(orderOf(compileSearch('sqlite', 'experiments', ''))).toBe(
      'case when "experiments"."creation_time" is null then 1 else 0 end asc, "experiments"."creation_time" desc, ' +
        'case when "experiments"."experiment_id" is null then 1 else 0 end asc, "experiments"."experiment_id" asc',
    );
    expect(orderOf(compileSearch('sqlite', 'experiments', '', ['name']))).toBe(
      'case when "experiments"."name" is null then 1 else 0 end asc, "experiments"."name" asc, "experiments"."experiment_id" desc',
    );
  });

  it('registered models: timestamp orders by last_updated_time; name breaks ties', () => {
    expect(orderOf(compileSearch('sqlite', 'registered_models', '', ['timestamp DESC']))).toBe(
      'case when "registered_models"."last_updated_time" is null then 1 else 0 end asc, "registered_models"."last_updated_time" desc, "registered_models"."name" asc',
    );
    expect(orderOf(compileSearch('sqlite', 'registered_models', ''))).toBe('"registered_models"."name" asc');
  });

  it('model versions: default last_updated DESC, name ASC, version DESC', () => {
    expect(orderOf(compileSearch('sqlite', 'model_versions', ''))).toBe(
      'case when "model_versions"."last_updated_time" is null then 1 else 0 end asc, "model_versions"."last_updated_time" desc, ' +
        'case when "model_versions"."name" is null then 1 else 0 end asc, "model_versions"."name" asc, ' +
        'case when "model_versions"."version" is null then 1 else 0 end asc, "model_versions"."version" desc',
    );
    expect(orderOf(compileSearch('sqlite', 'model_versions', '', ['creation_timestamp']))).toBe(
      'case when "model_versions"."creation_time" is null then 1 else 0 end asc, "model_versions"."creation_time" asc, ' +
        '"model_versions"."name" asc, "model_versions"."version" desc',
    );
  });
});

// Hostile input must either be refused by the parser or arrive in the database only as bound parameters.
describe('injection', () => {
  const PAYLOADS = [
    "'; DROP TABLE runs; --",
    '"; DROP TABLE runs; --',
    "x' OR '1'='1",
    'x" OR "1"="1',
    '1; DELETE FROM params',
    '/* comment */ x',
    '-- trailing',
    '`backtick`',
    "Robert'); DROP TABLE students;--",
    '\\\'; DROP TABLE runs; --',
    '%\' OR 1=1 --',
    'ünïcødé 🍕',
  ];
  // How a client would quote them: backslashes doubled, the quote character doubled.
  const quoteSingle = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;
  const quoteDouble = (s: string) => `"${s.replaceAll('\\', '\\\\').replaceAll('"', '""')}"`;
  const quoteBacktick = (s: string) => `\`${s.replaceAll('`', '``')}\``;

  const cases = PAYLOADS.flatMap((payload) => [
    { payload, filter: `params.p = ${quoteSingle(payload)}` },
    { payload, filter: `tags.t LIKE ${quoteDouble(payload)}` },
    { payload, filter: `tags.t ILIKE ${quoteSingle(payload)}` },
    { payload, filter: `run_id IN (${quoteSingle(payload)}, 'x')` },
    { payload, filter: `attributes.status != ${quoteSingle(payload)}` },
    { payload, filter: `params.${quoteBacktick(payload)} = 'v'` },
    { payload, filter: `metrics.${quoteDouble(payload)} > 1` },
    { payload, filter: `datasets.name = ${quoteSingle(payload)}` },
  ]);
  const schema: SearchSchema = {
    runs: {
      ...DEFAULT_SEARCH_SCHEMA.runs!,
      datasetInputs: { table: 'run_dataset_inputs', runId: 'run_uuid', name: 'name', digest: 'digest', context: 'context' },
    },
  };

  it.each(DIALECTS.flatMap((dialect) => cases.map((c) => ({ dialect, ...c }))))(
    '$dialect: $filter',
    ({ dialect, payload, filter }) => {
      const q = compileSearch(dialect, 'runs', filter, [], schema);
      expect(q.sql).not.toContain(payload);
      expect(q.sql).not.toMatch(/drop|delete|--|\/\*|;/i);
      const asBound = q.parameters.map(String);
      const expected = filter.includes('LIKE') && dialect === 'sqlite' && !filter.includes('ILIKE') ? likeToGlob(payload) : payload;
      expect(asBound).toContain(expected);
    },
  );

  it.each([
    "params.p = 'x'; DROP TABLE runs; --",
    "params.p = 'x' -- '",
    "params.p = 'x' /* */",
    "params.p = 'x' OR 1=1",
    "params.p = 'x' OR '1'='1'",
    "params.p = 'x') OR ('1'='1",
    "params.p = x' OR '1'='1",
    'params.p = `x`',
    "params.p = 'x' UNION SELECT * FROM runs",
    "params.p = 'x' AND 1=1",
    "metrics.m > 1 OR 1=1",
    "metrics.m > (SELECT 1)",
    "metrics.m > 1e1; --",
    "run_id IN ('a') OR 1=1",
    "run_id IN ('a', (SELECT run_uuid FROM runs))",
    "status = 'x'||'y'",
    "params.p = 'x' \u0000",
    "params.p = 'x\u0000'",
    'tags.`a`.b = \'x\'',
  ])('refuses %j', (filter) => {
    expect(() => parseFilter('runs', filter)).toThrow(FilterSyntaxError);
  });

  it.each(DIALECTS)('%s: order_by keys are bound too', (dialect) => {
    const key = "x'); DROP TABLE runs; --";
    const q = compileSearch(dialect, 'runs', '', [`metrics.\`${key}\` DESC`, `params."${key}"`, `tags.\`${key}\``]);
    expect(q.sql).not.toContain(key);
    expect(q.sql).not.toMatch(/drop|;|--/i);
    expect(q.parameters.filter((p) => p === key)).toHaveLength(6);
  });
});
