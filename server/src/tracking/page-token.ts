// MLflow's page tokens: base64 of JSON {"offset": N}. Opaque to clients, but keeping MLflow's form means a token from
// MLflow's own server (or the UI) still works here.
import { InvalidParameter } from '../util/errors.js';

export function encodePageToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64');
}

/** The offset a token names; 0 for no token. Anything else is 400 INVALID_PARAMETER_VALUE, as in MLflow. */
export function decodePageToken(token: string | null | undefined): number {
  if (token === null || token === undefined || token === '') return 0;
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(token)) throw new InvalidParameter('Invalid page token, could not base64-decode');
  const text = Buffer.from(token, 'base64').toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InvalidParameter(`Invalid page token, decoded value=${text}`);
  }
  const offset = (parsed as { offset?: unknown } | null)?.offset;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) {
    throw new InvalidParameter(`Invalid page token, parsed value=${text}`);
  }
  return offset;
}
