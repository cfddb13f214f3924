import { useTranslation } from 'react-i18next';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { useDeck } from '../stores/deck';
import { usePanels } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { useSettings } from '../stores/settings';
import { useView, type View } from '../stores/view';
import { ShieldControl } from './ShieldControl';

const VIEWS: View[] = ['deck', 'accounts', 'settings'];

/**
 * The app's top bar: the views; shield mode, on or off and for how long; what holds every feed
 * (the pause key held, do-not-disturb); and the deck's own buttons while the deck is shown.
 */
export function TopBar() {
  const { t } = useTranslation();
  const keys = useKeys();
  const holding = useDeck((state) => state.holding);
  const doNotDisturb = useSettings((state) => state.settings?.notifications.doNotDisturb === true);
  const view = useView((state) => state.view);
  const setView = useView((state) => state.setView);
  const setPicker = useView((state) => state.setPicker);
  const setHelp = useView((state) => state.setHelp);
  const showPanel = usePanels((state) => state.show);
  const canBroadcast = useRooms((state) =>
    Object.values(state.byKey).some((room) => room.capabilities.broadcast),
  );
  return (
    <header className="top-bar">
      <span className="brand">{t('app.title')}</span>
      <nav className="top-nav" aria-label={t('nav.label')}>
        {VIEWS.map((name) => (
          <button
            key={name}
            type="button"
            className="nav-button"
            aria-current={view === name ? 'page' : undefined}
            onClick={() => setView(name)}
          >
            {t(`nav.${name}`)}
          </button>
        ))}
      </nav>
      <div className="top-status">
        <ShieldControl />
        {holding && view === 'deck' ? (
          <span className="top-indicator top-indicator-paused" data-indicator="paused">
            {t('deck.holding', { key: keyLabel(keys.pause) })}
          </span>
        ) : null}
        {doNotDisturb ? (
          <button
            type="button"
            className="top-indicator top-indicator-quiet"
            data-indicator="doNotDisturb"
            title={t('deck.doNotDisturbHint')}
            onClick={() => setView('settings')}
          >
            {t('deck.doNotDisturb')}
          </button>
        ) : null}
      </div>
      {view === 'deck' ? (
        <div className="top-actions">
          <button type="button" className="primary" onClick={() => setPicker(true)}>
            {t('deck.openRoom')}
          </button>
          <button
            type="button"
            disabled={!canBroadcast}
            onClick={() =>
              showPanel({ type: 'composer', mode: 'broadcast', roomKeys: [], receivers: [] })
            }
          >
            {t('composer.open')}
          </button>
          <button
            type="button"
            aria-keyshortcuts="?"
            title={t('help.title')}
            onClick={() => setHelp(true)}
          >
            <span aria-hidden="true">?</span>
            <span className="visually-hidden">{t('help.title')}</span>
          </button>
        </div>
      ) : null}
    </header>
  );
}
