import { describe, expect, it } from 'vitest';
import { configProblems, configVersions, withChampion } from './deployment-config.js';

describe('configProblems', () => {
  it('accepts a champion with challengers up to 100% and a distinct shadow', () => {
    expect(configProblems({ champion: '1', challengers: [{ version: '2', weight: 70 }, { version: '3', weight: 30 }], shadow: { version: '2', sample_rate: 0.1 } })).toEqual([]);
  });

  it.each([
    [{ champion: '1', challengers: [{ version: '2', weight: 60 }, { version: '3', weight: 41 }], shadow: null }, /add up to 101%/],
    [{ champion: '1', challengers: [{ version: '1', weight: 10 }], shadow: null }, /is the champion/],
    [{ champion: '1', challengers: [{ version: '2', weight: 10 }, { version: '2', weight: 10 }], shadow: null }, /twice/],
    [{ champion: '1', challengers: [], shadow: { version: '1', sample_rate: 1 } }, /shadow version must differ/],
  ])('refuses %j', (config, message) => {
    const problems = configProblems(config);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });
});

describe('configVersions and withChampion', () => {
  it('lists each version once, champion first', () => {
    expect(configVersions({ champion: '3', challengers: [{ version: '2', weight: 5 }], shadow: { version: '2', sample_rate: 1 } })).toEqual(['3', '2']);
  });

  it('takes a new champion out of the challengers and the shadow', () => {
    expect(withChampion({ champion: '1', challengers: [{ version: '2', weight: 30 }, { version: '3', weight: 5 }], shadow: { version: '2', sample_rate: 1 } }, '2')).toEqual({
      champion: '2',
      challengers: [{ version: '3', weight: 5 }],
      shadow: null,
    });
  });
});
