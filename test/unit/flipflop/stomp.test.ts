import { describe, expect, it } from 'vitest';
import {
  serializeFrame,
  StompParser,
  StompProtocolError,
  type StompFrame,
} from '../../../src/main/providers/flipflop/stomp';

function parser() {
  const frames: StompFrame[] = [];
  let beats = 0;
  const instance = new StompParser(
    (frame) => frames.push(frame),
    () => (beats += 1),
  );
  return { instance, frames, beats: () => beats };
}

const message = (id: string, body: string) =>
  `MESSAGE\nsubscription:sub-0\nmessage-id:${id}\ndestination:/topic/chat/k\n` +
  `content-type:application/json\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`;

describe('StompParser', () => {
  it('reads several frames from one chunk and one frame from several chunks', () => {
    const { instance, frames } = parser();
    instance.push(Buffer.from(message('1', '{"a":1}') + message('2', '{"b":2}')));
    const bytes = Buffer.from(message('3', '{"text":"안녕하세요 👋"}'));
    // Split inside the headers, inside a multi-byte character and just before the NUL.
    for (const [from, to] of [
      [0, 10],
      [10, bytes.length - 8],
      [bytes.length - 8, bytes.length - 1],
      [bytes.length - 1, bytes.length],
    ])
      instance.push(bytes.subarray(from, to));
    expect(frames.map((frame) => frame.headers['message-id'])).toEqual(['1', '2', '3']);
    expect(frames[2]).toEqual({
      command: 'MESSAGE',
      headers: {
        subscription: 'sub-0',
        'message-id': '3',
        destination: '/topic/chat/k',
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength('{"text":"안녕하세요 👋"}')),
      },
      body: '{"text":"안녕하세요 👋"}',
    });
  });

  it('counts heart-beats (LF or CRLF) between frames and reads CRLF header lines', () => {
    const { instance, frames, beats } = parser();
    instance.push(Buffer.from('\n\r\n'));
    instance.push(Buffer.from('MESSAGE\r\nsubscription:sub-1\r\n\r\nhello\0\n\n'));
    expect(beats()).toBe(4);
    expect(frames).toEqual([
      { command: 'MESSAGE', headers: { subscription: 'sub-1' }, body: 'hello' },
    ]);
  });

  it('honours content-length, so a body may hold NUL; without it the body ends at the first NUL', () => {
    const { instance, frames } = parser();
    instance.push(Buffer.from('MESSAGE\ncontent-length:3\n\na\0b\0MESSAGE\n\nc\0'));
    expect(frames.map((frame) => frame.body)).toEqual(['a\0b', 'c']);
  });

  it('unescapes header values (STOMP 1.1+) but not in CONNECTED, and keeps a repeated header’s first value', () => {
    const { instance, frames } = parser();
    instance.push(Buffer.from('CONNECTED\nversion:1.2\nserver:a\\cb\n\n\0'));
    instance.push(
      Buffer.from('ERROR\nmessage:line\\none\\c two \\\\ three\nmessage:second\n\nbody\0'),
    );
    expect(frames[0]?.headers['server']).toBe('a\\cb');
    expect(frames[1]?.headers).toEqual({ message: 'line\none: two \\ three' });
  });

  it('takes header values as they are when escaping is off (STOMP 1.0)', () => {
    const { instance, frames } = parser();
    instance.escaping = false;
    instance.push(Buffer.from('MESSAGE\ndestination:/a\\cb\n\n\0'));
    expect(frames[0]?.headers['destination']).toBe('/a\\cb');
  });

  it('refuses an undefined escape, a header without a colon and a frame longer than its length', () => {
    for (const text of [
      'MESSAGE\nbad:\\t\n\n\0',
      'MESSAGE\nno colon\n\n\0',
      'MESSAGE\ncontent-length:1\n\nab\0',
      'MESSAGE\ncontent-length:x\n\na\0',
    ]) {
      expect(() => parser().instance.push(Buffer.from(text)), text).toThrow(StompProtocolError);
    }
  });
});

describe('serializeFrame', () => {
  it('escapes header names and values except in CONNECT, and ends the frame with NUL', () => {
    expect(serializeFrame('SUBSCRIBE', { id: 'sub-0', destination: '/a:b\\c\nd' }, true)).toBe(
      'SUBSCRIBE\nid:sub-0\ndestination:/a\\cb\\\\c\\nd\n\n\0',
    );
    expect(serializeFrame('CONNECT', { token: 'a:b' }, true)).toBe('CONNECT\ntoken:a:b\n\n\0');
    expect(serializeFrame('SEND', { destination: '/a:b' }, false, 'hi')).toBe(
      'SEND\ndestination:/a:b\n\nhi\0',
    );
  });
});
