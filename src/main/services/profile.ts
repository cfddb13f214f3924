/**
 * The moderator's profile on disk: `settings.json` in the user-data folder, holding the accounts
 * (metadata only, never a secret) and the settings. Updates are serialised and committed to memory
 * only after the file is written, so a failed write changes nothing.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { AppError, ErrorCode } from '../../shared/errors';
import { AccountRecord, Settings, settingsFromStored } from '../../shared/model';
import { describeIssues } from '../dispatch';
import type { Logger } from '../logger';
import { jsonText, preserveCopy, readJsonFile, writeJsonText } from './jsonFile';

export const PROFILE_FILE = 'settings.json';
const PROFILE_VERSION = 1;

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

export interface OpenedProfile {
  store: ProfileStore;
  /** Problems found while loading, in words, for the moderator. */
  warnings: string[];
}

export class ProfileStore {
  private current: Profile;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    initial: Profile,
  ) {
    this.current = initial;
  }

  /** Loads the profile, keeping a copy of anything it cannot use instead of failing to start. */
  static async open(userDataDir: string, log: Logger, now = new Date()): Promise<OpenedProfile> {
    const path = join(userDataDir, PROFILE_FILE);
    const warnings: string[] = [];
    const file = await readJsonFile(path);
    let stored: Record<string, unknown> = {};
    if (file.kind === 'corrupt') {
      const copy = await preserveCopy(path, 'unreadable', now);
      warnings.push(
        `The settings file could not be read (${file.reason}); it was kept as ${copy} and defaults are in use.`,
      );
      log.warn('settings file unreadable', { copy });
    } else if (file.kind === 'ok' && typeof file.value === 'object' && file.value !== null) {
      stored = file.value as Record<string, unknown>;
    }

    const { settings, invalid } = settingsFromStored(stored.settings);
    const accounts: AccountRecord[] = [];
    let droppedAccounts = 0;
    const seen = new Set<string>();
    for (const raw of Array.isArray(stored.accounts) ? (stored.accounts as unknown[]) : []) {
      const parsed = AccountRecord.safeParse(raw);
      if (parsed.success && !seen.has(parsed.data.id)) {
        accounts.push(parsed.data);
        seen.add(parsed.data.id);
      } else droppedAccounts += 1;
    }
    if (file.kind === 'ok' && (invalid.length > 0 || droppedAccounts > 0)) {
      const copy = await preserveCopy(path, 'invalid', now);
      const parts = [
        ...(invalid.length > 0 ? [`settings sections ${invalid.join(', ')} were reset`] : []),
        ...(droppedAccounts > 0 ? [`${droppedAccounts} account(s) could not be read`] : []),
      ];
      warnings.push(
        `Parts of the settings file were invalid (${parts.join('; ')}); the original was kept as ${copy}.`,
      );
      log.warn('settings file partly invalid', { copy, invalid, droppedAccounts });
    }
    return { store: new ProfileStore(path, { accounts, settings }), warnings };
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
      await writeJsonText(this.path, text);
      this.current = { accounts: readBack.data.accounts, settings: readBack.data.settings };
      return this.current;
    };
    const result = this.queue.then(run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}
