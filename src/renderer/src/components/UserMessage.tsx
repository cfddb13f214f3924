import { memo } from 'react';
import { useDeckText } from '../hooks/useDeckText';
import { roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { useDeck } from '../stores/deck';
import { displayedState, useFeed } from '../stores/feed';
import { useRooms } from '../stores/rooms';
import { selectRules, useSettings } from '../stores/settings';
import { MessageText } from './MessageText';

interface UserMessageProps {
  eventKey: EventKey;
}

/** One message on a user card: when, where, its state, its text with flagged words marked. */
export const UserMessage = memo(function UserMessage({ eventKey }: UserMessageProps) {
  const { t, formatters } = useDeckText();
  const roomKey = roomKeyOfEvent(eventKey);
  const event = useFeed((state) => state.rooms[roomKey]?.byKey.get(eventKey));
  const action = useFeed((state) => state.actions[eventKey]);
  const roomName = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const rules = useSettings(selectRules);
  if (!event) return null;
  const state = displayedState(event, action);
  return (
    <li className={`user-message user-message-${state}`} data-message-id={event.id}>
      <div className="user-message-meta">
        <time dateTime={new Date(event.createdAt).toISOString()}>
          {formatters.time.format(event.createdAt)}
        </time>
        <span className="row-room">
          <bdi>{roomName}</bdi>
        </span>
        {state !== 'visible' ? (
          <span className="state-badge">{t(`row.states.${state}`)}</span>
        ) : null}
        <button
          type="button"
          className="link-button"
          onClick={() => useDeck.getState().setFocus({ column: roomKey, key: eventKey })}
        >
          {t('userCard.showInDeck')}
        </button>
      </div>
      {state === 'deleted' ? (
        <span className="row-deleted">{t('row.states.deleted')}</span>
      ) : (
        <MessageText roomKey={roomKey} text={event.text} flags={event.flags} rules={rules} />
      )}
    </li>
  );
});
