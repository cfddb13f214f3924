/** Accounts as the renderer knows them: metadata and `hasSecret`, never a secret. */
import { create } from 'zustand';
import type { AppInfo, ConnectionTest, ErrorInfo, Result } from '../../../shared/contract';
import type { Account, AccountDraft } from '../../../shared/model';
import { invoke, on } from '../lib/api';

const BANNED_WORDS_PER_CALL = 1000;

/** A connection test in flight, or its answer. */
export type ConnectionCheck =
  | { status: 'testing' }
  | { status: 'done'; answer: ConnectionTest }
  | { status: 'error'; error: ErrorInfo };

interface AccountsState {
  accounts: Account[];
  /** The last connection test of each account. */
  checks: Record<string, ConnectionCheck>;
  appInfo: AppInfo | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  load: () => Promise<void>;
  /** Saves an account; `tested` is the connection test of exactly this draft, kept as its last. */
  save: (draft: AccountDraft, tested?: ConnectionTest) => Promise<Result<Account>>;
  /** Tries an account as a form holds it, before it is saved. */
  testDraft: (draft: AccountDraft) => Promise<Result<ConnectionTest>>;
  remove: (id: string) => Promise<Result<{ id: string }>>;
  /** Tries the account's credentials with one call to its provider. */
  test: (id: string) => Promise<void>;
  /** Adds words to a FlipFlop app's own banned-word list. */
  pushBannedWords: (accountId: string, words: string[]) => Promise<Result<{ words: string[] }>>;
  /** Follows `accounts.changed` from main; returns the unsubscribe function. */
  listen: () => () => void;
}

export const useAccounts = create<AccountsState>()((set) => ({
  accounts: [],
  checks: {},
  appInfo: null,
  status: 'idle',
  error: null,

  async load() {
    set({ status: 'loading', error: null });
    const [info, accounts] = await Promise.all([invoke('app.info'), invoke('accounts.list')]);
    if (!accounts.ok) {
      set({ status: 'error', error: accounts.error });
      return;
    }
    set({ status: 'ready', accounts: accounts.value, appInfo: info.ok ? info.value : null });
  },

  async save(draft, tested) {
    const result = await invoke('accounts.save', draft);
    if (result.ok) {
      const saved = result.value;
      set((state) => {
        const index = state.accounts.findIndex((account) => account.id === saved.id);
        const accounts = [...state.accounts];
        if (index === -1) accounts.push(saved);
        else accounts[index] = saved;
        // An edited account's last test says nothing about its new details; the test of the
        // draft just saved does.
        const checks = { ...state.checks };
        if (tested) checks[saved.id] = { status: 'done', answer: tested };
        else delete checks[saved.id];
        return { accounts, checks };
      });
    }
    return result;
  },

  testDraft(draft) {
    return invoke('accounts.testDraft', draft);
  },

  async remove(id) {
    const result = await invoke('accounts.remove', { id });
    if (result.ok) {
      set((state) => ({ accounts: state.accounts.filter((account) => account.id !== id) }));
    }
    return result;
  },

  async test(id) {
    const testing: ConnectionCheck = { status: 'testing' };
    set((state) => ({ checks: { ...state.checks, [id]: testing } }));
    const result = await invoke('accounts.test', { accountId: id });
    const check: ConnectionCheck = result.ok
      ? { status: 'done', answer: result.value }
      : { status: 'error', error: result.error };
    // Saved meanwhile: this answer is about the details the account had before, and the save
    // already said what is known of the new ones.
    set((state) =>
      state.checks[id] === testing ? { checks: { ...state.checks, [id]: check } } : {},
    );
  },

  async pushBannedWords(accountId, words) {
    const sent: string[] = [];
    // The contract takes at most 1,000 words a call.
    for (let start = 0; start < words.length; start += BANNED_WORDS_PER_CALL) {
      const chunk = words.slice(start, start + BANNED_WORDS_PER_CALL);
      const result = await invoke('bannedWords.set', { accountId, words: chunk });
      if (!result.ok) return result;
      sent.push(...result.value.words);
    }
    return { ok: true, value: { words: sent } };
  },

  listen() {
    return on('accounts.changed', (accounts) => set({ accounts }));
  },
}));
