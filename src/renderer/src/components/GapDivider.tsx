import type { TFunction } from 'i18next';
import { memo } from 'react';
import type { ChatEvent } from '../../../shared/chat';
import { useDeckText } from '../hooks/useDeckText';

interface GapDividerProps {
  event: ChatEvent;
  focused: boolean;
}

/**
 * Where the live feed was down (messages between the two times may be missing), or where a room's
 * stored history ends and its live feed begins: how long ModDeck, or the room, was closed.
 */
export const GapDivider = memo(function GapDivider({ event, focused }: GapDividerProps) {
  const { t, formatters } = useDeckText();
  const fromMs = event.gap?.from ?? event.createdAt;
  const toMs = event.gap?.to ?? event.createdAt;
  const from = formatters.time.format(fromMs);
  const to = formatters.time.format(toMs);
  const reason = event.gap?.reason;
  const text =
    reason === undefined
      ? t('row.gap', { from, to })
      : t(reason === 'appClosed' ? 'row.awayApp' : 'row.awayRoom', {
          duration: awayDuration(t, toMs - fromMs),
          from,
          to,
        });
  return (
    <article
      className={focused ? 'row row-gap row-focused' : 'row row-gap'}
      aria-label={text}
      data-room-key={event.roomKey}
      data-message-id={event.id}
      data-kind="gap"
    >
      <span className="gap-line" aria-hidden="true" />
      <span className="gap-text">
        {reason === undefined && <span aria-hidden="true">⚠ </span>}
        {text}
      </span>
      <span className="gap-line" aria-hidden="true" />
    </article>
  );
});

/** `3 h 12 min`: days and hours past a day, hours and minutes past an hour. */
function awayDuration(t: TFunction, ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return t('row.awayUnderMinute');
  if (minutes < 60) return t('row.awayMinutes', { minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return t('row.awayHours', { hours, minutes: minutes % 60 });
  return t('row.awayDays', { days: Math.floor(hours / 24), hours: hours % 24 });
}
