// The README's configuration table stays true: every setting the server reads is documented there, and every
// FoodLens setting the table names is one the server reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from './config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const table = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 5));
const documented = [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((m) => m[1]!);
const read = Object.keys(EnvSchema.shape);

describe('README configuration table', () => {
  it('documents every setting the server reads', () => {
    expect(read.filter((k) => !documented.includes(k))).toEqual([]);
  });
  it('documents only settings the server reads', () => {
    expect(documented.filter((k) => !read.includes(k))).toEqual([]);
    expect(documented.length).toBeGreaterThan(20);
  });
});
