import { useMemo } from 'react';
import type { FlagSpan } from '../../../shared/chat';
import { specialRanges } from '../lib/chatText';
import { segmentStarts, segmentText } from '../lib/flags';
import { drawnSegment } from './DrawnText';

interface FlaggedTextProps {
  text: string;
  spans: readonly FlagSpan[];
  /** What hovering a flagged span says: the rules that flagged it, by name. */
  titleOf: (ruleIds: readonly string[]) => string;
}

/**
 * Chat text, always as text (React escapes it; nothing here is HTML), inside `<bdi>` so it cannot
 * reorder what is around it, with its own bidi controls and blank lines drawn so they cannot
 * disguise it (`DrawnText`). Flagged spans are marked on exactly their characters, with a glyph
 * before them (not colour alone) and the rules named on hover. The deck's rows and the rule
 * editor's preview and backtest all draw text with it.
 */
export function FlaggedText({ text, spans, titleOf }: FlaggedTextProps) {
  // One memo for all three: a busy deck mounts over a thousand rows a second.
  const { segments, specials, starts } = useMemo(() => {
    const cut = segmentText(text, spans);
    return { segments: cut, specials: specialRanges(text), starts: segmentStarts(cut) };
  }, [text, spans]);
  return (
    <bdi className="message-text" dir="auto">
      {segments.map((segment, index) => {
        const drawn = drawnSegment(text, starts[index] ?? 0, segment.text.length, specials, index);
        if (segment.ruleIds.length === 0) return drawn;
        return (
          <span key={index} className="flag">
            <span className="flag-icon" aria-hidden="true">
              ⚑
            </span>
            <mark
              className="flag-text"
              title={titleOf(segment.ruleIds)}
              data-rule-ids={segment.ruleIds.join(' ')}
            >
              {drawn}
            </mark>
          </span>
        );
      })}
    </bdi>
  );
}
