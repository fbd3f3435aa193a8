import { describe, expect, it } from 'vitest';
import type { SearchKind } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { parseOrderBy } from './order-by-parser.js';

const one = (kind: SearchKind, clause: string) => parseOrderBy(kind, [clause]).clauses[0]!;

describe('parseOrderBy', () => {
  it.each<[SearchKind, string, string, string, boolean]>([
    ['runs', 'metrics.acc DESC', 'metric', 'acc', false],
    ['runs', 'metric.acc desc', 'metric', 'acc', false],
    ['runs', 'metrics.acc', 'metric', 'acc', true],
    ['runs', 'metrics.acc ASC', 'metric', 'acc', true],
    ['runs', 'metrics.acc aSc', 'metric', 'acc', true],
    ['runs', 'metrics.`f1 score` DESC', 'metric', 'f1 score', false],
    ['runs', 'metrics."f1 score"', 'metric', 'f1 score', true],
    ['runs', 'params.lr', 'param', 'lr', true],
    ['runs', 'parameters.lr DESC', 'param', 'lr', false],
    ['runs', 'tags.`mlflow.runName`', 'tag', 'mlflow.runName', true],
    ['runs', 'tags.mlflow.runName DESC', 'tag', 'mlflow.runName', false],
    ['runs', 'attributes.start_time ASC', 'attribute', 'start_time', true],
    ['runs', 'start_time', 'attribute', 'start_time', true],
    ['runs', 'created DESC', 'attribute', 'start_time', false],
    ['runs', 'run.end_time', 'attribute', 'end_time', true],
    ['runs', 'attr.run_name', 'attribute', 'run_name', true],
    ['runs', 'run_id', 'attribute', 'run_id', true],
    ['runs', 'status', 'attribute', 'status', true],
    ['runs', 'user_id', 'attribute', 'user_id', true],
    ['runs', 'artifact_uri', 'attribute', 'artifact_uri', true],
    ['runs', '  metrics.acc   DESC  ', 'metric', 'acc', false],
    ['experiments', 'name', 'attribute', 'name', true],
    ['experiments', 'attribute.creation_time DESC', 'attribute', 'creation_time', false],
    ['experiments', 'last_update_time', 'attribute', 'last_update_time', true],
    ['experiments', 'experiment_id DESC', 'attribute', 'experiment_id', false],
    ['registered_models', 'name ASC', 'attribute', 'name', true],
    ['registered_models', 'timestamp DESC', 'attribute', 'last_updated_timestamp', false],
    ['registered_models', 'last_updated_timestamp', 'attribute', 'last_updated_timestamp', true],
    ['registered_models', '`name` DESC', 'attribute', 'name', false],
    ['model_versions', 'name', 'attribute', 'name', true],
    ['model_versions', 'version_number DESC', 'attribute', 'version_number', false],
    ['model_versions', 'creation_timestamp', 'attribute', 'creation_timestamp', true],
    ['model_versions', 'attribute.last_updated_timestamp DESC', 'attribute', 'last_updated_timestamp', false],
  ])('%s: %j', (kind, clause, entity, key, ascending) => {
    expect(one(kind, clause)).toMatchObject({ entity, key, ascending, raw: clause });
  });

  it.each([null, undefined, []])('gives no clauses for %j', (list) => {
    expect(parseOrderBy('runs', list)).toEqual({ kind: 'runs', clauses: [] });
  });

  it('keeps the order of the list', () => {
    const ast = parseOrderBy('runs', ['metrics.acc DESC', 'params.lr', 'attributes.start_time']);
    expect(ast.clauses.map((c) => `${c.entity}:${c.key}`)).toEqual(['metric:acc', 'param:lr', 'attribute:start_time']);
  });

  it('gives valueType for metrics, params and attributes', () => {
    const ast = parseOrderBy('runs', ['metrics.a', 'params.b', 'start_time', 'status']);
    expect(ast.clauses.map((c) => c.valueType)).toEqual(['double', 'string', 'integer', 'string']);
  });

  it('lets experiments repeat a field, as MLflow does', () => {
    expect(parseOrderBy('experiments', ['name', 'name DESC']).clauses).toHaveLength(2);
  });

  it.each<[SearchKind, string[], RegExp]>([
    ['runs', [''], /^Invalid order_by clause ''. Could not be parsed./],
    ['runs', ['   '], /Invalid order_by clause '   '. Could not be parsed./],
    ['runs', ['metrics.acc DESC extra'], /Invalid order_by clause 'metrics.acc DESC extra'. Could not be parsed./],
    ['runs', ['metrics.acc UP'], /^Invalid ordering key in order_by clause 'metrics.acc UP'./],
    ['runs', ['metrics.acc > 1'], /Could not be parsed/],
    ['runs', ["'metrics.acc'"], /Could not be parsed/],
    ['runs', ['metrics.acc, params.lr'], /Could not be parsed/],
    ['runs', ['metrics.acc; DROP TABLE runs'], /Invalid order_by clause 'metrics.acc; DROP TABLE runs': Search filter contained multiple/],
    ['runs', ['metrics.acc -- x'], /Comments are not allowed/],
    ['runs', ['metrics.`acc DESC'], /Unterminated backtick/],
    ['runs', ['foo.acc'], /Invalid entity type 'foo'/],
    ['runs', ['datasets.name'], /Invalid order_by entity: dataset/],
    ['runs', ['`Run name`'], /Invalid attribute key 'Run name'/],
    ['runs', ['lifecycle_stage'], /Invalid attribute key 'lifecycle_stage'/],
    ['runs', ['metrics.'], /expected a key after '.'/],
    ['runs', ['metrics.acc', 'metrics.acc DESC'], /^`order_by` contains duplicate fields: \['metrics.acc', 'metrics.acc DESC'\]/],
    ['runs', ['created', 'start_time DESC'], /duplicate fields/],
    ['runs', ['metric.a', 'metrics.a'], /duplicate fields/],
    ['experiments', ['tags.owner'], /Invalid order_by entity: tag/],
    ['experiments', ['attributes.name'], /Invalid entity type 'attributes'/],
    ['experiments', ['creation_timestamp'], /Invalid attribute key 'creation_timestamp'/],
    ['registered_models', ['creation_timestamp'], /Invalid order by key 'creation_timestamp' specified. Valid keys are '\['last_updated_timestamp', 'name', 'timestamp'\]'/],
    ['registered_models', ['attribute.name'], /Invalid order by key 'attribute.name'/],
    ['registered_models', ['tags.x'], /Invalid order by key 'tags.x'/],
    ['registered_models', ['timestamp', 'last_updated_timestamp DESC'], /duplicate fields/],
    ['model_versions', ['tags.x'], /Invalid order_by entity: tag/],
    ['model_versions', ['run_id'], /Invalid attribute key 'run_id'/],
    ['model_versions', ['version_number', 'version_number DESC'], /duplicate fields/],
  ])('%s: refuses %j', (kind, list, message) => {
    try {
      parseOrderBy(kind, list);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FilterSyntaxError);
      expect((err as FilterSyntaxError).message).toMatch(message);
      expect((err as FilterSyntaxError).errorCode).toBe('INVALID_PARAMETER_VALUE');
    }
  });

  it('reports where in the clause the problem is', () => {
    expect(() => parseOrderBy('runs', ['metrics.acc DESC x'])).toThrow(/\(at position 17\)/);
  });

  it('refuses more than 20 clauses', () => {
    const list = Array.from({ length: 21 }, (_, i) => `metrics.m${i}`);
    expect(() => parseOrderBy('runs', list)).toThrow(/more than 20 clauses/);
    expect(parseOrderBy('runs', list.slice(0, 20)).clauses).toHaveLength(20);
  });

  it('refuses a non-string item', () => {
    expect(() => parseOrderBy('runs', [42 as unknown as string])).toThrow(FilterSyntaxError);
  });
});
