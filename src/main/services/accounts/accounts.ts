/**
 * Accounts: metadata in the profile, the secret in the secret store. The renderer may replace a
 * secret but never read one; it learns only `hasSecret`. Secrets read here are registered with the
 * redactor so they cannot leak into an error or a log line. A secret goes only to the addresses it
 * was entered for: changing them takes the secret again, and a provider built for other addresses
 * than the account's current ones gets no secret.
 */
import { randomUUID } from 'node:crypto';
import { AppError, ErrorCode, errorMessage } from '../../../shared/errors';
import {
  AccountDraft,
  sameAddresses,
  type Account,
  type AccountRecord,
} from '../../../shared/model';
import type { EventBus } from '../../events';
import type { ProfileStore } from '../profile/profile';
import type { Redactor } from './redactor';
import type { SecretStore } from './secrets';

/** Where an account's Gossip passcode is kept in the secret store: not an account id ("/"). */
export function gossipPasscodeKey(accountId: string): string {
  return `${accountId}/gossip-passcode`;
}

export interface AccountsDeps {
  profile: ProfileStore;
  secrets: SecretStore;
  redactor: Redactor;
  events: EventBus;
  newId?: () => string;
}

export class AccountsService {
  private readonly newId: () => string;
  /**
   * Saves and removals, one at a time in the order they were asked: each checks the account as the
   * ones before it left it, and the keychain and the profile, written one after the other, never
   * disagree for another change to see.
   */
  private changes: Promise<unknown> = Promise.resolve();
  /** Changes asked so far; a secret read that saw it move while it waited asks again. */
  private changesAsked = 0;

  constructor(private readonly deps: AccountsDeps) {
    this.newId = deps.newId ?? (() => `acc_${randomUUID().replace(/-/g, '').slice(0, 16)}`);
  }

  async list(): Promise<Account[]> {
    const withSecret = new Set(await this.secretIds());
    return this.deps.profile.accounts.map((record) => this.view(record, withSecret));
  }

  records(): readonly AccountRecord[] {
    return this.deps.profile.accounts;
  }

  record(id: string): AccountRecord {
    const record = this.deps.profile.accounts.find((account) => account.id === id);
    if (!record) throw new AppError(ErrorCode.NotFound, 'There is no such account.');
    return record;
  }

  /**
   * The secret a draft is tried with: the one typed in it, or the saved one when the draft still
   * points where the saved account does (a saved secret goes only to the address it was entered
   * for; a changed address must be given the secret again).
   */
  draftSecret(draft: AccountDraft): () => Promise<string> {
    if (draft.secret !== undefined) {
      const typed = draft.secret;
      return () => Promise.resolve(typed);
    }
    const saved = draft.id === undefined ? undefined : this.record(draft.id);
    if (saved && sameAddresses(saved, draft)) return () => this.secret(saved.id);
    throw new AppError(
      ErrorCode.SecretRequired,
      saved
        ? 'The address changed, so the secret must be entered again to test it: ModDeck sends a saved secret only to the address it was entered for.'
        : 'Enter the secret to test the connection.',
    );
  }

  /** The account's secret, for the main process only. */
  async secret(id: string): Promise<string> {
    this.record(id);
    const secret = await this.deps.secrets.get(id);
    if (secret === null) {
      throw new AppError(
        ErrorCode.Auth,
        'No secret is saved for this account; add it in Settings.',
      );
    }
    this.deps.redactor.add(secret);
    return secret;
  }

  /**
   * The Gossip login and passcode of a FlipFlop account whose record names a login, for the main
   * process only; null without a login. A login without a saved passcode sends an empty one.
   */
  async gossipCredentials(
    record: AccountRecord,
  ): Promise<{ login: string; passcode: string } | null> {
    if (record.provider !== 'flipflop' || record.gossip?.login === undefined) return null;
    const passcode = (await this.deps.secrets.get(gossipPasscodeKey(record.id))) ?? '';
    if (passcode !== '') this.deps.redactor.add(passcode);
    return { login: record.gossip.login, passcode };
  }

  /**
   * The account's secret for a provider built from `record`, refused when the account's addresses
   * are no longer `record`'s: a connection or call made for the old address never gets the secret
   * entered for the new one. It waits for the changes under way, and asks again if one began while
   * the keychain answered, so the secret it returns is the one saved with `record`'s addresses.
   */
  async secretFor(record: AccountRecord): Promise<string> {
    for (;;) {
      const asked = this.changesAsked;
      await this.changes;
      if (!sameAddresses(this.record(record.id), record)) {
        throw new AppError(
          ErrorCode.AccountChanged,
          'This account was changed while this was under way; ModDeck reconnects with its new details.',
        );
      }
      const secret = await this.secret(record.id);
      if (asked === this.changesAsked) return secret;
    }
  }

  /**
   * Creates (no `id`) or replaces an account. A new secret is stored first; if the profile cannot
   * be written afterwards, the previous secret is put back, so the two never disagree. Saves run one
   * at a time, each checked against the account as the saves before it left it.
   */
  async save(input: AccountDraft, options: { sandbox?: boolean } = {}): Promise<Account> {
    // Internal callers (the embedded sandbox) get the same validation as the renderer.
    const draft = AccountDraft.parse(input);
    return this.change(async () => {
      const { secret, id: requestedId, ...rest } = draft;
      const { gossipPasscode, ...fields } = { gossipPasscode: undefined, ...rest };
      const existing = requestedId === undefined ? undefined : this.find(requestedId);
      if (requestedId !== undefined && !existing) {
        throw new AppError(ErrorCode.NotFound, 'That account no longer exists.');
      }
      if (existing && existing.provider !== draft.provider) {
        throw new AppError(ErrorCode.InvalidInput, 'An account cannot change its provider.');
      }
      if (existing && secret === undefined && !sameAddresses(existing, draft)) {
        throw new AppError(
          ErrorCode.SecretRequired,
          'The address changed, so the secret must be entered again: ModDeck sends a saved secret only to the address it was entered for.',
        );
      }
      const login = fields.provider === 'flipflop' ? fields.gossip?.login : undefined;
      const passcodeSaved =
        existing !== undefined && (await this.secretIds()).includes(gossipPasscodeKey(existing.id));
      if (
        existing &&
        login !== undefined &&
        passcodeSaved &&
        gossipPasscode === undefined &&
        !sameAddresses(existing, draft)
      ) {
        throw new AppError(
          ErrorCode.SecretRequired,
          'The address changed, so the Gossip passcode must be entered again: ModDeck sends a saved passcode only to the address it was entered for.',
        );
      }
      const id = requestedId ?? this.newId();
      const sandbox = options.sandbox ?? existing?.sandbox;
      const record = { ...fields, id, ...(sandbox ? { sandbox: true } : {}) } as AccountRecord;

      // What the keychain held before this save, put back if a later write fails.
      const restores: Array<() => Promise<unknown>> = [];
      const passcodeKey = gossipPasscodeKey(id);
      try {
        if (secret !== undefined) restores.push(await this.replaceSecret(id, secret, existing));
        // The passcode goes with the login: a new one is saved, and none is kept without a login.
        if (login !== undefined ? gossipPasscode !== undefined : passcodeSaved) {
          const passcode = login !== undefined ? (gossipPasscode ?? null) : null;
          restores.push(await this.replaceSecret(passcodeKey, passcode, existing));
        }
        await this.deps.profile.update((profile) => {
          const others = profile.accounts.filter((account) => account.id !== id);
          const index = profile.accounts.findIndex((account) => account.id === id);
          const accounts = [...others];
          accounts.splice(index === -1 ? accounts.length : index, 0, record);
          return { ...profile, accounts };
        });
      } catch (error) {
        for (const restore of restores.reverse()) await restore().catch(() => undefined);
        throw error;
      }
      await this.announce();
      // Saved just now, even if the keychain cannot list what it holds.
      const saved = new Set(await this.secretIds());
      if (secret !== undefined) saved.add(id);
      if (login !== undefined && gossipPasscode !== undefined) saved.add(passcodeKey);
      return this.view(record, saved);
    });
  }

  /**
   * Removes the secrets, then the metadata. If the keychain refuses, the account stays so the
   * secret is not orphaned; if the profile cannot be written, the secrets are put back, as `save`
   * does, so the account that stays keeps them. When no keychain was ever available there is
   * nothing to remove.
   */
  async remove(id: string): Promise<{ id: string }> {
    return this.change(async () => {
      const record = this.record(id);
      const restores: Array<() => Promise<unknown>> = [];
      try {
        restores.push(await this.replaceSecret(id, null, record));
        restores.push(await this.replaceSecret(gossipPasscodeKey(id), null, record));
        await this.deps.profile.update((profile) => ({
          ...profile,
          accounts: profile.accounts.filter((account) => account.id !== id),
        }));
      } catch (error) {
        const unrestored: string[] = [];
        for (const restore of restores.reverse()) {
          await restore().catch((problem: unknown) => {
            unrestored.push(errorMessage(problem));
          });
        }
        const keychain = unrestored[0];
        if (keychain === undefined) throw error;
        // The profile's error says that nothing was changed, which is no longer true.
        const reason = errorMessage(error);
        throw new AppError(
          ErrorCode.Storage,
          `The account was not removed (${reason.replace(/\.?\s*Nothing was changed\.$/, '')}), but its secrets were, and the keychain did not take them back (${keychain}). Enter them again in Settings, or remove the account again.`,
          { cause: error },
        );
      }
      await this.announce();
      return { id };
    });
  }

  /**
   * Writes `value` to the secret store under `key`, or deletes it when null; answers how to put
   * back what was there (nothing, for a new account).
   */
  private async replaceSecret(
    key: string,
    value: string | null,
    existing: AccountRecord | undefined,
  ): Promise<() => Promise<unknown>> {
    const previous = existing ? await this.deps.secrets.get(key) : null;
    if (value === null) {
      await this.deps.secrets.delete(key);
    } else {
      this.deps.redactor.add(value);
      await this.deps.secrets.set(key, value);
    }
    return () =>
      previous === null ? this.deps.secrets.delete(key) : this.deps.secrets.set(key, previous);
  }

  /** Runs a save or a removal after the ones asked before it. */
  private change<T>(run: () => Promise<T>): Promise<T> {
    this.changesAsked += 1;
    const result = this.changes.then(run);
    this.changes = result.catch(() => undefined);
    return result;
  }

  /** The account as the renderer sees it: whether its secrets are saved, never what they are. */
  private view(record: AccountRecord, saved: ReadonlySet<string>): Account {
    const hasSecret = saved.has(record.id);
    if (record.provider !== 'flipflop' || record.gossip?.login === undefined) {
      return { ...record, hasSecret };
    }
    return { ...record, hasSecret, hasGossipPasscode: saved.has(gossipPasscodeKey(record.id)) };
  }

  private find(id: string): AccountRecord | undefined {
    return this.deps.profile.accounts.find((account) => account.id === id);
  }

  private async secretIds(): Promise<string[]> {
    try {
      return await this.deps.secrets.list();
    } catch {
      // A keychain that stopped answering must not hide the accounts themselves.
      return [];
    }
  }

  private async announce(): Promise<void> {
    this.deps.events.emit('accounts.changed', await this.list());
  }
}
