// Starts the built FoodLens server (server/dist/main.js, as `npm start` does) in a child process on a free port,
// with its own store in a temporary folder, for tests that need a real process: a browser, or a signal.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface ServerProcess {
  url: string;
  dir: string;
  child: ChildProcess;
  output(): string;
  /** resolves with the exit code */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export async function startServer(env: Record<string, string> = {}, dir?: string): Promise<ServerProcess> {
  const workDir = dir ?? mkdtempSync(path.join(os.tmpdir(), 'foodlens-e2e-'));
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [path.join(REPO_ROOT, 'server/dist/main.js'), 'serve'], {
    cwd: workDir,
    // tokens exported in a developer's shell must not turn on authentication for tests that did not ask for it
    env: { ...withoutAuth(process.env), HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok && ((await res.json()) as { model: { loaded: boolean } }).model.loaded) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become healthy in 90 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    dir: workDir,
    child,
    output: () => out,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      const code = await exited;
      if (!dir) rmSync(workDir, { recursive: true, force: true });
      return code;
    },
  };
}

function withoutAuth(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FOODLENS_TOKENS: _t, FOODLENS_TOKENS_FILE: _f, FOODLENS_PREDICT_REQUIRES_TOKEN: _p, ...rest } = env;
  return rest;
}
