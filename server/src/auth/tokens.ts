// Token configuration: FOODLENS_TOKENS ("role:token[:name]", comma-separated) and FOODLENS_TOKENS_FILE (one
// "role token [name]" per line). Messages never repeat a token: they name the entry or the line instead.
import { createHash } from 'node:crypto';
import { isRole, type Role } from './roles.js';

export interface TokenEntry {
  role: Role;
  token: string;
  /** who holds it, for logs and whoami; never the token */
  name: string | null;
}

/** Shorter tokens are guessable; `openssl rand -hex 32` makes a good one. */
export const MIN_TOKEN_LENGTH = 16;
const MAX_TOKEN_LENGTH = 512;
/** RFC 6750's b64token: what a Bearer header can carry, and free of the separators used here (`:`, `,`, spaces). */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export class TokenConfigError extends Error {}

function entry(where: string, role: string, token: string, name: string | undefined): TokenEntry {
  if (!isRole(role)) throw new TokenConfigError(`${where}: role '${role}' is not admin, writer or reader`);
  if (token === '') throw new TokenConfigError(`${where}: the token is missing`);
  if (!TOKEN_CHARS.test(token)) {
    throw new TokenConfigError(`${where}: the token has characters outside A-Z a-z 0-9 - . _ ~ + / (and = at its end)`);
  }
  if (token.length < MIN_TOKEN_LENGTH || token.length > MAX_TOKEN_LENGTH) {
    throw new TokenConfigError(
      `${where}: the token has ${token.length} characters; between ${MIN_TOKEN_LENGTH} and ${MAX_TOKEN_LENGTH} are needed (openssl rand -hex 32 makes one)`,
    );
  }
  if (name !== undefined && !NAME.test(name)) {
    throw new TokenConfigError(`${where}: the name '${name}' must be 1-64 of A-Z a-z 0-9 . _ @ - (starting with a letter or digit)`);
  }
  return { role, token, name: name ?? null };
}

/** FOODLENS_TOKENS: "admin:<token>:alice, writer:<token>, reader:<token>" (names optional, several per role allowed). */
export function parseTokenList(text: string, source = 'FOODLENS_TOKENS'): TokenEntry[] {
  const entries: TokenEntry[] = [];
  text.split(',').forEach((raw, i) => {
    const item = raw.trim();
    if (item === '') return;
    const where = `${source} entry ${i + 1}`;
    const parts = item.split(':');
    if (parts.length < 2 || parts.length > 3) throw new TokenConfigError(`${where}: expected role:token or role:token:name`);
    entries.push(entry(where, parts[0]!.trim(), parts[1]!.trim(), parts[2]?.trim()));
  });
  return entries;
}

/** A tokens file: one "role token [name]" per line; blank lines and lines starting with # are ignored. */
export function parseTokenFile(text: string, source: string): TokenEntry[] {
  const entries: TokenEntry[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${source} line ${i + 1}`;
    const parts = line.split(/\s+/);
    if (parts.length < 2 || parts.length > 3) throw new TokenConfigError(`${where}: expected "role token" or "role token name"`);
    entries.push(entry(where, parts[0]!, parts[1]!, parts[2]));
  });
  return entries;
}

/** Refuses a token given twice: which role it has would depend on the order of the configuration. */
export function checkDistinct(entries: readonly TokenEntry[]): void {
  const seen = new Map<string, number>();
  entries.forEach((e, i) => {
    const digest = createHash('sha256').update(e.token).digest('hex');
    const first = seen.get(digest);
    if (first !== undefined) {
      throw new TokenConfigError(`the same token is configured twice (tokens ${first + 1} and ${i + 1}, counting FOODLENS_TOKENS first)`);
    }
    seen.set(digest, i);
  });
}

/** What config.ts hands the server: every configured token, and whether predictions need one. */
export interface AuthSettings {
  tokens: TokenEntry[];
  /** FOODLENS_PREDICT_REQUIRES_TOKEN: POST /api/v1/predict needs a reader token (it is open otherwise) */
  predictRequiresToken: boolean;
}
