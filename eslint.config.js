// ESLint flat config: typescript-eslint (type-aware), react-hooks, and the process boundaries of
// DESIGN.md checked rather than hoped for.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const electronOnly = {
  name: 'electron',
  message:
    'Only src/main/index.ts, window.ts, ipc.ts, src/main/adapters/** and src/preload/** may import electron (DESIGN.md).',
};
const keytarOnly = {
  name: 'keytar',
  message: 'Only src/main/adapters/** may import keytar.',
};
const nodeBuiltins = {
  // Both spellings: `node:fs` and the bare `fs` (and `fs/promises`) load the same module.
  group: ['node:*', ...builtinModules.filter((name) => !name.startsWith('_'))],
  message: 'src/shared and the renderer run everywhere: no Node built-ins.',
};
// Services and providers are the layers below the IPC layer and the composition root: they
// learn of requests only through the calls the handler table makes.
const ipcLayer = {
  group: ['**/dispatch', '**/ipc', '**/core'],
  message:
    'Services and providers sit below the IPC layer: no import of dispatch, ipc or core (errors live in src/main/errors.ts).',
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'test-results/**',
      'bench-results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      'no-restricted-imports': ['error', { paths: [electronOnly, keytarOnly] }],
    },
  },
  {
    files: ['src/main/index.ts', 'src/main/window.ts', 'src/main/ipc.ts', 'src/preload/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [keytarOnly] }] },
  },
  {
    files: ['src/main/adapters/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/main/services/**', 'src/main/providers/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [electronOnly, keytarOnly], patterns: [ipcLayer] },
      ],
    },
  },
  {
    // The preload runs with Node's require in reach of the page's world: it takes Electron's
    // renderer modules, the shared contract and its own files, nothing else.
    files: ['src/preload/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [keytarOnly],
          patterns: [
            {
              regex: '^(?!electron$|\\./|(\\.\\./)+shared/)',
              message: 'The preload imports only electron and src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, keytarOnly, { name: 'react', message: 'src/shared has no UI.' }],
          patterns: [
            nodeBuiltins,
            {
              group: ['**/main/**', '**/renderer/**', '**/sandbox/**'],
              message: 'src/shared depends on nothing else in src.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [electronOnly, keytarOnly],
          patterns: [
            nodeBuiltins,
            {
              group: ['**/main/**', '**/sandbox/**', '**/preload/**'],
              message: 'The renderer reaches main only through lib/api.ts.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**'],
    rules: {
      // Tests may read the real keytar (keychain suite) and the electron stub.
      'no-restricted-imports': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['test/unit/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
