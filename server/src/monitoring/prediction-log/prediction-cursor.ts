// Opaque paging cursors for the prediction log. A cursor names the last id of a page; ids are UUIDv7, so
// "older than the cursor" is simply "id < cursor id". Base64url keeps clients from depending on the format.

import { InvalidParameter } from '../../util/errors.js';

/** A 400: the cursor is not one this server handed out. */
export class InvalidCursorError extends InvalidParameter {}

// Ids are UUIDv7 in practice; accept any short printable id so the cursor never depends on that.
const ID = /^[\x21-\x7e]{1,128}$/;
const PREFIX = 'p1:'; // versioned, so the encoding can change without misreading old cursors

export function encodeCursor(lastId: string): string {
  return Buffer.from(PREFIX + lastId, 'utf8').toString('base64url');
}

/** The id a cursor names; InvalidCursorError for anything encodeCursor did not produce. */
export function decodeCursor(cursor: string): string {
  // Node's base64url decoder skips invalid characters, so insist on an exact round trip.
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX) || encodeCursor(text.slice(PREFIX.length)) !== cursor) {
    throw new InvalidCursorError('invalid cursor: pass the next_cursor of a previous page unchanged');
  }
  const id = text.slice(PREFIX.length);
  if (!ID.test(id)) throw new InvalidCursorError('invalid cursor: pass the next_cursor of a previous page unchanged');
  return id;
}
