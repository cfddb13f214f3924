/**
 * The VChatCloud live feed: one WebSocket per account to the Vert.x event-bus bridge
 * (`/eventbus/websocket`, api-facts §2.7), joining every open room as the account's moderator
 * (grade `userManager`). A join's history becomes events; `s2c.*` pushes are normalised. The
 * connection is ours to restart, as FlipFlop's is: exponential backoff with jitter from 1 s to
 * 30 s, every room joined again, and a gap reported for the time it was down. The rooms are live
 * once the service answers a join on the new socket, not when it opens.
 *
 * A room the service will not let the moderator into while the connection is fine (a refused or
 * unanswered join, an exile) is down on its own: `offline` with the reason, joined again after the
 * same backoff until the service lets it in, then live with a gap of its own for the time it was
 * out. Only a room someone else took the moderator's seat in (`duplicate.user`) waits for the next
 * connection: joining again at once would throw that session out in turn.
 *
 * The bridge never answers its `{"type":"ping"}` frames (sent every 3 s as the JS SDK does, so the
 * server keeps the socket); a dead peer is noticed with WebSocket-level pings instead, which the
 * server's WebSocket stack answers by itself.
 */
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import type { ConnectionState } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import { AppError, ErrorCode } from '../../../shared/errors';
import type { Clock, TimerHandle } from '../../clock';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from '../backoff';
import { LiveConnection, roomKeysBut } from '../live';
import type { LiveFeed, LiveListener, LiveRoom } from '../types';
import { describeResult, resultError } from './codes';
import {
  messageIdFor,
  normalizeHistoryEntry,
  normalizePush,
  parsePushAddress,
  type Normalized,
} from './normalize';

export interface EventBusFeedOptions {
  url: string;
  moderator: { clientKey: string; nickName: string };
  listener: LiveListener;
  clock: Clock;
  random: () => number;
  reconnect?: ReconnectPolicy;
  /** When the rooms were last alive on a feed this one replaces (`LiveConnectionOptions`). */
  downSince?: number;
  /** Bridge pings; the JS SDK's `vertxbus_ping_interval` is 3 s. */
  pingIntervalMs?: number;
  /** WebSocket pings; two unanswered in a row mean the server is gone. */
  heartbeatMs?: number;
  /** How long a request waits for its reply (the JS SDK waits 30 s). */
  replyTimeoutMs?: number;
  webSocketFactory?: (url: string) => WebSocket;
}

interface RoomState {
  room: LiveRoom;
  joined: boolean;
  /** A join was answered for this room on some connection: its chat has been shown. */
  wasJoined: boolean;
  /** Set while the room is down on its own, the account's connection being fine. */
  down: RoomDown | null;
  /** How often each dedup key was met, to number repeats within one second. */
  occurrences: Map<string, number>;
}

/** A room out of the account's status until it joins again (a refused join, a kick). */
interface RoomDown {
  /** When the room was last alive (its own gap starts there); null if it never was. */
  since: number | null;
  /** Refusals in a row: the next join waits the reconnect backoff for as many failures. */
  refusals: number;
  /** The next join, if one is planned (none after `duplicate.user`). */
  timer: TimerHandle | null;
}

/** A request sent with a reply address, waiting for the bridge's answer to it. */
interface PendingReply {
  resolve(body: unknown): void;
  reject(error: AppError): void;
  timer: TimerHandle;
}

/** Dedup keys remembered per room; the oldest half goes when it is full. */
const OCCURRENCES_KEPT = 10_000;

export class EventBusFeed implements LiveFeed {
  private readonly rooms = new Map<string, RoomState>();
  private readonly byRoomId = new Map<string, RoomState>();
  /** By reply address. */
  private readonly pendingReplies = new Map<string, PendingReply>();
  private socket: WebSocket | null = null;
  /** The socket on which the service answered a join: the rooms were live on it. */
  private answeredOn: WebSocket | null = null;
  private readonly connection: LiveConnection;
  private pingTimer: TimerHandle | null = null;
  private heartbeatTimer: TimerHandle | null = null;
  private awaitingPong = false;

  constructor(private readonly options: EventBusFeedOptions) {
    const { listener } = options;
    const lifecycle = {
      ...options,
      listener: {
        // A room down on its own keeps its own status and its own gap.
        status: (state: ConnectionState, detail: { error?: ErrorInfo; retryAt?: number }) =>
          listener.status(
            state,
            detail,
            roomKeysBut(this.rooms.values(), (room) => room.down !== null),
          ),
        gap: (from: number, to: number) =>
          listener.gap(
            from,
            to,
            roomKeysBut(this.rooms.values(), (room) => room.down !== null),
          ),
      },
    };
    this.connection = new LiveConnection(lifecycle, { attempt: () => this.connect() });
  }

  get roomCount(): number {
    return this.rooms.size;
  }

  lastAlive(): number | null {
    return this.connection.lastAlive();
  }

  add(room: LiveRoom): void {
    if (this.connection.isClosed) throw new Error('this live feed is closed');
    if (this.rooms.has(room.roomKey)) return;
    const state: RoomState = {
      room,
      joined: false,
      wasJoined: false,
      down: null,
      occurrences: new Map(),
    };
    this.rooms.set(room.roomKey, state);
    this.byRoomId.set(room.channel, state);
    // The first room connects; a room added to a live connection joins on its own.
    this.connection.start();
    if (this.connection.phase === 'live') void this.join(state);
  }

  remove(roomKey: string): void {
    const state = this.rooms.get(roomKey);
    if (!state) return;
    this.rooms.delete(roomKey);
    this.byRoomId.delete(state.room.channel);
    this.stopRetry(state);
    if (state.joined) this.send('c2s.leave', this.leaveBody(state), null);
  }

  async close(): Promise<void> {
    if (!this.connection.close()) return;
    this.clearTimers();
    for (const state of this.rooms.values()) this.stopRetry(state);
    this.failPendingReplies(new AppError(ErrorCode.Network, 'The chat connection was closed.'));
    const socket = this.socket;
    this.socket = null;
    if (socket !== null && socket.readyState === WebSocket.OPEN) {
      // Say goodbye in every room first, as the Flutter SDK does before closing.
      for (const state of this.rooms.values()) {
        if (state.joined) socket.send(JSON.stringify(frame('c2s.leave', this.leaveBody(state))));
      }
    }
    this.rooms.clear();
    this.byRoomId.clear();
    if (socket === null) return;
    await new Promise<void>((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) {
        resolve();
        return;
      }
      const timer = this.options.clock.setTimeout(() => socket.terminate(), 2000);
      socket.once('close', () => {
        this.options.clock.clearTimeout(timer);
        resolve();
      });
      if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
      else socket.close(1000, 'closed');
    });
  }

  /**
   * Whispers to one person in a room this feed has joined; resolves once the server took it.
   * Refusals become `AppError`s with the result code (10107: not in the room).
   */
  async whisper(roomId: string, receiver: string, message: string): Promise<void> {
    const state = this.byRoomId.get(roomId);
    if (state === undefined) {
      throw new AppError(ErrorCode.NotFound, 'Open the room to whisper in it.');
    }
    if (this.connection.phase !== 'live' || !state.joined) {
      throw new AppError(
        ErrorCode.Network,
        'The room is not connected right now; whisper again once it is live.',
      );
    }
    const { clientKey, nickName } = this.options.moderator;
    await this.request('c2s.whisper.message', {
      roomId,
      clientKey,
      nickName,
      receivedClientKey: receiver,
      message,
      mimeType: 'text',
      grade: 'userManager',
    });
  }

  /**
   * One attempt (the lifecycle's `attempt`): the socket and its handlers. A socket that cannot be
   * made fails the attempt by throwing.
   */
  private connect(): void {
    const socket =
      this.options.webSocketFactory?.(this.options.url) ??
      new WebSocket(this.options.url, { perMessageDeflate: false, handshakeTimeout: 15_000 });
    this.socket = socket;
    socket.on('open', () => {
      if (this.socket !== socket) return;
      this.connection.frameArrived();
      this.opened();
    });
    socket.on('message', (data: WebSocket.RawData) => {
      if (this.socket !== socket) return;
      this.connection.frameArrived();
      this.received(data);
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
      if (this.socket === socket) this.connection.frameArrived();
    });
    socket.on('error', (error: Error) => {
      if (this.socket === socket) {
        this.connection.failing({
          code: ErrorCode.Network,
          message: `The chat server could not be reached (${error.message}).`,
        });
      }
    });
    socket.on('close', (code: number) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      this.failPendingReplies(new AppError(ErrorCode.Network, 'The chat connection closed.'));
      for (const state of this.rooms.values()) {
        state.joined = false;
        // The next connection joins every room.
        this.stopRetry(state);
      }
      this.connection.ended({
        code: ErrorCode.Network,
        message: `The chat connection closed (${code}).`,
      });
    });
  }

  /**
   * The socket is open: every room joins again (a room down on its own stays so until its join is
   * answered). The account is live once the service answers a join, not when the socket opens: a
   * server that accepts the socket and drops it at once, every time, must not reset the backoff
   * nor end a gap with each try.
   */
  private opened(): void {
    this.connection.opened();
    this.startPings();
    if (this.rooms.size === 0) this.answered(this.socket);
    for (const state of this.rooms.values()) void this.join(state);
  }

  /** The service answered a join on `socket`: if it is the current one, the rooms are live. */
  private answered(socket: WebSocket | null): void {
    if (socket === null || socket !== this.socket || this.answeredOn === socket) return;
    this.answeredOn = socket;
    this.connection.roomsLive();
  }

  /** Joins a room; its history becomes events; a refusal takes the room offline, alone. */
  private async join(state: RoomState): Promise<void> {
    const { clientKey, nickName } = this.options.moderator;
    const socket = this.socket;
    let reply: unknown;
    try {
      reply = await this.request('c2s.join', {
        roomId: state.room.channel,
        clientKey,
        nickName,
        grade: 'userManager',
      });
      this.answered(socket);
    } catch (error) {
      if (!(error instanceof AppError) || error.code === ErrorCode.Network) return;
      // A refusal is the service answering; a join it did not answer in time is not.
      if (error.code !== ErrorCode.Timeout) this.answered(socket);
      if (this.rooms.get(state.room.roomKey) !== state || this.connection.phase !== 'live') return;
      // Refused, or not answered in time: the connection is fine, so the room tries again alone.
      this.roomDown(state, { code: error.code, message: error.message }, true);
      return;
    }
    if (this.rooms.get(state.room.roomKey) !== state) {
      // Closed while its join was on its way: the service has the moderator in the room now, so
      // leave it as closing a joined room does, unless the room was opened again meanwhile or the
      // socket it joined on is gone (the service dropped the moderator with it).
      if (this.socket === socket && !this.byRoomId.has(state.room.channel)) {
        this.send('c2s.leave', this.leaveBody(state), null);
      }
      return;
    }
    state.joined = true;
    state.wasJoined = true;
    const down = state.down;
    if (down !== null) {
      this.stopRetry(state);
      state.down = null;
      this.options.listener.roomStatus?.(state.room.roomKey, 'live', {});
      if (down.since !== null) {
        this.options.listener.gap(down.since, this.options.clock.now(), [state.room.roomKey]);
      }
    }
    const history = (reply as { history?: unknown } | null)?.history;
    if (!Array.isArray(history)) return;
    const now = this.options.clock.now();
    const context = this.context(state, now);
    // Repeats are numbered within the history itself; whatever the live feed already numbered
    // higher stays higher.
    const seen = new Map<string, number>();
    for (const entry of history) {
      const result = normalizeHistoryEntry(entry, context);
      if (!result.ok || result.dedupKey === null) {
        this.deliver(state, result);
        continue;
      }
      const ordinal = (seen.get(result.dedupKey) ?? 0) + 1;
      seen.set(result.dedupKey, ordinal);
      this.deliver(state, withOrdinal(result, ordinal));
    }
    for (const [key, count] of seen) {
      if (count > (state.occurrences.get(key) ?? 0)) this.remember(state, key, count);
    }
  }

  private received(data: WebSocket.RawData): void {
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data).toString('utf8');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof parsed !== 'object' || parsed === null) return;
    const incoming = parsed as Record<string, unknown>;
    const address = typeof incoming['address'] === 'string' ? incoming['address'] : null;
    if (address === null) return;
    const pendingReply = this.pendingReplies.get(address);
    if (pendingReply !== undefined) {
      this.pendingReplies.delete(address);
      this.options.clock.clearTimeout(pendingReply.timer);
      if (incoming['type'] === 'err') {
        const code = Number(incoming['failureCode']);
        const message = typeof incoming['message'] === 'string' ? incoming['message'] : null;
        pendingReply.reject(
          Number.isFinite(code)
            ? resultError(code, message)
            : new AppError(ErrorCode.Server, `Chat server: ${message ?? 'the request failed'}`),
        );
      } else {
        pendingReply.resolve(incoming['body']);
      }
      return;
    }
    const push = parsePushAddress(address);
    if (push === null) return;
    const state = this.byRoomId.get(push.roomId);
    if (state === undefined) return;
    const moderator = this.options.moderator.clientKey;
    if (push.target === moderator && push.kind === 'personal.kick.user') {
      state.joined = false;
      this.roomDown(
        state,
        {
          code: '10106',
          message: describeResult(10106) + ' (the moderator was exiled from this room)',
        },
        true,
      );
    } else if (push.target === moderator && push.kind === 'personal.duplicate.user') {
      state.joined = false;
      this.roomDown(
        state,
        {
          code: 'DUPLICATE_USER',
          message: `Someone joined this room as ${moderator} elsewhere, so this session left it.`,
        },
        false,
      );
    }
    const result = normalizePush(push, incoming['body'], this.context(state));
    if (result.ok && result.dedupKey !== null) {
      const ordinal = (state.occurrences.get(result.dedupKey) ?? 0) + 1;
      this.remember(state, result.dedupKey, ordinal);
      this.deliver(state, withOrdinal(result, ordinal));
      return;
    }
    this.deliver(state, result);
  }

  private deliver(state: RoomState, result: Normalized): void {
    if (this.rooms.get(state.room.roomKey) !== state) return;
    if (!result.ok) {
      this.options.listener.frame(state.room.roomKey, result);
      return;
    }
    const { event, trimmed } = result;
    this.options.listener.frame(
      state.room.roomKey,
      trimmed ? { ok: true, event, trimmed } : { ok: true, event },
    );
  }

  private remember(state: RoomState, key: string, count: number): void {
    state.occurrences.delete(key);
    state.occurrences.set(key, count);
    if (state.occurrences.size > OCCURRENCES_KEPT) {
      let drop = Math.floor(OCCURRENCES_KEPT / 2);
      for (const oldest of state.occurrences.keys()) {
        state.occurrences.delete(oldest);
        if (--drop <= 0) break;
      }
    }
  }

  /**
   * The room is down on its own: offline with the reason and, when `retry`, joined again after the
   * reconnect backoff for its refusals in a row.
   */
  private roomDown(state: RoomState, error: ErrorInfo, retry: boolean): void {
    const { clock } = this.options;
    const down: RoomDown = state.down ?? {
      since: state.wasJoined ? clock.now() : null,
      refusals: 0,
      timer: null,
    };
    state.down = down;
    if (down.timer !== null) clock.clearTimeout(down.timer);
    down.timer = null;
    if (!retry) {
      this.options.listener.roomStatus?.(state.room.roomKey, 'offline', { error });
      return;
    }
    down.refusals += 1;
    const delay = backoffDelay(
      this.options.reconnect ?? DEFAULT_RECONNECT,
      down.refusals,
      this.options.random,
    );
    const socket = this.socket;
    down.timer = clock.setTimeout(() => {
      down.timer = null;
      if (this.rooms.get(state.room.roomKey) !== state || state.down !== down) return;
      if (this.socket === socket && this.connection.phase === 'live') void this.join(state);
    }, delay);
    this.options.listener.roomStatus?.(state.room.roomKey, 'offline', {
      error,
      retryAt: clock.now() + delay,
    });
  }

  /** The room's next join is called off; it stays down until a join is answered. */
  private stopRetry(state: RoomState): void {
    if (state.down?.timer) this.options.clock.clearTimeout(state.down.timer);
    if (state.down) state.down.timer = null;
  }

  private context(state: RoomState, now = this.options.clock.now()) {
    return {
      roomKey: state.room.roomKey,
      moderatorClientKey: this.options.moderator.clientKey,
      now,
    };
  }

  private leaveBody(state: RoomState) {
    return { roomId: state.room.channel, clientKey: this.options.moderator.clientKey };
  }

  private request(address: string, body: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const replyAddress = randomUUID();
      const timeoutMs = this.options.replyTimeoutMs ?? 30_000;
      const timer = this.options.clock.setTimeout(() => {
        this.pendingReplies.delete(replyAddress);
        reject(
          new AppError(
            ErrorCode.Timeout,
            `The chat server did not answer within ${timeoutMs / 1000} s.`,
          ),
        );
      }, timeoutMs);
      this.pendingReplies.set(replyAddress, { resolve, reject, timer });
      if (!this.send(address, body, replyAddress)) {
        this.pendingReplies.delete(replyAddress);
        this.options.clock.clearTimeout(timer);
        reject(new AppError(ErrorCode.Network, 'The chat connection is not open.'));
      }
    });
  }

  private send(address: string, body: unknown, replyAddress: string | null): boolean {
    const socket = this.socket;
    if (socket === null || socket.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(frame(address, body, replyAddress)));
    return true;
  }

  private startPings(): void {
    const pingEvery = this.options.pingIntervalMs ?? 3000;
    const ping = (): void => {
      const socket = this.socket;
      if (socket?.readyState === WebSocket.OPEN) socket.send('{"type":"ping"}');
      this.pingTimer = this.options.clock.setTimeout(ping, pingEvery);
    };
    ping();
    const beatEvery = this.options.heartbeatMs ?? 25_000;
    this.awaitingPong = false;
    const beat = (): void => {
      const socket = this.socket;
      if (socket?.readyState !== WebSocket.OPEN) return;
      if (this.awaitingPong) {
        this.connection.failing({
          code: ErrorCode.Network,
          message: 'The chat server stopped answering.',
        });
        socket.terminate();
        return;
      }
      this.awaitingPong = true;
      socket.ping();
      this.heartbeatTimer = this.options.clock.setTimeout(beat, beatEvery);
    };
    this.heartbeatTimer = this.options.clock.setTimeout(beat, beatEvery);
  }

  private clearTimers(): void {
    if (this.pingTimer) this.options.clock.clearTimeout(this.pingTimer);
    if (this.heartbeatTimer) this.options.clock.clearTimeout(this.heartbeatTimer);
    this.pingTimer = null;
    this.heartbeatTimer = null;
  }

  private failPendingReplies(error: AppError): void {
    for (const [address, pendingReply] of this.pendingReplies) {
      this.options.clock.clearTimeout(pendingReply.timer);
      this.pendingReplies.delete(address);
      pendingReply.reject(error);
    }
  }
}

function frame(address: string, body: unknown, replyAddress: string | null = null) {
  return {
    type: 'send',
    address,
    headers: {},
    body,
    ...(replyAddress === null ? {} : { replyAddress }),
  };
}

function withOrdinal(result: Normalized, ordinal: number): Normalized {
  if (!result.ok || result.dedupKey === null || ordinal <= 1) return result;
  const id = messageIdFor(result.dedupKey, ordinal);
  return { ...result, event: { ...result.event, id, messageId: id } };
}
