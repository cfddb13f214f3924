/**
 * Helpers for the sandbox tests: a sandbox per test, REST and control calls over real HTTP, chat
 * tokens, and a bare STOMP client on `ws` with its own small frame parser (so the server's
 * framing is checked by code that does not share it).
 */
import { Client, type IFrame, type IMessage } from '@stomp/stompjs';
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../../src/sandbox/index';

/** A sandbox on a free port, closed when the current test ends. */
export async function useSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, ...options });
  onTestFinished(() => sandbox.close());
  return sandbox;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  /** The body parsed as JSON, or undefined when it is empty. */
  json: unknown;
}

async function answer(response: Response): Promise<HttpAnswer> {
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text === '' ? undefined : (JSON.parse(text) as unknown),
  };
}

export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
}

/**
 * Calls the emulated FlipFlop REST API with the sandbox's credentials (unless `authorization`
 * says otherwise; null sends none). A string body is sent as is, anything else as JSON.
 */
export async function rest(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  options: { authorization?: string | null } = {},
): Promise<HttpAnswer> {
  const { appApiKey, appApiSecret, baseUrl } = sandbox.flipflop;
  const headers: Record<string, string> = {};
  const authorization =
    options.authorization === undefined
      ? basicAuth(appApiKey, appApiSecret)
      : options.authorization;
  if (authorization !== null) headers['authorization'] = authorization;
  let payload: string | undefined;
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = typeof body === 'string' ? body : JSON.stringify(body);
  }
  return answer(await fetch(`${baseUrl}${path}`, { method, headers, body: payload }));
}

/** Calls the control API. */
export async function control<T = unknown>(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const response = await fetch(`${sandbox.control.baseUrl}/__sandbox${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const result = await answer(response);
  return { status: result.status, json: result.json as T };
}

export interface ControlRoom {
  videoRoomId: string;
  title: string;
  channelKey: string;
  chatRoom: { created: boolean; closed: boolean };
  ratePerSecond: number;
  /** A sustained raid's copies per second and line, or null. */
  raid: { perSecond: number; text: string } | null;
  memberCount: number;
}

export async function rooms(sandbox: Sandbox): Promise<ControlRoom[]> {
  return (await control<ControlRoom[]>(sandbox, 'GET', '/rooms')).json;
}

/** The first room with an open chat room, and the room without one. */
export async function seededRooms(
  sandbox: Sandbox,
): Promise<{ live: ControlRoom; withoutChat: ControlRoom }> {
  const list = await rooms(sandbox);
  const live = list.find((room) => room.chatRoom.created && !room.chatRoom.closed);
  const withoutChat = list.find((room) => !room.chatRoom.created);
  if (live === undefined || withoutChat === undefined) throw new Error('unexpected seed');
  return { live, withoutChat };
}

export interface ChatTokenAnswer {
  chatServerWebSocketUrl: string;
  chatToken: string;
  appId: string;
  userId: string;
  userName: string | null;
  avatarProfileUrl: string | null;
}

/** A member chat token for `userId` (the moderator by default). */
export async function memberToken(sandbox: Sandbox, userId?: string): Promise<ChatTokenAnswer> {
  const id = userId ?? sandbox.flipflop.moderator.appUserId;
  const result = await rest(sandbox, 'POST', `/v2/apps/me/members/${id}/chat-tokens`);
  if (result.status !== 200) throw new Error(`chat token: ${result.status} ${result.text}`);
  return result.json as ChatTokenAnswer;
}

export async function guestToken(sandbox: Sandbox, body: unknown = {}): Promise<ChatTokenAnswer> {
  const result = await rest(sandbox, 'POST', '/v2/apps/me/members/guest-chat-tokens', body);
  if (result.status !== 200) throw new Error(`guest token: ${result.status} ${result.text}`);
  return result.json as ChatTokenAnswer;
}

// ---------------------------------------------------------------------------------------------
// A bare STOMP client

export interface Frame {
  command: string;
  headers: Record<string, string>;
  /** Every header line as received, escaped, in order. */
  rawHeaders: string[];
  body: string;
}

export function unescape12(value: string): string {
  return value.replace(/\\([\\nrc])/g, (_, code: string) =>
    code === 'n' ? '\n' : code === 'r' ? '\r' : code === 'c' ? ':' : '\\',
  );
}

/**
 * Parses the server's output: frames end in NUL; end-of-lines between frames are heart-beats;
 * `content-length` is honoured. Deliberately independent of src/sandbox/stomp/frame.ts.
 */
export class TestFrameParser {
  private buffer = Buffer.alloc(0);
  heartbeats = 0;

  push(chunk: Buffer): Frame[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      while (this.buffer.length > 0 && (this.buffer[0] === 0x0a || this.buffer[0] === 0x0d)) {
        if (this.buffer[0] === 0x0a) this.heartbeats += 1;
        this.buffer = this.buffer.subarray(1);
      }
      const headerEnd = this.buffer.indexOf('\n\n');
      if (headerEnd === -1) return frames;
      const lines = this.buffer.toString('utf8', 0, headerEnd).split('\n');
      const command = lines.shift() ?? '';
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        const name = unescape12(line.slice(0, colon));
        if (!(name in headers)) headers[name] = unescape12(line.slice(colon + 1));
      }
      const bodyStart = headerEnd + 2;
      let bodyEnd: number;
      if (headers['content-length'] !== undefined) {
        bodyEnd = bodyStart + Number(headers['content-length']);
        if (this.buffer.length < bodyEnd + 1) return frames;
        if (this.buffer[bodyEnd] !== 0) throw new Error('frame does not end in NUL');
      } else {
        bodyEnd = this.buffer.indexOf(0, bodyStart);
        if (bodyEnd === -1) return frames;
      }
      frames.push({
        command,
        headers,
        rawHeaders: lines,
        body: this.buffer.toString('utf8', bodyStart, bodyEnd),
      });
      this.buffer = this.buffer.subarray(bodyEnd + 1);
    }
  }
}

export function frameText(
  command: string,
  headers: Record<string, string> = {},
  body = '',
): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}`);
  return `${command}\n${lines.join('\n')}${lines.length > 0 ? '\n' : ''}\n${body}\0`;
}

/** A STOMP client with no library: send text, wait for frames, see the close. */
export class RawStompClient {
  readonly parser = new TestFrameParser();
  /** Frames not taken by `next` yet. */
  readonly frames: Frame[] = [];
  /** Every frame received, in order, taken or not. */
  readonly received: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: { predicate: (frame: Frame) => boolean; resolve: (frame: Frame) => void }[] = [];
  private heartbeatWaiters: { count: number; resolve: () => void }[] = [];

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      for (const frame of this.parser.push(data)) this.deliver(frame);
      this.heartbeatWaiters = this.heartbeatWaiters.filter((waiter) => {
        if (this.parser.heartbeats < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static open(url: string, protocols: string[] = ['v12.stomp', 'v11.stomp', 'v10.stomp']) {
    const socket = new WebSocket(url, protocols);
    onTestFinished(() => socket.terminate());
    return new Promise<RawStompClient>((resolve, reject) => {
      const client = new RawStompClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  /** Opens a socket to the token's URL and CONNECTs with the documented headers. */
  static async connect(
    token: ChatTokenAnswer,
    extra: Record<string, string> = {},
  ): Promise<{ client: RawStompClient; connected: Frame }> {
    const client = await RawStompClient.open(token.chatServerWebSocketUrl);
    client.send(
      frameText('CONNECT', {
        'accept-version': '1.2',
        host: '127.0.0.1',
        token: token.chatToken,
        appid: token.appId,
        userid: token.userId,
        username: token.userName ?? token.userId,
        'heart-beat': '0,0',
        ...extra,
      }),
    );
    const connected = await client.next();
    if (connected.command !== 'CONNECTED') {
      throw new Error(
        `expected CONNECTED, got ${connected.command}: ${connected.headers['message'] ?? ''}`,
      );
    }
    return { client, connected };
  }

  send(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The next frame (matching `predicate`) that has not been taken yet. */
  next(predicate: (frame: Frame) => boolean = () => true): Promise<Frame> {
    const index = this.frames.findIndex(predicate);
    if (index !== -1) return Promise.resolve(this.frames.splice(index, 1)[0] as Frame);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** Waits for `count` MESSAGE frames of a subscription and takes them. */
  async messages(subscription: string, count: number): Promise<Frame[]> {
    const taken: Frame[] = [];
    while (taken.length < count) {
      taken.push(
        await this.next(
          (frame) => frame.command === 'MESSAGE' && frame.headers['subscription'] === subscription,
        ),
      );
    }
    return taken;
  }

  /** Resolves once `count` heart-beats (lone end-of-lines) arrived in total. */
  heartbeats(count: number): Promise<void> {
    if (this.parser.heartbeats >= count) return Promise.resolve();
    return new Promise((resolve) => this.heartbeatWaiters.push({ count, resolve }));
  }

  /** Sends a frame with a receipt and waits for the RECEIPT. */
  async withReceipt(command: string, headers: Record<string, string>, body = ''): Promise<void> {
    const receipt = `r-${Math.random().toString(36).slice(2)}`;
    this.send(frameText(command, { ...headers, receipt }, body));
    const frame = await this.next(
      (item) =>
        (item.command === 'RECEIPT' && item.headers['receipt-id'] === receipt) ||
        item.command === 'ERROR',
    );
    if (frame.command === 'ERROR') {
      throw new Error(`ERROR ${frame.headers['message'] ?? ''}: ${frame.body}`);
    }
  }

  private deliver(frame: Frame): void {
    this.received.push(frame);
    const index = this.waiters.findIndex((waiter) => waiter.predicate(frame));
    if (index === -1) {
      this.frames.push(frame);
      return;
    }
    const [waiter] = this.waiters.splice(index, 1);
    waiter?.resolve(frame);
  }
}

// ---------------------------------------------------------------------------------------------
// @stomp/stompjs

/** Node 20 has no global WebSocket: stompjs gets a `ws` socket with the STOMP subprotocols. */
export function stompClient(
  token: ChatTokenAnswer,
  overrides: Partial<ConstructorParameters<typeof Client>[0]> = {},
): Client {
  const client = new Client({
    webSocketFactory: () =>
      new WebSocket(token.chatServerWebSocketUrl, ['v12.stomp', 'v11.stomp', 'v10.stomp']),
    connectHeaders: {
      token: token.chatToken,
      appid: token.appId,
      userid: token.userId,
      username: token.userName ?? token.userId,
    },
    reconnectDelay: 0,
    heartbeatIncoming: 10_000,
    heartbeatOutgoing: 10_000,
    ...overrides,
  });
  onTestFinished(() => client.deactivate({ force: true }));
  return client;
}

/** Activates a stompjs client and resolves with the CONNECTED frame. */
export function activate(client: Client): Promise<IFrame> {
  return new Promise((resolve, reject) => {
    client.onConnect = resolve;
    client.onStompError = (frame) =>
      reject(new Error(`${frame.headers['message'] ?? 'ERROR'}: ${frame.body}`));
    client.activate();
  });
}

/** Collects the messages of one stompjs subscription and lets a test wait for them. */
export class Inbox {
  readonly messages: IMessage[] = [];
  private waiters: {
    predicate: (message: IMessage) => boolean;
    resolve: (message: IMessage) => void;
  }[] = [];

  readonly handler = (message: IMessage): void => {
    const index = this.waiters.findIndex((waiter) => waiter.predicate(message));
    if (index === -1) {
      this.messages.push(message);
      return;
    }
    const [waiter] = this.waiters.splice(index, 1);
    waiter?.resolve(message);
  };

  next(predicate: (message: IMessage) => boolean = () => true): Promise<IMessage> {
    const index = this.messages.findIndex(predicate);
    if (index !== -1) return Promise.resolve(this.messages.splice(index, 1)[0] as IMessage);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }
}

export function bodyOf(message: { body: string }): Record<string, unknown> {
  return JSON.parse(message.body) as Record<string, unknown>;
}
