/** Splits a message's text into plain and flagged segments on the exact word-filter spans. */
import type { FlagSpan } from '../../../shared/chat';
import { OVER_LONG_RULE_ID } from '../../../shared/wordfilter';

export interface TextSegment {
  text: string;
  /** The rules that flagged this piece of text; empty for plain text. */
  ruleIds: string[];
}

/**
 * Segments cover the whole text in order. Overlapping spans from several rules produce pieces
 * flagged by each rule that covers them; spans are clamped to the text, and empty ones ignored.
 * The over-long flag marks no text: it spans what was not read, where nothing was found (the row
 * says it in a badge), nor does an automod verdict: it has a reason instead of a span (the row
 * shows the reason).
 */
export function segmentText(text: string, flags: readonly FlagSpan[]): TextSegment[] {
  const spans = flags
    .filter((flag) => flag.ruleId !== OVER_LONG_RULE_ID)
    .map((flag) => ({
      ruleId: flag.ruleId,
      start: Math.max(0, Math.min(flag.start ?? 0, text.length)),
      end: Math.max(0, Math.min(flag.end ?? 0, text.length)),
    }))
    .filter((span) => span.end > span.start);
  if (spans.length === 0) return [{ text, ruleIds: [] }];

  const cuts = new Set<number>([0, text.length]);
  for (const span of spans) {
    cuts.add(span.start);
    cuts.add(span.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: TextSegment[] = [];
  for (let index = 0; index < points.length - 1; index += 1) {
    const start = points[index] as number;
    const end = points[index + 1] as number;
    const ruleIds = [
      ...new Set(
        spans.filter((span) => span.start <= start && span.end >= end).map((span) => span.ruleId),
      ),
    ];
    const previous = segments[segments.length - 1];
    if (previous && sameRules(previous.ruleIds, ruleIds)) {
      previous.text += text.slice(start, end);
    } else {
      segments.push({ text: text.slice(start, end), ruleIds });
    }
  }
  return segments;
}

function sameRules(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((ruleId, index) => ruleId === b[index]);
}

/** Where each segment starts in the text they were cut from. */
export function segmentStarts(segments: readonly TextSegment[]): number[] {
  const starts: number[] = [];
  let start = 0;
  for (const segment of segments) {
    starts.push(start);
    start += segment.text.length;
  }
  return starts;
}
