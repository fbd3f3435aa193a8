// The one place SQLite and PostgreSQL differ for search: LIKE / ILIKE.
//
// MLflow's LIKE is case-sensitive and ILIKE case-insensitive, with `%` and `_` as the only wildcards and no escape
// character (what its reference SQLite store does). SQLite's LIKE ignores ASCII case (and PRAGMA case_sensitive_like
// can flip that), so case-sensitive matching uses GLOB with the pattern translated; ILIKE lowercases both sides so the
// pragma cannot matter. PostgreSQL has both operators natively; ESCAPE '' turns off its default backslash escape so a
// backslash in a pattern is literal on both dialects. The pattern is always a bound parameter.
import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

export type SearchDialect = 'sqlite' | 'postgres';

/** LIKE pattern -> GLOB pattern: % -> *, _ -> ?, and GLOB's own metacharacters made literal with [x]. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

export function likeComparison(
  dialect: SearchDialect,
  lhs: Expression<unknown>,
  pattern: string,
  caseInsensitive: boolean,
): RawBuilder<SqlBool> {
  if (dialect === 'postgres') {
    return caseInsensitive
      ? sql<SqlBool>`${lhs} ilike ${pattern} escape ''`
      : sql<SqlBool>`${lhs} like ${pattern} escape ''`;
  }
  return caseInsensitive
    ? sql<SqlBool>`lower(${lhs}) like lower(${pattern})`
    : sql<SqlBool>`${lhs} glob ${likeToGlob(pattern)}`;
}
