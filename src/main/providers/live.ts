/**
 * The lifecycle every live feed's connection shares: its phase (idle until the first room, then
 * connecting, live, waiting to try again, closed for good), the failures in a row and the backoff
 * timer before the next try, the account's status reports (connecting or reconnecting with the
 * last failure, the failure with the time of the next try, live) and the gap from the last frame
 * received before a loss to the moment the rooms are live again. A feed supplies only the attempt
 * itself — how to connect, subscribe or join its rooms and read its frames — and tells the
 * lifecycle what happened: a frame came in, the connection opened, its rooms are live, why it is
 * failing, that it ended.
 */
import type { ConnectionState } from '../../shared/chat';
import type { ErrorInfo } from '../../shared/contract';
import { AppError, ErrorCode } from '../../shared/errors';
import type { Clock, TimerHandle } from '../clock';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from './backoff';
import { thrownWords } from '../errors';
import type { LiveListener, LiveRoom } from './types';

export type LivePhase = 'idle' | 'connecting' | 'live' | 'waiting' | 'closed';

/** What the lifecycle takes from a feed's own options. */
export interface LiveConnectionOptions {
  listener: Pick<LiveListener, 'status' | 'gap'>;
  clock: Clock;
  random: () => number;
  reconnect?: ReconnectPolicy | undefined;
  /**
   * When the rooms were last known alive on a connection this one replaces (an edited account's
   * feed): the gap from then ends when this connection's rooms are live.
   */
  downSince?: number | undefined;
}

/** What the feed does for the lifecycle. */
export interface LiveConnectionHooks {
  /**
   * Starts one attempt to connect. A throw or a rejection fails the attempt, in the words of
   * `failureInfo`; otherwise the feed reports what follows (`opened`, `failing`, `ended`).
   */
  attempt(): void | Promise<void>;
  /** Runs after each failure, with the failures in a row, this one counted. */
  afterFailure?(failuresInARow: number): void;
}

/** One feed's connection lifecycle; the feed owns it and reports to it. */
export class LiveConnection {
  private current: LivePhase = 'idle';
  private failuresInARow = 0;
  /** When the connection was last known alive before it was lost; null while nothing is lost. */
  private downSince: number | null;
  /** The rooms were live on the current connection, and nothing was lost since. */
  private roomsAreLive = false;
  /** When the last frame of any kind (a heart-beat too) came in on the current connection. */
  private lastFrameAt: number | null = null;
  private retryTimer: TimerHandle | null = null;
  /** The last failure, shown with the status while the next attempt connects. */
  private lastError: ErrorInfo | undefined;
  /**
   * What went wrong in the current attempt before it ended (a refusal, a socket that could not be
   * made, a silent server): its own, so an earlier attempt's reason is never given for this one's.
   */
  private attemptError: ErrorInfo | undefined;
  private readonly reconnect: ReconnectPolicy;

  constructor(
    private readonly options: LiveConnectionOptions,
    private readonly hooks: LiveConnectionHooks,
  ) {
    this.reconnect = options.reconnect ?? DEFAULT_RECONNECT;
    this.downSince = options.downSince ?? null;
  }

  get phase(): LivePhase {
    return this.current;
  }

  /** Read through a getter: `close()` may run while an attempt awaits something. */
  get isClosed(): boolean {
    return this.current === 'closed';
  }

  /** Connects if nothing has started yet: the first room of a feed calls it. */
  start(): void {
    if (this.current === 'idle') this.connect();
  }

  /**
   * When the rooms were last known alive: now while they are live, the start of a loss under way,
   * or null when they never were. A connection that replaces this one takes it as its `downSince`.
   */
  lastAlive(): number | null {
    if (this.downSince !== null) return this.downSince;
    return this.roomsAreLive ? this.options.clock.now() : null;
  }

  /** A frame of any kind came in on the current connection: it was alive then. */
  frameArrived(): void {
    this.lastFrameAt = this.options.clock.now();
  }

  /**
   * The connection is up. The account is not reported live until `roomsLive`, which may wait for
   * the rooms' subscriptions; until then the failures in a row go on, since a server may accept
   * the connection and end the session at once, every time (a refused subscription).
   */
  opened(): void {
    this.current = 'live';
  }

  /**
   * The rooms are live: the account says so, the failures in a row are over, and the gap since the
   * connection was lost ends.
   */
  roomsLive(): void {
    const now = this.options.clock.now();
    this.failuresInARow = 0;
    this.lastError = undefined;
    this.roomsAreLive = true;
    this.options.listener.status('live', {});
    if (this.downSince !== null) {
      this.options.listener.gap(this.downSince, now);
      this.downSince = null;
    }
  }

  /** Why the current attempt is failing; `ended` reports it when the connection is over. */
  failing(reason: ErrorInfo): void {
    this.attemptError = reason;
  }

  /** The current connection is over: the next attempt waits its backoff. */
  ended(otherwise: ErrorInfo): void {
    this.retryAfterFailure(this.attemptError ?? otherwise);
  }

  /**
   * Tries again after a backoff. `state` is what the rooms show meanwhile: `reconnecting`, or
   * `offline` when the service gave something ModDeck will not use (the reason says what).
   */
  retryAfterFailure(error: ErrorInfo, state: ConnectionState = 'reconnecting'): void {
    if (this.current === 'closed') return;
    if (this.downSince === null) {
      // The connection was last known alive when its last frame came in, not when its loss was
      // noticed two heart-beats later. A loss already under way keeps its start: a session that
      // opened and ended before its rooms were live carried none of their chat.
      this.downSince = this.lastFrameAt ?? this.options.clock.now();
    }
    this.lastFrameAt = null;
    this.roomsAreLive = false;
    this.current = 'waiting';
    this.failuresInARow += 1;
    this.hooks.afterFailure?.(this.failuresInARow);
    const delay = backoffDelay(this.reconnect, this.failuresInARow, this.options.random);
    const retryAt = this.options.clock.now() + delay;
    this.lastError = error;
    this.options.listener.status(state, { error, retryAt });
    this.retryTimer = this.options.clock.setTimeout(() => {
      this.retryTimer = null;
      if (this.current === 'waiting') this.connect();
    }, delay);
  }

  /** Closed for good: no try comes after this. Answers whether it was open until now. */
  close(): boolean {
    if (this.current === 'closed') return false;
    this.current = 'closed';
    if (this.retryTimer) this.options.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    return true;
  }

  private connect(): void {
    this.current = 'connecting';
    this.options.listener.status(this.downSince === null ? 'connecting' : 'reconnecting', {
      ...(this.lastError ? { error: this.lastError } : {}),
    });
    this.attemptError = undefined;
    let attempt: void | Promise<void>;
    try {
      attempt = this.hooks.attempt();
    } catch (error) {
      this.retryAfterFailure(failureInfo(error));
      return;
    }
    if (attempt instanceof Promise) {
      attempt.catch((error: unknown) => this.retryAfterFailure(failureInfo(error)));
    }
  }
}

/**
 * The keys of the rooms but those `apart` picks (rooms down on their own), or undefined when it
 * picks none: what a feed's account-wide status or gap covers (`LiveListener`).
 */
export function roomKeysBut<T extends { room: LiveRoom }>(
  rooms: Iterable<T>,
  apart: (room: T) => boolean,
): string[] | undefined {
  const all = [...rooms];
  if (!all.some(apart)) return undefined;
  return all.filter((room) => !apart(room)).map(({ room }) => room.roomKey);
}

/**
 * A failed attempt as the moderator reads it: an `AppError` keeps its code; anything else thrown
 * (a socket that could not be made, a keychain that failed) is a NETWORK failure.
 */
export function failureInfo(error: unknown): ErrorInfo {
  return {
    code: error instanceof AppError ? error.code : ErrorCode.Network,
    message: thrownWords(error),
  };
}
