/**
 * The server side of the Vert.x event-bus bridge as VChatCloud uses it (api-facts §2.7), over a
 * raw WebSocket (`/eventbus/websocket`) or a SockJS session (`sockjs.ts`): one JSON object per
 * frame, `send`/`publish` with an address, a body and an optional `replyAddress`; replies and
 * pushes as `rec` frames; failures as `err` frames with `failureCode`, `failureType` and
 * `message`. As the bridge does, only `ping` frames keep a socket alive (never answered), an idle
 * one is closed with 1001 "Session expired", and `register`ed addresses receive what other sockets
 * send and publish there. What a service address means is the service's business
 * (`EventBusHandlers`).
 */
import { randomUUID } from 'node:crypto';
import { WebSocket } from 'ws';
import { DeliveryLog } from '../core/deliveryLog';
import { RESULT, VChatError } from './model';

/** What the emulated service decides for each request; thrown `VChatError`s become `err` frames. */
export interface EventBusHandlers {
  /** The reply body (sent only when the client asked for one), a `ReplyThen`, or `NO_HANDLERS`. */
  request(connection: BusConnection, address: string, body: unknown): unknown;
  /** After the socket closed, for whatever reason. */
  closed(connection: BusConnection): void;
}

/** Answer of `request` for an address nobody handles (Vert.x `NO_HANDLERS`). */
export const NO_HANDLERS = Symbol('NO_HANDLERS');

/** A reply, and what happens right after it went out (e.g. the join push after the join reply). */
export class ReplyThen {
  constructor(
    readonly body: unknown,
    readonly then: () => void,
  ) {}
}

export interface EventBusOptions {
  /** Frames as binary UTF-8 JSON (what the raw-WebSocket path is inferred to send) or as text. */
  frames: 'binary' | 'text';
  /** A socket that sends no `ping` for this long is closed (1001); 0 never closes one. */
  pingTimeoutMs: number;
  /** How often a SockJS session sends its `h` heartbeat frame; SockJS's default is 25 s. */
  sockJsHeartbeatMs?: number;
  /** Deliveries remembered per connection for the control API; the oldest half goes first. */
  deliveryLogLimit?: number;
  closedConnectionsKept?: number;
}

export interface BusConnectionView {
  id: string;
  open: boolean;
  /** The rooms this socket joined, and as whom. */
  sessions: Array<{ roomId: string; clientKey: string }>;
  /** `websocket` for the raw path, `sockjs` for a SockJS session. */
  transport: 'websocket' | 'sockjs';
  /** Addresses this socket registered, in the order it did. */
  registered: string[];
  delivered: number;
  pings: number;
  framesReceived: number;
  connectedAt: string;
  closedAt: string | null;
  closeReason: string | null;
  deliveriesForgotten: number;
}

export interface BusDeliveryView {
  address: string;
  type: 'rec' | 'err';
  /** The room's message counter for message, notice and custom pushes; null otherwise. */
  messageCount: number | null;
  /**
   * A simulated chat message's spam kind, `none` for ordinary simulated chat; null for anything
   * else (as FlipFlop's delivery log).
   */
  spam: string | null;
}

/** A frame serialised once, to be handed to any number of sockets. */
export interface PreparedFrame {
  /** The bridge frame's JSON text. */
  text: string;
  /** `text` as the raw-WebSocket path sends it: binary UTF-8 or text (`frames`). */
  data: Buffer | string;
  address: string;
  type: 'rec' | 'err';
  messageCount: number | null;
  spam: string | null;
}

/** What carries one connection's bridge frames: a raw WebSocket, or a SockJS session on one. */
export interface BusTransport {
  readonly kind: 'websocket' | 'sockjs';
  /** Whether a frame sent now would go out. */
  readonly writable: boolean;
  /** Calls `events` for every bridge frame received (its text) and once when the socket is gone. */
  listen(events: { frame(text: string): void; closed(reason: string): void }): void;
  send(frame: PreparedFrame): void;
  /** Closes with a close handshake (and, for SockJS, its `c[code,"reason"]` frame first). */
  close(code: number, reason: string): void;
  /** Ends at once, as a network failure would. */
  terminate(): void;
}

const DEFAULTS = {
  deliveryLogLimit: 1_000_000,
  closedConnectionsKept: 1000,
  sockJsHeartbeatMs: 25_000,
};
const CLIENT_TYPES = new Set(['send', 'publish', 'register', 'unregister', 'ping']);
/** Vert.x refuses longer reply addresses (its JS client's are 36-character UUIDs). */
const REPLY_ADDRESS_MAX_LENGTH = 36;
/** Socket-to-socket sends awaiting a reply; past this the oldest are forgotten. */
const PENDING_REPLIES_KEPT = 10_000;

interface PendingReply {
  connection: BusConnection;
  replyAddress: string;
}

export class EventBusServer {
  private readonly open = new Map<string, BusConnection>();
  private closed: BusConnection[] = [];
  private nextConnection = 1;
  /** address → sockets registered there, in the order the next `send` picks them. */
  private readonly registrations = new Map<string, Set<BusConnection>>();
  /** Reply addresses handed to a registered socket → who asked. */
  private readonly pendingReplies = new Map<string, PendingReply>();
  readonly options: Required<EventBusOptions>;

  constructor(
    readonly handlers: EventBusHandlers,
    options: EventBusOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  /** A raw WebSocket at `/eventbus/websocket`. */
  accept(socket: WebSocket): void {
    this.acceptTransport(new RawWebSocketTransport(socket, this.options.frames));
  }

  /** Any transport that carries bridge frames (a SockJS session). */
  acceptTransport(transport: BusTransport): BusConnection {
    const connection = new BusConnection(this, `v${this.nextConnection++}`, transport);
    this.open.set(connection.id, connection);
    return connection;
  }

  /** Serialises a `rec` frame (a reply or a push) once; `spam` labels it in the delivery log. */
  prepare(
    address: string,
    body: unknown,
    messageCount: number | null = null,
    spam: string | null = null,
  ): PreparedFrame {
    return {
      ...this.frame(
        JSON.stringify({ type: 'rec', address, headers: {}, body }),
        address,
        'rec',
        messageCount,
      ),
      spam,
    };
  }

  /**
   * A frame of any text, sent as it is (a fault: not JSON, a body no client can read). Logged as
   * a `rec` frame with the address `""`.
   */
  prepareRaw(text: string): PreparedFrame {
    return this.frame(text, '', 'rec', null);
  }

  /** Serialises an `err` frame: the SDK maps it to `{ code: failureCode, type, message }`. */
  prepareError(
    address: string,
    failureCode: number,
    failureType: string,
    message: string,
  ): PreparedFrame {
    const text = JSON.stringify({ type: 'err', address, failureCode, failureType, message });
    return this.frame(text, address, 'err', null);
  }

  /** The bridge's own complaints, with no address: `{ "type": "err", "body": "invalid_json" }`. */
  prepareBridgeError(name: string): PreparedFrame {
    return this.frame(JSON.stringify({ type: 'err', body: name }), '', 'err', null);
  }

  dropAll(reason = 'dropped'): void {
    for (const connection of [...this.open.values()]) connection.terminate(reason);
  }

  closeAll(code: number, reason: string): void {
    for (const connection of [...this.open.values()]) connection.closeSocket(code, reason, reason);
  }

  forgetClosed(): void {
    this.closed = [];
  }

  openConnections(): BusConnection[] {
    return [...this.open.values()];
  }

  connections(): BusConnectionView[] {
    return [...this.closed, ...this.open.values()]
      .sort((a, b) => a.serial - b.serial)
      .map((connection) => connection.view());
  }

  deliveries(connectionId: string): BusDeliveryView[] | null {
    const connection =
      this.open.get(connectionId) ?? this.closed.find((item) => item.id === connectionId);
    return connection === undefined ? null : connection.deliveryLog();
  }

  /** @internal */
  register(connection: BusConnection, address: string): void {
    let sockets = this.registrations.get(address);
    if (sockets === undefined) {
      sockets = new Set();
      this.registrations.set(address, sockets);
    }
    sockets.add(connection);
  }

  /** @internal */
  unregister(connection: BusConnection, address: string): void {
    const sockets = this.registrations.get(address);
    if (sockets === undefined) return;
    sockets.delete(connection);
    if (sockets.size === 0) this.registrations.delete(address);
  }

  /**
   * A client's `publish`: a copy to every socket registered at the address (the sender too, if
   * it registered), as a Vert.x consumer would get it.
   */
  publishToRegistered(address: string, body: unknown, headers: unknown): void {
    const sockets = this.registrations.get(address);
    if (sockets === undefined) return;
    const frame = this.busMessage(address, body, headers, null);
    for (const socket of [...sockets]) socket.deliver(frame);
  }

  /**
   * A client's `send` to an address no service handles: one registered socket gets it, taking
   * turns as Vert.x's round robin does; its reply (a `send` to the `replyAddress` it was given)
   * goes back to the sender. False when nobody is registered there.
   */
  sendToRegistered(
    sender: BusConnection,
    address: string,
    body: unknown,
    headers: unknown,
    replyAddress: string | null,
  ): boolean {
    const sockets = this.registrations.get(address);
    const [receiver] = sockets ?? [];
    if (sockets === undefined || receiver === undefined) return false;
    // Moving the receiver to the end of the set is the round robin.
    sockets.delete(receiver);
    sockets.add(receiver);
    let busReplyAddress: string | null = null;
    if (replyAddress !== null) {
      busReplyAddress = randomUUID();
      this.pendingReplies.set(busReplyAddress, { connection: sender, replyAddress });
      if (this.pendingReplies.size > PENDING_REPLIES_KEPT) {
        const [oldest] = this.pendingReplies.keys();
        if (oldest !== undefined) this.pendingReplies.delete(oldest);
      }
    }
    receiver.deliver(this.busMessage(address, body, headers, busReplyAddress));
    return true;
  }

  /** A socket's answer to a message it received with a `replyAddress`: false if not one. */
  replyToSender(address: string, body: unknown, headers: unknown): boolean {
    const pending = this.pendingReplies.get(address);
    if (pending === undefined) return false;
    this.pendingReplies.delete(address);
    pending.connection.deliver(this.busMessage(pending.replyAddress, body, headers, null));
    return true;
  }

  /** @internal */
  connectionClosed(connection: BusConnection): void {
    for (const address of connection.registered) this.unregister(connection, address);
    for (const [address, pending] of this.pendingReplies) {
      if (pending.connection === connection) this.pendingReplies.delete(address);
    }
    if (!this.open.delete(connection.id)) return;
    this.closed.push(connection);
    if (this.closed.length > this.options.closedConnectionsKept) {
      this.closed.splice(0, this.closed.length - this.options.closedConnectionsKept);
    }
  }

  private busMessage(
    address: string,
    body: unknown,
    headers: unknown,
    replyAddress: string | null,
  ): PreparedFrame {
    const text = JSON.stringify({
      type: 'rec',
      address,
      headers: isPlainObject(headers) ? headers : {},
      body,
      ...(replyAddress === null ? {} : { replyAddress }),
    });
    return this.frame(text, address, 'rec', null);
  }

  private frame(
    text: string,
    address: string,
    type: 'rec' | 'err',
    messageCount: number | null,
  ): PreparedFrame {
    const data = this.options.frames === 'binary' ? Buffer.from(text, 'utf8') : text;
    return { text, data, address, type, messageCount, spam: null };
  }
}

/** `/eventbus/websocket`: one bridge frame per WebSocket message, sent as `frames` says. */
class RawWebSocketTransport implements BusTransport {
  readonly kind = 'websocket';

  constructor(
    private readonly socket: WebSocket,
    private readonly frames: 'binary' | 'text',
  ) {}

  get writable(): boolean {
    return this.socket.readyState === WebSocket.OPEN;
  }

  listen(events: { frame(text: string): void; closed(reason: string): void }): void {
    this.socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) =>
      events.frame(textOf(data)),
    );
    this.socket.on('close', () => events.closed('client'));
    this.socket.on('error', () => {
      events.closed('socket error');
      this.socket.terminate();
    });
  }

  send(frame: PreparedFrame): void {
    this.socket.send(frame.data, { binary: this.frames === 'binary' });
  }

  close(code: number, reason: string): void {
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.socket.terminate();
  }
}

/** A WebSocket message as text, whichever form `ws` hands it in. */
export function textOf(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return Buffer.concat(data).toString('utf8');
}

/** One socket speaking the bridge protocol, over whichever transport. */
export class BusConnection {
  readonly serial: number;
  /** Rooms joined on this socket: roomId → clientKey. */
  readonly sessions = new Map<string, string>();
  private readonly registrations = new Set<string>();
  private state: 'open' | 'closed' = 'open';
  private readonly connectedAt = new Date();
  private closedAt: Date | null = null;
  private closeReason: string | null = null;
  private delivered = 0;
  private pings = 0;
  private framesReceived = 0;
  private readonly log: DeliveryLog<BusDeliveryView>;
  private lastPingAt = Date.now();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly server: EventBusServer,
    readonly id: string,
    private readonly transport: BusTransport,
  ) {
    this.serial = Number(id.slice(1));
    this.log = new DeliveryLog(
      ['address', 'type', 'messageCount', 'spam'],
      server.options.deliveryLogLimit,
    );
    transport.listen({
      frame: (text) => this.received(text),
      closed: (reason) => this.transportClosed(reason),
    });
    const timeout = server.options.pingTimeoutMs;
    if (timeout > 0) {
      // Vert.x checks every `pingTimeout`; a quarter of it closes closer to the deadline.
      this.pingTimer = setInterval(
        () => {
          if (Date.now() - this.lastPingAt >= timeout) {
            this.closeSocket(1001, 'Session expired', 'ping timeout');
          }
        },
        Math.max(1, Math.floor(timeout / 4)),
      );
    }
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  /** The addresses this socket registered. */
  get registered(): string[] {
    return [...this.registrations];
  }

  view(): BusConnectionView {
    return {
      id: this.id,
      open: this.state === 'open',
      transport: this.transport.kind,
      sessions: [...this.sessions].map(([roomId, clientKey]) => ({ roomId, clientKey })),
      registered: this.registered,
      delivered: this.delivered,
      pings: this.pings,
      framesReceived: this.framesReceived,
      connectedAt: this.connectedAt.toISOString(),
      closedAt: this.closedAt === null ? null : this.closedAt.toISOString(),
      closeReason: this.closeReason,
      deliveriesForgotten: this.log.forgotten,
    };
  }

  deliveryLog(): BusDeliveryView[] {
    return this.log.rows();
  }

  /** Sends a prepared frame and logs it; false when the socket no longer takes frames. */
  deliver(frame: PreparedFrame): boolean {
    if (this.state !== 'open' || !this.transport.writable) return false;
    this.transport.send(frame);
    this.delivered += 1;
    this.log.push({
      address: frame.address,
      type: frame.type,
      messageCount: frame.messageCount,
      spam: frame.spam,
    });
    return true;
  }

  /** Ends the connection without a close handshake. */
  terminate(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.finish();
    this.transport.terminate();
  }

  closeSocket(code: number, reason: string, closeReason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= closeReason;
    this.finish();
    this.transport.close(code, reason);
  }

  private received(text: string): void {
    if (this.state === 'closed') return;
    this.framesReceived += 1;
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      // What the Vert.x bridge answers to a frame that is not JSON.
      this.bridgeError('invalid_json');
      return;
    }
    if (!isPlainObject(frame)) {
      this.bridgeError('invalid_json');
      return;
    }
    const { type, address, body, headers, replyAddress } = frame;
    if (type === undefined || type === null) {
      this.bridgeError('missing_type');
      return;
    }
    if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
      this.bridgeError('invalid_type');
      return;
    }
    if (type === 'ping') {
      // The only frame that keeps the socket alive; never answered (api-facts §2.7).
      this.lastPingAt = Date.now();
      this.pings += 1;
      return;
    }
    if (typeof address !== 'string' || address === '') {
      this.bridgeError('missing_address');
      return;
    }
    if (type === 'register') {
      this.registrations.add(address);
      this.server.register(this, address);
      return;
    }
    if (type === 'unregister') {
      this.registrations.delete(address);
      this.server.unregister(this, address);
      return;
    }
    if (
      replyAddress !== undefined &&
      replyAddress !== null &&
      (typeof replyAddress !== 'string' || replyAddress.length > REPLY_ADDRESS_MAX_LENGTH)
    ) {
      this.bridgeError('invalid_reply_address');
      return;
    }
    const reply = typeof replyAddress === 'string' && replyAddress !== '' ? replyAddress : null;
    if (this.server.replyToSender(address, body, headers)) return;
    if (type === 'publish') {
      this.publish(address, body, headers);
      return;
    }
    this.send(address, body, headers, reply);
  }

  /** A publish has no reply and no error: the service acts on it, registered sockets get it. */
  private publish(address: string, body: unknown, headers: unknown): void {
    try {
      const answer = this.server.handlers.request(this, address, body);
      if (answer instanceof ReplyThen) answer.then();
    } catch {
      // A refused publish says nothing, as on Vert.x: publishers get no reply and no failure.
    }
    this.server.publishToRegistered(address, body, headers);
  }

  private send(address: string, body: unknown, headers: unknown, reply: string | null): void {
    let answer: unknown;
    try {
      answer = this.server.handlers.request(this, address, body);
    } catch (error) {
      // Vert.x reports a failed send only to a reply address; without one nobody hears of it.
      if (reply === null) return;
      const failure =
        error instanceof VChatError
          ? error
          : new VChatError(
              RESULT.SYSTEM_ERROR,
              error instanceof Error ? error.message : String(error),
            );
      this.deliver(
        this.server.prepareError(
          reply,
          failure.result.code,
          'RECIPIENT_FAILURE',
          `${failure.result.name}: ${failure.message}`,
        ),
      );
      return;
    }
    if (answer === NO_HANDLERS) {
      if (this.server.sendToRegistered(this, address, body, headers, reply)) return;
      if (reply !== null) {
        this.deliver(
          this.server.prepareError(reply, -1, 'NO_HANDLERS', `No handlers for address ${address}`),
        );
      }
      return;
    }
    const replyBody = answer instanceof ReplyThen ? answer.body : answer;
    if (reply !== null) this.deliver(this.server.prepare(reply, replyBody ?? {}));
    if (answer instanceof ReplyThen) answer.then();
  }

  /** The bridge's own complaints: `{ type: "err", body: "invalid_json" }` and the like. */
  private bridgeError(name: string): void {
    if (this.state !== 'open' || !this.transport.writable) return;
    this.transport.send(this.server.prepareBridgeError(name));
  }

  private finish(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closedAt = new Date();
    if (this.pingTimer !== null) clearInterval(this.pingTimer);
    this.pingTimer = null;
    this.server.handlers.closed(this);
    this.sessions.clear();
    this.server.connectionClosed(this);
    this.registrations.clear();
  }

  private transportClosed(reason: string): void {
    this.closeReason ??= reason;
    this.finish();
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
