import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Cross-origin isolation gives the page SharedArrayBuffer and Atomics.wait in workers, which the
// playground's blocking join needs (see src/runtime/program-worker.ts).
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: {
    // The page runs the transformer's own source, never a copy of it.
    alias: { '@tsfork/core': fileURLToPath(new URL('../transformer/core/index.ts', import.meta.url)) },
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The TypeScript compiler itself is in the bundle (the transformer analyses with it).
    chunkSizeWarningLimit: 8000,
  },
});
