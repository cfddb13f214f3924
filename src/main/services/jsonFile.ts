/**
 * JSON files in the user-data folder, written atomically: the new content goes to a temporary
 * file that replaces the old one only once it is fully on disk. A failed write (full disk,
 * read-only folder) leaves the previous file as it was and throws a `STORAGE` error in words.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { AppError, ErrorCode } from '../../shared/errors';

export type JsonRead =
  { kind: 'missing' } | { kind: 'ok'; value: unknown } | { kind: 'corrupt'; reason: string };

export async function readJsonFile(path: string): Promise<JsonRead> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw storageError(`Could not read ${path}`, error);
  }
  try {
    return { kind: 'ok', value: JSON.parse(text) as unknown };
  } catch (error) {
    return { kind: 'corrupt', reason: error instanceof Error ? error.message : String(error) };
  }
}

export async function writeJsonFile(
  path: string,
  value: unknown,
  options: { mode?: number } = {},
): Promise<void> {
  await writeJsonText(path, jsonText(value), options);
}

/** The text `writeJsonFile` writes for a value. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Writes text already prepared with {@link jsonText}, atomically, like `writeJsonFile`. */
export async function writeJsonText(
  path: string,
  text: string,
  options: { mode?: number } = {},
): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(temporary, 'w', options.mode ?? 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw storageError(`Could not save ${path}`, error);
  }
}

/** Keeps a copy of a file that could not be used, so nothing in it is lost. Returns its path. */
export async function preserveCopy(path: string, label: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const copy = `${path}.${label}-${stamp}`;
  await copyFile(path, copy);
  return copy;
}

function storageError(what: string, error: unknown): AppError {
  const code = errorCode(error);
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full'
      : code === 'EACCES' || code === 'EPERM'
        ? 'permission was denied'
        : code === 'EROFS'
          ? 'the disk is read-only'
          : error instanceof Error
            ? error.message
            : String(error);
  return new AppError(ErrorCode.Storage, `${what}: ${reason}. Nothing was changed.`, {
    cause: error,
  });
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}
