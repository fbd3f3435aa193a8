// Runs compiled filters and orderings against real databases: always SQLite (in-memory better-sqlite3); PostgreSQL
// too when TEST_DATABASE_URL is set, in a throwaway schema. The tables follow the planned MLflow-shaped schema.
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchKind } from './ast.js';
import { applyOrderBy, compileOrderBy } from './compile-order.js';
import { compileFilter } from './compile.js';
import type { SearchDialect } from './dialect.js';
import { parseOrderBy } from './order-by-parser.js';
import { parseFilter } from './parser.js';
import { DEFAULT_SEARCH_SCHEMA, type SearchSchema } from './schema.js';

const SCHEMA: SearchSchema = {
  ...DEFAULT_SEARCH_SCHEMA,
  runs: {
    ...DEFAULT_SEARCH_SCHEMA.runs!,
    datasetInputs: { table: 'run_dataset_inputs', runId: 'run_uuid', name: 'name', digest: 'digest', context: 'context' },
  },
};

function ddl(dialect: SearchDialect): string[] {
  const double = dialect === 'postgres' ? 'double precision' : 'real';
  const bool = dialect === 'postgres' ? 'boolean' : 'integer';
  return [
    `create table experiments (experiment_id integer primary key, name text unique not null, artifact_location text,
      lifecycle_stage text, creation_time bigint, last_update_time bigint)`,
    'create table experiment_tags (experiment_id integer not null, key text not null, value text, primary key (experiment_id, key))',
    `create table runs (run_uuid text primary key, experiment_id integer, name text, user_id text, status text,
      start_time bigint, end_time bigint, lifecycle_stage text, artifact_uri text, deleted_time bigint)`,
    'create table params (run_uuid text not null, key text not null, value text not null, primary key (run_uuid, key))',
    'create table tags (run_uuid text not null, key text not null, value text, primary key (run_uuid, key))',
    `create table latest_metrics (run_uuid text not null, key text not null, value ${double} not null, timestamp bigint,
      step bigint, is_nan ${bool} not null, primary key (run_uuid, key))`,
    'create table run_dataset_inputs (run_uuid text not null, name text, digest text, context text)',
    'create table registered_models (name text primary key, creation_time bigint, last_updated_time bigint, description text)',
    'create table registered_model_tags (name text not null, key text not null, value text, primary key (name, key))',
    `create table model_versions (name text not null, version integer not null, creation_time bigint,
      last_updated_time bigint, description text, user_id text, current_stage text, source text, run_id text,
      run_link text, status text, status_message text, primary key (name, version))`,
    `create table model_version_tags (name text not null, version integer not null, key text not null, value text,
      primary key (name, version, key))`,
  ];
}

const RUNS = [
  { run_uuid: 'r1', name: 'Alpha', user_id: 'alice', status: 'FINISHED', start_time: 1000, end_time: 2000 },
  { run_uuid: 'r2', name: 'alpha-2', user_id: 'bob', status: 'FINISHED', start_time: 2000, end_time: null },
  { run_uuid: 'r3', name: 'Beta', user_id: 'alice', status: 'FAILED', start_time: 3000, end_time: 3500 },
  { run_uuid: 'r4', name: 'beta_4', user_id: 'carol', status: 'RUNNING', start_time: 3000, end_time: null },
  { run_uuid: 'r5', name: 'ga*ma[1]', user_id: 'dave', status: 'FINISHED', start_time: 500, end_time: 600 },
].map((r) => ({ ...r, experiment_id: 1, lifecycle_stage: 'active', artifact_uri: `mlflow-artifacts:/1/${r.run_uuid}/artifacts` }));

// NaN is stored the way MLflow's SQL store does it: value 0, is_nan set. +Inf is clamped to DBL_MAX.
const METRICS: Array<[string, string, number, boolean]> = [
  ['r1', 'acc', 0.9, false],
  ['r2', 'acc', 0.5, false],
  ['r3', 'acc', 0, true],
  ['r5', 'acc', 0, false],
  ['r1', 'loss', Number.MAX_VALUE, false],
  ['r2', 'loss', -1, false],
];
const PARAMS: Array<[string, string, string]> = [
  ['r1', 'lr', '0.01'],
  ['r2', 'lr', '0.1'],
  ['r3', 'lr', '0.01'],
  ['r4', 'lr', "it's"],
  ['r5', 'lr', 'C:\\models\\x'],
  ['r1', 'opt', 'Adam'],
  ['r2', 'opt', 'adam'],
  ['r3', 'opt', 'SGD'],
];
const TAGS: Array<[string, string, string]> = [
  ...RUNS.map((r): [string, string, string] => [r.run_uuid, 'mlflow.runName', r.name]),
  ['r1', 'team', 'Vision'],
  ['r2', 'team', 'vision'],
  ['r3', 'team', 'nlp'],
  ['r4', 'note', '50%_off'],
  ['r5', 'note', '50% off'],
];
const DATASETS: Array<[string, string, string, string]> = [
  ['r1', 'food101', 'abc', 'train'],
  ['r1', 'food101-val', 'def', 'eval'],
  ['r2', 'Food101', 'abc', 'train'],
];

async function seed(db: Kysely<any>, dialect: SearchDialect): Promise<void> {
  for (const stmt of ddl(dialect)) await sql.raw(stmt).execute(db);
  const bool = (b: boolean) => (dialect === 'postgres' ? b : b ? 1 : 0);
  await db.insertInto('runs').values(RUNS).execute();
  await db
    .insertInto('latest_metrics')
    .values(METRICS.map(([run_uuid, key, value, nan]) => ({ run_uuid, key, value, is_nan: bool(nan), timestamp: 0, step: 0 })))
    .execute();
  await db.insertInto('params').values(PARAMS.map(([run_uuid, key, value]) => ({ run_uuid, key, value }))).execute();
  await db.insertInto('tags').values(TAGS.map(([run_uuid, key, value]) => ({ run_uuid, key, value }))).execute();
  await db
    .insertInto('run_dataset_inputs')
    .values(DATASETS.map(([run_uuid, name, digest, context]) => ({ run_uuid, name, digest, context })))
    .execute();
  await db
    .insertInto('experiments')
    .values([
      { experiment_id: 0, name: 'Default', creation_time: null, last_update_time: null },
      { experiment_id: 1, name: 'exp-one', creation_time: 100, last_update_time: 150 },
      { experiment_id: 2, name: 'Exp-Two', creation_time: 200, last_update_time: 250 },
      { experiment_id: 3, name: 'exp-three', creation_time: 200, last_update_time: 300 },
    ])
    .execute();
  await db
    .insertInto('experiment_tags')
    .values([
      { experiment_id: 1, key: 'owner', value: 'ann' },
      { experiment_id: 2, key: 'owner', value: 'Ann' },
    ])
    .execute();
  await db
    .insertInto('registered_models')
    .values([
      { name: 'food-A', creation_time: 10, last_updated_time: 300 },
      { name: 'food-b', creation_time: 20, last_updated_time: 100 },
      { name: 'Other', creation_time: 30, last_updated_time: 200 },
    ])
    .execute();
  await db.insertInto('registered_model_tags').values([{ name: 'food-A', key: 'task', value: 'cls' }]).execute();
  await db
    .insertInto('model_versions')
    .values([
      { name: 'm1', version: 1, run_id: 'r1', source: 's3://b/m1/1', creation_time: 1, last_updated_time: 100 },
      { name: 'm1', version: 2, run_id: 'r2', source: 's3://b/m1/2', creation_time: 2, last_updated_time: 300 },
      { name: 'm1', version: 3, run_id: 'r3', source: 'S3://B/m1/3', creation_time: 3, last_updated_time: 300 },
      { name: 'm2', version: 1, run_id: null, source: 'file:///m2', creation_time: 4, last_updated_time: 200 },
    ])
    .execute();
  await db.insertInto('model_version_tags').values([{ name: 'm1', version: 2, key: 'stage', value: 'prod' }]).execute();
}

interface Target {
  dialect: SearchDialect;
  open(): Promise<{ db: Kysely<any>; close(): Promise<void> }>;
}

const targets: Target[] = [
  {
    dialect: 'sqlite',
    async open() {
      const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new Database(':memory:') }) });
      return { db, close: () => db.destroy() };
    },
  },
];
const postgresUrl = process.env.TEST_DATABASE_URL?.trim();
if (postgresUrl) {
  targets.push({
    dialect: 'postgres',
    async open() {
      const schema = `search_test_${randomBytes(6).toString('hex')}`;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      const pool = new pg.Pool({ connectionString: postgresUrl, options: `-c search_path=${schema}`, max: 2 });
      const db = new Kysely<any>({ dialect: new PostgresDialect({ pool }) });
      return {
        db,
        async close() {
          await db.destroy();
          await admin.query(`drop schema ${schema} cascade`);
          await admin.end();
        },
      };
    },
  });
}

// A green run should say what it left out, like server/test/databases.ts does.
if (!postgresUrl) describe.skip('search on postgres (skipped: TEST_DATABASE_URL not set)', () => it('runs every case', () => {}));

const KEY_SQL: Record<SearchKind, { from: string; id: string }> = {
  runs: { from: 'runs', id: 'runs.run_uuid' },
  experiments: { from: 'experiments', id: 'experiments.name' },
  registered_models: { from: 'registered_models', id: 'registered_models.name' },
  model_versions: { from: 'model_versions', id: `model_versions.name || '/' || model_versions.version` },
};

for (const target of targets) {
  describe(`search on ${target.dialect}`, () => {
    let handle: Awaited<ReturnType<Target['open']>>;
    beforeAll(async () => {
      handle = await target.open();
      await seed(handle.db, target.dialect);
    });
    afterAll(async () => handle?.close());

    async function search(kind: SearchKind, filter: string, orderBy: string[] = []): Promise<string[]> {
      const { from, id } = KEY_SQL[kind];
      const where = compileFilter(parseFilter(kind, filter), SCHEMA, target.dialect);
      const query = handle.db.selectFrom(from).select(sql<string>`${sql.raw(id)}`.as('id')).where(where);
      const rows = await applyOrderBy(query, compileOrderBy(parseOrderBy(kind, orderBy), SCHEMA)).execute();
      return rows.map((r) => String(r.id));
    }
    const sorted = async (kind: SearchKind, filter: string) => (await search(kind, filter)).sort();

    it.each<[string, string[]]>([
      // metrics, with NaN matching only != and missing metrics matching nothing
      ['metrics.acc > 0.4', ['r1', 'r2']],
      ['metrics.acc = 0', ['r5']],
      ['metrics.acc < 0.6', ['r2', 'r5']],
      ['metrics.acc <= 0', ['r5']],
      ['metrics.acc >= 0', ['r1', 'r2', 'r5']],
      ['metrics.acc != 0.5', ['r1', 'r3', 'r5']],
      ['metrics.loss > 1e308', ['r1']],
      ['metrics.loss = 1e999', ['r1']],
      ['metrics.loss < -1e999', []],
      ['metrics.loss < 0', ['r2']],
      ['metrics.nothing != 1', []],
      // params and tags: exact, case-sensitive LIKE, case-insensitive ILIKE, no escape character
      ["params.lr = '0.01'", ['r1', 'r3']],
      ["params.lr != '0.01'", ['r2', 'r4', 'r5']],
      ["params.lr = 'it''s'", ['r4']],
      ['params.lr = "it\'s"', ['r4']],
      ["params.lr = 'it\\'s'", ['r4']],
      ["params.lr = 'C:\\models\\x'", ['r5']],
      ["params.lr LIKE 'C:\\m%'", ['r5']],
      ["params.opt = 'adam'", ['r2']],
      ["params.opt LIKE 'ad%'", ['r2']],
      ["params.opt LIKE 'A%'", ['r1']],
      ["params.opt ILIKE 'AD%'", ['r1', 'r2']],
      ["params.opt LIKE '_GD'", ['r3']],
      ["params.opt LIKE '_gd'", []],
      ["params.opt ILIKE '_gd'", ['r3']],
      ["tags.team ILIKE 'VISION'", ['r1', 'r2']],
      ["tags.team LIKE 'vision'", ['r2']],
      ["tags.team != 'nlp'", ['r1', 'r2']],
      ["tags.note LIKE '50%'", ['r4', 'r5']],
      ["tags.note LIKE '50%_off'", ['r4', 'r5']],
      ["tags.note LIKE '50\\%'", []],
      ['tags."mlflow.runName" = \'Alpha\'', ['r1']],
      ["tags.mlflow.runName LIKE 'alpha%'", ['r2']],
      ["tags.`mlflow.runName` ILIKE 'alpha%'", ['r1', 'r2']],
      // GLOB metacharacters in a LIKE pattern stay literal
      ["run_name LIKE 'ga*%'", ['r5']],
      ["run_name LIKE 'ga?ma%'", []],
      ["run_name LIKE 'ga_ma[1]'", ['r5']],
      ["run_name LIKE 'g[a]%'", []],
      ["run_name ILIKE 'GA*MA[1]'", ['r5']],
      ["`Run name` LIKE 'Be%'", ['r3']],
      // attributes
      ["attributes.status = 'FINISHED'", ['r1', 'r2', 'r5']],
      ["status != 'FINISHED'", ['r3', 'r4']],
      ["run.status = 'finished'", []],
      ["attr.status ILIKE 'finished'", ['r1', 'r2', 'r5']],
      ["run_id IN ('r1', 'r3', 'zz')", ['r1', 'r3']],
      ["attributes.run_id NOT IN ('r1','r3')", ['r2', 'r4', 'r5']],
      ["run_id IN ('R1')", []],
      ['end_time > 1000', ['r1', 'r3']],
      ['end_time != 2000', ['r3', 'r5']],
      ['start_time > 1.5e3', ['r2', 'r3', 'r4']],
      ['start_time > 2999.5', ['r3', 'r4']],
      ['start_time = 2000.5', []],
      ['start_time != 2000.5', ['r1', 'r2', 'r3', 'r4', 'r5']],
      ['created >= 3000', ['r3', 'r4']],
      ['start_time < 1e30', ['r1', 'r2', 'r3', 'r4', 'r5']],
      ['start_time > 1e30', []],
      ["user_id = 'alice' and metrics.acc > 0", ['r1']],
      ["user_id = 'alice' and metrics.acc != 0", ['r1', 'r3']],
      // datasets
      ["datasets.name = 'food101'", ['r1']],
      ["dataset.digest IN ('abc')", ['r1', 'r2']],
      ["datasets.context = 'eval'", ['r1']],
      ["datasets.name ILIKE 'food101'", ['r1', 'r2']],
      ["datasets.name NOT IN ('food101')", ['r1', 'r2']],
      // hostile values are just values
      ["params.lr = '''; DROP TABLE runs; --'", []],
      ["run_id IN ('r1'') OR 1=1 --')", []],
    ])('runs: %s', async (filter, expected) => {
      expect(await sorted('runs', filter)).toEqual(expected);
    });

    it.each<[string[], string[]]>([
      [[], ['r3', 'r4', 'r2', 'r1', 'r5']],
      [['metrics.acc DESC'], ['r1', 'r2', 'r5', 'r3', 'r4']],
      [['metrics.acc'], ['r5', 'r2', 'r1', 'r3', 'r4']],
      [['metrics.loss DESC', 'attributes.start_time ASC'], ['r1', 'r2', 'r5', 'r3', 'r4']],
      [['params.opt'], ['r1', 'r3', 'r2', 'r4', 'r5']],
      [['tags.team DESC'], ['r2', 'r3', 'r1', 'r4', 'r5']],
      [['end_time DESC'], ['r3', 'r1', 'r5', 'r4', 'r2']],
      [['end_time'], ['r5', 'r1', 'r3', 'r4', 'r2']],
      [['attributes.start_time ASC'], ['r5', 'r1', 'r2', 'r3', 'r4']],
      [['created DESC'], ['r3', 'r4', 'r2', 'r1', 'r5']],
      [['run_id DESC'], ['r5', 'r4', 'r3', 'r2', 'r1']],
      [['status', 'user_id DESC'], ['r3', 'r5', 'r2', 'r1', 'r4']],
    ])('runs ordered by %j', async (orderBy, expected) => {
      expect(await search('runs', '', orderBy)).toEqual(expected);
    });

    it('runs: filter and order together', async () => {
      expect(await search('runs', "status = 'FINISHED' and metrics.acc >= 0", ['metrics.acc'])).toEqual(['r5', 'r2', 'r1']);
    });

    it.each<[string, string[]]>([
      ["name LIKE 'exp%'", ['exp-one', 'exp-three']],
      ["name ILIKE 'exp%'", ['Exp-Two', 'exp-one', 'exp-three']],
      ["attribute.name != 'Default'", ['Exp-Two', 'exp-one', 'exp-three']],
      ['creation_time >= 200', ['Exp-Two', 'exp-three']],
      ['last_update_time < 300', ['Exp-Two', 'exp-one']],
      ["tags.owner = 'ann'", ['exp-one']],
      ["tags.owner ILIKE 'ANN'", ['Exp-Two', 'exp-one']],
    ])('experiments: %s', async (filter, expected) => {
      expect(await sorted('experiments', filter)).toEqual(expected);
    });

    it.each<[string[], string[]]>([
      [[], ['Exp-Two', 'exp-three', 'exp-one', 'Default']],
      [['name'], ['Default', 'Exp-Two', 'exp-one', 'exp-three']],
      [['creation_time ASC'], ['exp-one', 'exp-three', 'Exp-Two', 'Default']],
      [['last_update_time DESC'], ['exp-three', 'Exp-Two', 'exp-one', 'Default']],
    ])('experiments ordered by %j', async (orderBy, expected) => {
      expect(await search('experiments', '', orderBy)).toEqual(expected);
    });

    it.each<[string, string[]]>([
      ["name LIKE 'food%'", ['food-A', 'food-b']],
      ["name ILIKE 'FOOD-%'", ['food-A', 'food-b']],
      ["name = 'other'", []],
      ["tags.task = 'cls'", ['food-A']],
      ["tags.task != 'cls'", []],
    ])('registered models: %s', async (filter, expected) => {
      expect(await sorted('registered_models', filter)).toEqual(expected);
    });

    it.each<[string[], string[]]>([
      [[], ['Other', 'food-A', 'food-b']],
      [['timestamp DESC'], ['food-A', 'Other', 'food-b']],
      [['name DESC'], ['food-b', 'food-A', 'Other']],
    ])('registered models ordered by %j', async (orderBy, expected) => {
      expect(await search('registered_models', '', orderBy)).toEqual(expected);
    });

    it.each<[string, string[]]>([
      ["name = 'm1' and version_number >= 2", ['m1/2', 'm1/3']],
      ["run_id IN ('r1', 'r2')", ['m1/1', 'm1/2']],
      ["run_id != 'r1'", ['m1/2', 'm1/3']],
      ["source_path LIKE 's3://b/m1/%'", ['m1/1', 'm1/2']],
      ["source_path ILIKE 's3://b/m1/%'", ['m1/1', 'm1/2', 'm1/3']],
      ["version_number = '1'", ['m1/1', 'm2/1']],
      ["tags.stage = 'prod'", ['m1/2']],
    ])('model versions: %s', async (filter, expected) => {
      expect(await sorted('model_versions', filter)).toEqual(expected);
    });

    it.each<[string[], string[]]>([
      [[], ['m1/3', 'm1/2', 'm2/1', 'm1/1']],
      [['version_number'], ['m1/1', 'm2/1', 'm1/2', 'm1/3']],
      [['creation_timestamp DESC'], ['m2/1', 'm1/3', 'm1/2', 'm1/1']],
    ])('model versions ordered by %j', async (orderBy, expected) => {
      expect(await search('model_versions', '', orderBy)).toEqual(expected);
    });

    it('runs the largest filter the parser accepts', async () => {
      const clauses = Array.from({ length: 49 }, (_, i) => `tags.\`mlflow.runName\` != 'x${i}'`);
      const ids = Array.from({ length: 10_000 }, (_, i) => `'r${i}'`).join(',');
      const filter = [...clauses, `run_id IN (${ids})`].join(' and ');
      expect((await search('runs', filter, Array.from({ length: 20 }, (_, i) => `metrics.m${i}`))).sort()).toEqual([
        'r1',
        'r2',
        'r3',
        'r4',
        'r5',
      ]);
    });

    it('leaves the tables alone after hostile filters', async () => {
      await search('runs', "params.lr = '''; DROP TABLE runs; --' and tags.`x; DROP TABLE tags` = 'y'");
      const { count } = (await handle.db.selectFrom('runs').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow()) as {
        count: number | string;
      };
      expect(Number(count)).toBe(5);
    });
  });
}
