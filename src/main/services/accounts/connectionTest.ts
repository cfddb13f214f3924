/**
 * "Test connection" in Settings: one real call to the provider (it lists the account's rooms),
 * answered in words. A failure is part of the answer, not an error of the request, so the
 * moderator reads what went wrong next to the account.
 */
import type { ConnectionTest } from '../../../shared/contract';
import type { AccountDraft, AccountRecord } from '../../../shared/model';
import { toErrorInfo } from '../../errors';
import type { ProviderAccount } from '../../providers/types';
import type { AccountsService } from './accounts';
import type { Redactor } from './redactor';

export async function testConnection(
  provider: Pick<ProviderAccount, 'listRooms'>,
  redact: (text: string) => string,
): Promise<ConnectionTest> {
  try {
    const rooms = await provider.listRooms();
    const count = rooms.length;
    return {
      ok: true,
      message: `Connected: ${count} ${count === 1 ? 'room' : 'rooms'}`,
      roomCount: count,
    };
  } catch (error) {
    const info = toErrorInfo(error);
    // An ok answer is not redacted on its way out, as error envelopes are: do it here. The window
    // says "Could not connect" itself, in the moderator's language; the message is the reason.
    return { ok: false, code: redact(info.code), message: redact(info.message) };
  }
}

export interface DraftTestDeps {
  accounts: AccountsService;
  redactor: Redactor;
  /** Builds the draft's provider, masking what it registers with `redactor`. */
  provider: (
    record: AccountRecord,
    secret: () => Promise<string>,
    redactor: Redactor,
  ) => ProviderAccount;
}

/** "Test connection" on an account not saved yet, or saved and being edited. */
export async function testDraftConnection(
  draft: AccountDraft,
  deps: DraftTestDeps,
): Promise<ConnectionTest> {
  const secret = deps.accounts.draftSecret(draft);
  const { secret: typed, id, ...fields } = draft;
  // An id of its own, and so token slots of its own in the redactor: a test must not push the
  // live connection's tokens out of them.
  const record = { ...fields, id: `test-${id ?? 'new'}` } as AccountRecord;
  // What the test registers (the secret tried, its tokens) is masked only while it runs.
  const trial = deps.redactor.lend();
  if (typed !== undefined) trial.add(typed);
  try {
    return await testConnection(deps.provider(record, secret, trial), (text) => trial.redact(text));
  } finally {
    deps.redactor.giveBack(trial);
  }
}
