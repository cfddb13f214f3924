/**
 * The server side of STOMP 1.0–1.2 over WebSocket: sessions, subscriptions, receipts, errors,
 * transactions and heart-beats. What a destination means and who may connect are the emulated
 * service's business (`StompHooks`); this file only speaks the protocol.
 *
 * Throughput matters here (the sandbox is the benchmarks' load generator): a published message is
 * serialised once per destination, and each subscriber only adds its own short first lines.
 */
import { WebSocket } from 'ws';
import { DeliveryLog } from '../core/deliveryLog';
import {
  FrameParser,
  header,
  serializeFrame,
  StompProtocolError,
  escapeHeaderValue,
  type StompFrame,
  type StompVersion,
} from './frame';

/** The WebSocket subprotocols of STOMP, best first (STOMP 1.2 "WebSocket"). */
export const STOMP_SUBPROTOCOLS = ['v12.stomp', 'v11.stomp', 'v10.stomp'] as const;
const SUBPROTOCOL_VERSION: Record<string, StompVersion> = {
  'v12.stomp': '1.2',
  'v11.stomp': '1.1',
  'v10.stomp': '1.0',
};
const VERSIONS: readonly StompVersion[] = ['1.2', '1.1', '1.0'];

/** Picks the best STOMP subprotocol the client offered, for `ws`'s `handleProtocols`. */
export function chooseSubprotocol(offered: Set<string>): string | false {
  for (const protocol of STOMP_SUBPROTOCOLS) if (offered.has(protocol)) return protocol;
  return false;
}

export type ConnectAnswer<Session> =
  { ok: true; session: Session; userId: string } | { ok: false; message: string; detail?: string };

/** What the emulated service decides; every refusal becomes an ERROR frame and a close. */
export interface StompHooks<Session> {
  connect(frame: StompFrame): ConnectAnswer<Session>;
  /** Null to allow the subscription, or the reason it is refused. */
  authorizeSubscribe(session: Session, destination: string): string | null;
  /** After the subscription is registered (and its receipt sent). */
  subscribed(session: Session, destination: string): void;
  /** After a subscription ended, by UNSUBSCRIBE or because the connection closed. */
  unsubscribed(session: Session, destination: string): void;
  /** Null when the SEND was handled, or the reason it is refused. */
  send(session: Session, frame: StompFrame): string | null;
}

export interface BrokerOptions {
  /** The server's heart-beat in both directions (`sx,sy` of CONNECTED), ms; 0 turns it off. */
  heartbeatMs: number;
  /** A connection that sent nothing for this many negotiated intervals is closed. */
  heartbeatTolerance?: number;
  /** Name in the CONNECTED `server` header. */
  serverName: string;
  /** A subscriber that lets this much pile up unread is dropped as a slow consumer. */
  maxBufferedBytes?: number;
  /** Deliveries remembered per connection for the control API; the oldest go first. */
  deliveryLogLimit?: number;
  /** Closed connections remembered for the control API. */
  closedConnectionsKept?: number;
  /**
   * Behave like brokers that keep the socket open after an ERROR frame (RabbitMQ's Web-STOMP
   * does; STOMP says the server should close): a refused CONNECT or SUBSCRIBE is answered and the
   * connection is left as it was. Off by default, as the sandbox always behaved.
   */
  strict?: boolean;
}

export interface SubscriptionView {
  id: string;
  destination: string;
}

export interface ConnectionView {
  id: string;
  userId: string | null;
  open: boolean;
  subscriptions: SubscriptionView[];
  delivered: number;
  connectedAt: string;
  closedAt: string | null;
  /** Extra to the brief: why it closed (`client`, `error`, `heartbeat`, `dropped`, `slow`, …). */
  closeReason: string | null;
  /** The CONNECT frame's `host` header (STOMP 1.1 and 1.2 clients must send one), if any. */
  host: string | null;
  /** Whether the connection was silenced (`silenceAll`): it is open, and nothing reaches it. */
  silenced: boolean;
  version: StompVersion | null;
  protocol: string;
  /** Deliveries no longer in the log because it reached its limit. */
  deliveriesForgotten: number;
}

export interface DeliveryView {
  subscription: string;
  destination: string;
  messageId: string;
  /**
   * What the message is, for a detector's measure: a simulated chat message's spam kind, `none`
   * for ordinary simulated chat (crowd reactions included); null for anything else (JOIN and
   * LEAVE, messages sent through the control or REST API).
   */
  spam: string | null;
}

interface Subscription {
  id: string;
  destination: string;
  connection: Connection<unknown>;
  /** `MESSAGE` and the `subscription` header, escaped for this connection's version. */
  head: string;
  ackMode: 'auto' | 'client' | 'client-individual';
}

/** A published message serialised once: every header after `subscription`, and the body. */
interface PreparedMessage {
  messageId: string;
  destination: string;
  spam: string | null;
  tail: string;
  /** The same for STOMP 1.0 connections, when escaping made a difference. */
  tailUnescaped: string;
}

const DEFAULTS = {
  heartbeatTolerance: 2,
  maxBufferedBytes: 64 * 1024 * 1024,
  deliveryLogLimit: 1_000_000,
  closedConnectionsKept: 1000,
  strict: false,
};

export class StompBroker<Session> {
  private readonly topics = new Map<string, Set<Subscription>>();
  private readonly open = new Map<string, Connection<Session>>();
  private closed: Connection<Session>[] = [];
  private nextConnection = 1;
  readonly options: Required<BrokerOptions>;

  constructor(
    readonly hooks: StompHooks<Session>,
    options: BrokerOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** Takes over a freshly upgraded WebSocket. */
  accept(socket: WebSocket): void {
    const connection = new Connection<Session>(this, `c${this.nextConnection++}`, socket);
    this.open.set(connection.id, connection);
  }

  /**
   * Sends a message to every subscription of `destination`; answers how many got it. `spam` labels
   * it in the delivery log (`DeliveryView.spam`).
   */
  publish(
    destination: string,
    messageId: string,
    body: string,
    spam: string | null = null,
  ): number {
    const subscribers = this.topics.get(destination);
    if (subscribers === undefined || subscribers.size === 0) return 0;
    const escapedId = escapeHeaderValue(messageId, '1.2');
    const escapedDestination = escapeHeaderValue(destination, '1.2');
    const rest = `content-type:application/json\ncontent-length:${Buffer.byteLength(body)}\n\n${body}\0`;
    const tail = `message-id:${escapedId}\ndestination:${escapedDestination}\n${rest}`;
    const message: PreparedMessage = {
      messageId,
      destination,
      spam,
      tail,
      tailUnescaped:
        escapedId === messageId && escapedDestination === destination
          ? tail
          : `message-id:${messageId}\ndestination:${destination}\n${rest}`,
    };
    let delivered = 0;
    for (const subscription of subscribers) {
      if (subscription.connection.deliver(subscription, message)) delivered += 1;
    }
    return delivered;
  }

  /** Ends every open connection at once, as a network failure would (no close handshake). */
  dropAll(reason = 'dropped'): void {
    for (const connection of [...this.open.values()]) connection.terminate(reason);
  }

  /** Closes every open connection with a WebSocket close frame. */
  /**
   * Every open connection goes silent without closing, as behind a network path that died: no
   * message, receipt or heart-beat reaches it any more, and it is not closed for its own silence.
   * Connections made afterwards are not affected.
   */
  silenceAll(): void {
    for (const connection of this.open.values()) connection.silence();
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.open.values()]) connection.closeSocket(code, reason, reason);
  }

  /** Forgets closed connections (a reset). */
  forgetClosed(): void {
    this.closed = [];
  }

  connections(): ConnectionView[] {
    return [...this.closed, ...this.open.values()]
      .sort((a, b) => a.serial - b.serial)
      .map((connection) => connection.view());
  }

  deliveries(connectionId: string): DeliveryView[] | null {
    const connection =
      this.open.get(connectionId) ?? this.closed.find((item) => item.id === connectionId);
    return connection === undefined ? null : connection.deliveryLog();
  }

  openConnections(): Connection<Session>[] {
    return [...this.open.values()];
  }

  /** @internal */
  addSubscription(subscription: Subscription): void {
    let set = this.topics.get(subscription.destination);
    if (set === undefined) {
      set = new Set();
      this.topics.set(subscription.destination, set);
    }
    set.add(subscription);
  }

  /** @internal */
  removeSubscription(subscription: Subscription): void {
    const set = this.topics.get(subscription.destination);
    if (set === undefined) return;
    set.delete(subscription);
    if (set.size === 0) this.topics.delete(subscription.destination);
  }

  /** @internal */
  connectionClosed(connection: Connection<Session>): void {
    if (!this.open.delete(connection.id)) return;
    this.closed.push(connection);
    if (this.closed.length > this.options.closedConnectionsKept) {
      this.closed.splice(0, this.closed.length - this.options.closedConnectionsKept);
    }
  }
}

type State = 'awaitingConnect' | 'connected' | 'closed';

/** One WebSocket speaking STOMP. */
export class Connection<Session> {
  readonly serial: number;
  private state: State = 'awaitingConnect';
  private readonly parser = new FrameParser();
  private version: StompVersion = '1.2';
  private session: Session | null = null;
  private userId: string | null = null;
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly transactions = new Map<string, StompFrame[]>();
  private readonly connectedAt = new Date();
  private closedAt: Date | null = null;
  private closeReason: string | null = null;
  private host: string | null = null;
  private silenced = false;
  private delivered = 0;
  private readonly log: DeliveryLog<DeliveryView>;
  private nextAck = 1;
  private sentSinceBeat = false;
  private lastReceivedAt = Date.now();
  private sendTimer: NodeJS.Timeout | null = null;
  private receiveTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly broker: StompBroker<Session>,
    readonly id: string,
    private readonly socket: WebSocket,
  ) {
    this.serial = Number(id.slice(1));
    this.log = new DeliveryLog(
      ['subscription', 'destination', 'messageId', 'spam'],
      broker.options.deliveryLogLimit,
    );
    socket.on('message', (data) => this.received(data));
    socket.on('close', () => this.socketClosed());
    socket.on('error', () => this.terminate('socket error'));
  }

  view(): ConnectionView {
    return {
      id: this.id,
      userId: this.userId,
      open: this.state !== 'closed',
      subscriptions: [...this.subscriptions.values()].map(({ id, destination }) => ({
        id,
        destination,
      })),
      delivered: this.delivered,
      connectedAt: this.connectedAt.toISOString(),
      closedAt: this.closedAt === null ? null : this.closedAt.toISOString(),
      closeReason: this.closeReason,
      host: this.host,
      silenced: this.silenced,
      version: this.state === 'awaitingConnect' ? null : this.version,
      protocol: this.socket.protocol,
      deliveriesForgotten: this.log.forgotten,
    };
  }

  deliveryLog(): DeliveryView[] {
    return this.log.rows();
  }

  /**
   * @internal Sends one MESSAGE frame and writes it in the delivery log. The log holds every
   * frame handed to an open socket; after an abrupt drop its last entries may not have arrived.
   */
  deliver(subscription: Subscription, message: PreparedMessage): boolean {
    // `ws` silently discards sends once the peer has started closing: those are not deliveries.
    if (this.state !== 'connected' || this.socket.readyState !== WebSocket.OPEN) return false;
    if (this.silenced) return false;
    if (this.socket.bufferedAmount > this.broker.options.maxBufferedBytes) {
      this.terminate('slow consumer');
      return false;
    }
    const tail = this.version === '1.0' ? message.tailUnescaped : message.tail;
    // STOMP 1.2 wants an `ack` header on messages of a subscription that acknowledges.
    const frame =
      subscription.ackMode !== 'auto' && this.version === '1.2'
        ? `${subscription.head}ack:${this.id}-${this.nextAck++}\n${tail}`
        : subscription.head + tail;
    this.socket.send(frame);
    this.sentSinceBeat = true;
    this.delivered += 1;
    this.log.push({
      subscription: subscription.id,
      destination: message.destination,
      messageId: message.messageId,
      spam: message.spam,
    });
    return true;
  }

  /** @internal See `StompBroker.silenceAll`. */
  silence(): void {
    this.silenced = true;
    if (this.receiveTimer !== null) clearInterval(this.receiveTimer);
    this.receiveTimer = null;
  }

  /** Ends the connection without a close handshake (a dead peer, a dropped network). */
  terminate(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.finish();
    this.socket.terminate();
  }

  /** Ends the connection with a WebSocket close frame. */
  closeSocket(code: number, reason: string, closeReason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= closeReason;
    this.finish();
    this.socket.close(code, reason);
  }

  private received(data: unknown): void {
    if (this.state === 'closed') return;
    this.lastReceivedAt = Date.now();
    const chunk = Buffer.isBuffer(data)
      ? data
      : data instanceof ArrayBuffer
        ? Buffer.from(data)
        : Buffer.concat(data as Buffer[]);
    let frames: StompFrame[];
    try {
      frames = this.parser.push(chunk).frames;
    } catch (error) {
      this.protocolError(error, undefined);
      return;
    }
    for (const frame of frames) {
      // A frame earlier in this batch may have ended the connection (ERROR, DISCONNECT).
      if (this.isClosed()) return;
      try {
        this.handle(frame);
      } catch (error) {
        this.protocolError(error, header(frame, 'receipt'));
        return;
      }
    }
  }

  private isClosed(): boolean {
    return this.state === 'closed';
  }

  private handle(frame: StompFrame): void {
    if (this.state === 'awaitingConnect') {
      if (frame.command !== 'CONNECT' && frame.command !== 'STOMP') {
        throw new StompProtocolError('Not connected', `Send CONNECT before ${frame.command}.`);
      }
      this.connect(frame);
      return;
    }
    switch (frame.command) {
      case 'SUBSCRIBE':
        this.subscribe(frame);
        break;
      case 'UNSUBSCRIBE':
        this.unsubscribe(frame);
        break;
      case 'SEND':
        this.send(frame);
        break;
      case 'BEGIN':
      case 'COMMIT':
      case 'ABORT':
        this.transaction(frame);
        break;
      case 'ACK':
      case 'NACK':
        // Subscriptions never redeliver, so an acknowledgement only needs its receipt.
        this.receipt(frame);
        break;
      case 'DISCONNECT':
        this.disconnect(frame);
        break;
      case 'CONNECT':
      case 'STOMP':
        throw new StompProtocolError('Already connected', 'CONNECT was already accepted.');
      default:
        throw new StompProtocolError(
          'Unknown command',
          `"${frame.command}" is not a client frame.`,
        );
    }
  }

  private connect(frame: StompFrame): void {
    const version = this.negotiateVersion(header(frame, 'accept-version'));
    if (version === null) {
      this.error(
        'Supported protocol versions are 1.0, 1.1 and 1.2',
        `accept-version was "${header(frame, 'accept-version') ?? ''}".`,
        undefined,
        [['version', '1.2,1.1,1.0']],
      );
      return;
    }
    this.version = version;
    this.parser.version = version;
    this.host = header(frame, 'host') ?? null;
    const answer = this.broker.hooks.connect(frame);
    if (!answer.ok) {
      this.error(answer.message, answer.detail ?? '', undefined, [], 1008);
      return;
    }
    this.session = answer.session;
    this.userId = answer.userId;
    const { sendEvery, expectEvery } = this.negotiateHeartbeat(header(frame, 'heart-beat'));
    const serverBeat = this.broker.options.heartbeatMs;
    this.state = 'connected';
    this.write(
      serializeFrame(
        'CONNECTED',
        [
          ['version', version],
          ['heart-beat', `${serverBeat},${serverBeat}`],
          ['server', this.broker.options.serverName],
          ['session', this.id],
        ],
        '',
        version,
      ),
    );
    this.startHeartbeats(sendEvery, expectEvery);
  }

  /** The highest version both sides speak, capped by the WebSocket subprotocol if one was agreed. */
  private negotiateVersion(acceptVersion: string | undefined): StompVersion | null {
    const offered = new Set(
      acceptVersion === undefined ? ['1.0'] : acceptVersion.split(',').map((item) => item.trim()),
    );
    const cap = SUBPROTOCOL_VERSION[this.socket.protocol];
    for (const version of VERSIONS) {
      if (cap !== undefined && version > cap) continue;
      if (offered.has(version)) return version;
    }
    return null;
  }

  /**
   * STOMP 1.2 "Heart-beating": the client offers `cx,cy`; the server sends every max(sx, cy) and
   * expects something every max(cx, sy), each only when both sides' values are non-zero.
   */
  private negotiateHeartbeat(value: string | undefined): {
    sendEvery: number;
    expectEvery: number;
  } {
    if (this.version === '1.0' || value === undefined) return { sendEvery: 0, expectEvery: 0 };
    const match = /^\s*(\d+)\s*,\s*(\d+)\s*$/.exec(value);
    if (match === null) {
      throw new StompProtocolError('Malformed heart-beat header', `"${value}" is not "cx,cy".`);
    }
    const clientSends = Number(match[1]);
    const clientWants = Number(match[2]);
    const server = this.broker.options.heartbeatMs;
    return {
      sendEvery: server > 0 && clientWants > 0 ? Math.max(server, clientWants) : 0,
      expectEvery: server > 0 && clientSends > 0 ? Math.max(server, clientSends) : 0,
    };
  }

  private startHeartbeats(sendEvery: number, expectEvery: number): void {
    if (sendEvery > 0) {
      // Checking twice per interval keeps every gap under the promised interval.
      this.sendTimer = setInterval(
        () => {
          if (!this.sentSinceBeat && this.state === 'connected' && !this.silenced) {
            this.socket.send('\n');
          }
          this.sentSinceBeat = false;
        },
        Math.max(1, Math.floor(sendEvery / 2)),
      );
    }
    if (expectEvery > 0) {
      const limit = expectEvery * this.broker.options.heartbeatTolerance;
      this.receiveTimer = setInterval(() => {
        if (Date.now() - this.lastReceivedAt > limit) this.terminate('heartbeat');
      }, expectEvery);
    }
  }

  private subscribe(frame: StompFrame): void {
    const destination = required(frame, 'destination');
    // STOMP 1.0 made the id optional; then the destination names the subscription.
    const id =
      this.version === '1.0' ? (header(frame, 'id') ?? destination) : required(frame, 'id');
    if (this.subscriptions.has(id)) {
      throw new StompProtocolError('Duplicate subscription id', `"${id}" is already in use.`);
    }
    const ack = header(frame, 'ack') ?? 'auto';
    if (ack !== 'auto' && ack !== 'client' && ack !== 'client-individual') {
      throw new StompProtocolError('Unknown ack mode', `"${ack}"`);
    }
    const session = this.session as Session;
    const refusal = this.broker.hooks.authorizeSubscribe(session, destination);
    if (refusal !== null) throw new StompProtocolError(refusal, `Destination "${destination}".`);
    const subscription: Subscription = {
      id,
      destination,
      connection: this,
      head: `MESSAGE\nsubscription:${escapeHeaderValue(id, this.version)}\n`,
      ackMode: ack,
    };
    this.subscriptions.set(id, subscription);
    this.broker.addSubscription(subscription);
    this.receipt(frame);
    this.broker.hooks.subscribed(session, destination);
  }

  private unsubscribe(frame: StompFrame): void {
    const id =
      this.version === '1.0'
        ? (header(frame, 'id') ?? required(frame, 'destination'))
        : required(frame, 'id');
    const subscription = this.subscriptions.get(id);
    // Unsubscribing twice is harmless; the receipt still confirms the frame was processed.
    if (subscription !== undefined) this.endSubscription(subscription);
    this.receipt(frame);
  }

  private endSubscription(subscription: Subscription): void {
    this.subscriptions.delete(subscription.id);
    this.broker.removeSubscription(subscription);
    this.broker.hooks.unsubscribed(this.session as Session, subscription.destination);
  }

  private send(frame: StompFrame): void {
    required(frame, 'destination');
    const transaction = header(frame, 'transaction');
    if (transaction !== undefined) {
      const pending = this.transactions.get(transaction);
      if (pending === undefined) {
        throw new StompProtocolError('Unknown transaction', `"${transaction}" was not begun.`);
      }
      pending.push(frame);
      this.receipt(frame);
      return;
    }
    this.deliverSend(frame);
    this.receipt(frame);
  }

  private deliverSend(frame: StompFrame): void {
    const refusal = this.broker.hooks.send(this.session as Session, frame);
    if (refusal !== null) {
      throw new StompProtocolError(refusal, `Destination "${header(frame, 'destination') ?? ''}".`);
    }
  }

  private transaction(frame: StompFrame): void {
    const name = required(frame, 'transaction');
    if (frame.command === 'BEGIN') {
      if (this.transactions.has(name)) {
        throw new StompProtocolError('Transaction already begun', `"${name}"`);
      }
      this.transactions.set(name, []);
    } else {
      const pending = this.transactions.get(name);
      if (pending === undefined) {
        throw new StompProtocolError('Unknown transaction', `"${name}" was not begun.`);
      }
      this.transactions.delete(name);
      if (frame.command === 'COMMIT') for (const queued of pending) this.deliverSend(queued);
    }
    this.receipt(frame);
  }

  private disconnect(frame: StompFrame): void {
    this.receipt(frame);
    this.closeSocket(1000, 'disconnect', 'client');
  }

  private receipt(frame: StompFrame): void {
    const receipt = header(frame, 'receipt');
    if (receipt === undefined) return;
    this.write(serializeFrame('RECEIPT', [['receipt-id', receipt]], '', this.version));
  }

  private protocolError(error: unknown, receipt: string | undefined): void {
    if (error instanceof StompProtocolError) {
      this.error(error.message, error.detail, receipt, [], 1002);
      return;
    }
    this.error('Internal error', error instanceof Error ? error.message : String(error), receipt);
  }

  /**
   * STOMP 1.2 "ERROR": the server sends it and then closes the connection, unless the broker is
   * `strict`, where the connection stays as it was (a refused CONNECT leaves it waiting for
   * another CONNECT, a refused SUBSCRIBE leaves it connected without the subscription).
   */
  private error(
    message: string,
    detail: string,
    receipt: string | undefined,
    extraHeaders: [string, string][] = [],
    closeCode = 1002,
  ): void {
    const headers: [string, string][] = [['message', message], ...extraHeaders];
    if (receipt !== undefined) headers.push(['receipt-id', receipt]);
    if (detail !== '') headers.push(['content-type', 'text/plain']);
    this.write(serializeFrame('ERROR', headers, detail, this.version));
    if (!this.broker.options.strict) this.closeSocket(closeCode, message.slice(0, 120), 'error');
  }

  private write(text: string): void {
    if (this.silenced) return;
    this.socket.send(text);
    this.sentSinceBeat = true;
  }

  /** Stops timers and subscriptions; the socket itself is closed by the caller. */
  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedAt = new Date();
    if (this.sendTimer !== null) clearInterval(this.sendTimer);
    if (this.receiveTimer !== null) clearInterval(this.receiveTimer);
    this.sendTimer = null;
    this.receiveTimer = null;
    this.transactions.clear();
    for (const subscription of [...this.subscriptions.values()]) this.endSubscription(subscription);
    this.broker.connectionClosed(this);
  }

  private socketClosed(): void {
    this.closeReason ??= 'client';
    this.finish();
  }
}

function required(frame: StompFrame, name: string): string {
  const value = header(frame, name);
  if (value === undefined || value === '') {
    throw new StompProtocolError(`Missing ${name} header`, `${frame.command} needs "${name}".`);
  }
  return value;
}
