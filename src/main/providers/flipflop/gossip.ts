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
 * expects. An ERROR that names one room's SUBSCRIBE (its `receipt-id`) takes that room alone
 * out: the connection comes back without it, so the account's other rooms stay live, and the
 * room is tried again on a connection of its own (a probe) with the same backoff, joining the
 * others once the server lets it in.
 */
import { Client, type IFrame, type IMessage, type StompSubscription } from '@stomp/stompjs';
import WebSocket from 'ws';
import type { ErrorInfo } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { secureUrlProblem } from '../../../shared/model';
import type { Clock, TimerHandle } from '../../clock';
import { backoffDelay, DEFAULT_RECONNECT, type ReconnectPolicy } from '../backoff';
import { thrownWords } from '../../errors';
import { failureInfo, LiveConnection, roomKeysBut } from '../live';
import type { LiveFeed, LiveListener, LiveRoom } from '../types';
import type { ConnectionState } from '../../../shared/chat';
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
  /** The receipts asked for with the room's SUBSCRIBE frames on the current connection. */
  receipts: string[];
  /** Set while the room is down on its own, the account's connection being fine. */
  down: RoomDown | null;
}

/** A room the server refused a subscription to, until it is live again. */
interface RoomDown {
  /** When the room was last alive (its own gap starts there); null if it never was. */
  since: number | null;
  /** Refusals in a row: the next try waits the reconnect backoff for as many failures. */
  refusals: number;
  /** Still refused: left out of the connection's subscriptions until a probe is let in. */
  refused: boolean;
  error: ErrorInfo;
  timer: TimerHandle | null;
  /** The probe under way, if any. */
  probe: Client | null;
}

/** What one STOMP client is told of its connection. */
interface ClientHandlers {
  onConnect(client: Client): void;
  onStompError(client: Client, frame: IFrame): void;
  onWebSocketClose(client: Client): void;
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
    const { listener } = options;
    const lifecycle = {
      ...options,
      listener: {
        // A room down on its own keeps its own status while refused, and its own gap.
        status: (state: ConnectionState, detail: { error?: ErrorInfo; retryAt?: number }) =>
          listener.status(
            state,
            detail,
            roomKeysBut(this.rooms.values(), (entry) => entry.down?.refused === true),
          ),
        gap: (from: number, to: number) =>
          listener.gap(
            from,
            to,
            roomKeysBut(this.rooms.values(), (entry) => entry.down !== null),
          ),
      },
    };
    this.connection = new LiveConnection(lifecycle, {
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
    const entry: RoomSubscriptions = { room, subscriptions: [], receipts: [], down: null };
    this.rooms.set(room.roomKey, entry);
    // The first room connects; a room added to a live connection subscribes on its own.
    this.connection.start();
    if (this.connection.phase === 'live') this.subscribeAlone(entry);
  }

  remove(roomKey: string): void {
    const entry = this.rooms.get(roomKey);
    if (!entry) return;
    this.rooms.delete(roomKey);
    this.stopTrying(entry);
    if (this.connection.phase === 'live') {
      for (const subscription of entry.subscriptions) subscription.unsubscribe();
    }
  }

  async close(): Promise<void> {
    this.connection.close();
    this.cancelReceiptWaits();
    for (const entry of this.rooms.values()) this.stopTrying(entry);
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

    // CONNECTED came on this client: an ERROR before it refuses the connection, after it ends
    // the session.
    let stompConnected = false;
    const client = this.stompClient(token, credentials, (url) => this.openSocket(url), {
      onConnect: (client) => {
        if (this.client !== client) return;
        stompConnected = true;
        this.connected();
      },
      onStompError: (client, frame) => {
        if (this.client !== client) return;
        const message =
          frame.headers['message'] ??
          (stompConnected
            ? 'the chat server ended the session'
            : 'the chat server refused the connection');
        const refused = stompConnected ? this.roomOfReceipt(frame.headers['receipt-id']) : null;
        if (refused !== null) {
          // One room's subscription: the connection comes back without it.
          this.refused(refused, { code: ErrorCode.RoomRefused, message });
          this.connection.failing({
            code: ErrorCode.Network,
            message: `The chat server closed the connection when it refused room ${refused.room.roomId}; the other rooms reconnect without it.`,
          });
        } else {
          // The server names the token when it refuses one; any refusal before CONNECTED is
          // treated the same way, so the next attempt asks for a fresh token.
          if (!stompConnected || /token/i.test(message)) this.options.invalidateToken();
          this.connection.failing({
            code: stompConnected ? ErrorCode.Network : ErrorCode.Auth,
            message: `Chat server: ${message}`,
          });
        }
        // The end of this connection whether the server closes the socket or not: at once, not
        // after stompjs' connection timeout or a heart-beat's.
        this.ended(client);
      },
      onWebSocketClose: (client) => {
        if (this.client !== client) return;
        this.ended(client);
      },
    });
    this.client = client;
    client.activate();
  }

  /** A STOMP client for `token`'s chat server, not yet activated; `handlers` hear of it. */
  private stompClient(
    token: ChatTokenDto,
    credentials: { login: string; passcode: string } | null,
    openSocket: (url: string) => unknown,
    handlers: ClientHandlers,
  ): Client {
    const address = token.chatServerWebSocketUrl;
    const client: Client = new Client({
      webSocketFactory: () => openSocket(address),
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
      onConnect: () => handlers.onConnect(client),
      onStompError: (frame: IFrame) => handlers.onStompError(client, frame),
      onWebSocketClose: () => handlers.onWebSocketClose(client),
    });
    return client;
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
  private openSocket(address: string): unknown {
    try {
      const socket = this.newSocket(address) as {
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

  private newSocket(address: string): unknown {
    const factory =
      this.options.webSocketFactory ??
      ((url: string) => new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false }));
    return factory(address);
  }

  /**
   * CONNECTED: every room subscribes, and the rooms are live once the server confirmed their
   * subscriptions; the gap, if any, ends then.
   */
  private connected(): void {
    this.connection.opened();
    const entries = [...this.rooms.values()].filter((entry) => !entry.down?.refused);
    this.whenSubscribed(entries, () => {
      this.connection.roomsLive();
      // A room a probe let in since its refusal: its own gap, which may have started earlier.
      for (const entry of entries) this.backOnItsOwn(entry);
    });
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
    const destinations = this.destinations(room);
    entry.receipts = [];
    entry.subscriptions = destinations.map((destination) => {
      const receipt = `sub-${this.nextReceipt++}`;
      entry.receipts.push(receipt);
      client.watchForReceipt(receipt, confirmed);
      return client.subscribe(
        destination,
        (message: IMessage) => this.deliver(room, destination, message),
        { receipt },
      );
    });
    return destinations.length;
  }

  /** The room's chat topic and the moderator's direct messages in it. */
  private destinations(room: LiveRoom): string[] {
    const destinations = [`/topic/chat/${room.channel}`];
    if (this.userId !== null) destinations.push(`/topic/dm/${room.channel}/user/${this.userId}`);
    return destinations;
  }

  /** One room subscribes on the live connection and says so, live once the server confirmed. */
  private subscribeAlone(entry: RoomSubscriptions): void {
    const { roomKey } = entry.room;
    this.options.listener.roomStatus?.(roomKey, 'connecting', {});
    this.whenSubscribed([entry], () => {
      this.options.listener.roomStatus?.(roomKey, 'live', {});
      this.backOnItsOwn(entry);
    });
  }

  /** The open room one of whose SUBSCRIBE frames asked for `receipt` on this connection. */
  private roomOfReceipt(receipt: string | undefined): RoomSubscriptions | null {
    if (receipt === undefined) return null;
    for (const entry of this.rooms.values()) {
      if (entry.receipts.includes(receipt)) return entry;
    }
    return null;
  }

  /** The server refused the room's subscription on the account's connection. */
  private refused(entry: RoomSubscriptions, error: ErrorInfo): void {
    this.options.listener.debug?.('the chat server refused a room: it is tried on its own', {
      room: entry.room.roomKey,
      message: error.message,
    });
    entry.receipts = [];
    entry.subscriptions = [];
    const down = entry.down ?? {
      since: this.connection.lastAlive(),
      refusals: 0,
      refused: true,
      error,
      timer: null,
      probe: null,
    };
    entry.down = down;
    this.tryLater(entry, down, error);
  }

  /** The room stays refused for now: its next probe waits the backoff, and the room says when. */
  private tryLater(entry: RoomSubscriptions, down: RoomDown, error: ErrorInfo): void {
    down.refused = true;
    down.error = error;
    down.refusals += 1;
    const { clock } = this.options;
    const delay = backoffDelay(
      this.options.reconnect ?? DEFAULT_RECONNECT,
      down.refusals,
      this.options.random,
    );
    if (down.timer !== null) clock.clearTimeout(down.timer);
    down.timer = clock.setTimeout(() => {
      down.timer = null;
      void this.probe(entry, down);
    }, delay);
    this.options.listener.roomStatus?.(entry.room.roomKey, 'reconnecting', {
      error,
      retryAt: clock.now() + delay,
    });
  }

  /**
   * Asks the server again for a refused room, on a connection of the probe's own, so that a
   * refusal does not end the account's: let in, the room subscribes on the account's connection
   * (now if it is live, with the other rooms when it is back otherwise); refused, it waits longer.
   */
  private async probe(entry: RoomSubscriptions, down: RoomDown): Promise<void> {
    const current = () => entry.down === down && this.rooms.get(entry.room.roomKey) === entry;
    let token: ChatTokenDto;
    let credentials: { login: string; passcode: string } | null;
    try {
      token = await this.options.token();
      credentials = (await this.options.credentials?.()) ?? null;
    } catch (error) {
      if (current()) this.tryLater(entry, down, failureInfo(error));
      return;
    }
    if (!current() || this.connection.isClosed) return;
    if (chatServerProblem(token.chatServerWebSocketUrl) !== null) {
      this.tryLater(entry, down, down.error);
      return;
    }
    let settled = false;
    let receiptTimer: TimerHandle | null = null;
    const settle = (client: Client, refusal: ErrorInfo | null) => {
      if (settled) return;
      settled = true;
      if (receiptTimer !== null) this.options.clock.clearTimeout(receiptTimer);
      void client.deactivate({ force: true });
      if (!current()) return;
      down.probe = null;
      if (refusal === null) this.letIn(entry, down);
      else this.tryLater(entry, down, refusal);
    };
    let probeConnected = false;
    const probe = this.stompClient(token, credentials, (url) => this.probeSocket(url), {
      onConnect: (client) => {
        probeConnected = true;
        const destinations = this.destinations(entry.room);
        let due = destinations.length;
        for (const destination of destinations) {
          const receipt = `probe-${this.nextReceipt++}`;
          client.watchForReceipt(receipt, () => {
            due -= 1;
            if (due === 0) settle(client, null);
          });
          client.subscribe(destination, () => undefined, { receipt });
        }
        // A server that sends no receipts lets the room in as the account's connection does.
        receiptTimer = this.options.clock.setTimeout(() => settle(client, null), RECEIPT_WAIT_MS);
      },
      onStompError: (client, frame) => {
        const message = frame.headers['message'];
        if (message !== undefined && /token/i.test(message)) this.options.invalidateToken();
        settle(
          client,
          probeConnected
            ? { code: ErrorCode.RoomRefused, message: message ?? 'refused' }
            : {
                code: ErrorCode.Auth,
                message: `Chat server: ${message ?? 'the chat server refused the connection'}`,
              },
        );
      },
      // Closed without an answer: the room stays as it was, and is tried again later.
      onWebSocketClose: (client) => settle(client, down.error),
    });
    down.probe = probe;
    probe.activate();
  }

  /** A probe's socket; one already closed when the factory throws (see `openSocket`). */
  private probeSocket(address: string): unknown {
    try {
      return this.newSocket(address);
    } catch {
      return closedSocket();
    }
  }

  /** A probe was let in: the room subscribes on the account's connection. */
  private letIn(entry: RoomSubscriptions, down: RoomDown): void {
    down.refused = false;
    if (this.client !== null && this.connection.phase === 'live') {
      this.subscribeAlone(entry);
    } else {
      // The account's connection is down: the room comes back with the others.
      this.options.listener.roomStatus?.(entry.room.roomKey, 'reconnecting', {});
    }
  }

  /** The room is live: what it missed while down on its own is its gap. */
  private backOnItsOwn(entry: RoomSubscriptions): void {
    const { down } = entry;
    if (down === null || down.refused) return;
    entry.down = null;
    if (down.since !== null) {
      this.options.listener.gap(down.since, this.options.clock.now(), [entry.room.roomKey]);
    }
  }

  /** The rooms but those `apart` picks, or undefined when it picks none (every room). */
  /** A room closed or a feed closed: its next try and its probe are called off. */
  private stopTrying(entry: RoomSubscriptions): void {
    const { down } = entry;
    if (down === null) return;
    entry.down = null;
    if (down.timer !== null) this.options.clock.clearTimeout(down.timer);
    void down.probe?.deactivate({ force: true });
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
