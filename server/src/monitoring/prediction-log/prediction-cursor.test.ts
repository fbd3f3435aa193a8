import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../util/ids.js';
import { decodeCursor, encodeCursor, InvalidCursorError } from './prediction-cursor.js';

describe('prediction log cursors', () => {
  it('round-trips an id through an opaque, URL-safe string', () => {
    const id = uuidv7();
    const cursor = encodeCursor(id);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain(id);
    expect(decodeCursor(cursor)).toBe(id);
  });

  it.each([
    '',
    'not-a-cursor',
    '!!!!',
    Buffer.from('p2:0190a6f2-0000-7000-8000-000000000000').toString('base64url'), // unknown version
    Buffer.from('p1:').toString('base64url'), // no id
    Buffer.from('p1:has space').toString('base64url'),
    `${encodeCursor('0190a6f2-0000-7000-8000-000000000000')}!`, // junk the lenient base64 decoder would skip
    `${encodeCursor('0190a6f2-0000-7000-8000-000000000000')}=`,
    `${encodeCursor('0190a6f2-0000-7000-8000-000000000000')}\n`,
  ])('rejects %j with InvalidCursorError', (cursor) => {
    expect(() => decodeCursor(cursor)).toThrow(InvalidCursorError);
  });
});
