import { memo, useMemo } from 'react';
import { useDeckText } from '../hooks/useDeckText';
import type { FlagSpan } from '../../../shared/chat';
import { specialRanges } from '../lib/chatText';
import { segmentStarts, segmentText } from '../lib/flags';
import type { Settings } from '../../../shared/model';
import { ruleNameIn } from '../stores/settings';
import { drawnSegment } from './DrawnText';

interface MessageTextProps {
  roomKey: string;
  text: string;
  flags: readonly FlagSpan[];
  /** The rules, to name those that flagged a span (the row reads them, once for both). */
  rules: Settings['rules'] | undefined;
}

/**
 * Chat text, always as text (React escapes it; nothing here is HTML), inside `<bdi>` so the message
 * cannot reorder the rest of the row, and with its own bidi controls and blank lines drawn so they
 * cannot disguise it (`DrawnText`). Flagged spans are marked on exactly their characters, with a
 * glyph before them (not colour alone) and the rule named on hover.
 */
export const MessageText = memo(function MessageText({
  roomKey,
  text,
  flags,
  rules,
}: MessageTextProps) {
  const { rows } = useDeckText();
  // One memo for all three: a busy deck mounts over a thousand rows a second.
  const { segments, specials, starts } = useMemo(() => {
    const cut = segmentText(text, flags);
    return { segments: cut, specials: specialRanges(text), starts: segmentStarts(cut) };
  }, [text, flags]);

  return (
    <bdi className="message-text" dir="auto">
      {segments.map((segment, index) => {
        const start = starts[index] ?? 0;
        const drawn = drawnSegment(text, start, segment.text.length, specials, index);
        if (segment.ruleIds.length === 0) return drawn;
        // No segment is the over-long flag's: it marks no text (segmentText).
        const names = segment.ruleIds.map((ruleId) => ruleNameIn(rules, roomKey, ruleId));
        const title = rows.flaggedBy(names.join(', '));
        return (
          <span key={index} className="flag">
            <span className="flag-icon" aria-hidden="true">
              ⚑
            </span>
            <mark className="flag-text" title={title} data-rule-ids={segment.ruleIds.join(' ')}>
              {drawn}
            </mark>
          </span>
        );
      })}
    </bdi>
  );
});
