// The token a request presents: `Authorization: Bearer <token>` (curl, the web app, MLFLOW_TRACKING_TOKEN) or HTTP Basic
// with the token as the password and any username (MLFLOW_TRACKING_USERNAME + MLFLOW_TRACKING_PASSWORD).
export type Presented =
  | { kind: 'none' }
  | { kind: 'token'; scheme: 'bearer' | 'basic'; token: string }
  /** an Authorization header this server cannot read; refused like a wrong token */
  | { kind: 'malformed'; why: string };

const BEARER = /^Bearer +([^\s]+) *$/i;
const BASIC = /^Basic +([A-Za-z0-9+/]+=*) *$/i;

export function readCredentials(header: string | string[] | undefined): Presented {
  if (header === undefined || header === '') return { kind: 'none' };
  if (Array.isArray(header)) return { kind: 'malformed', why: 'more than one Authorization header' };
  const bearer = BEARER.exec(header);
  if (bearer) return { kind: 'token', scheme: 'bearer', token: bearer[1]! };
  const basic = BASIC.exec(header);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return { kind: 'malformed', why: 'Basic credentials without a password' };
    // the username is not checked: MLflow clients need one, the token alone decides
    return { kind: 'token', scheme: 'basic', token: decoded.slice(colon + 1) };
  }
  return { kind: 'malformed', why: 'the Authorization header is neither Bearer nor Basic' };
}
