import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { FlagSpan } from '../../../shared/chat';
import { segmentText } from '../lib/flags';

interface HighlightedTextProps {
  text: string;
  spans: readonly FlagSpan[];
  /** How a rule is named on hover. */
  labelOf: (ruleId: string) => string;
}

/**
 * Text with spans marked as the deck marks flagged words (a glyph and the mark, not colour alone),
 * for places outside the deck: the rule editor's preview and backtest.
 */
export function HighlightedText({ text, spans, labelOf }: HighlightedTextProps) {
  const { t } = useTranslation();
  const segments = useMemo(() => segmentText(text, spans), [text, spans]);
  return (
    <bdi className="message-text" dir="auto">
      {segments.map((segment, index) => {
        if (segment.ruleIds.length === 0) return segment.text;
        const title = t('row.flaggedBy', { rules: segment.ruleIds.map(labelOf).join(', ') });
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
}
