// `npm run test:faults`: the built server (run `npm run build` first) killed, stopped and doubled on real stores.
// Kept out of `npm test` because each file starts several server processes and PostgreSQL clusters of its own.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: {
    alias: { '@foodlens/contracts': fileURLToPath(new URL('../packages/contracts/src/index.ts', import.meta.url)) },
  },
  test: {
    include: ['faults/**/*.fault.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    // server starts take 10-30 s on a busy two-core machine; a PostgreSQL outage lasts 30 s
    testTimeout: 300_000,
    hookTimeout: 180_000,
    // each file runs up to two servers with one inference worker each: two files at a time fill two cores
    maxWorkers: 2,
  },
});
