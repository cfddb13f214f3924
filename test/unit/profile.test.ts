import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keepDamagedCopy as keepCopyOnDisk, type KeepCopy } from '../../src/main/services/jsonFile';
import { PROFILE_FILE } from '../../src/main/services/profile/profile';
import { defaultSettings } from '../../src/shared/model';
import type { AppWarning } from '../../src/shared/warnings';
import { buildTestCore, call, valueOf } from '../support/core';
import { DAMAGED_PROFILES, WHOLE_PROFILE, WHOLE_SETTINGS } from '../support/damagedProfiles';
import { FakeClock } from '../support/fakeClock';
import { useTempDir } from '../support/tempDir';

/** The FakeClock's start, as the copies name it. */
const STAMP = '2026-11-22T03-00-00.000Z';

async function copiesIn(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name.startsWith(`${PROFILE_FILE}.damaged-`)).sort();
}

async function startOn(dir: string, clock = new FakeClock()) {
  const { core } = await buildTestCore(dir, { clock });
  const info = valueOf(await call(core, 'app.info'));
  return { core, warnings: info.warnings };
}

describe('a damaged settings file', () => {
  it.each(DAMAGED_PROFILES.map((variant) => [variant.name, variant] as const))(
    'keeps the original aside and starts on what it can read: %s',
    async (_name, variant) => {
      const dir = await useTempDir();
      const file = join(dir, PROFILE_FILE);
      await writeFile(file, variant.bytes);

      const { core, warnings } = await startOn(dir);

      const copy = join(dir, `${PROFILE_FILE}.damaged-${STAMP}`);
      expect(await copiesIn(dir)).toEqual([`${PROFILE_FILE}.damaged-${STAMP}`]);
      expect(new Uint8Array(await readFile(copy))).toEqual(variant.bytes);

      expect(core.accounts.records().map((record) => record.id)).toEqual(variant.accounts);
      expect(core.settings.get()).toMatchObject(variant.settings);

      expect(warnings).toEqual([
        expect.objectContaining({ id: 'profile', kind: 'profileDamaged', file, copy }),
      ]);
      const [warning] = warnings as [Extract<AppWarning, { kind: 'profileDamaged' }>];
      expect(warning.lost).toMatchObject(variant.lost);
      expect(warning.message).toContain(file);
      expect(warning.message).toContain(`The original is kept as ${copy}.`);

      // The next save writes a whole file; the copy still holds every byte of the original, and a
      // start on the new file finds nothing wrong.
      valueOf(await call(core, 'settings.set', { language: 'ko' }));
      expect(new Uint8Array(await readFile(copy))).toEqual(variant.bytes);
      const restarted = await startOn(dir);
      expect(restarted.warnings).toEqual([]);
      expect(restarted.core.accounts.records().map((record) => record.id)).toEqual(
        variant.accounts,
      );
      expect(restarted.core.settings.get()).toMatchObject({ ...variant.settings, language: 'ko' });
      expect(await copiesIn(dir)).toHaveLength(1);
    },
  );

  it('names in words what was left out and where the original is', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    const variant = DAMAGED_PROFILES.find(({ name }) => name === 'several problems at once');
    await writeFile(file, variant?.bytes ?? '');
    const { warnings } = await startOn(dir);
    expect(warnings.map((warning) => warning.message)).toEqual([
      `ModDeck found problems in its settings file ${file}: it began with a byte-order mark, which was ignored; it was written by another version of ModDeck (version "1.5"); 2 accounts could not be read; these settings are back to their defaults: language; 1 word rule could not be read and is left out. The original is kept as ${file}.damaged-${STAMP}.`,
    ]);
  });

  it('says why nothing could be used when the file is not settings at all', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    await writeFile(file, '[]');
    const { warnings } = await startOn(dir);
    expect(warnings[0]?.message).toBe(
      `ModDeck found problems in its settings file ${file}: nothing in it could be read (it holds a list, not settings), so default settings and no accounts are in use. The original is kept as ${file}.damaged-${STAMP}.`,
    );
  });

  it('leaves a whole file as it is and says nothing', async () => {
    const dir = await useTempDir();
    const text = JSON.stringify(WHOLE_PROFILE, null, 2);
    await writeFile(join(dir, PROFILE_FILE), text);
    const { core, warnings } = await startOn(dir);
    expect(warnings).toEqual([]);
    expect(core.settings.get()).toEqual(WHOLE_SETTINGS);
    expect(await copiesIn(dir)).toEqual([]);
    expect(await readFile(join(dir, PROFILE_FILE), 'utf8')).toBe(text);
  });

  it('never writes a copy over an earlier one, and names copies so they sort by time', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    const clock = new FakeClock();
    const originals = ['first {', 'second [', 'third "'];

    // Two damaged starts within the same millisecond, then one a day later.
    await writeFile(file, originals[0] ?? '');
    await startOn(dir, clock);
    await writeFile(file, originals[1] ?? '');
    await startOn(dir, clock);
    clock.advance(24 * 60 * 60 * 1000);
    await writeFile(file, originals[2] ?? '');
    await startOn(dir, clock);

    const copies = await copiesIn(dir);
    expect(copies).toEqual([
      `${PROFILE_FILE}.damaged-2026-11-22T03-00-00.000Z`,
      `${PROFILE_FILE}.damaged-2026-11-22T03-00-00.000Z-02`,
      `${PROFILE_FILE}.damaged-2026-11-23T03-00-00.000Z`,
    ]);
    const kept = await Promise.all(copies.map((name) => readFile(join(dir, name), 'utf8')));
    expect(kept).toEqual(originals);
  });
});

describe('keeping a damaged file aside', () => {
  it('names at most 99 copies within one millisecond, so that their names sort, and then says so', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    const now = new Date(Date.UTC(2026, 10, 22, 3, 0, 0));
    const kept: string[] = [];
    for (let copy = 1; copy <= 99; copy += 1) {
      kept.push(await keepCopyOnDisk(file, Buffer.from(`copy ${copy}`), now));
    }
    expect(kept.at(-1)).toBe(`${file}.damaged-2026-11-22T03-00-00.000Z-99`);
    expect([...kept].sort()).toEqual(kept);
    await expect(keepCopyOnDisk(file, Buffer.from('one more'), now)).rejects.toThrow(
      `99 copies of ${file} were already kept within this millisecond, the most ModDeck names`,
    );
    expect(await copiesIn(dir)).toHaveLength(99);
  });
});

describe('a settings file that cannot be read or kept aside', () => {
  it.each([
    ['the settings path is a folder', 'it is a folder, not a file'],
    ['the data folder is a file', 'a file stands where a folder should be'],
  ] as const)(
    'starts on defaults when %s, says where, and saves nothing over it until it can',
    async (situation, reason) => {
      const parent = await useTempDir();
      let dir = parent;
      if (situation === 'the settings path is a folder') {
        await mkdir(join(dir, PROFILE_FILE));
        await writeFile(join(dir, PROFILE_FILE, 'inside.txt'), 'kept');
      } else {
        dir = join(parent, 'userData');
        await writeFile(dir, 'a file where the data folder should be');
      }
      const file = join(dir, PROFILE_FILE);

      const { core, warnings } = await startOn(dir);
      expect(warnings).toEqual([
        {
          id: 'profile',
          kind: 'profileUnreadable',
          file,
          reason,
          message: `ModDeck could not read its settings file ${file} (${reason}) and started with default settings. It saves no change until that file can be read and kept aside.`,
        },
      ]);
      expect(core.settings.get()).toEqual(defaultSettings());

      const refused = await call(core, 'settings.set', { theme: 'dark' });
      expect(refused).toEqual({
        ok: false,
        error: {
          code: 'STORAGE',
          message: `Settings were not saved: the settings file cannot be read (${reason}). ModDeck does not write over ${file} before it has kept a copy of it. Nothing was changed.`,
        },
      });
      expect(valueOf(await call(core, 'settings.get')).theme).toBe('system');

      // The obstacle goes away: the next save goes through and the warning clears.
      if (situation === 'the settings path is a folder') {
        expect(await readFile(join(file, 'inside.txt'), 'utf8')).toBe('kept');
        await rm(file, { recursive: true });
      } else {
        expect(await readFile(dir, 'utf8')).toBe('a file where the data folder should be');
        await rm(dir);
        await mkdir(dir);
      }
      const announced: unknown[] = [];
      core.events.subscribe((event, payload) => {
        if (event === 'app.warnings') announced.push(payload);
      });
      expect(valueOf(await call(core, 'settings.set', { theme: 'dark' })).theme).toBe('dark');
      expect(announced).toEqual([[]]);
      expect(valueOf(await call(core, 'app.info')).warnings).toEqual([]);
      expect((await startOn(dir)).core.settings.get().theme).toBe('dark');
    },
  );

  it('does not write over a settings file that could not be read at start and can be now', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    await mkdir(file);
    const { core } = await startOn(dir);
    expect(core.settings.get()).toEqual(defaultSettings());

    // The obstacle goes, and the moderator's own file is back (a lock released, a disk remounted).
    await rm(file, { recursive: true });
    const bytes = JSON.stringify(WHOLE_PROFILE);
    await writeFile(file, bytes);

    const refused = await call(core, 'settings.set', { theme: 'dark' });
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'STORAGE',
        message: `Settings were not saved: ${file} could not be read when ModDeck started and can be read now. Restart ModDeck to use what it holds; saving now would write over it. Nothing was changed.`,
      },
    });
    expect(await readFile(file, 'utf8')).toBe(bytes);
    expect(await copiesIn(dir)).toEqual([]);

    const restarted = await startOn(dir);
    expect(restarted.warnings).toEqual([]);
    expect(restarted.core.accounts.records()).toEqual(WHOLE_PROFILE.accounts);
    expect(restarted.core.settings.get()).toEqual(WHOLE_SETTINGS);
  });

  it('starts on what it can read when no copy can be kept, and writes nothing over the original', async () => {
    const dir = await useTempDir();
    const file = join(dir, PROFILE_FILE);
    const variant = DAMAGED_PROFILES.find(({ name }) => name === 'one bad account among good ones');
    const original = variant?.bytes ?? new Uint8Array();
    await writeFile(file, original);
    let diskFull = true;
    const keepDamagedCopy: KeepCopy = (path, bytes, now) =>
      diskFull
        ? Promise.reject(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }))
        : keepCopyOnDisk(path, bytes, now);
    const { core } = await buildTestCore(dir, { clock: new FakeClock(), keepDamagedCopy });

    expect(core.accounts.records().map((record) => record.id)).toEqual(['acc_good', 'acc_other']);
    const [warning] = valueOf(await call(core, 'app.info')).warnings;
    expect(warning).toMatchObject({
      kind: 'profileDamaged',
      file,
      copy: null,
      copyProblem: 'the disk is full',
      lost: [{ what: 'accounts', count: 1 }],
    });
    expect(warning?.message).toBe(
      `ModDeck found problems in its settings file ${file}: 1 account could not be read. A copy of the original could not be kept (the disk is full), so ModDeck saves no change to the file until it can.`,
    );

    for (const attempt of [
      () => call(core, 'settings.set', { theme: 'light' }),
      () => call(core, 'accounts.remove', { id: 'acc_good' }),
    ]) {
      expect(await attempt()).toEqual({
        ok: false,
        error: {
          code: 'STORAGE',
          message: `Settings were not saved: a copy of the settings file could not be kept (the disk is full). ModDeck does not write over ${file} before it has kept a copy of it. Nothing was changed.`,
        },
      });
    }
    expect(new Uint8Array(await readFile(file))).toEqual(original);
    expect(await copiesIn(dir)).toEqual([]);
    expect(core.accounts.records()).toHaveLength(2);

    // Space again: the original goes aside first, then the change is saved.
    diskFull = false;
    expect(valueOf(await call(core, 'settings.set', { theme: 'light' })).theme).toBe('light');
    const copy = join(dir, `${PROFILE_FILE}.damaged-${STAMP}`);
    expect(new Uint8Array(await readFile(copy))).toEqual(original);
    expect(valueOf(await call(core, 'app.info')).warnings).toEqual([
      expect.objectContaining({
        kind: 'profileDamaged',
        copy,
        message: expect.stringContaining(`The original is kept as ${copy}.`) as string,
      }),
    ]);
  });

  it('reads a file written before notification options and rule severities existed as whole, with their defaults', async () => {
    const dir = await useTempDir();
    const {
      flagSound: _sound,
      flagsWhileFocused: _focused,
      ...older
    } = WHOLE_SETTINGS.notifications;
    const text = JSON.stringify({
      ...WHOLE_PROFILE,
      settings: { ...WHOLE_SETTINGS, notifications: { ...older, sound: true } },
    });
    await writeFile(join(dir, PROFILE_FILE), text);
    const { core, warnings } = await startOn(dir);
    expect(warnings).toEqual([]);
    expect(core.settings.get().notifications).toEqual({
      doNotDisturb: false,
      sound: true,
      flagSound: false,
      flagsWhileFocused: false,
      mutedRooms: [],
    });
    expect(core.settings.get().rules).toEqual(WHOLE_SETTINGS.rules);
    expect(await copiesIn(dir)).toEqual([]);
  });

  it('keeps a rule whose severity this version does not know, as a normal rule, and says a field was not known', async () => {
    const dir = await useTempDir();
    const later = { id: 'r9', pattern: 'raid', severity: 'critical' };
    const text = JSON.stringify({
      ...WHOLE_PROFILE,
      settings: {
        ...WHOLE_SETTINGS,
        rules: { ...WHOLE_SETTINGS.rules, global: [...WHOLE_SETTINGS.rules.global, later] },
      },
    });
    await writeFile(join(dir, PROFILE_FILE), text);
    const { core, warnings } = await startOn(dir);
    expect(core.settings.get().rules.global).toEqual([
      ...WHOLE_SETTINGS.rules.global,
      { id: 'r9', pattern: 'raid' },
    ]);
    const [warning] = warnings as [Extract<AppWarning, { kind: 'profileDamaged' }>];
    expect(warning.lost).toEqual([{ what: 'unknownFields' }]);
  });
});
