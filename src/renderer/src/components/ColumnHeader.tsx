import { useTranslation } from 'react-i18next';
import { parseRoomKey, type RoomKey } from '../../../shared/chat';
import { useFormatters } from '../hooks/useFormatters';
import { useAccounts } from '../stores/accounts';
import { useFeed } from '../stores/feed';
import { COLUMN_DRAG_TYPE, useRooms } from '../stores/rooms';
import { ColumnMenu } from './ColumnMenu';
import { ColumnShowing } from './ColumnShowing';
import { shieldSince, useShield } from '../stores/shield';

interface ColumnHeaderProps {
  roomKey: RoomKey;
}

/**
 * Room name, provider (and whether the built-in sandbox simulates it), connection and whether
 * the column shows it live, rate, participants and what could not be shown whole, the room menu
 * and close.
 */
export function ColumnHeader({ roomKey }: ColumnHeaderProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const name = useRooms((state) => state.byKey[roomKey]?.name) ?? parseRoomKey(roomKey).roomId;
  const provider = useRooms((state) => state.byKey[roomKey]?.provider);
  const status = useRooms((state) => state.byKey[roomKey]?.status);
  const close = useRooms((state) => state.close);
  const accountId = parseRoomKey(roomKey).accountId;
  const sandbox = useAccounts(
    (state) => state.accounts.find((account) => account.id === accountId)?.sandbox === true,
  );
  const shielded = useShield((state) => shieldSince(state.state, roomKey) !== null);
  const rate = useFeed((state) => state.stats[roomKey]?.rate);
  const participants = useFeed((state) => state.stats[roomKey]?.participants);
  const unreadable = useFeed((state) => state.stats[roomKey]?.unreadable);
  const trimmed = useFeed((state) => state.stats[roomKey]?.trimmed);

  return (
    <div
      className="column-header"
      draggable
      title={t('column.dragHint')}
      onDragStart={(event) => {
        event.dataTransfer.setData(COLUMN_DRAG_TYPE, roomKey);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <div className="column-title">
        <h2 className="column-name" title={name}>
          <bdi>{name}</bdi>
        </h2>
        {provider ? (
          <span className={`provider-badge provider-${provider}`}>
            {t(`accountForm.providers.${provider}`)}
          </span>
        ) : null}
        {sandbox ? (
          <span className="badge sandbox-badge" title={t('column.sandboxHint')}>
            {t('column.sandbox')}
          </span>
        ) : null}
        {shielded ? (
          <span className="badge shield-badge" data-indicator="shield">
            {t('shield.roomBadge')}
          </span>
        ) : null}
        <span className="column-tools">
          <ColumnMenu roomKey={roomKey} name={name} />
          <button
            type="button"
            className="icon-button"
            aria-label={t('column.closeNamed', { name })}
            title={t('column.close')}
            onClick={() => void close(roomKey)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </span>
      </div>
      <div className="column-stats">
        {status ? <ColumnShowing column={roomKey} status={status} /> : null}
        {rate !== undefined ? (
          <span className="stat" title={t('column.rateHint')}>
            {t('column.rate', { rate: formatters.rate.format(rate) })}
          </span>
        ) : null}
        {participants !== undefined ? (
          <span className="stat">
            {t('column.participants', {
              count: participants,
              formatted: formatters.number.format(participants),
            })}
          </span>
        ) : null}
        {unreadable ? (
          <span className="stat stat-warning" title={t('column.unreadableHint')}>
            <span aria-hidden="true">⚠ </span>
            {t('column.unreadable', {
              count: unreadable,
              formatted: formatters.number.format(unreadable),
            })}
          </span>
        ) : null}
        {trimmed ? (
          <span className="stat stat-warning" title={t('column.trimmedHint')}>
            <span aria-hidden="true">✂ </span>
            {t('column.trimmed', {
              count: trimmed,
              formatted: formatters.number.format(trimmed),
            })}
          </span>
        ) : null}
      </div>
    </div>
  );
}
