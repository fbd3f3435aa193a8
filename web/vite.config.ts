import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  resolve: {
    // Bundle the contracts from source: the web build must not depend on a prior tsc build.
    alias: { '@foodlens/contracts': new URL('../packages/contracts/src/index.ts', import.meta.url).pathname },
  },
  server: {
    proxy: { '/api': 'http://127.0.0.1:8000', '/health': 'http://127.0.0.1:8000' },
  },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1024 },
});
