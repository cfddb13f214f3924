import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlagSpan } from '../../../shared/chat';
import { specialRanges } from '../lib/chatText';
import { segmentStarts, segmentText } from '../lib/flags';
import { drawnSegment } from './DrawnText';

interface HighlightedTextProps {
  text: string;
  spans: readonly FlagSpan[];
  /** How a rule is named on hover. */
  labelOf: (ruleId: string) => string;
}

/**
 * Text with spans marked as the deck marks flagged words (a glyph and the mark, not colour alone),
 * and drawn as the deck draws chat text, for places outside the deck: the rule editor's preview and
 * backtest.
 */
export function HighlightedText({ text, spans, labelOf }: HighlightedTextProps) {
  const { t } = useTranslation();
  const { segments, specials, starts } = useMemo(() => {
    const cut = segmentText(text, spans);
    return { segments: cut, specials: specialRanges(text), starts: segmentStarts(cut) };
  }, [text, spans]);
  return (
    <bdi className="message-text" dir="auto">
      {segments.map((segment, index) => {
        const start = starts[index] ?? 0;
        const drawn = drawnSegment(text, start, segment.text.length, specials, index);
        if (segment.ruleIds.length === 0) return drawn;
        const title = t('row.flaggedBy', { rules: segment.ruleIds.map(labelOf).join(', ') });
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
}
