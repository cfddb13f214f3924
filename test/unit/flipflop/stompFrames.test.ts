import { FrameImpl, Parser } from '@stomp/stompjs';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { installStompFastPaths, stock } from '../../../src/main/providers/flipflop/stompFrames';

type Seen = ['frame', string | undefined, [string, string][], number[]] | ['ping'];

interface RawFrame {
  command: string | undefined;
  headers: [string, string][];
  binaryBody: Uint8Array | undefined;
}

/** A parser that writes down what it reports, read with the fast path or the library's own. */
function recordingParser(path: 'fast' | 'stock') {
  const seen: Seen[] = [];
  const parser = new Parser(
    (raw: RawFrame) =>
      seen.push(['frame', raw.command, raw.headers, Array.from(raw.binaryBody ?? [])]),
    () => seen.push(['ping']),
  );
  const parse = path === 'fast' ? parser.parseChunk : stock.parseChunk;
  return {
    seen,
    feed: (segment: string | ArrayBuffer, appendNull: boolean) =>
      parse.call(parser, segment, appendNull),
  };
}

const encoder = new TextEncoder();
const bytes = (text: string) => encoder.encode(text);

function concat(parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const all = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    all.set(part, offset);
    offset += part.length;
  }
  return all;
}

/** Header text, mostly plain, sometimes with what the fast path leaves to the library. */
const headerText = fc.string({
  unit: fc.constantFrom('a', 'b', 'n', 'c', '-', '1', ' ', ':', '\\', 'é', '😀', '\r'),
  maxLength: 8,
});
const bodyText = fc.string({
  unit: fc.constantFrom('{', '"', 'x', ' ', '\n', '\0', 'é', '😀'),
  maxLength: 40,
});

/** One piece of a stream: a frame (well formed or a little off), a heart-beat, a stray NULL. */
const piece: fc.Arbitrary<Uint8Array> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc
      .record({
        command: fc.constantFrom(
          'MESSAGE',
          'RECEIPT',
          'ERROR',
          'CONNECTED',
          'MESS\rAGE',
          'MÉSSAGE',
        ),
        headers: fc.array(
          fc.oneof(
            fc.tuple(headerText, headerText, fc.boolean()),
            fc.tuple(
              fc.constant('content-length'),
              fc.constantFrom('0', '2', '7', '-1', 'x'),
              fc.constant(true),
            ),
          ),
          { maxLength: 5 },
        ),
        body: bodyText,
        length: fc.constantFrom('exact', 'none', 'exact', 'short', 'long', 'not a number'),
        crlf: fc.boolean(),
      })
      .map(({ command, headers, body, length, crlf }) => {
        const eol = crlf ? '\r\n' : '\n';
        const bodyBytes = bytes(length === 'none' ? body.replaceAll('\0', '') : body);
        const lines = headers.map(([key, value, colon]) =>
          colon ? `${key}:${value}` : `${key}${value}`,
        );
        if (length === 'exact') lines.push(`content-length:${bodyBytes.length}`);
        if (length === 'short') lines.push(`content-length:${Math.floor(bodyBytes.length / 2)}`);
        if (length === 'long') lines.push(`content-length:${bodyBytes.length + 3}`);
        if (length === 'not a number') lines.push('content-length:many');
        const head = [command, ...lines].map((line) => line + eol).join('') + eol;
        return concat([bytes(head), bodyBytes, new Uint8Array([0])]);
      }),
  },
  { weight: 2, arbitrary: fc.constantFrom(bytes('\n'), bytes('\r\n')) },
  { weight: 1, arbitrary: fc.constant(new Uint8Array([0])) },
);

/**
 * A stream of pieces cut into chunks, sent as bytes or as text: anywhere, or within two bytes of
 * where a piece ends (where a frame's body, its terminator or the next frame's head is cut).
 */
const chunkedStream = fc
  .record({
    pieces: fc.array(piece, { minLength: 1, maxLength: 12 }),
    cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
    nearEnds: fc.array(fc.tuple(fc.nat(), fc.integer({ min: -2, max: 2 })), { maxLength: 4 }),
    asText: fc.boolean(),
    appendNull: fc.boolean(),
  })
  .map(({ pieces, cuts, nearEnds, asText, appendNull }) => {
    const stream = concat(pieces);
    const ends: number[] = [];
    pieces.reduce((end, part) => (ends.push(end + part.length), end + part.length), 0);
    const at = [
      ...new Set([
        ...cuts.map((cut) => Math.floor(cut * stream.length)),
        ...nearEnds.map(([which, delta]) => (ends[which % ends.length] ?? 0) + delta),
      ]),
    ]
      .filter((cut) => cut > 0 && cut < stream.length)
      .sort((a, b) => a - b);
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let from = 0;
    for (const cut of [...at, stream.length]) {
      if (cut > from) chunks.push(stream.slice(from, cut));
      from = cut;
    }
    const decoder = new TextDecoder();
    const segments = chunks.map((chunk) => (asText ? decoder.decode(chunk) : chunk.buffer));
    return { segments, appendNull };
  });

describe('the whole-frame fast path for stompjs', () => {
  afterEach(() => vi.restoreAllMocks());

  it('is in place with the stompjs this app depends on', () => {
    expect(installStompFastPaths()).toBe(true);
    expect(Parser.prototype.parseChunk).not.toBe(stock.parseChunk);
  });

  it('reports every frame and heart-beat of any chunked stream exactly as the library’s parser does', () => {
    installStompFastPaths();
    fc.assert(
      fc.property(chunkedStream, ({ segments, appendNull }) => {
        const fast = recordingParser('fast');
        const reference = recordingParser('stock');
        for (const segment of segments) {
          fast.feed(segment, appendNull);
          reference.feed(segment, appendNull);
        }
        expect(fast.seen).toEqual(reference.seen);
      }),
      { numRuns: 400 },
    );
  });

  it('reads a chunk of whole frames without going byte by byte, and a cut frame byte by byte', () => {
    installStompFastPaths();
    const consumeByte = vi.spyOn(
      Parser.prototype as unknown as { _consumeByte: (byte: number) => void },
      '_consumeByte',
    );
    const body = '{"message":"héllo 😀"}';
    const frame = `MESSAGE\nsubscription:room-1\ndestination:/topic/chat/c1\ncontent-length:${bytes(body).length}\n\n${body}\0`;
    const { seen, feed } = recordingParser('fast');

    feed(`${frame}\n${frame}`, false);
    expect(consumeByte).not.toHaveBeenCalled();
    expect(seen).toHaveLength(3);
    expect(seen[0]).toEqual([
      'frame',
      'MESSAGE',
      [
        ['subscription', 'room-1'],
        ['destination', '/topic/chat/c1'],
        ['content-length', String(bytes(body).length)],
      ],
      Array.from(bytes(body)),
    ]);
    expect(seen[1]).toEqual(['ping']);

    feed(frame.slice(0, 30), false);
    expect(consumeByte).toHaveBeenCalled();
    feed(frame.slice(30), false);
    expect(seen).toHaveLength(4);
    expect(seen[3]).toEqual(seen[0]);
  });

  it('drops the byte after a content-length body even when it comes in the next chunk', () => {
    installStompFastPaths();
    // The declared length ends the body before "yz"; the library drops "y" as the terminator and
    // reads "z" on as the start of the next frame, whose command then runs into "RECEIPT".
    const chunks = ['MESSAGE\ncontent-length:2\n\nwx', 'yzRECEIPT\nreceipt-id:1\n\n\0'];
    const fast = recordingParser('fast');
    const reference = recordingParser('stock');
    for (const chunk of chunks) {
      fast.feed(chunk, false);
      reference.feed(chunk, false);
    }
    expect(reference.seen).toEqual([
      ['frame', 'MESSAGE', [['content-length', '2']], Array.from(bytes('wx'))],
      ['frame', 'zRECEIPT', [['receipt-id', '1']], []],
    ]);
    expect(fast.seen).toEqual(reference.seen);
  });

  it('goes on with the next frame when a handler throws, as the library does', () => {
    installStompFastPaths();
    const logged = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const commands: (string | undefined)[] = [];
    const parser = new Parser(
      (raw: RawFrame) => {
        commands.push(raw.command);
        if (commands.length === 1) throw new Error('handler failed');
      },
      () => undefined,
    );
    parser.parseChunk('RECEIPT\nreceipt-id:1\n\n\0RECEIPT\nreceipt-id:2\n\n\0');
    expect(commands).toEqual(['RECEIPT', 'RECEIPT']);
    expect(logged).toHaveBeenCalledWith(
      expect.stringContaining('Ignoring an exception thrown by a frame handler'),
      expect.objectContaining({ message: 'handler failed' }),
    );
  });

  it('unescapes header values as the library does, and leaves those without a backslash as they are', () => {
    installStompFastPaths();
    const unescape = (FrameImpl as unknown as { hdrValueUnEscape: (value: string) => string })
      .hdrValueUnEscape;
    expect(unescape).not.toBe(stock.hdrValueUnEscape);
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '\\', 'r', 'n', 'c', ':', '\n') }),
        (value) => {
          expect(unescape(value)).toBe(stock.hdrValueUnEscape(value));
        },
      ),
    );
    const frame = FrameImpl.fromRawFrame(
      {
        command: 'MESSAGE',
        headers: [
          ['destination', '/topic/chat/c1'],
          ['note', 'a\\cb\\n'],
        ],
        binaryBody: new Uint8Array(),
      },
      true,
    );
    expect(frame.headers).toEqual({ destination: '/topic/chat/c1', note: 'a:b\n' });
  });
});
