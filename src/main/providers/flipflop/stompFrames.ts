/**
 * Whole frames at once for @stomp/stompjs' parser. Its parser reads every received byte through a
 * function call and an array push, then copies the array into a Uint8Array: at 30,000 frames a
 * second that was a third of the Gossip feed's CPU (docs/performance.md). Between frames the fast
 * path here finds a frame's head and body with `indexOf`-style scans and hands stompjs the same
 * raw frame its own reading would have produced; anything it does not read exactly the same way
 * (a frame cut by the end of the chunk, a carriage return, a byte outside ASCII in the head, a
 * header line without a colon, an unusable content-length) is left where it starts, to the
 * library's byte-by-byte reading. Header values without a backslash skip the four regular
 * expressions that unescape them.
 *
 * stompjs creates its parser inside its connection handler, so the fast path goes on the parser's
 * prototype. It relies on the parser's state between frames (`_onByte` back at `_collectFrame`);
 * `install` checks that shape on a parser of its own first and leaves the library alone when it
 * differs. The unit tests hold both paths to the same output on arbitrary chunked input.
 */
import { FrameImpl, Parser } from '@stomp/stompjs';

const NULL = 0;
const LF = 10;
const CR = 13;
const ASCII_END = 0x80;

interface RawFrame {
  command: string | undefined;
  headers: [string, string][];
  binaryBody: Uint8Array | undefined;
}

/** What the fast path reads and calls of stompjs' parser (7.x). */
interface ParserInternals {
  onFrame: (rawFrame: RawFrame) => void;
  onIncomingPing: () => void;
  readonly _encoder: { encode(text: string): Uint8Array };
  readonly _decoder: { decode(bytes: Uint8Array): string };
  _onByte: (byte: number) => void;
  _collectFrame: (byte: number) => void;
  _token: number[];
}

type ParseChunk = (
  this: Parser,
  segment: string | ArrayBuffer,
  appendMissingNULLonIncoming?: boolean,
) => void;
type UnEscape = (value: string) => string;

const frameStatics = FrameImpl as unknown as { hdrValueUnEscape: UnEscape };

/** The library's own implementations, as they were when this module loaded. */
export const stock: { parseChunk: ParseChunk; hdrValueUnEscape: UnEscape } = {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called on a parser
  parseChunk: Parser.prototype.parseChunk,
  hdrValueUnEscape: frameStatics.hdrValueUnEscape,
};

let installed: boolean | null = null;

/** Puts the fast paths in place once; false when this stompjs is not the shape they expect. */
export function installStompFastPaths(): boolean {
  installed ??= install();
  return installed;
}

function install(): boolean {
  if (!hasExpectedShape()) return false;
  Parser.prototype.parseChunk = parseChunk;
  frameStatics.hdrValueUnEscape = (value) =>
    value.includes('\\') ? stock.hdrValueUnEscape(value) : value;
  return true;
}

function hasExpectedShape(): boolean {
  if (typeof frameStatics.hdrValueUnEscape !== 'function') return false;
  const probe = new Parser(
    () => undefined,
    () => undefined,
  ) as unknown as ParserInternals;
  return (
    typeof probe._collectFrame === 'function' &&
    probe._onByte === probe._collectFrame &&
    Array.isArray(probe._token) &&
    typeof probe._encoder.encode === 'function' &&
    typeof probe._decoder.decode === 'function'
  );
}

function parseChunk(
  this: Parser,
  segment: string | ArrayBuffer,
  appendMissingNULLonIncoming = false,
): void {
  const parser = this as unknown as ParserInternals;
  let chunk =
    typeof segment === 'string' ? parser._encoder.encode(segment) : new Uint8Array(segment);
  if (appendMissingNULLonIncoming && chunk[chunk.length - 1] !== NULL) {
    const terminated = new Uint8Array(chunk.length + 1);
    terminated.set(chunk, 0);
    chunk = terminated;
  }
  let position = 0;
  // Between frames (the only state in which the parser holds nothing): skip what the library
  // skips, report heart-beats, and read whole frames.
  while (position < chunk.length && parser._onByte === parser._collectFrame) {
    const byte = chunk[position];
    if (byte === NULL || byte === CR) position += 1;
    else if (byte === LF) {
      position += 1;
      parser.onIncomingPing();
    } else {
      const next = readWholeFrame(parser, chunk, position);
      if (next === -1) break;
      position = next;
    }
  }
  for (; position < chunk.length; position += 1) parser._onByte(chunk[position] ?? NULL);
}

/**
 * Reads the frame that starts at `start` (on a command byte) and hands it on; returns where the
 * next one starts, or -1, having consumed nothing, when the byte-by-byte path must read it.
 */
function readWholeFrame(parser: ParserInternals, chunk: Uint8Array, start: number): number {
  let headEnd = -1;
  for (let index = start; index < chunk.length; index += 1) {
    const byte = chunk[index] ?? NULL;
    if (byte === LF) {
      // The blank line; chunk[start] is a command byte, so index - 1 is inside the frame.
      if (chunk[index - 1] === LF) {
        headEnd = index;
        break;
      }
    } else if (byte === CR || byte === NULL || byte >= ASCII_END) return -1;
  }
  if (headEnd === -1) return -1;

  const lines = parser._decoder.decode(chunk.subarray(start, headEnd - 1)).split('\n');
  const headers: [string, string][] = [];
  let contentLength: string | undefined;
  for (let index = 1; index < lines.length; index += 1) {
    const line = lines[index] ?? '';
    const colon = line.indexOf(':');
    if (colon === -1) return -1;
    const header: [string, string] = [line.slice(0, colon), line.slice(colon + 1)];
    if (contentLength === undefined && header[0] === 'content-length') contentLength = header[1];
    headers.push(header);
  }

  const bodyStart = headEnd + 1;
  let bodyEnd: number;
  if (contentLength !== undefined) {
    const length = parseInt(contentLength, 10);
    if (!(length >= 0)) return -1;
    bodyEnd = bodyStart + length;
    // The byte after the body is the frame's terminator, dropped unread as the library does.
    if (bodyEnd >= chunk.length) return -1;
  } else {
    bodyEnd = chunk.indexOf(NULL, bodyStart);
    if (bodyEnd === -1) return -1;
  }

  const rawFrame: RawFrame = {
    command: lines[0],
    headers,
    binaryBody: chunk.slice(bodyStart, bodyEnd),
  };
  try {
    parser.onFrame(rawFrame);
  } catch (error) {
    // As the library's parser does, so one bad handler cannot stop the frames after it.
    console.log('Ignoring an exception thrown by a frame handler. Original exception: ', error);
  }
  return bodyEnd + 1;
}
