import { describe, expect, it } from 'vitest';
import { InvalidParameter } from '../util/errors.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { fromStoredValue, toStoredValue } from './metric-values.js';
import { sampleSteps } from './metric-history.service.js';
import { newRunId, randomRunName } from './run-names.js';
import { truncate, validateBatchLimits, validateExperimentName, validateKey } from './validation.js';

describe('validateKey (mlflow/utils/validation.py)', () => {
  it.each(['acc', 'a b', 'a-b.c/d_e', 'x'.repeat(250), 'naïve', '数据', 'a/b/c'])('accepts %j', (key) => {
    expect(validateKey('metric', key)).toBe(key);
  });

  it.each([
    ['a*b', 'Names may only contain'],
    ['a\nb', 'Names may only contain'],
    ['', 'must not resolve to other names'],
    ['.', 'must not resolve'],
    ['..', 'must not resolve'],
    ['a/../b', "would resolve to 'b'"],
    ['./a', "would resolve to 'a'"],
    ['a//b', "would resolve to 'a/b'"],
    ['a/', "would resolve to 'a'"],
    ['/abs', 'must not resolve'],
    ['x'.repeat(251), 'exceeded length limit of 250'],
  ])('refuses %j', (key, message) => {
    expect(() => validateKey('metric', key)).toThrow(InvalidParameter);
    expect(() => validateKey('metric', key)).toThrow(message);
  });

  it('names the entity as MLflow does', () => {
    expect(() => validateKey('parameter', 'a?')).toThrow("Invalid parameter name: 'a?'");
    expect(() => validateKey('tag', 'x'.repeat(300))).toThrow('Tag key');
    expect(() => validateKey('metric', undefined)).toThrow('Metric name cannot be None');
  });
});

describe('limits and values', () => {
  it('counts batch entities like MLflow', () => {
    expect(() => validateBatchLimits(1000, 0, 0)).not.toThrow();
    expect(() => validateBatchLimits(0, 100, 100)).not.toThrow();
    expect(() => validateBatchLimits(900, 100, 1)).toThrow('in total');
  });

  it('truncates values and checks experiment names', () => {
    expect(truncate('abcdef', 3)).toBe('abc');
    expect(truncate('ab', 3)).toBe('ab');
    expect(() => validateExperimentName('')).toThrow("Invalid experiment name: ''");
    expect(validateExperimentName('e')).toBe('e');
  });

  it('stores NaN as 0 + flag and clamps infinities', () => {
    expect(toStoredValue(NaN)).toEqual({ value: 0, isNan: 1 });
    expect(toStoredValue(Infinity)).toEqual({ value: Number.MAX_VALUE, isNan: 0 });
    expect(toStoredValue(-Infinity)).toEqual({ value: -Number.MAX_VALUE, isNan: 0 });
    expect(toStoredValue(-0.5)).toEqual({ value: -0.5, isNan: 0 });
    expect(fromStoredValue(0, 1)).toBeNaN();
    expect(fromStoredValue(3, 0)).toBe(3);
  });
});

describe('page tokens', () => {
  it("uses MLflow's base64 JSON offset form", () => {
    expect(encodePageToken(1)).toBe(Buffer.from('{"offset":1}').toString('base64'));
    expect(decodePageToken('eyJvZmZzZXQiOiAxfQ==')).toBe(1); // MLflow's own token for offset 1
    expect(decodePageToken(encodePageToken(1234))).toBe(1234);
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken('')).toBe(0);
  });

  it.each(['!!!', 'bm90IGpzb24=', 'eyJvZmZzZXQiOiAtMX0=', 'eyJvZmZzZXQiOiAiMSJ9', 'bnVsbA=='])('refuses %j with 400', (token) => {
    expect(() => decodePageToken(token)).toThrow(InvalidParameter);
  });
});

describe('ids, names and sampling', () => {
  it('makes uuid4 hex run ids and MLflow-style names', () => {
    expect(newRunId()).toMatch(/^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$/);
    expect(randomRunName()).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
  });

  it('samples steps evenly with both ends', () => {
    expect([...sampleSteps([1, 2, 3], 5)]).toEqual([1, 2, 3]);
    expect([...sampleSteps(Array.from({ length: 11 }, (_, i) => i), 3)]).toEqual([0, 5, 10]);
    expect([...sampleSteps([0, 1, 2, 3], 1)]).toEqual([0, 3]);
  });
});
