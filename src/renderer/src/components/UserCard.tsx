import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { parseRoomKey, type Capabilities, type ChatUser, type RoomKey } from '../../../shared/chat';
import { useFormatters } from '../hooks/useFormatters';
import { roomKeyOfEvent } from '../lib/eventKey';
import { userHistory } from '../lib/userHistory';
import { useFeed } from '../stores/feed';
import { usePanels, type Panel } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { PanelFrame } from './PanelFrame';
import { UserMessage } from './UserMessage';

interface UserCardProps {
  roomKey: RoomKey;
  user: ChatUser;
}

/** An action a provider lets the moderator take on a user, offered when its capability is on. */
interface UserAction {
  capability: keyof Capabilities;
  label: string;
  panel: (roomKey: RoomKey, user: ChatUser) => Panel;
}

const USER_ACTIONS: readonly UserAction[] = [
  {
    capability: 'directMessage',
    label: 'userCard.directMessage',
    panel: (roomKey, user) => ({
      type: 'composer',
      mode: 'direct',
      roomKeys: [roomKey],
      receivers: [user],
    }),
  },
];

/**
 * Who a user is to the moderator right now: their recent messages in every open room of the
 * account (from what the deck holds), how often they were flagged, and the actions their
 * provider allows.
 */
export function UserCard({ roomKey, user }: UserCardProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const { accountId } = parseRoomKey(roomKey);
  const keys = useFeed(useShallow((state) => userHistory(state.rooms, accountId, user.id)));
  const flagged = useFeed(
    (state) =>
      keys.filter(
        (key) => (state.rooms[roomKeyOfEvent(key)]?.byKey.get(key)?.flags.length ?? 0) > 0,
      ).length,
  );
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const open = usePanels((state) => state.open);
  const rooms = new Set(keys.map(roomKeyOfEvent)).size;

  const actions = USER_ACTIONS.filter((action) => capabilities?.[action.capability] === true);

  return (
    <PanelFrame
      title={<bdi>{user.name}</bdi>}
      subtitle={t('userCard.id', { id: user.id })}
      className="user-card"
    >
      <p className="user-summary">
        {t('userCard.summary', {
          messages: t('userCard.messages', {
            count: keys.length,
            formatted: formatters.number.format(keys.length),
          }),
          rooms: t('userCard.rooms', { count: rooms, formatted: formatters.number.format(rooms) }),
        })}{' '}
        <span className={flagged > 0 ? 'user-flagged' : undefined}>
          {flagged > 0 ? (
            <span className="flag-icon" aria-hidden="true">
              ⚑{' '}
            </span>
          ) : null}
          {t('userCard.flagged', { count: flagged, formatted: formatters.number.format(flagged) })}
        </span>
      </p>
      {actions.length > 0 ? (
        <div className="user-actions">
          {actions.map((action) => (
            <button
              key={action.capability}
              type="button"
              onClick={() => open(action.panel(roomKey, user))}
            >
              {t(action.label)}
            </button>
          ))}
        </div>
      ) : null}
      <h3 className="side-panel-subheading">{t('userCard.history')}</h3>
      <p className="hint">{t('userCard.historyHint')}</p>
      {keys.length === 0 ? (
        <p className="hint">{t('userCard.noMessages')}</p>
      ) : (
        <ol className="user-history" aria-label={t('userCard.history')}>
          {keys.map((key) => (
            <UserMessage key={key} eventKey={key} />
          ))}
        </ol>
      )}
    </PanelFrame>
  );
}
