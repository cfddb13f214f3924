import { memo, useMemo } from 'react';
import { useDeckText } from '../hooks/useDeckText';
import type { FlagSpan } from '../../../shared/chat';
import { segmentText } from '../lib/flags';
import type { Settings } from '../../../shared/model';
import { ruleNameIn } from '../stores/settings';

interface MessageTextProps {
  roomKey: string;
  text: string;
  flags: readonly FlagSpan[];
  /** The rules, to name those that flagged a span (the row reads them, once for both). */
  rules: Settings['rules'] | undefined;
}

/**
 * Chat text, always as text (React escapes it; nothing here is HTML), inside `<bdi>` so bidi
 * controls in a message cannot reorder the rest of the row. Flagged spans are marked on exactly
 * their characters, with a glyph before them (not colour alone) and the rule named on hover.
 */
export const MessageText = memo(function MessageText({
  roomKey,
  text,
  flags,
  rules,
}: MessageTextProps) {
  const { rows } = useDeckText();
  const segments = useMemo(() => segmentText(text, flags), [text, flags]);

  return (
    <bdi className="message-text" dir="auto">
      {segments.map((segment, index) => {
        if (segment.ruleIds.length === 0) return segment.text;
        // No segment is the over-long flag's: it marks no text (segmentText).
        const names = segment.ruleIds.map((ruleId) => ruleNameIn(rules, roomKey, ruleId));
        const title = rows.flaggedBy(names.join(', '));
        return (
          <span key={index} className="flag">
            <span className="flag-icon" aria-hidden="true">
              ⚑
            </span>
            <mark className="flag-text" title={title} data-rule-ids={segment.ruleIds.join(' ')}>
              {segment.text}
            </mark>
          </span>
        );
      })}
    </bdi>
  );
});
