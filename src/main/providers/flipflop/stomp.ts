/**
 * The STOMP client the Gossip feed needs, on `ws`: CONNECT with FlipFlop's headers, SUBSCRIBE and
 * UNSUBSCRIBE, MESSAGE and ERROR frames, and heart-beats both ways (STOMP 1.2 §Heart-beating).
 * No transactions, acknowledgements, receipts or reconnects: the feed subscribes with `ack:auto`
 * and reconnects itself.
 *
 * Frames are read from the socket's bytes with native searches, and a body is decoded once. The
 * general-purpose client this replaces (@stomp/stompjs) decoded each frame to text, encoded it back
 * to bytes, walked the bytes one function call at a time and built a debug string of every frame:
 * about a third of the main process's time at 10,000 messages/s.
 */
import WebSocket from 'ws';
import type { Clock, TimerHandle } from '../../clock';

const LF = 0x0a;
const CR = 0x0d;
const NUL = 0x00;

export interface StompFrame {
  command: string;
  /** The first value of each header (STOMP 1.2: a repeated header's first value counts). */
  headers: Record<string, string>;
  body: string;
}

/** Header values escape `\`, LF, CR and `:` in STOMP 1.1 and 1.2, except in CONNECT/CONNECTED. */
function unescapeHeader(value: string): string {
  if (!value.includes('\\')) return value;
  return value.replace(/\\(.)/g, (_match, code: string) => {
    if (code === 'n') return '\n';
    if (code === 'r') return '\r';
    if (code === 'c') return ':';
    if (code === '\\') return '\\';
    throw new StompProtocolError(`undefined escape \\${code} in a header`);
  });
}

function escapeHeader(value: string): string {
  return value.replace(/[\\\n\r:]/g, (character) =>
    character === '\\' ? '\\\\' : character === '\n' ? '\\n' : character === '\r' ? '\\r' : '\\c',
  );
}

export class StompProtocolError extends Error {}

/**
 * Turns a byte stream into frames and heart-beats. A frame may arrive in pieces and several may
 * arrive together; `content-length` is honoured, else the body ends at the first NUL.
 */
export class StompParser {
  private pending: Buffer | null = null;
  /** Whether header values are escaped (STOMP 1.1 and later). */
  escaping = true;

  constructor(
    private readonly onFrame: (frame: StompFrame) => void,
    private readonly onHeartBeat: () => void = () => undefined,
  ) {}

  push(chunk: Buffer): void {
    const data = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    this.pending = null;
    let offset = 0;
    while (offset < data.length) {
      const first = data[offset];
      if (first === LF) {
        this.onHeartBeat();
        offset += 1;
        continue;
      }
      if (first === CR && data[offset + 1] === LF) {
        this.onHeartBeat();
        offset += 2;
        continue;
      }
      const end = this.frame(data, offset);
      if (end === -1) break;
      offset = end;
    }
    // Keep an unfinished frame; copy it, since the socket owns its buffers.
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }

  /** Reads the frame at `offset`; returns the offset after it, or -1 when it is not complete. */
  private frame(data: Buffer, offset: number): number {
    const lines: string[] = [];
    let lineStart = offset;
    let bodyStart = -1;
    while (bodyStart === -1) {
      const newline = data.indexOf(LF, lineStart);
      if (newline === -1) return -1;
      const lineEnd = newline > lineStart && data[newline - 1] === CR ? newline - 1 : newline;
      if (lineEnd === lineStart && lines.length > 0) bodyStart = newline + 1;
      else lines.push(data.toString('utf8', lineStart, lineEnd));
      lineStart = newline + 1;
    }
    const command = lines[0] as string;
    const escaped = this.escaping && command !== 'CONNECTED';
    const headers: Record<string, string> = {};
    for (let index = 1; index < lines.length; index += 1) {
      const line = lines[index] as string;
      const colon = line.indexOf(':');
      if (colon === -1) throw new StompProtocolError(`a header without a colon: ${line}`);
      const name = escaped ? unescapeHeader(line.slice(0, colon)) : line.slice(0, colon);
      if (name in headers) continue;
      const value = line.slice(colon + 1);
      headers[name] = escaped ? unescapeHeader(value) : value;
    }
    let bodyEnd: number;
    const length = headers['content-length'];
    if (length !== undefined) {
      bodyEnd = bodyStart + Number(length);
      if (!Number.isInteger(bodyEnd) || bodyEnd < bodyStart) {
        throw new StompProtocolError(`a bad content-length: ${length}`);
      }
      if (data.length <= bodyEnd) return -1;
      if (data[bodyEnd] !== NUL) throw new StompProtocolError('a frame longer than its length');
    } else {
      bodyEnd = data.indexOf(NUL, bodyStart);
      if (bodyEnd === -1) return -1;
    }
    this.onFrame({ command, headers, body: data.toString('utf8', bodyStart, bodyEnd) });
    return bodyEnd + 1;
  }
}

export function serializeFrame(
  command: string,
  headers: Record<string, string>,
  escaping: boolean,
  body = '',
): string {
  let text = `${command}\n`;
  for (const [name, value] of Object.entries(headers)) {
    text +=
      escaping && command !== 'CONNECT'
        ? `${escapeHeader(name)}:${escapeHeader(value)}\n`
        : `${name}:${value}\n`;
  }
  return `${text}\n${body}\0`;
}

export interface StompClientOptions {
  url: string;
  /** Offered in this order; the server's choice caps the STOMP version. */
  protocols: string[];
  connectHeaders: Record<string, string>;
  /** Both directions; 0 turns heart-beats off. */
  heartbeatMs: number;
  /** The server is gone after this many heart-beat periods without a byte. */
  heartbeatTolerance: number;
  /** Gives up when CONNECTED has not come by then. */
  connectionTimeoutMs: number;
  clock: Clock;
  /** Builds the socket; `ws` without compression by default. */
  webSocketFactory?: (url: string, protocols: string[]) => WebSocket;
  onConnected: () => void;
  /** An ERROR frame; the server closes the connection after it. */
  onError: (message: string) => void;
  /** The connection ended, for whatever reason; called once. */
  onClose: () => void;
}

type MessageHandler = (body: string, headers: Record<string, string>) => void;

/** One STOMP connection. Not reusable: a new connection is a new client. */
export class StompClient {
  private readonly socket: WebSocket;
  private readonly parser: StompParser;
  private readonly handlers = new Map<string, MessageHandler>();
  private nextSubscription = 0;
  private connected = false;
  private closed = false;
  private escaping = true;
  private lastReceived: number;
  private connectTimer: TimerHandle | null;
  private beatTimer: TimerHandle | null = null;
  private checkTimer: TimerHandle | null = null;

  constructor(private readonly options: StompClientOptions) {
    const { clock } = options;
    this.lastReceived = clock.now();
    this.parser = new StompParser(
      (frame) => this.received(frame),
      () => undefined,
    );
    const factory =
      options.webSocketFactory ??
      ((url: string, protocols: string[]) =>
        new WebSocket(url, protocols, { perMessageDeflate: false }));
    this.socket = factory(options.url, options.protocols);
    this.socket.on('open', () => this.open());
    this.socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.data(data));
    this.socket.on('error', () => undefined); // 'close' follows and reports it
    this.socket.on('close', () => this.ended());
    this.connectTimer = clock.setTimeout(() => {
      this.connectTimer = null;
      if (!this.connected) this.discard();
    }, options.connectionTimeoutMs);
  }

  get isConnected(): boolean {
    return this.connected && !this.closed;
  }

  /** Subscribes with `ack:auto`; returns a function that unsubscribes. */
  subscribe(destination: string, handler: MessageHandler): () => void {
    const id = `sub-${this.nextSubscription}`;
    this.nextSubscription += 1;
    this.handlers.set(id, handler);
    this.send('SUBSCRIBE', { id, destination, ack: 'auto' });
    return () => {
      if (!this.handlers.delete(id)) return;
      this.send('UNSUBSCRIBE', { id });
    };
  }

  /** Ends the connection at once, without DISCONNECT (the server treats it as gone). */
  discard(): void {
    if (this.closed) return;
    this.socket.terminate();
    this.ended();
  }

  private open(): void {
    const heartBeat = `${this.options.heartbeatMs},${this.options.heartbeatMs}`;
    this.socket.send(
      serializeFrame(
        'CONNECT',
        {
          'accept-version': '1.2,1.1,1.0',
          'heart-beat': heartBeat,
          ...this.options.connectHeaders,
        },
        false,
      ),
    );
  }

  private data(data: Buffer | ArrayBuffer | Buffer[]): void {
    if (this.closed) return;
    this.lastReceived = this.options.clock.now();
    const chunk = Buffer.isBuffer(data)
      ? data
      : Array.isArray(data)
        ? Buffer.concat(data)
        : Buffer.from(data);
    try {
      this.parser.push(chunk);
    } catch (error) {
      if (!(error instanceof StompProtocolError)) throw error;
      this.options.onError(`the chat server sent a malformed frame (${error.message})`);
      this.discard();
    }
  }

  private received(frame: StompFrame): void {
    if (this.closed) return;
    if (frame.command === 'MESSAGE') {
      const subscription = frame.headers['subscription'];
      if (subscription !== undefined) this.handlers.get(subscription)?.(frame.body, frame.headers);
      return;
    }
    if (frame.command === 'CONNECTED') {
      if (this.connected) return;
      this.connected = true;
      if (this.connectTimer) this.options.clock.clearTimeout(this.connectTimer);
      this.connectTimer = null;
      // STOMP 1.0 escapes nothing in headers.
      this.escaping = frame.headers['version'] !== '1.0' && frame.headers['version'] !== undefined;
      this.parser.escaping = this.escaping;
      this.startHeartBeats(frame.headers['heart-beat'] ?? '0,0');
      this.options.onConnected();
      return;
    }
    if (frame.command === 'ERROR') {
      this.options.onError(frame.headers['message'] ?? (frame.body.trim() || 'an error'));
    }
  }

  /** STOMP 1.2 §Heart-beating: each side beats at the slower of what one offers and the other wants. */
  private startHeartBeats(serverHeartBeat: string): void {
    const [serverSends = 0, serverWants = 0] = serverHeartBeat
      .split(',')
      .map((part) => Number(part) || 0);
    const { heartbeatMs, clock } = this.options;
    if (heartbeatMs > 0 && serverWants > 0) {
      const every = Math.max(heartbeatMs, serverWants);
      const beat = (): void => {
        if (this.closed) return;
        if (this.socket.readyState === WebSocket.OPEN) this.socket.send('\n');
        this.beatTimer = clock.setTimeout(beat, every);
      };
      this.beatTimer = clock.setTimeout(beat, every);
    }
    if (heartbeatMs > 0 && serverSends > 0) {
      const every = Math.max(heartbeatMs, serverSends);
      const limit = every * this.options.heartbeatTolerance;
      const check = (): void => {
        if (this.closed) return;
        if (clock.now() - this.lastReceived > limit) {
          this.discard();
          return;
        }
        this.checkTimer = clock.setTimeout(check, every);
      };
      this.checkTimer = clock.setTimeout(check, every);
    }
  }

  private send(command: string, headers: Record<string, string>): void {
    if (this.closed || this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(serializeFrame(command, headers, this.escaping));
  }

  private ended(): void {
    if (this.closed) return;
    this.closed = true;
    this.connected = false;
    for (const timer of [this.connectTimer, this.beatTimer, this.checkTimer]) {
      if (timer) this.options.clock.clearTimeout(timer);
    }
    this.handlers.clear();
    this.options.onClose();
  }
}
