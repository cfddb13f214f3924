import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccounts } from '../stores/accounts';
import { AccountsPanel } from './AccountsPanel';

export function App() {
  const { t } = useTranslation();
  const status = useAccounts((state) => state.status);
  const error = useAccounts((state) => state.error);
  const load = useAccounts((state) => state.load);
  const listen = useAccounts((state) => state.listen);

  useEffect(() => {
    const stop = listen();
    void load();
    return stop;
  }, [listen, load]);

  return (
    <div className="app">
      <main className="app-main">
        {status === 'loading' || status === 'idle' ? <p>{t('app.loading')}</p> : null}
        {status === 'error' && error ? (
          <p className="form-error" role="alert">
            {t('errors.generic', { message: error.message })}
          </p>
        ) : null}
        {status === 'ready' ? <AccountsPanel /> : null}
      </main>
    </div>
  );
}
