import { useTranslation } from 'react-i18next';
import { useAccounts } from '../stores/accounts';
import { AccountsPanel } from './AccountsPanel';

/** The Accounts view: the accounts panel once the accounts are loaded, or why they are not. */
export function AccountsView() {
  const { t } = useTranslation();
  const status = useAccounts((state) => state.status);
  const error = useAccounts((state) => state.error);
  return (
    <div className="accounts-view">
      {status === 'loading' || status === 'idle' ? <p>{t('app.loading')}</p> : null}
      {status === 'error' && error ? (
        <p className="form-error" role="alert">
          {t('errors.generic', { message: error.message })}
        </p>
      ) : null}
      {status === 'ready' ? <AccountsPanel /> : null}
    </div>
  );
}
