import { memo } from 'react';
import type { ChatEvent } from '../../../shared/chat';
import { useDeckText } from '../hooks/useDeckText';

interface GapDividerProps {
  event: ChatEvent;
  focused: boolean;
}

/** Where the live feed was down: messages between the two times may be missing. */
export const GapDivider = memo(function GapDivider({ event, focused }: GapDividerProps) {
  const { t, formatters } = useDeckText();
  const from = formatters.time.format(event.gap?.from ?? event.createdAt);
  const to = formatters.time.format(event.gap?.to ?? event.createdAt);
  const text = t('row.gap', { from, to });
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
        <span aria-hidden="true">⚠ </span>
        {text}
      </span>
      <span className="gap-line" aria-hidden="true" />
    </article>
  );
});
