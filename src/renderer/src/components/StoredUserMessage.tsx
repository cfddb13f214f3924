import { memo } from 'react';
import { useDeckText } from '../hooks/useDeckText';
import { useRooms } from '../stores/rooms';
import { selectRules, useSettings } from '../stores/settings';
import type { StoredMessage } from '../stores/userMemory';
import { MessageText } from './MessageText';

interface StoredUserMessageProps {
  event: StoredMessage;
}

/**
 * One message on a user card that only the history holds (the deck no longer does): when, where,
 * its state as last stored, its text with flagged words marked.
 */
export const StoredUserMessage = memo(function StoredUserMessage({
  event,
}: StoredUserMessageProps) {
  const { t, formatters } = useDeckText();
  const openName = useRooms((state) => state.byKey[event.roomKey]?.name);
  const rules = useSettings(selectRules);
  const roomName = event.roomName ?? openName ?? event.roomKey;
  return (
    <li
      className={`user-message user-message-${event.state} user-message-stored`}
      data-message-id={event.id}
    >
      <div className="user-message-meta">
        <time dateTime={new Date(event.createdAt).toISOString()}>
          {formatters.dateTime.format(event.createdAt)}
        </time>
        <span className="row-room">
          <bdi>{roomName}</bdi>
        </span>
        {event.state === 'held' ? (
          <span className="state-badge">{t('userCard.stored.held')}</span>
        ) : event.state !== 'visible' ? (
          <span className="state-badge">{t(`row.states.${event.state}`)}</span>
        ) : null}
        <span className="user-message-origin">{t('userCard.stored.fromHistory')}</span>
      </div>
      {event.state === 'deleted' ? (
        <span className="row-deleted">{t('row.states.deleted')}</span>
      ) : (
        <MessageText roomKey={event.roomKey} text={event.text} flags={event.flags} rules={rules} />
      )}
    </li>
  );
});
