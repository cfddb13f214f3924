import { useTranslation } from 'react-i18next';
import { displayName } from '../../../shared/displayName';
import { useFormatters } from '../hooks/useFormatters';
import { describeMasked } from '../lib/maskedLetters';
import type { BacktestRow } from '../lib/ruleDraft';
import { useFeed } from '../stores/feed';
import { useRooms } from '../stores/rooms';
import { FlaggedText } from './FlaggedText';

interface BacktestMessageProps {
  hit: BacktestRow;
  labelOf: (ruleId: string) => string;
}

/** A buffered message as the backtest found it, with the hits marked: in its text, in its sender's name. */
export function BacktestMessage({ hit, labelOf }: BacktestMessageProps) {
  const { t } = useTranslation();
  const titleOf = (ruleIds: readonly string[]) =>
    t('row.flaggedBy', { rules: ruleIds.map(labelOf).join(', ') });
  const formatters = useFormatters();
  const event = useFeed((state) => state.rooms[hit.roomKey]?.byKey.get(hit.key));
  const roomName = useRooms((state) => state.byKey[hit.roomKey]?.name ?? hit.roomKey);
  if (!event) return null;
  const masked = describeMasked(t, event.text, hit.matches);
  return (
    <li className="backtest-message" data-message-id={event.id}>
      <span className="row-time">{formatters.time.format(event.createdAt)}</span>
      <span className="row-room">
        <bdi>{roomName}</bdi>
      </span>
      {hit.nameMatches && event.user ? (
        // A hit on the display name: the name as it was written, its matched span marked.
        <span className="row-user backtest-name-hit">
          <span className="badge">{t('rules.backtest.nameHit')}</span>{' '}
          <FlaggedText text={event.user.name} spans={hit.nameMatches} titleOf={titleOf} />
        </span>
      ) : (
        <bdi className="row-user">
          {event.user ? displayName(event.user.name) : t('row.system')}
        </bdi>
      )}
      <FlaggedText text={event.text} spans={hit.matches} titleOf={titleOf} />
      {masked !== null ? (
        <span className="hint backtest-masked">{t('rules.masked.backtest', { masked })}</span>
      ) : null}
    </li>
  );
}
