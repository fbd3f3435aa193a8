// npm run bench -- <name>: runs bench/<name>.ts, which prints its own baseline and ratios.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const names = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''));
const name = process.argv[2];
if (!name || !names.includes(name)) {
  console.error(`usage: npm run bench -- <name>   (one of: ${names.join(', ')})`);
  process.exit(2);
}
await import(pathToFileURL(path.join(here, `${name}.ts`)).href);
