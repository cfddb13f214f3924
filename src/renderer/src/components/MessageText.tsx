import { memo } from 'react';
import { useDeckText } from '../hooks/useDeckText';
import type { FlagSpan } from '../../../shared/chat';
import type { Settings } from '../../../shared/model';
import { ruleNameIn } from '../stores/settings';
import { FlaggedText } from './FlaggedText';

interface MessageTextProps {
  roomKey: string;
  text: string;
  flags: readonly FlagSpan[];
  /** The rules, to name those that flagged a span (the row reads them, once for both). */
  rules: Settings['rules'] | undefined;
}

/** A row's chat text (`FlaggedText`), its flagged spans named by the room's rules. */
export const MessageText = memo(function MessageText({
  roomKey,
  text,
  flags,
  rules,
}: MessageTextProps) {
  const { rows } = useDeckText();
  return (
    <FlaggedText
      text={text}
      spans={flags}
      // No segment is the over-long flag's: it marks no text (segmentText).
      titleOf={(ruleIds) =>
        rows.flaggedBy(ruleIds.map((ruleId) => ruleNameIn(rules, roomKey, ruleId)).join(', '))
      }
    />
  );
});
