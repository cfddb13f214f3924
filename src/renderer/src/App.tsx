import { useEffect } from 'react';
import { AccountsView } from './components/AccountsView';
import { Deck } from './components/Deck';
import { LiveAnnouncer } from './components/LiveAnnouncer';
import { SettingsView } from './components/SettingsView';
import { Toast } from './components/Toast';
import { TopBar } from './components/TopBar';
import { UnsavedRulesDialog } from './components/UnsavedRulesDialog';
import { WarningBanner } from './components/WarningBanner';
import { startSession } from './feedPipeline/session';
import { useAppearance } from './hooks/useAppearance';
import { useAccounts } from './stores/accounts';
import { useRuleDrafts } from './stores/ruleDrafts';
import { useShield } from './stores/shield';
import { useView } from './stores/view';
import { useWarnings } from './stores/warnings';

export function App() {
  const view = useView((state) => state.view);
  const leaving = useRuleDrafts((state) => state.leaving);
  const loadAccounts = useAccounts((state) => state.load);
  const listenAccounts = useAccounts((state) => state.listen);
  const startWarnings = useWarnings((state) => state.start);
  const startShield = useShield((state) => state.start);
  useAppearance();

  useEffect(() => {
    const stopAccounts = listenAccounts();
    const stopSession = startSession();
    const stopWarnings = startWarnings();
    const stopShield = startShield();
    void loadAccounts();
    return () => {
      stopAccounts();
      stopSession();
      stopWarnings();
      stopShield();
    };
  }, [listenAccounts, loadAccounts, startWarnings, startShield]);

  return (
    <div className="app">
      <TopBar />
      <WarningBanner />
      <main className={`app-main app-main-${view}`}>
        {view === 'deck' ? <Deck /> : null}
        {view === 'accounts' ? <AccountsView /> : null}
        {view === 'settings' ? <SettingsView /> : null}
      </main>
      <Toast />
      {leaving ? <UnsavedRulesDialog to={leaving} /> : null}
      <LiveAnnouncer />
    </div>
  );
}
