import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
// The real `electron` package downloads its binary on first load, which cannot work here.
const alias = { electron: resolve(root, 'test/stubs/electron.ts') };

// `npm run test:fast` runs unit and dom on both cores (vitest's default on two cores is one worker);
// the other projects run after them, one file at a time as before: they start servers, keychains
// and browsers that would contend for the two cores.
const quickGroup = { maxWorkers: 2, sequence: { groupOrder: 0 } };
const slowGroup = { maxWorkers: 1, sequence: { groupOrder: 1 } };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'unit',
          ...quickGroup,
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
        },
      },
      {
        plugins: [react()],
        resolve: { alias },
        test: {
          name: 'dom',
          ...quickGroup,
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          // A fresh jsdom and fresh imports of React, i18next and testing-library for every file
          // took most of this project's CPU (127 s of it; 48 s without). Files share one jsdom per
          // worker thread instead; setup.ts gives each file fresh app modules (stores, module
          // state) and a clean document, as an isolated file had.
          pool: 'threads',
          isolate: false,
          // A limit for a test that hangs, not a measure of speed: with two workers on two cores
          // shared with other work, the longest deck tests have taken over the default 5 s.
          testTimeout: 15_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          ...slowGroup,
          environment: 'node',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'keychain',
          ...slowGroup,
          environment: 'node',
          include: ['test/keychain/**/*.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          ...slowGroup,
          environment: 'node',
          include: ['test/e2e/**/*.spec.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
      {
        test: {
          name: 'package',
          ...slowGroup,
          environment: 'node',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'bench',
          ...slowGroup,
          environment: 'node',
          include: ['test/bench/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
