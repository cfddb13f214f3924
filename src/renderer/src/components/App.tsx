import { useEffect } from 'react';
import { useAccounts } from '../stores/accounts';
import { startSession } from '../stores/session';
import { useUi } from '../stores/ui';
import { AccountsView } from './AccountsView';
import { Deck } from './Deck';
import { Toast } from './Toast';
import { TopBar } from './TopBar';

export function App() {
  const view = useUi((state) => state.view);
  const loadAccounts = useAccounts((state) => state.load);
  const listenAccounts = useAccounts((state) => state.listen);

  useEffect(() => {
    const stopAccounts = listenAccounts();
    const stopSession = startSession();
    void loadAccounts();
    return () => {
      stopAccounts();
      stopSession();
    };
  }, [listenAccounts, loadAccounts]);

  return (
    <div className="app">
      <TopBar />
      <main className={`app-main app-main-${view}`}>
        {view === 'deck' ? <Deck /> : <AccountsView />}
      </main>
      <Toast />
    </div>
  );
}
