import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useAccounts } from '../stores/accounts';
import { useView } from '../stores/view';
import { AccountRooms } from './AccountRooms';

/** The room picker: each account's rooms, to open as columns or to manage their chat rooms. */
export function RoomPicker() {
  const { t } = useTranslation();
  const accounts = useAccounts((state) => state.accounts);
  const setPicker = useView((state) => state.setPicker);
  const setView = useView((state) => state.setView);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    ref.current?.focus();
  }, []);

  return (
    <section
      ref={ref}
      className="room-picker"
      role="dialog"
      aria-modal="false"
      aria-labelledby="room-picker-heading"
      tabIndex={-1}
    >
      <div className="panel-header">
        <h2 id="room-picker-heading">{t('picker.title')}</h2>
        <button
          type="button"
          className="icon-button"
          aria-label={t('picker.close')}
          onClick={() => setPicker(false)}
        >
          <span aria-hidden="true">✕</span>
        </button>
      </div>
      {accounts.length === 0 ? (
        <div className="empty">
          <p>{t('picker.noAccounts')}</p>
          <button
            type="button"
            onClick={() => {
              setPicker(false);
              setView('accounts');
            }}
          >
            {t('picker.addAccount')}
          </button>
        </div>
      ) : (
        accounts.map((account) => <AccountRooms key={account.id} account={account} />)
      )}
    </section>
  );
}
