import { describe, expect, it } from 'vitest';
import { InvalidParameter } from '../util/errors.js';
import { canonicalStage, validateAlias, validateRegistryTag, validateRegistryTags, validateVersion } from './registry-validation.js';

describe('registry validation', () => {
  it.each([
    ['none', 'None'],
    ['STAGING', 'Staging'],
    ['production', 'Production'],
    ['Archived', 'Archived'],
  ])('stage %s -> %s', (given, canonical) => {
    expect(canonicalStage(given)).toBe(canonical);
  });

  it.each(['', 'Prod', 'Deleted_Internal', 'staging '])('refuses stage %j', (stage) => {
    expect(() => canonicalStage(stage)).toThrow(InvalidParameter);
  });

  it.each(['champion', 'a-b_c', 'v1x', 'version2', 'x'.repeat(255), 'latest-good'])('accepts alias %s', (alias) => {
    expect(validateAlias(alias)).toBe(alias);
  });

  it.each([
    ['latest', /reserved/],
    ['Latest', /reserved/],
    ['v1', /reserved/],
    ['V007', /reserved/],
    ['', /cannot be empty/],
    ['a b', /Invalid alias name/],
    ['a/b', /Invalid alias name/],
    ['x'.repeat(256), /length limit of 255/],
  ])('refuses alias %j', (alias, message) => {
    expect(() => validateAlias(alias)).toThrow(message);
  });

  it('reads versions as MLflow sends them and refuses the rest', () => {
    expect(validateVersion('3')).toBe(3);
    expect(validateVersion(4)).toBe(4);
    for (const bad of ['0', '-1', '1.5', 'abc', '', 2 ** 31, null]) expect(() => validateVersion(bad)).toThrow(/must be an integer/);
  });

  it('checks tag keys and values against the registry limits; a repeated key keeps the last value', () => {
    expect(validateRegistryTag('Model version', 'k', '')).toEqual({ key: 'k', value: '' });
    expect(() => validateRegistryTag('Registered model', 'k'.repeat(251), 'v')).toThrow(/length limit of 250/);
    expect(() => validateRegistryTag('Registered model', 'k', 'v'.repeat(5001))).toThrow(/Registered model value .* length limit of 5000/);
    expect(() => validateRegistryTag('Model version', 'a/../b', 'v')).toThrow(/Invalid tag name/);
    expect(validateRegistryTags('Model version', [{ key: 'a', value: '1' }, { key: 'a', value: '2' }])).toEqual([{ key: 'a', value: '2' }]);
  });
});
