import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { double, int64, keyValue, metricList, objectList, runStatus, str, stringList, viewType } from './lenient.js';
import { normalizeQuery } from './query.js';

const Schema = z.object({
  name: str('name').required(),
  start: int64('start').optional(),
  value: double('value').optional(),
  status: runStatus('status').optional(),
  lenientStatus: runStatus('lenientStatus').optionalIgnoringInvalid(),
  view: viewType('view').optional(),
  ids: stringList('ids'),
  tags: objectList('tags', keyValue),
  metrics: metricList('metrics'),
});

const parse = (v: unknown) => Schema.safeParse(v);
const messages = (v: unknown) => (parse(v).error?.issues ?? []).map((i) => i.message);

describe('lenient MLflow request fields', () => {
  it('reads int64 as numbers or decimal strings, doubles with NaN/Infinity, enums by name or number', () => {
    const r = parse({ name: 'n', start: '1700000000000', value: 'NaN', status: 3, view: 'all', ids: 'one', extra: true });
    expect(r.data).toEqual({ name: 'n', start: 1_700_000_000_000, value: NaN, status: 'FINISHED', view: 'ALL', ids: ['one'], tags: [], metrics: [] });
    expect(parse({ name: 'n', value: '-Infinity' }).data?.value).toBe(-Infinity);
    expect(parse({ name: 'n', value: '2.5' }).data?.value).toBe(2.5);
    expect(parse({ name: 'n', status: '4' }).data?.status).toBe('FAILED');
    expect(parse({ name: 5 }).data?.name).toBe('5');
  });

  it('words problems like MLflow', () => {
    expect(messages({})).toEqual(["Missing value for required parameter 'name'"]);
    expect(messages({ name: '' })).toEqual(["Missing value for required parameter 'name'"]);
    expect(messages({ name: 'n', start: '12x' })[0]).toMatch(/^Invalid value '12x' for parameter 'start'/);
    expect(messages({ name: 'n', start: 1.5 })[0]).toMatch(/for parameter 'start'/);
    expect(messages({ name: 'n', status: 'DONE' })[0]).toMatch(/one of RUNNING/);
    // runs/update and the view types: an unknown enum value is "not set", as MLflow 2.12's parsing leaves it
    expect(parse({ name: 'n', lenientStatus: 'DONE' }).data?.lenientStatus).toBeUndefined();
    expect(parse({ name: 'n', lenientStatus: 'killed' }).data?.lenientStatus).toBe('KILLED');
    expect(messages({ name: 'n', tags: [{ value: 'v' }] })[0]).toBe("tags[0].key: Missing value for required parameter 'key'");
    expect(messages({ name: 'n', tags: 'x' })[0]).toMatch(/expected a list/);
    expect(messages({ name: 'n', metrics: [{ key: 'm', value: 1 }] })[0]).toBe("metrics[0]: Missing value for required parameter 'timestamp'");
    expect(messages({ name: 'n', metrics: [{ key: 'm', value: {}, timestamp: 1 }] })[0]).toMatch(/^metrics\[0\]: Invalid value/);
    expect(messages({ name: 'n', metrics: [7] })[0]).toBe('metrics[0]: expected an object');
  });

  it('reads metrics leniently too', () => {
    expect(parse({ name: 'n', metrics: [{ key: 'm', value: 'NaN', timestamp: '5' }] }).data?.metrics).toEqual([
      { key: 'm', value: NaN, timestamp: 5, step: 0 },
    ]);
  });
});

describe('normalizeQuery', () => {
  it('folds key[] and key[0] into the plain key', () => {
    expect(normalizeQuery({ 'run_ids[]': ['a', 'b'], x: '1' })).toEqual({ run_ids: ['a', 'b'], x: '1' });
    expect(normalizeQuery({ 'run_ids[0]': 'a', 'run_ids[1]': 'b' })).toEqual({ run_ids: ['a', 'b'] });
    expect(normalizeQuery({ run_ids: 'a', 'run_ids[]': 'b' })).toEqual({ run_ids: ['a', 'b'] });
    const q = { a: '1' };
    expect(normalizeQuery(q)).toBe(q);
  });
});
