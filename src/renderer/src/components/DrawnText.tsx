import type { ReactNode } from 'react';
import { BIDI_CONTROL_NAMES, drawnPieces, type specialRanges } from '../lib/chatText';

interface DrawnTextProps {
  /** The whole text; this draws `start` to `end` of it. */
  text: string;
  start: number;
  end: number;
  specials: ReturnType<typeof specialRanges>;
}

/**
 * A stretch of chat text that holds a bidi control or blank lines, drawn so that it cannot pass
 * for something else: each control shows as a mark in an isolate of its own (so U+202E cannot draw
 * `evil.exe` as `exe.live`), and runs of blank lines fold to one. Every character stays in the
 * page, as typed: the word filter's spans index into it, and copying gives it back.
 */
export function DrawnText({ text, start, end, specials }: DrawnTextProps) {
  return drawnPieces(text, start, end, specials).map((piece, index) =>
    piece.kind === 'text' ? (
      piece.text
    ) : piece.kind === 'control' ? (
      <span key={index} className="bidi-control" data-control={BIDI_CONTROL_NAMES[piece.text]}>
        {piece.text}
      </span>
    ) : (
      <span key={index} className="text-folded">
        {piece.text}
      </span>
    ),
  );
}

/**
 * One highlighted segment of chat text (`start`, `length` long), drawn with `DrawnText` only when
 * the text holds something to draw apart: most chat has nothing, and stays a plain string.
 */
export function drawnSegment(
  text: string,
  start: number,
  length: number,
  specials: ReturnType<typeof specialRanges>,
  key: number,
): ReactNode {
  if (specials.length === 0) return text.slice(start, start + length);
  return <DrawnText key={key} text={text} start={start} end={start + length} specials={specials} />;
}
