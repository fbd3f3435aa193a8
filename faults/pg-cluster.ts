// A throwaway PostgreSQL cluster for the fault tests: initdb into a temporary folder, its own free port and unix-socket
// folder, trust authentication. The tests stop and start it at will; the machine's own cluster is never touched.
// As root (CI), initdb refuses to run, so every PostgreSQL binary runs as the `postgres` user via runuser.
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { describe } from 'vitest';
import { freePort } from '../e2e/server-process.js';

const run = promisify(execFile);
const PG_USER = 'postgres';

interface Toolchain {
  bin: string;
  /** prefix that runs a command as the cluster's owner (empty when we are not root) */
  asOwner: string[];
  owner: { uid: number; gid: number } | null;
}

/** Where PostgreSQL's server binaries are (newest /usr/lib/postgresql/<ver>/bin), or why the tests cannot run. */
function findToolchain(): Toolchain | { reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(path.join(root, v, 'bin', b))))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) return { reason: `no PostgreSQL server binaries (initdb, pg_ctl) under ${root}/<version>/bin` };
  const bin = path.join(root, versions[0]!, 'bin');
  if (process.getuid?.() !== 0) return { bin, asOwner: [], owner: null };
  // initdb refuses root: run as the postgres user, which owns the temporary folder.
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${PG_USER}:`));
  if (!passwd) return { reason: `running as root and there is no ${PG_USER} user to run initdb as` };
  const [, , uid, gid] = passwd.split(':');
  const runuser = ['/usr/sbin/runuser', '/sbin/runuser', '/usr/bin/runuser'].find((p) => existsSync(p));
  if (!runuser) return { reason: 'running as root and runuser is missing, so initdb cannot run as another user' };
  return { bin, asOwner: [runuser, '-u', PG_USER, '--'], owner: { uid: Number(uid), gid: Number(gid) } };
}

export const toolchain = findToolchain();

export interface PgCluster {
  port: number;
  /** postgresql:// URL of a database on this cluster (over TCP, as FoodLens connects) */
  url(database: string): string;
  createDatabase(name: string): Promise<void>;
  /** runs one statement on a database and returns its rows */
  query<T extends object>(database: string, text: string, values?: unknown[]): Promise<T[]>;
  /** pg_ctl stop -m fast: connections are cut, the cluster shuts down cleanly */
  stop(): Promise<void>;
  /** pg_ctl start on the same port; resolves once it accepts connections */
  start(): Promise<void>;
  /** stops it (immediate) and deletes its folder */
  destroy(): Promise<void>;
}


/** initdb + start. The cluster is also stopped if the test process exits without destroy(). */
export async function startCluster(): Promise<PgCluster> {
  const tc = toolchain;
  if ('reason' in tc) throw new Error(`PostgreSQL unavailable: ${tc.reason}`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'foodlens-pg-'));
  if (tc.owner) chownSync(dir, tc.owner.uid, tc.owner.gid);
  const data = path.join(dir, 'data');
  const logFile = path.join(dir, 'postgres.log');
  const port = await freePort();
  const argvFor = (bin: string, args: string[]) => [...tc.asOwner, path.join(tc.bin, bin), ...args];
  const asOwner = (bin: string, args: string[]) => {
    const argv = argvFor(bin, args);
    return run(argv[0]!, argv.slice(1), { timeout: 120_000 });
  };
  const pgCtl = (args: string[]) => asOwner('pg_ctl', ['-D', data, ...args]);
  // fsync stays on: the durability tests kill FoodLens, not PostgreSQL, but the cluster should behave like a real one.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=100`;

  const start = async () => {
    await pgCtl(['-l', logFile, '-w', '-t', '60', '-o', options, 'start']);
  };
  try {
    await asOwner('initdb', ['-D', data, '-A', 'trust', '-U', PG_USER, '-E', 'UTF8', '--no-sync', '--no-instructions']);
    await start();
  } catch (err) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a PostgreSQL cluster: ${String(err)}\n${log}`);
  }
  let running = true;
  const stopSync = () => {
    if (!running) return;
    running = false;
    try {
      const argv = argvFor('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      execFileSync(argv[0]!, argv.slice(1), { stdio: 'ignore' });
    } catch {
      // already stopped
    }
  };
  process.once('exit', stopSync);

  const url = (database: string) => `postgresql://${PG_USER}@127.0.0.1:${port}/${database}`;
  return {
    port,
    url,
    async createDatabase(name) {
      await withClient(url('postgres'), (c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
    },
    async query<T extends object>(database: string, text: string, values: unknown[] = []) {
      return withClient(url(database), async (c) => (await c.query(text, values)).rows as T[]);
    },
    async stop() {
      await pgCtl(['-m', 'fast', '-w', '-t', '60', 'stop']);
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async destroy() {
      process.removeListener('exit', stopSync);
      stopSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function withClient<T>(connectionString: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * A suite that needs its own PostgreSQL cluster; without the binaries it appears as a skipped suite whose title says why.
 */
export function describeWithPostgres(title: string, body: () => void): void {
  if ('reason' in toolchain) describe.skip(`${title} (skipped: ${toolchain.reason})`, body);
  else describe(title, body);
}
