/**
 * The moderator's profile on disk: `settings.json` in the user-data folder, holding the accounts
 * (metadata only, never a secret) and the settings. Updates are serialised and committed to memory
 * only after the file is written, so a failed write changes nothing.
 *
 * A damaged file never stops the start and never loses what it held: its bytes are kept aside as
 * `settings.json.damaged-<time>`, what can be read is used, and a warning says what was left out.
 * While a file cannot be read or kept aside (a folder in its place, a full or read-only disk), the
 * profile lives in memory and nothing is written over that file: saving answers STORAGE in words.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../shared/errors';
import { AccountRecord, defaultSettings, Settings } from '../../../shared/model';
import type { ProfileLoss } from '../../../shared/warnings';
import { describeIssues } from '../../errors';
import type { Logger } from '../../logger';
import {
  errorCode,
  fileProblem,
  jsonText,
  keepDamagedCopy,
  writeJsonText,
  type KeepCopy,
} from '../jsonFile';
import { PROFILE_VERSION, recoverProfile } from './profileRecovery';
import type { WarningSink } from '../warnings';

export const PROFILE_FILE = 'settings.json';
/** The id of the one warning about the settings file, whatever its state. */
export const PROFILE_WARNING_ID = 'profile';

/** The profile as ModDeck writes it: every account readable under its own id, every section. */
const StoredProfile = z.object({
  version: z.literal(PROFILE_VERSION),
  accounts: z
    .array(AccountRecord)
    .refine((accounts) => new Set(accounts.map((account) => account.id)).size === accounts.length, {
      message: 'two accounts share an id',
    }),
  settings: Settings,
});

export interface Profile {
  accounts: AccountRecord[];
  settings: Settings;
}

export interface ProfileOptions {
  log: Logger;
  /** Where the settings file's problems are shown to the moderator. */
  warnings: WarningSink;
  /** The time a damaged file's copy is named after. */
  now?: () => Date;
  /** Keeps a damaged file's bytes beside it; tests make it fail as a full disk would. */
  keepCopy?: KeepCopy;
}

export class ProfileStore {
  private current: Profile = { accounts: [], settings: defaultSettings() };
  private queue: Promise<unknown> = Promise.resolve();
  /** What the file on disk held that could not be used, once it has been found damaged. */
  private lost: ProfileLoss[] = [];
  /**
   * Why the file on disk has not been kept aside although it must be before anything is written
   * over it (it is damaged, or could not be read at all); null when writing is safe.
   */
  private unkept: { unreadable: string | null } | null = null;
  private readonly now: () => Date;
  private readonly keepCopy: KeepCopy;

  private constructor(
    readonly path: string,
    private readonly options: ProfileOptions,
  ) {
    this.now = options.now ?? (() => new Date());
    this.keepCopy = options.keepCopy ?? keepDamagedCopy;
  }

  /** Loads the profile, using what it can of a damaged file instead of failing to start. */
  static async open(userDataDir: string, options: ProfileOptions): Promise<ProfileStore> {
    const store = new ProfileStore(join(userDataDir, PROFILE_FILE), options);
    await store.load();
    return store;
  }

  get accounts(): readonly AccountRecord[] {
    return this.current.accounts;
  }

  get settings(): Settings {
    return this.current.settings;
  }

  /**
   * Applies `change` to a copy of the profile, writes it, then makes it current. Calls run one at
   * a time in the order they were made. If the write fails the error is thrown and nothing changes.
   */
  update(change: (profile: Profile) => Profile): Promise<Profile> {
    const run = async (): Promise<Profile> => {
      const next = change(structuredClone(this.current));
      const text = jsonText({
        version: PROFILE_VERSION,
        accounts: next.accounts,
        settings: next.settings,
      });
      // What is written must read back whole: a section JSON drops (`undefined`) or mangles
      // (`NaN` becomes null) would come back as a default after the next start.
      const readBack = StoredProfile.safeParse(JSON.parse(text));
      if (!readBack.success) {
        throw new AppError(
          ErrorCode.Internal,
          `ModDeck did not save its settings: they would not read back (${describeIssues(readBack.error)}). Nothing was changed.`,
        );
      }
      await this.keepUnkept();
      await writeJsonText(this.path, text);
      this.current = { accounts: readBack.data.accounts, settings: readBack.data.settings };
      return this.current;
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async load(): Promise<void> {
    const { log } = this.options;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return;
      const reason = fileProblem(error);
      this.unkept = { unreadable: reason };
      this.options.warnings.set({
        id: PROFILE_WARNING_ID,
        kind: 'profileUnreadable',
        file: this.path,
        reason,
        message: `ModDeck could not read its settings file ${this.path} (${reason}) and started with default settings. It saves no change until that file can be read and kept aside.`,
      });
      log.error('settings file unreadable: defaults in use, nothing is saved over it', {
        path: this.path,
        reason,
      });
      return;
    }

    const recovered = recoverProfile(bytes);
    this.current = { accounts: recovered.accounts, settings: recovered.settings };
    if (recovered.lost.length === 0) return;
    this.lost = recovered.lost;
    let copy: string;
    try {
      copy = await this.keepCopy(this.path, bytes, this.now());
    } catch (error) {
      const problem = fileProblem(error);
      this.unkept = { unreadable: null };
      this.announceDamage(null, problem);
      log.error('damaged settings file could not be kept aside: nothing is saved over it', {
        path: this.path,
        problem,
      });
      return;
    }
    this.announceDamage(copy);
    log.warn('damaged settings file kept aside', {
      copy,
      lost: this.lost.map((loss) => loss.what),
    });
    // The original is safe in its copy: a whole file now spares the next start the same warning.
    await writeJsonText(this.path, jsonText({ version: PROFILE_VERSION, ...this.current })).catch(
      (error: unknown) =>
        log.warn('recovered settings not written yet', { error: fileProblem(error) }),
    );
  }

  /** Keeps aside the file on disk if it still must be; refuses (STORAGE) while it cannot be. */
  private async keepUnkept(): Promise<void> {
    if (!this.unkept) return;
    let bytes: Uint8Array;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        // Nothing is there any more to keep or to write over.
        this.unkept = null;
        this.options.warnings.clear(PROFILE_WARNING_ID);
        return;
      }
      throw this.refusal(`the settings file cannot be read (${fileProblem(error)})`);
    }
    if (this.unkept.unreadable !== null) {
      // It could not be read at start and can be now: ModDeck runs on defaults, not on what it
      // holds, and writing would replace the moderator's accounts and settings with them.
      throw new AppError(
        ErrorCode.Storage,
        `Settings were not saved: ${this.path} could not be read when ModDeck started and can be read now. Restart ModDeck to use what it holds; saving now would write over it. Nothing was changed.`,
      );
    }
    let copy: string;
    try {
      copy = await this.keepCopy(this.path, bytes, this.now());
    } catch (error) {
      throw this.refusal(`a copy of the settings file could not be kept (${fileProblem(error)})`);
    }
    this.unkept = null;
    this.announceDamage(copy);
    this.options.log.warn('settings file kept aside before saving', { copy });
  }

  private refusal(problem: string): AppError {
    return new AppError(
      ErrorCode.Storage,
      `Settings were not saved: ${problem}. ModDeck does not write over ${this.path} before it has kept a copy of it. Nothing was changed.`,
    );
  }

  private announceDamage(copy: string | null, copyProblem?: string): void {
    const found = `ModDeck found problems in its settings file ${this.path}: ${describeLosses(this.lost)}.`;
    const kept =
      copy === null
        ? `A copy of the original could not be kept (${copyProblem ?? 'unknown problem'}), so ModDeck saves no change to the file until it can.`
        : `The original is kept as ${copy}.`;
    this.options.warnings.set({
      id: PROFILE_WARNING_ID,
      kind: 'profileDamaged',
      file: this.path,
      copy,
      ...(copy === null && copyProblem !== undefined ? { copyProblem } : {}),
      lost: this.lost,
      message: `${found} ${kept}`,
    });
  }
}

/** What was left out of a damaged file, in English words (the window says it in its language). */
export function describeLosses(lost: readonly ProfileLoss[]): string {
  return lost
    .map((loss) => {
      switch (loss.what) {
        case 'file':
          return `nothing in it could be read (${loss.reason}), so default settings and no accounts are in use`;
        case 'accountList':
          return 'the list of accounts could not be read';
        case 'accounts':
          return loss.count === 1
            ? '1 account could not be read'
            : `${loss.count} accounts could not be read`;
        case 'settings':
          return 'the settings could not be read and are back to their defaults';
        case 'sections':
          return `these settings are back to their defaults: ${loss.names.join(', ')}`;
        case 'rules':
          return loss.count === 1
            ? '1 word rule could not be read and is left out'
            : `${loss.count} word rules could not be read and are left out`;
        case 'unknownFields':
          return 'it holds fields or values this version of ModDeck cannot keep as they are';
        case 'version':
          return `it was written by another version of ModDeck (version ${loss.version})`;
        case 'byteOrderMark':
          return 'it began with a byte-order mark, which was ignored';
      }
    })
    .join('; ');
}
