// Where the inference worker thread starts: worker.js next to this module when compiled, worker.ts (through tsx's
// hooks) when running from sources under vitest or tsx. Same folder and extension as this module.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const OWN_URL = import.meta.url;
const IS_TS = /\.[cm]?ts$/.test(new URL(OWN_URL).pathname);
const WORKER_URL = new URL(`./worker${IS_TS ? '.ts' : '.js'}`, OWN_URL);

/**
 * How to start the worker. Compiled JS: the file itself. TypeScript (vitest/tsx): a tiny eval'd ESM bootstrap that
 * registers tsx's ESM hooks in the new thread and then imports worker.ts. (`execArgv: ['--import', 'tsx']` is not
 * enough on Node 20: the hooks it registers are not applied to the worker's own entry module, which then fails
 * with ERR_UNKNOWN_FILE_EXTENSION.)
 */
export function workerEntry(): { script: URL | string; eval: boolean } {
  if (!IS_TS) return { script: WORKER_URL, eval: false };
  let api = 'tsx/esm/api';
  try {
    // the ESM build of tsx/esm/api (require.resolve would pick its CJS build), located independently of the cwd
    const pkgPath = createRequire(OWN_URL).resolve('tsx/package.json');
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as {
      exports?: Record<string, { import?: { default?: string } | string }>;
    };
    const target = pkg.exports?.['./esm/api']?.import;
    const rel = typeof target === 'string' ? target : target?.default;
    if (rel) api = pathToFileURL(path.join(path.dirname(pkgPath), rel)).href;
  } catch {
    // fall back to the bare specifier
  }
  const code =
    `import(${JSON.stringify(api)}).then((m) => { (m.register ?? m.default.register)(); ` +
    `return import(${JSON.stringify(WORKER_URL.href)}); });`;
  return { script: code, eval: true };
}
