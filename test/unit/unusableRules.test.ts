import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROFILE_FILE } from '../../src/main/services/profile/profile';
import type { AppWarning } from '../../src/shared/warnings';
import { buildTestCore, call, valueOf } from '../support/core';
import { WHOLE_PROFILE, WHOLE_SETTINGS } from '../support/damagedProfiles';
import { useTempDir } from '../support/tempDir';

const LOOKAHEAD = { id: 'look', pattern: 'free(?= money)', kind: 'regex' as const };
const BROKEN = { id: 'broken', pattern: '(', kind: 'regex' as const };

async function startOn(dir: string) {
  const { core } = await buildTestCore(dir);
  const warnings: AppWarning[][] = [];
  core.events.subscribe((event, payload) => {
    if (event === 'app.warnings') warnings.push(payload as AppWarning[]);
  });
  return { core, warnings, info: valueOf(await call(core, 'app.info')) };
}

describe('saved word rules the word filter cannot run', () => {
  it('are kept, named in a warning, and the warning clears once they are changed', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    const rules = {
      ...WHOLE_SETTINGS.rules,
      global: [...WHOLE_SETTINGS.rules.global, LOOKAHEAD],
      rooms: { 'acc_good/1001': [BROKEN, ...(WHOLE_SETTINGS.rules.rooms['acc_good/1001'] ?? [])] },
    };
    const bytes = JSON.stringify({ ...WHOLE_PROFILE, settings: { ...WHOLE_SETTINGS, rules } });
    await writeFile(file, bytes);

    const { core, warnings, info } = await startOn(dir);

    // Not damage of the file: no copy, nothing rewritten, both rules still saved.
    expect((await readdir(dir)).filter((name) => name.includes('.damaged-'))).toEqual([]);
    expect(await readFile(file, 'utf8')).toBe(bytes);
    expect(core.settings.get().rules).toEqual(rules);
    expect(info.warnings).toEqual([
      expect.objectContaining({
        id: 'rules',
        kind: 'rulesNotInUse',
        count: 2,
        patterns: [LOOKAHEAD.pattern, BROKEN.pattern],
      }),
    ]);

    // Another change to the lists keeps the warning; fixing both clears it.
    valueOf(
      await call(core, 'settings.set', {
        rules: { ...rules, global: [...rules.global, { id: 'new', pattern: 'scam' }] },
      }),
    );
    expect(warnings).toEqual([]);
    valueOf(await call(core, 'settings.set', { rules: WHOLE_SETTINGS.rules }));
    expect(warnings.at(-1)).toEqual([]);
    expect(valueOf(await call(core, 'app.info')).warnings).toEqual([]);
  });
});
