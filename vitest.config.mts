import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    alias: {
      '@': fileURLToPath(new URL('./', import.meta.url)),
      // Unit tests run on the server side of the boundary; 'server-only' throws only in client bundles.
      'server-only': fileURLToPath(new URL('./lib/testing/server-only-stub.ts', import.meta.url)),
    },
  },
  test: {
    include: ['{lib,emulator,app,components,scripts}/**/*.test.{ts,tsx}'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker fewer than the cores: one on a 2-core CI machine. Most files wait on I/O (the
    // emulator, PGlite, PostgreSQL), so two side by side there take less time (one run: 312 s against 421 s for the
    // whole suite).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
