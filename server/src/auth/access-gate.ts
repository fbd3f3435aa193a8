// The decision for one request: which access its route needs (route-access.ts), which token it presents
// (credentials.ts, token-verifier.ts), and whether that is enough. No Fastify here, so it is tested as plain functions.
import { accessFor, type Access, type RouteFacts } from './route-access.js';
import { readCredentials } from './credentials.js';
import { roleAllows, type Role } from './roles.js';
import { TokenVerifier, type Identity } from './token-verifier.js';
import type { AuthSettings } from './tokens.js';

export type Refusal =
  | { status: 401; reason: 'missing_token' | 'invalid_token'; message: string }
  | { status: 403; reason: 'insufficient_role'; message: string; need: Role; identity: Identity };

export type Verdict = { allowed: true; identity: Identity | null } | { allowed: false; refusal: Refusal };

/** What a route nobody gave a role needs at run time: the most, so a forgotten route is closed, not open. */
const UNDECIDED: Role = 'admin';

export class AccessGate {
  readonly required: boolean;
  readonly predictRequiresToken: boolean;
  private readonly verifier: TokenVerifier;
  /** "METHOD pattern" -> access, filled as routes are registered */
  private readonly routes = new Map<string, Access | undefined>();

  constructor(settings: AuthSettings) {
    this.verifier = new TokenVerifier(settings.tokens);
    this.required = this.verifier.size > 0;
    this.predictRequiresToken = settings.predictRequiresToken;
  }

  /** Records a registered route's access (from the table), once, when Fastify registers it. */
  addRoute(method: string, url: string, facts: RouteFacts = {}): void {
    this.routes.set(`${method} ${url}`, accessFor(method, url, facts));
  }

  /** Every registered route with its access; undefined marks one the table has no rule for. */
  registeredRoutes(): Array<{ method: string; url: string; access: Access | undefined }> {
    return [...this.routes].map(([key, access]) => {
      const space = key.indexOf(' ');
      return { method: key.slice(0, space), url: key.slice(space + 1), access };
    });
  }

  /** The role a route needs, or 'open'. */
  need(method: string, url: string): Role | 'open' {
    const key = `${method} ${url}`;
    const access = this.routes.has(key) ? this.routes.get(key) : accessFor(method, url);
    if (access === undefined) return UNDECIDED;
    if (access === 'predict') return this.predictRequiresToken ? 'reader' : 'open';
    return access;
  }

  /** Who presents this Authorization header: null for none; a refusal for a token that is not configured. */
  identify(authorization: string | string[] | undefined): { identity: Identity | null } | { refusal: Refusal } {
    const presented = readCredentials(authorization);
    if (presented.kind === 'none') return { identity: null };
    const identity = presented.kind === 'token' ? this.verifier.verify(presented.token) : null;
    if (identity) return { identity };
    return {
      refusal: {
        status: 401,
        reason: 'invalid_token',
        message: presented.kind === 'malformed' ? `The credentials could not be read: ${presented.why}.` : 'The token is not valid here.',
      },
    };
  }

  /** The role of whoever sends this header, for routes that answer differently by role: everyone is admin when
   * authentication is off; no or an invalid token, null. */
  callerRole(authorization: string | string[] | undefined): Role | null {
    if (!this.required) return 'admin';
    const who = this.identify(authorization);
    return 'identity' in who ? (who.identity?.role ?? null) : null;
  }

  /** Whether a request for `method url` with this Authorization header may go on. */
  check(method: string, url: string, authorization: string | string[] | undefined): Verdict {
    const need = this.need(method, url);
    if (!this.required || need === 'open') return { allowed: true, identity: null };
    const who = this.identify(authorization);
    if ('refusal' in who) return { allowed: false, refusal: who.refusal };
    const { identity } = who;
    if (identity === null) {
      return {
        allowed: false,
        refusal: { status: 401, reason: 'missing_token', message: `${need === 'admin' ? 'An' : 'A'} ${need} token is needed: send it as "Authorization: Bearer <token>".` },
      };
    }
    if (!roleAllows(identity.role, need)) {
      const holder = identity.name ? `the token of ${identity.name}` : 'this token';
      return {
        allowed: false,
        refusal: {
          status: 403,
          reason: 'insufficient_role',
          message: `This needs the ${need} role; ${holder} has the ${identity.role} role.`,
          need,
          identity,
        },
      };
    }
    return { allowed: true, identity };
  }
}
