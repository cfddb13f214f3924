/**
 * The FlipFlop live feed: one STOMP-over-WebSocket ("Gossip") connection per account, carrying
 * every open room (api-facts §1.7). Each room subscribes its chat topic and the moderator's DM
 * topic, with a receipt: a room is live once the server confirmed both. The connection is ours to
 * restart: exponential backoff with jitter from 1 s to 30 s, a fresh chat token when the server
 * refused the old one, every open room resubscribed, and a gap reported from the last frame
 * received to the moment the rooms are live again.
 *
 * Every ERROR frame ends the connection, before CONNECTED or after it: STOMP says the server
 * closes the socket after one, but brokers do not always (RabbitMQ's Web-STOMP keeps it open after
 * a refused SUBSCRIBE), and a socket left open after a refusal carries nothing the moderator
 * expects.
 */
import { Client, type IFrame, type IMessage, type StompSubscription } from '@stomp/stompjs';
import WebSocket from 'ws';
import { ErrorCode } from '../../../shared/errors';
import { secureUrlProblem } from '../../../shared/model';
import type { Clock, TimerHandle } from '../../clock';
import type { ReconnectPolicy } from '../backoff';
import { thrownWords } from '../../errors';
import { LiveConnection } from '../live';
import type { LiveFeed, LiveListener, LiveRoom } from '../types';
import { normalizeGossipFrame } from './normalize';
import type { ChatTokenDto } from './rest';
import { installStompFastPaths } from './stompFrames';

export const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'];

/**
 * How long a room waits for the receipts of its SUBSCRIBE frames before it is taken as live all
 * the same: a server that never sends receipts must not keep the rooms "connecting" for good.
 */
export const RECEIPT_WAIT_MS = 5_000;

export interface GossipOptions {
  /** A chat token for the moderator (member token, or a guest token without a moderator user). */
  token: () => Promise<ChatTokenDto>;
  /** Forgets the cached token, so the next `token()` asks the service for a new one. */
  invalidateToken: () => void;
  listener: LiveListener;
  clock: Clock;
  random: () => number;
  reconnect?: ReconnectPolicy;
  /** When the rooms were last alive on a feed this one replaces (`LiveConnectionOptions`). */
  downSince?: number;
  /** Heart-beat interval both ways; the doc says the client sends one every 25 s. */
  heartbeatMs?: number;
  /** Builds the WebSocket; the default is `ws` with the STOMP subprotocols. */
  webSocketFactory?: (url: string) => unknown;
  /** CONNECT's `host` header (the virtual host); the chat server address's host name if unset. */
  virtualHost?: string;
  /** CONNECT's `login` and `passcode`, for a deployment whose broker asks for them. */
  credentials?: () => Promise<{ login: string; passcode: string } | null>;
}

interface RoomSubscriptions {
  room: LiveRoom;
  subscriptions: StompSubscription[];
}

export class GossipFeed implements LiveFeed {
  private readonly rooms = new Map<string, RoomSubscriptions>();
  private client: Client | null = null;
  private readonly connection: LiveConnection;
  /** The receipt waits under way (`whenSubscribed`): the connection's end cancels them all. */
  private readonly receiptWaits = new Set<TimerHandle>();
  private nextReceipt = 1;
  private userId: string | null = null;
  private appId: string | null = null;
  private readonly heartbeatMs: number;

  constructor(private readonly options: GossipOptions) {
    this.connection = new LiveConnection(options, {
      attempt: () => this.connect(),
      // After a few failed tries, ask for a new token even if nothing said the old one was bad.
      afterFailure: (failuresInARow) => {
        if (failuresInARow >= 3) options.invalidateToken();
      },
    });
    this.heartbeatMs = options.heartbeatMs ?? 25_000;
    installStompFastPaths();
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
    const entry: RoomSubscriptions = { room, subscriptions: [] };
    this.rooms.set(room.roomKey, entry);
    // The first room connects; a room added to a live connection subscribes on its own.
    this.connection.start();
    if (this.connection.phase === 'live') {
      this.options.listener.roomStatus?.(room.roomKey, 'connecting', {});
      this.whenSubscribed([entry], () =>
        this.options.listener.roomStatus?.(room.roomKey, 'live', {}),
      );
    }
  }

  remove(roomKey: string): void {
    const entry = this.rooms.get(roomKey);
    if (!entry) return;
    this.rooms.delete(roomKey);
    if (this.connection.phase === 'live') {
      for (const subscription of entry.subscriptions) subscription.unsubscribe();
    }
  }

  async close(): Promise<void> {
    this.connection.close();
    this.cancelReceiptWaits();
    const client = this.client;
    this.client = null;
    this.rooms.clear();
    if (client) await client.deactivate({ force: true });
  }

  /**
   * One attempt (the lifecycle's `attempt`): a chat token, CONNECT's credentials if any, then the
   * STOMP client. A token or credentials that cannot be had fail the attempt by rejecting.
   */
  private async connect(): Promise<void> {
    const token = await this.options.token();
    if (this.connection.isClosed) return;
    const address = token.chatServerWebSocketUrl;
    const problem = chatServerProblem(address);
    if (problem !== null) {
      // The address came with the token; the next token answer may name another.
      this.options.invalidateToken();
      this.connection.retryAfterFailure(
        { code: ErrorCode.BadChatServer, message: problem },
        'offline',
      );
      return;
    }
    const credentials = (await this.options.credentials?.()) ?? null;
    if (this.connection.isClosed) return;
    this.userId = token.userId;
    this.appId = token.appId ?? null;
    const factory =
      this.options.webSocketFactory ??
      ((url: string) => new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false }));

    // CONNECTED came on this client: an ERROR before it refuses the connection, after it ends
    // the session.
    let stompConnected = false;
    const client = new Client({
      webSocketFactory: () => this.openSocket(factory, address),
      connectHeaders: {
        // STOMP 1.1 and 1.2 clients name the virtual host they connect to.
        host: this.options.virtualHost ?? new URL(address).hostname,
        ...(credentials ? { login: credentials.login, passcode: credentials.passcode } : {}),
        token: token.chatToken,
        appid: token.appId ?? '',
        userid: token.userId,
        ...(token.userName ? { username: token.userName } : {}),
      },
      heartbeatIncoming: this.heartbeatMs,
      heartbeatOutgoing: this.heartbeatMs,
      // Two silent heart-beat periods mean the server is gone (stompjs' tolerance multiplier).
      heartbeatToleranceMultiplier: 2,
      discardWebsocketOnCommFailure: true,
      connectionTimeout: 15_000,
      // Reconnecting is ours: backoff, token refresh and gap reporting depend on it.
      reconnectDelay: 0,
      debug: () => undefined,
      // Nothing logs frames, but stompjs formats a debug line for each one anyway: as a frame
      // serialised again by default, or as the raw text it already holds with this flag. The raw
      // text costs nothing; serialising every MESSAGE cost about a tenth of the feed's CPU.
      logRawCommunication: true,
      onConnect: () => {
        if (this.client !== client) return;
        stompConnected = true;
        this.connected();
      },
      onStompError: (frame: IFrame) => {
        if (this.client !== client) return;
        const message =
          frame.headers['message'] ??
          (stompConnected
            ? 'the chat server ended the session'
            : 'the chat server refused the connection');
        // The server names the token when it refuses one; any refusal before CONNECTED is
        // treated the same way, so the next attempt asks for a fresh token.
        if (!stompConnected || /token/i.test(message)) this.options.invalidateToken();
        this.connection.failing({
          code: stompConnected ? ErrorCode.Network : ErrorCode.Auth,
          message: `Chat server: ${message}`,
        });
        // The end of this connection whether the server closes the socket or not: at once, not
        // after stompjs' connection timeout or a heart-beat's.
        this.ended(client);
      },
      onWebSocketClose: () => {
        if (this.client !== client) return;
        this.ended(client);
      },
    });
    this.client = client;
    client.activate();
  }

  /** The current connection is over: it is let go, and the next attempt waits its backoff. */
  private ended(client: Client): void {
    if (this.client !== client) return;
    this.client = null;
    this.cancelReceiptWaits();
    void client.deactivate({ force: true });
    this.connection.ended({ code: ErrorCode.Network, message: 'The chat connection closed.' });
  }

  /**
   * The factory's socket or, when it throws, one that is already closed: stompjs calls the
   * factory inside a promise of its own, where a throw is only an unhandled rejection and the room
   * stays "connecting". The closed one tells stompjs so on the next microtask, so the attempt ends
   * through `onWebSocketClose` like any failed connection, with the factory's error as the reason.
   */
  private openSocket(factory: (url: string) => unknown, address: string): unknown {
    try {
      const socket = factory(address) as {
        addEventListener?: (type: 'message', listener: () => void) => void;
      };
      // Any frame, a heart-beat too, says the connection was alive then: a gap starts there.
      socket.addEventListener?.('message', () => this.connection.frameArrived());
      return socket;
    } catch (error) {
      this.connection.failing({
        code: ErrorCode.Network,
        message: `The chat connection could not be opened (${thrownWords(error)}).`,
      });
      return closedSocket();
    }
  }

  /**
   * CONNECTED: every room subscribes, and the rooms are live once the server confirmed their
   * subscriptions; the gap, if any, ends then.
   */
  private connected(): void {
    this.connection.opened();
    this.whenSubscribed([...this.rooms.values()], () => this.connection.roomsLive());
  }

  /**
   * Subscribes `entries` with receipts and calls `live` once every receipt came, or after
   * {@link RECEIPT_WAIT_MS} without them (said in the debug log): not at all if the connection
   * ended meanwhile.
   */
  private whenSubscribed(entries: RoomSubscriptions[], live: () => void): void {
    const client = this.client;
    if (!client) return;
    let receiptsDue = 0;
    let done = false;
    let timer: TimerHandle | null = null;
    const finish = () => {
      if (done) return;
      done = true;
      if (timer !== null) {
        this.options.clock.clearTimeout(timer);
        this.receiptWaits.delete(timer);
      }
      if (this.client === client && this.connection.phase === 'live') live();
    };
    for (const entry of entries) {
      receiptsDue += this.subscribe(entry, () => {
        receiptsDue -= 1;
        if (receiptsDue === 0) finish();
      });
    }
    if (receiptsDue === 0) {
      finish();
      return;
    }
    timer = this.options.clock.setTimeout(() => {
      this.options.listener.debug?.('no receipt for SUBSCRIBE: the rooms are taken as live', {
        rooms: entries.map((entry) => entry.room.roomKey),
        waitedMs: RECEIPT_WAIT_MS,
      });
      finish();
    }, RECEIPT_WAIT_MS);
    this.receiptWaits.add(timer);
  }

  private cancelReceiptWaits(): void {
    for (const timer of this.receiptWaits) this.options.clock.clearTimeout(timer);
    this.receiptWaits.clear();
  }

  /** Subscribes one room's topics, each with a receipt that calls `confirmed`; answers how many. */
  private subscribe(entry: RoomSubscriptions, confirmed: () => void): number {
    const client = this.client;
    if (!client) return 0;
    const { room } = entry;
    const destinations = [`/topic/chat/${room.channel}`];
    if (this.userId !== null) destinations.push(`/topic/dm/${room.channel}/user/${this.userId}`);
    entry.subscriptions = destinations.map((destination) => {
      const receipt = `sub-${this.nextReceipt++}`;
      client.watchForReceipt(receipt, confirmed);
      return client.subscribe(
        destination,
        (message: IMessage) => this.deliver(room, destination, message),
        { receipt },
      );
    });
    return destinations.length;
  }

  private deliver(room: LiveRoom, destination: string, message: IMessage): void {
    if (!this.rooms.has(room.roomKey)) return;
    this.options.listener.frame(
      room.roomKey,
      normalizeGossipFrame(message.body, {
        roomKey: room.roomKey,
        destination,
        moderatorUserId: this.userId,
        appId: this.appId,
        now: this.options.clock.now(),
      }),
    );
  }
}

/** Why a chat server address from a token answer is not one to connect to, or null. */
export function chatServerProblem(address: string): string | null {
  const why = secureUrlProblem(address, { secure: 'wss:', plain: 'ws:' });
  if (why === null) return null;
  // Words only: the address itself may hold a credential, so it is not repeated.
  const what = {
    'not-a-url': 'is not a full URL',
    scheme: 'is not a wss:// address (ws:// is allowed only on this computer)',
    credentials: 'has a user name or password in it',
  }[why];
  return `The chat server address FlipFlop gave ${what}, so ModDeck did not connect; it will ask for a new chat token and try again.`;
}

/**
 * A WebSocket-like object that is already closed and says so (1006) on the next microtask, once
 * stompjs has set its handlers.
 */
function closedSocket(): unknown {
  const socket = {
    url: '',
    protocol: '',
    binaryType: 'arraybuffer',
    readyState: 3,
    onopen: null,
    onmessage: null,
    onerror: null,
    onclose: null as ((event: { code: number; reason: string; wasClean: boolean }) => void) | null,
    send: () => undefined,
    close: () => undefined,
    terminate: () => undefined,
  };
  queueMicrotask(() => socket.onclose?.({ code: 1006, reason: '', wasClean: false }));
  return socket;
}
