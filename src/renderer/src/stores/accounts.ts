/** Accounts as the renderer knows them: metadata and `hasSecret`, never a secret. */
import { create } from 'zustand';
import type { AppInfo, ErrorInfo, Result } from '../../../shared/contract';
import type { Account, AccountDraft } from '../../../shared/model';
import { invoke, on } from '../lib/api';

interface AccountsState {
  accounts: Account[];
  appInfo: AppInfo | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorInfo | null;
  load: () => Promise<void>;
  save: (draft: AccountDraft) => Promise<Result<Account>>;
  remove: (id: string) => Promise<Result<{ id: string }>>;
  /** Follows `accounts.changed` from main; returns the unsubscribe function. */
  listen: () => () => void;
}

export const useAccounts = create<AccountsState>()((set) => ({
  accounts: [],
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

  async save(draft) {
    const result = await invoke('accounts.save', draft);
    if (result.ok) {
      const saved = result.value;
      set((state) => {
        const index = state.accounts.findIndex((account) => account.id === saved.id);
        const accounts = [...state.accounts];
        if (index === -1) accounts.push(saved);
        else accounts[index] = saved;
        return { accounts };
      });
    }
    return result;
  },

  async remove(id) {
    const result = await invoke('accounts.remove', { id });
    if (result.ok) {
      set((state) => ({ accounts: state.accounts.filter((account) => account.id !== id) }));
    }
    return result;
  },

  listen() {
    return on('accounts.changed', (accounts) => set({ accounts }));
  },
}));
