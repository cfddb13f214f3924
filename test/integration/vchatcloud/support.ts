/**
 * Helpers for the VChatCloud tests: REST calls with the two headers over real HTTP, the control
 * API, and a bare event-bus client on `ws` that speaks the bridge's JSON frames itself (so the
 * server is checked by code that shares nothing with it).
 */
import { onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { Sandbox } from '../../../src/sandbox/index';

export interface Envelope {
  result_cd: number;
  result_msg: string;
  data?: Record<string, unknown>;
  list?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface RestAnswer {
  status: number;
  headers: Headers;
  body: Envelope;
}

/** A fresh `X-AUTH-TOKEN` for the sandbox's API key. */
export async function issueToken(sandbox: Sandbox): Promise<string> {
  const response = await fetch(`${sandbox.vchatcloud.baseUrl}/openapi/token`, {
    headers: { API_KEY: sandbox.vchatcloud.apiKey },
  });
  const body = (await response.json()) as Envelope;
  const token = body.data?.['X-AUTH-TOKEN'];
  if (typeof token !== 'string') throw new Error(`no token: ${JSON.stringify(body)}`);
  return token;
}

/**
 * Calls the emulated OpenAPI. `form` is sent form-encoded; `headers` replaces the default
 * `API_KEY` + `X-AUTH-TOKEN` pair when given (null values leave a header out).
 */
export async function vrest(
  sandbox: Sandbox,
  method: string,
  path: string,
  options: {
    token?: string;
    form?: Record<string, string>;
    headers?: Record<string, string | null>;
    body?: string;
  } = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = {};
  const wanted = options.headers ?? {
    API_KEY: sandbox.vchatcloud.apiKey,
    'X-AUTH-TOKEN': options.token ?? '',
  };
  for (const [name, value] of Object.entries(wanted)) if (value !== null) headers[name] = value;
  let body = options.body;
  if (options.form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(options.form).toString();
  }
  const response = await fetch(`${sandbox.vchatcloud.baseUrl}${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Envelope,
  };
}

export interface ControlRoom {
  roomId: string;
  roomName: string;
  roomStatus: string;
  open: boolean;
  ratePerSecond: number;
  currentUserCount: number;
  joinCount: number;
  messageCount: number;
}

/** The `/__sandbox/vchatcloud/...` control API (and the shared `/__sandbox/...` parts). */
export function vcontrol(sandbox: Sandbox) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${sandbox.control.baseUrl}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  const v = '/vchatcloud';
  return {
    request,
    rooms: () => request<ControlRoom[]>('GET', `${v}/rooms`),
    /** The first open room, the paused one. */
    seeded: async () => {
      const rooms = await request<ControlRoom[]>('GET', `${v}/rooms`);
      const open = rooms.find((room) => room.open);
      const paused = rooms.find((room) => room.roomStatus === 'pending');
      if (open === undefined || paused === undefined) throw new Error('unexpected seed');
      return { open, paused, rooms };
    },
    setRate: (roomId: string, perSecond: number) =>
      request<ControlRoom>('PUT', `${v}/rooms/${roomId}/rate`, { perSecond }),
    patch: (roomId: string, fields: Record<string, unknown>) =>
      request<ControlRoom>('PATCH', `${v}/rooms/${roomId}`, fields),
    say: (
      roomId: string,
      message: {
        clientKey: string;
        nickName?: string;
        message: string;
        kind?: 'message' | 'notice' | 'custom' | 'whisper';
        receivedClientKey?: string;
      },
    ) =>
      request<{ messageCount?: number; messageDt: string }>(
        'POST',
        `${v}/rooms/${roomId}/messages`,
        message,
      ),
    /** Sends `frame` as it is, as one WebSocket message, to every socket joined to the room. */
    rawFrame: (roomId: string, frame: string) =>
      request<{ delivered: number }>('POST', `${v}/rooms/${roomId}/raw-frames`, { frame }),
    users: (roomId: string) =>
      request<
        Array<{
          clientKey: string;
          nickName: string;
          grade: string;
          simulated: boolean;
          connected: boolean;
        }>
      >('GET', `${v}/rooms/${roomId}/users`),
    restrictions: (roomId: string) =>
      request<{
        exiled: Array<{ clientKey: string; nickName: string }>;
        muted: Array<{ clientKey: string; nickName: string }>;
      }>('GET', `${v}/rooms/${roomId}/restrictions`),
    adminMessages: (roomId: string) =>
      request<
        Array<{
          kind: string;
          nickName: string;
          message: string;
          sendAt: string;
          sentAt: string | null;
        }>
      >('GET', `${v}/rooms/${roomId}/admin-messages`),
    whispers: (roomId: string) =>
      request<Array<{ from: string; to: string; message: string; delivered: boolean }>>(
        'GET',
        `${v}/rooms/${roomId}/whispers`,
      ),
    tokens: () =>
      request<Array<{ token: string; issuedAt: string; expiresAt: string }>>('GET', `${v}/tokens`),
    connections: () =>
      request<
        Array<{
          id: string;
          open: boolean;
          transport: 'websocket' | 'sockjs';
          sessions: Array<{ roomId: string; clientKey: string }>;
          registered: string[];
          delivered: number;
          pings: number;
          closeReason: string | null;
        }>
      >('GET', `${v}/connections`),
    deliveries: (id: string) =>
      request<
        Array<{ address: string; type: string; messageCount: number | null; spam: string | null }>
      >('GET', `${v}/connections/${id}/deliveries`),
    stats: () =>
      request<{
        messagesPublished: number;
        framesDelivered: number;
        writesRefused: number;
        openConnections: number;
      }>('GET', `${v}/stats`),
    faults: (faults: Record<string, unknown>) => request<unknown>('POST', '/faults', faults),
    clearFaults: () => request<unknown>('DELETE', '/faults'),
    reset: (seed?: number) =>
      request<{ seed: number }>('POST', '/reset', seed === undefined ? {} : { seed }),
  };
}

export interface BusFrame {
  type: string;
  address?: string;
  headers?: Record<string, unknown>;
  body?: unknown;
  failureCode?: number;
  failureType?: string;
  message?: string;
  /** Whether it came as a binary WebSocket message. */
  binary: boolean;
}

/** A bare event-bus client: JSON frames out, frames in, waiting by predicate. */
export class BusClient {
  readonly frames: BusFrame[] = [];
  readonly received: BusFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  private waiters: Array<{
    predicate: (frame: BusFrame) => boolean;
    resolve: (f: BusFrame) => void;
  }> = [];
  private nextReply = 1;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, binary: boolean) => {
      const frame = { ...(JSON.parse(data.toString('utf8')) as Omit<BusFrame, 'binary'>), binary };
      this.received.push(frame);
      const index = this.waiters.findIndex((waiter) => waiter.predicate(frame));
      if (index === -1) {
        this.frames.push(frame);
        return;
      }
      const [waiter] = this.waiters.splice(index, 1);
      waiter?.resolve(frame);
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
    });
  }

  static open(url: string): Promise<BusClient> {
    const socket = new WebSocket(url);
    onTestFinished(() => socket.terminate());
    return new Promise((resolve, reject) => {
      const client = new BusClient(socket);
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  send(address: string, body: unknown, replyAddress?: string, type = 'send'): void {
    this.socket.send(
      JSON.stringify({
        type,
        address,
        headers: {},
        body,
        ...(replyAddress === undefined ? {} : { replyAddress }),
      }),
    );
  }

  /** Sends with a fresh reply address and waits for the reply or the `err` frame for it. */
  async request(address: string, body: unknown): Promise<BusFrame> {
    const replyAddress = `reply-${this.nextReply++}`;
    this.send(address, body, replyAddress);
    return this.next((frame) => frame.address === replyAddress);
  }

  /** Joins a room and returns the reply body; throws with the err frame when refused. */
  async join(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const reply = await this.request('c2s.join', { grade: 'user', ...body });
    if (reply.type === 'err') {
      throw new Error(`join refused: ${reply.failureCode ?? '?'} ${reply.message ?? ''}`);
    }
    return reply.body as Record<string, unknown>;
  }

  ping(): void {
    this.socket.send(JSON.stringify({ type: 'ping' }));
  }

  /** The next frame (matching `predicate`) not taken yet. */
  next(predicate: (frame: BusFrame) => boolean = () => true): Promise<BusFrame> {
    const index = this.frames.findIndex(predicate);
    if (index !== -1) return Promise.resolve(this.frames.splice(index, 1)[0] as BusFrame);
    return new Promise((resolve) => this.waiters.push({ predicate, resolve }));
  }

  /** The next push whose address starts with `prefix`. */
  push(prefix: string): Promise<BusFrame> {
    return this.next((frame) => frame.type === 'rec' && (frame.address ?? '').startsWith(prefix));
  }
}

export function bodyOf(frame: BusFrame): Record<string, unknown> {
  return frame.body as Record<string, unknown>;
}
