import { useMemo, useRef, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { useColumnsOutOfView } from '../hooks/useColumnsOutOfView';
import { useDeckKeyboard } from '../hooks/useDeckKeyboard';
import { DeckTextContext, rowActionText, rowText, type DeckText } from '../hooks/useDeckText';
import { useFormatters } from '../hooks/useFormatters';
import { useKeys } from '../hooks/useKeys';
import { selectStandings, StandingContext } from '../hooks/useStanding';
import { describeError } from '../lib/errors';
import { HELD_COLUMN } from '../lib/eventKey';
import { heldColumnShown } from '../stores/cursor';
import { useDeck } from '../stores/deck';
import { useFeed } from '../stores/feed';
import { DEFAULT_FLAGGED_WIDTH, useRooms } from '../stores/rooms';
import { useSettings } from '../stores/settings';
import { useUsers } from '../stores/users';
import { useView } from '../stores/view';
import { ColumnsOutOfView } from './ColumnsOutOfView';
import { DeckPanels } from './DeckPanels';
import { FlaggedColumn } from './FlaggedColumn';
import { HeldColumn } from './HeldColumn';
import { KeyboardHelp } from './KeyboardHelp';
import { RoomColumn } from './RoomColumn';
import { RoomPicker } from './RoomPicker';

/**
 * The deck: the Flagged column, the Held column while something is held or a rule would hold,
 * then one column per open room, side by side; past the window's edge, the names of the columns
 * out of view.
 */
/**
 * Whether the deck shows the Held column (`heldColumnShown`), as a subscription. It follows
 * whether anything is held, not how many: the count changes with every batch of a raid, and the
 * deck rendering again renders every column with it.
 */
function useHeldColumnShown(): boolean {
  const held = useFeed((state) => (state.held.length > 0 ? 1 : 0));
  const settings = useSettings((state) => state.settings);
  const paused = useDeck((state) => state.frozen[HELD_COLUMN] !== undefined);
  return heldColumnShown(held, settings, paused);
}

export function Deck() {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const keys = useKeys();
  const text = useMemo<DeckText>(
    () => ({ t, formatters, keys, actions: rowActionText(t, keys), rows: rowText(t) }),
    [t, formatters, keys],
  );
  const standings = useUsers(selectStandings);
  useDeckKeyboard();
  const roomKeys = useRooms(useShallow((state) => state.columns.map((column) => column.roomKey)));
  const picker = useView((state) => state.picker);
  const help = useView((state) => state.help);
  const setPicker = useView((state) => state.setPicker);
  const settingsError = useSettings((state) => state.error);
  const heldShown = useHeldColumnShown();
  const flaggedWidth = useRooms((state) => state.flaggedWidth) ?? DEFAULT_FLAGGED_WIDTH;
  const columns = useRef<HTMLDivElement>(null);
  const outOfView = useColumnsOutOfView(columns, roomKeys);

  return (
    <DeckTextContext.Provider value={text}>
      <StandingContext.Provider value={standings}>
        <div className="deck">
          <h1 className="visually-hidden">{t('nav.deck')}</h1>
          {settingsError ? (
            <p className="deck-problem" role="alert">
              {t('deck.settingsFailed', { reason: describeError(t, settingsError) })}
            </p>
          ) : null}
          <div
            ref={columns}
            className="deck-columns"
            tabIndex={-1}
            // Columns come to rest against the Flagged column, as wide as the moderator made it.
            style={{ '--flagged-width': `${flaggedWidth}px` } as CSSProperties}
          >
            <FlaggedColumn />
            {heldShown ? <HeldColumn /> : null}
            {roomKeys.map((roomKey) => (
              <RoomColumn key={roomKey} roomKey={roomKey} />
            ))}
            {outOfView.spacerWidth > 0 ? (
              <div className="deck-spacer" style={{ width: outOfView.spacerWidth }} />
            ) : null}
            {roomKeys.length === 0 ? (
              <div className="deck-empty">
                <p>{t('deck.empty')}</p>
                <button type="button" className="primary" onClick={() => setPicker(true)}>
                  {t('deck.openRoom')}
                </button>
              </div>
            ) : null}
          </div>
          <ColumnsOutOfView outOfView={outOfView} />
          <DeckPanels />
          {picker ? <RoomPicker /> : null}
          {help ? <KeyboardHelp /> : null}
        </div>
      </StandingContext.Provider>
    </DeckTextContext.Provider>
  );
}
