/**
 * STOMP frames (https://stomp.github.io/stomp-specification-1.2.html): a command line, header
 * lines, a blank line, a body ended by NUL; lines end in LF or CR LF; a `content-length` header
 * lets the body hold NULs; a lone end-of-line between frames is a heart-beat. The parser works on
 * bytes and keeps what is left over, because a frame may span WebSocket messages and one message
 * may carry several frames.
 */

export type StompVersion = '1.0' | '1.1' | '1.2';

export interface StompFrame {
  command: string;
  /** Header names and values in order, unescaped; repeated names are kept (the first one counts). */
  headers: [string, string][];
  body: Buffer;
}

/** A frame the client got wrong; the server answers with ERROR and closes. */
export class StompProtocolError extends Error {
  constructor(
    message: string,
    readonly detail = '',
  ) {
    super(message);
    this.name = 'StompProtocolError';
  }
}

/** The value of the first header with that name (STOMP 1.2 "Repeated Header Entries"). */
export function header(frame: StompFrame, name: string): string | undefined {
  for (const [key, value] of frame.headers) if (key === name) return value;
  return undefined;
}

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

/**
 * Escapes a header value for `version` (STOMP 1.2 "Value Encoding"). 1.0 has no escaping; 1.1
 * escapes LF, colon and backslash; 1.2 adds CR. CONNECT and CONNECTED frames are never escaped.
 */
export function escapeHeaderValue(value: string, version: StompVersion): string {
  if (version === '1.0' || !/[\\\r\n:]/.test(value)) return value;
  let out = '';
  for (const character of value) {
    if (character === '\\') out += '\\\\';
    else if (character === '\n') out += '\\n';
    else if (character === ':') out += '\\c';
    else if (character === '\r' && version === '1.2') out += '\\r';
    else out += character;
  }
  return out;
}

/** Undoes `escapeHeaderValue`; an undefined escape sequence is a fatal protocol error. */
export function unescapeHeaderValue(value: string, version: StompVersion): string {
  if (version === '1.0' || !value.includes('\\')) return value;
  let out = '';
  for (let index = 0; index < value.length; index += 1) {
    const character = value[index];
    if (character !== '\\') {
      out += character;
      continue;
    }
    const next = value[index + 1];
    index += 1;
    if (next === '\\') out += '\\';
    else if (next === 'n') out += '\n';
    else if (next === 'c') out += ':';
    else if (next === 'r' && version === '1.2') out += '\r';
    else {
      throw new StompProtocolError(
        'Undefined escape sequence in a header',
        `"\\${next ?? ''}" is not defined by STOMP ${version}.`,
      );
    }
  }
  return out;
}

/** Builds one frame as text; escapes headers unless the command is CONNECTED. */
export function serializeFrame(
  command: string,
  headers: [string, string][],
  body: string,
  version: StompVersion,
): string {
  const escape = command !== 'CONNECTED';
  let text = `${command}\n`;
  for (const [name, value] of headers) {
    text += escape
      ? `${escapeHeaderValue(name, version)}:${escapeHeaderValue(value, version)}\n`
      : `${name}:${value}\n`;
  }
  if (body !== '') text += `content-length:${Buffer.byteLength(body)}\n`;
  return `${text}\n${body}\0`;
}

export interface ParserOptions {
  /** Frames larger than this are refused (protects the sandbox from a runaway client). */
  maxFrameBytes?: number;
}

/** The result of feeding bytes: whole frames, and how many heart-beats came between them. */
export interface ParseResult {
  frames: StompFrame[];
  heartbeats: number;
}

export class FrameParser {
  private pending: Buffer = Buffer.alloc(0);
  private readonly maxFrameBytes: number;
  /** Header values are unescaped by the version the connection negotiated. */
  version: StompVersion = '1.2';

  constructor(options: ParserOptions = {}) {
    this.maxFrameBytes = options.maxFrameBytes ?? 1024 * 1024;
  }

  push(chunk: Buffer): ParseResult {
    const data = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    const frames: StompFrame[] = [];
    let heartbeats = 0;
    let position = 0;
    for (;;) {
      // End-of-lines between frames are heart-beats.
      while (position < data.length) {
        const byte = data[position];
        if (byte === LF) {
          heartbeats += 1;
          position += 1;
        } else if (byte === CR && data[position + 1] === LF) {
          heartbeats += 1;
          position += 2;
        } else {
          break;
        }
      }
      if (position >= data.length) break;
      const parsed = this.parseFrame(data, position);
      if (parsed === null) break;
      frames.push(parsed.frame);
      position = parsed.end;
    }
    this.pending = position >= data.length ? Buffer.alloc(0) : data.subarray(position);
    if (this.pending.length > this.maxFrameBytes) {
      throw new StompProtocolError(
        'Frame too large',
        `Frames are limited to ${this.maxFrameBytes} bytes.`,
      );
    }
    return { frames, heartbeats };
  }

  /** One frame starting at `start`, or null when its bytes have not all arrived yet. */
  private parseFrame(data: Buffer, start: number): { frame: StompFrame; end: number } | null {
    let position = start;
    const readLine = (): string | null => {
      const newline = data.indexOf(LF, position);
      if (newline === -1) return null;
      const end = newline > position && data[newline - 1] === CR ? newline - 1 : newline;
      const line = data.toString('utf8', position, end);
      position = newline + 1;
      return line;
    };
    const command = readLine();
    if (command === null) return null;
    if (!/^[A-Z]+$/.test(command)) {
      throw new StompProtocolError(
        'Malformed frame',
        `"${command.slice(0, 40)}" is not a command.`,
      );
    }
    // CONNECT headers are never escaped, for 1.0 clients' sake (STOMP 1.2 "Value Encoding").
    const version: StompVersion =
      command === 'CONNECT' || command === 'STOMP' ? '1.0' : this.version;
    const headers: [string, string][] = [];
    for (;;) {
      const line = readLine();
      if (line === null) return null;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon <= 0) {
        throw new StompProtocolError('Malformed header', `"${line.slice(0, 40)}" has no name.`);
      }
      headers.push([
        unescapeHeaderValue(line.slice(0, colon), version),
        unescapeHeaderValue(line.slice(colon + 1), version),
      ]);
    }
    const frame: StompFrame = { command, headers, body: Buffer.alloc(0) };
    const lengthHeader = header(frame, 'content-length');
    if (lengthHeader !== undefined) {
      if (!/^\d+$/.test(lengthHeader)) {
        throw new StompProtocolError('Malformed content-length', `"${lengthHeader}"`);
      }
      const length = Number(lengthHeader);
      if (length > this.maxFrameBytes) {
        throw new StompProtocolError(
          'Frame too large',
          `Frames are limited to ${this.maxFrameBytes} bytes.`,
        );
      }
      if (data.length < position + length + 1) return null;
      if (data[position + length] !== NUL) {
        throw new StompProtocolError(
          'Body does not end where content-length says',
          'Expected a NUL octet after the body.',
        );
      }
      frame.body = Buffer.from(data.subarray(position, position + length));
      return { frame, end: position + length + 1 };
    }
    const nul = data.indexOf(NUL, position);
    if (nul === -1) return null;
    frame.body = Buffer.from(data.subarray(position, nul));
    return { frame, end: nul + 1 };
  }
}
