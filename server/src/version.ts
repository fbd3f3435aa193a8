import { createRequire } from 'node:module';

// server/package.json sits one level above both src/ and dist/.
export const FOODLENS_VERSION: string = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
