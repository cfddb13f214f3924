/**
 * The process and layer boundaries are lint rules; each is shown refusing an offending file, so a
 * rule that stops matching (a renamed folder, a mistyped pattern) fails here rather than silently.
 * The files are linted as if they sat at the path given, with the repository's own config.
 */
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({
  cwd: new URL('../../..', import.meta.url).pathname,
  // Only the import rule: the type-aware rules need the file to exist in a TypeScript project.
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
  overrideConfig: { languageOptions: { parserOptions: { projectService: false } } },
});

async function complaints(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((message) => `${message.ruleId}: ${message.message}`);
}

describe('layers inside main', () => {
  it.each([
    ['src/main/services/offending.ts', "import { toErrorInfo } from '../dispatch';"],
    ['src/main/services/feeds/offending.ts', "import { createIpc } from '../../ipc';"],
    ['src/main/providers/offending.ts', "import { createCore } from '../core';"],
    ['src/main/providers/flipflop/offending.ts', "import { toErrorInfo } from '../../dispatch';"],
  ])('%s may not import the IPC layer', async (path, code) => {
    expect(await complaints(path, code)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*below the IPC layer/),
    ]);
  });

  it('services and providers take error words from the errors module', async () => {
    expect(
      await complaints('src/main/services/fine.ts', "import { toErrorInfo } from '../errors';"),
    ).toEqual([]);
    expect(
      await complaints('src/main/providers/fine.ts', "import { describeIssues } from '../errors';"),
    ).toEqual([]);
  });

  it('the composition root may import the dispatcher', async () => {
    expect(
      await complaints('src/main/core.ts', "import { createDispatcher } from './dispatch';"),
    ).toEqual([]);
  });
});

describe('Node built-ins where code runs everywhere', () => {
  it.each([
    ['src/shared/offending.ts', "import { readFileSync } from 'node:fs';"],
    ['src/shared/offending.ts', "import { readFileSync } from 'fs';"],
    ['src/shared/offending.ts', "import { readFile } from 'fs/promises';"],
    ['src/renderer/src/offending.ts', "import { join } from 'path';"],
    ['src/renderer/src/offending.ts', "import { EventEmitter } from 'node:events';"],
  ])('%s: %s is refused', async (path, code) => {
    expect(await complaints(path, code)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*no Node built-ins/),
    ]);
  });

  it('main may use them', async () => {
    expect(await complaints('src/main/services/fine.ts', "import { join } from 'path';")).toEqual(
      [],
    );
  });
});

describe('the preload', () => {
  it.each([
    "import { readFileSync } from 'node:fs';",
    "import { z } from 'zod';",
    "import { createCore } from '../main/core';",
    "import { api } from '../renderer/src/lib/api';",
  ])('refuses %s', async (code) => {
    expect(await complaints('src/preload/offending.ts', code)).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*only electron and src\/shared/),
    ]);
  });

  it.each([
    "import { contextBridge } from 'electron';",
    "import { isEventName } from '../shared/channels';",
    "import { createBridge } from './bridge';",
  ])('allows %s', async (code) => {
    expect(await complaints('src/preload/fine.ts', code)).toEqual([]);
  });
});

describe('electron and keytar', () => {
  it('a service may not import electron or keytar', async () => {
    expect(
      await complaints(
        'src/main/services/offending.ts',
        "import { app } from 'electron';\nimport keytar from 'keytar';",
      ),
    ).toEqual([
      expect.stringMatching(/^no-restricted-imports: .*may import electron/),
      expect.stringMatching(/^no-restricted-imports: .*may import keytar/),
    ]);
  });
});
