import { describe, expect, it } from 'vitest';
import { defineBulkInsert, isDataError, isSqliteBusy, pgArrayLiteral } from './dialect.js';

describe('defineBulkInsert', () => {
  it('builds one bound statement per dialect', () => {
    const insert = defineBulkInsert({
      table: 'events',
      columns: [
        { name: 'id', type: 'text' },
        { name: 'at', type: 'bigint' },
        { name: 'n', type: 'integer' },
        { name: 'x', type: 'double' },
      ],
      conflictColumns: ['id'],
    });
    expect(insert.sqliteSql).toBe('insert into "events" ("id", "at", "n", "x") values (?, ?, ?, ?)');
    expect(insert.sqliteSkipExistingSql).toBe('insert into "events" ("id", "at", "n", "x") values (?, ?, ?, ?) on conflict ("id") do nothing');
    expect(insert.postgresSql).toBe(
      'insert into "events" ("id", "at", "n", "x") select * from unnest($1::text[], $2::int8[], $3::int4[], $4::float8[]) on conflict ("id") do nothing',
    );
  });

  it('omits the conflict clause when no key is given', () => {
    const insert = defineBulkInsert({ table: 't', columns: [{ name: 'a', type: 'text' }] });
    expect(insert.sqliteSql).toBe('insert into "t" ("a") values (?)');
    expect(insert.sqliteSkipExistingSql).toBeNull();
  });

  it.each(['Drop"', 'a b', 'x;--', ''])('refuses the identifier %j', (name) => {
    expect(() => defineBulkInsert({ table: 't', columns: [{ name, type: 'text' }] })).toThrow(/unsafe SQL identifier/);
  });
});

describe('isDataError', () => {
  it.each([
    [{ code: 'SQLITE_CONSTRAINT_CHECK' }, true],
    [{ code: 'SQLITE_CONSTRAINT_NOTNULL' }, true],
    [{ code: 'SQLITE_TOOBIG' }, true],
    [{ code: 'SQLITE_MISMATCH' }, true],
    [{ code: '23514' }, true], // check_violation
    [{ code: '23502' }, true], // not_null_violation
    [{ code: '22P02' }, true], // invalid_text_representation
    [{ code: '54000' }, true], // program_limit_exceeded
    [{ code: 'SQLITE_BUSY' }, false],
    [{ code: 'SQLITE_IOERR_WRITE' }, false],
    [{ code: 'ECONNREFUSED' }, false],
    [{ code: '57P01' }, false], // admin_shutdown
    [{ code: '08006' }, false], // connection_failure
    [{ code: '42P01' }, false], // undefined_table: a broken deployment, not a bad row
    [new Error('boom'), false],
    [null, false],
    ['text', false],
  ])('%j -> %s', (err, expected) => {
    expect(isDataError(err)).toBe(expected);
  });
});

describe('isSqliteBusy', () => {
  it.each([
    [{ code: 'SQLITE_BUSY' }, true],
    [{ code: 'SQLITE_BUSY_SNAPSHOT' }, true],
    [{ code: 'SQLITE_LOCKED' }, true],
    [{ code: 'SQLITE_CONSTRAINT' }, false],
    [undefined, false],
  ])('%j -> %s', (err, expected) => {
    expect(isSqliteBusy(err)).toBe(expected);
  });
});

describe('pgArrayLiteral', () => {
  const col = (...values: unknown[]) => pgArrayLiteral(values.map((v) => [v]), 0);

  it.each([
    [[], '{}'],
    [[1, 2.5, -0.001, 1e-7, 1_712_345_678_901], '{1,2.5,-0.001,1e-7,1712345678901}'],
    [[Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY], '{NaN,Infinity,-Infinity}'],
    [[null, undefined, 3], '{NULL,NULL,3}'],
    [['a', '', 'NULL', 'null'], '{"a","","NULL","null"}'],
    [['say "hi"', 'back\\slash', '{,}', ' spaced '], '{"say \\"hi\\"","back\\\\slash","{,}"," spaced "}'],
    [['line\nbreak', 'ünï 🍕'], '{"line\nbreak","ünï 🍕"}'],
  ])('%j -> %s', (values, expected) => {
    expect(col(...values)).toBe(expected);
  });

  it('writes bigints bare and other values as quoted text', () => {
    expect(col(10n, true, { a: '"' })).toBe('{10,"true","{\\"a\\":\\"\\\\\\"\\"}"}');
  });
});
