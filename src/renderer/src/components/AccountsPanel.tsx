import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../shared/model';
import { useAccounts } from '../stores/accounts';
import { AccountForm } from './AccountForm';
import { ConnectionCheckResult } from './ConnectionCheckResult';
import { KeychainStatus } from './KeychainStatus';
import { SandboxSetting } from './SandboxSetting';

type Editing = { mode: 'closed' } | { mode: 'new' } | { mode: 'edit'; account: Account };

/** The accounts list with add, edit and remove; secrets appear only as "saved" or "missing". */
export function AccountsPanel() {
  const { t } = useTranslation();
  const accounts = useAccounts((state) => state.accounts);
  const appInfo = useAccounts((state) => state.appInfo);
  const remove = useAccounts((state) => state.remove);
  const checks = useAccounts((state) => state.checks);
  const test = useAccounts((state) => state.test);
  const [editing, setEditing] = useState<Editing>({ mode: 'closed' });
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function confirmRemove(id: string): Promise<void> {
    const result = await remove(id);
    setConfirming(null);
    setError(result.ok ? null : result.error.message);
  }

  const store = appInfo?.secretStore;
  return (
    <section className="accounts-panel" aria-labelledby="accounts-heading">
      <header className="panel-header">
        <h1 id="accounts-heading">{t('accounts.heading')}</h1>
        <button type="button" className="primary" onClick={() => setEditing({ mode: 'new' })}>
          {t('accounts.add')}
        </button>
      </header>
      {store ? <KeychainStatus status={store} /> : null}
      <SandboxSetting />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {accounts.length === 0 ? <p className="empty">{t('accounts.empty')}</p> : null}
      <ul className="account-list">
        {accounts.map((account) => (
          <li key={account.id} className="account-item">
            <div className="account-summary">
              <span className="account-name">{account.name}</span>
              <span className={`provider-badge provider-${account.provider}`}>
                {t(`accountForm.providers.${account.provider}`)}
              </span>
              {account.sandbox ? <span className="badge">{t('accounts.sandbox')}</span> : null}
              <span className="account-url">{account.baseUrl}</span>
              <span className="account-secret">
                {account.hasSecret ? t('accounts.secretSaved') : t('accounts.secretMissing')}
              </span>
            </div>
            {confirming === account.id ? (
              <div
                className="confirm"
                role="group"
                aria-label={t('accounts.removeConfirm', { name: account.name })}
              >
                <span>{t('accounts.removeConfirm', { name: account.name })}</span>
                <button
                  type="button"
                  className="danger"
                  onClick={() => void confirmRemove(account.id)}
                >
                  {t('accounts.removeConfirmYes')}
                </button>
                <button type="button" onClick={() => setConfirming(null)}>
                  {t('accounts.cancel')}
                </button>
              </div>
            ) : (
              <div className="account-actions">
                <button
                  type="button"
                  disabled={checks[account.id]?.status === 'testing'}
                  aria-label={t('accounts.testNamed', { name: account.name })}
                  onClick={() => void test(account.id)}
                >
                  {t('accounts.test')}
                </button>
                <button
                  type="button"
                  aria-label={t('accounts.editNamed', { name: account.name })}
                  onClick={() => setEditing({ mode: 'edit', account })}
                >
                  {t('accounts.edit')}
                </button>
                <button
                  type="button"
                  aria-label={t('accounts.removeNamed', { name: account.name })}
                  onClick={() => setConfirming(account.id)}
                >
                  {t('accounts.remove')}
                </button>
              </div>
            )}
            <div className="account-check" role="status">
              {checks[account.id] ? <ConnectionCheckResult check={checks[account.id]!} /> : null}
            </div>
          </li>
        ))}
      </ul>
      {editing.mode === 'new' ? (
        <AccountForm onDone={() => setEditing({ mode: 'closed' })} />
      ) : null}
      {editing.mode === 'edit' ? (
        <AccountForm
          key={editing.account.id}
          account={editing.account}
          onDone={() => setEditing({ mode: 'closed' })}
        />
      ) : null}
    </section>
  );
}
