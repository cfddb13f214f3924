import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lockRefusal } from '../../src/main/singleInstance';
import { useTempDir } from '../support/tempDir';

describe('a refused single-instance lock', () => {
  it('is another instance when the data folder is usable, and leaves nothing in it', async () => {
    const dir = await useTempDir();
    expect(await lockRefusal(dir)).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });

  it('is another instance when the data folder can still be created', async () => {
    const dir = await useTempDir();
    expect(await lockRefusal(join(dir, 'config', 'ModDeck'))).toBeNull();
    expect(await readdir(join(dir, 'config'))).toEqual(['ModDeck']);
  });

  it('is the data folder itself when no folder can be made there', async () => {
    const dir = await useTempDir();
    await writeFile(join(dir, 'config'), '');
    const problem = await lockRefusal(join(dir, 'config', 'ModDeck'));
    expect(problem?.message).toMatch(
      /^ModDeck cannot create or write files in its data folder \(ENOTDIR: .*\)\.$/,
    );
  });
});
