/**
 * JSON files in the user-data folder, written atomically: the new content goes to a temporary
 * file that replaces the old one only once it is fully on disk. A failed write (full disk,
 * read-only folder) leaves the previous file as it was and throws a `STORAGE` error in words.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
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

/** Writes a damaged file's bytes beside it and returns the copy's path (see `keepDamagedCopy`). */
export type KeepCopy = (path: string, bytes: Uint8Array, now: Date) => Promise<string>;

/** Copies kept within one millisecond, at most: `-02` to `-99` sort as text after the first. */
export const MAX_COPIES_PER_MS = 99;

/**
 * Keeps the bytes of a file that could not be used in full as `<path>.damaged-<time>`, so nothing
 * in it is lost. The time sorts as text (`2026-11-22T03-00-00.000Z`); a name already taken, even
 * within the same millisecond, is never written over: the next free `-02`, `-03`… `-99` is used,
 * and when every one is taken, nothing is written (a `-100` would sort before `-99`).
 */
export async function keepDamagedCopy(path: string, bytes: Uint8Array, now: Date): Promise<string> {
  const base = `${path}.damaged-${now.toISOString().replace(/:/g, '-')}`;
  for (let attempt = 1; attempt <= MAX_COPIES_PER_MS; attempt += 1) {
    const copy = attempt === 1 ? base : `${base}-${String(attempt).padStart(2, '0')}`;
    let handle;
    try {
      handle = await open(copy, 'wx', 0o600);
    } catch (error) {
      if (errorCode(error) === 'EEXIST') continue;
      throw error;
    }
    try {
      await handle.writeFile(bytes);
      await handle.sync();
      await handle.close();
    } catch (error) {
      await handle.close().catch(() => undefined);
      await rm(copy, { force: true }).catch(() => undefined);
      throw error;
    }
    return copy;
  }
  throw new Error(
    `${MAX_COPIES_PER_MS} copies of ${path} were already kept within this millisecond, the most ModDeck names`,
  );
}

/** Why a file operation failed, in words: "the disk is full", "it is a folder"… */
export function fileProblem(error: unknown): string {
  switch (errorCode(error)) {
    case 'ENOSPC':
      return 'the disk is full';
    case 'EACCES':
    case 'EPERM':
      return 'permission was denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'EISDIR':
      return 'it is a folder, not a file';
    case 'ENOTDIR':
      return 'a file stands where a folder should be';
    case 'EEXIST':
      // `mkdir` of a folder whose name a file already has.
      if (
        typeof error === 'object' &&
        error !== null &&
        'syscall' in error &&
        error.syscall === 'mkdir'
      )
        return 'a file stands where a folder should be';
      return error instanceof Error ? error.message : String(error);
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function storageError(what: string, error: unknown): AppError {
  return new AppError(ErrorCode.Storage, `${what}: ${fileProblem(error)}. Nothing was changed.`, {
    cause: error,
  });
}

/** The Node error code (`ENOENT`, `ENOSPC`…) of a failed file operation, if it has one. */
export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String(error.code)
    : undefined;
}
