/**
 * The server side of the Vert.x event-bus bridge as VChatCloud uses it over a raw WebSocket
 * (`/eventbus/websocket`, api-facts §2.7): one JSON object per frame, `send`/`publish` with an
 * address, a body and an optional `replyAddress`; replies and pushes as `rec` frames; failures as
 * `err` frames with `failureCode`, `failureType` and `message`. Pings are accepted and never
 * answered, but a socket that sends nothing at all for the ping timeout is closed, as the bridge's
 * `pingTimeout` does. What an address means is the service's business (`EventBusHandlers`).
 */
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
  /** A socket silent for this long is closed; 0 never closes one. */
  pingTimeoutMs: number;
  /** Deliveries remembered per connection for the control API; the oldest half goes first. */
  deliveryLogLimit?: number;
  closedConnectionsKept?: number;
}

export interface BusConnectionView {
  id: string;
  open: boolean;
  /** The rooms this socket joined, and as whom. */
  sessions: Array<{ roomId: string; clientKey: string }>;
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
}

/** A frame serialised once, to be handed to any number of sockets. */
export interface PreparedFrame {
  data: Buffer | string;
  address: string;
  type: 'rec' | 'err';
  messageCount: number | null;
}

const DEFAULTS = { deliveryLogLimit: 1_000_000, closedConnectionsKept: 1000 };
const CLIENT_TYPES = new Set(['send', 'publish', 'register', 'unregister', 'ping']);

export class EventBusServer {
  private readonly open = new Map<string, BusConnection>();
  private closed: BusConnection[] = [];
  private nextConnection = 1;
  readonly options: Required<EventBusOptions>;

  constructor(
    readonly handlers: EventBusHandlers,
    options: EventBusOptions,
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  accept(socket: WebSocket): void {
    const connection = new BusConnection(this, `v${this.nextConnection++}`, socket);
    this.open.set(connection.id, connection);
  }

  /** Serialises a `rec` frame (a reply or a push) once. */
  prepare(address: string, body: unknown, messageCount: number | null = null): PreparedFrame {
    const text = JSON.stringify({ type: 'rec', address, headers: {}, body });
    return { data: this.encode(text), address, type: 'rec', messageCount };
  }

  /**
   * A frame of any text, sent as it is (a fault: not JSON, a body no client can read). Logged as
   * a `rec` frame with the address `""`.
   */
  prepareRaw(text: string): PreparedFrame {
    return { data: this.encode(text), address: '', type: 'rec', messageCount: null };
  }

  /** Serialises an `err` frame: the SDK maps it to `{ code: failureCode, type, message }`. */
  prepareError(
    address: string,
    failureCode: number,
    failureType: string,
    message: string,
  ): PreparedFrame {
    const text = JSON.stringify({ type: 'err', address, failureCode, failureType, message });
    return { data: this.encode(text), address, type: 'err', messageCount: null };
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
  connectionClosed(connection: BusConnection): void {
    if (!this.open.delete(connection.id)) return;
    this.closed.push(connection);
    if (this.closed.length > this.options.closedConnectionsKept) {
      this.closed.splice(0, this.closed.length - this.options.closedConnectionsKept);
    }
  }

  private encode(text: string): Buffer | string {
    return this.options.frames === 'binary' ? Buffer.from(text, 'utf8') : text;
  }
}

/** One WebSocket speaking the bridge protocol. */
export class BusConnection {
  readonly serial: number;
  /** Rooms joined on this socket: roomId → clientKey. */
  readonly sessions = new Map<string, string>();
  private state: 'open' | 'closed' = 'open';
  private readonly connectedAt = new Date();
  private closedAt: Date | null = null;
  private closeReason: string | null = null;
  private delivered = 0;
  private pings = 0;
  private framesReceived = 0;
  private readonly log: DeliveryLog<BusDeliveryView>;
  private lastReceivedAt = Date.now();
  private pingTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly server: EventBusServer,
    readonly id: string,
    private readonly socket: WebSocket,
  ) {
    this.serial = Number(id.slice(1));
    this.log = new DeliveryLog(
      ['address', 'type', 'messageCount'],
      server.options.deliveryLogLimit,
    );
    socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => this.received(data));
    socket.on('close', () => this.socketClosed());
    socket.on('error', () => this.terminate('socket error'));
    const timeout = server.options.pingTimeoutMs;
    if (timeout > 0) {
      this.pingTimer = setInterval(
        () => {
          if (Date.now() - this.lastReceivedAt > timeout) this.terminate('ping timeout');
        },
        Math.max(1, Math.floor(timeout / 4)),
      );
    }
  }

  get isOpen(): boolean {
    return this.state === 'open';
  }

  view(): BusConnectionView {
    return {
      id: this.id,
      open: this.state === 'open',
      sessions: [...this.sessions].map(([roomId, clientKey]) => ({ roomId, clientKey })),
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
    if (this.state !== 'open' || this.socket.readyState !== WebSocket.OPEN) return false;
    this.socket.send(frame.data, { binary: typeof frame.data !== 'string' });
    this.delivered += 1;
    this.log.push({ address: frame.address, type: frame.type, messageCount: frame.messageCount });
    return true;
  }

  /** Ends the connection without a close handshake. */
  terminate(reason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= reason;
    this.finish();
    this.socket.terminate();
  }

  closeSocket(code: number, reason: string, closeReason: string): void {
    if (this.state === 'closed') return;
    this.closeReason ??= closeReason;
    this.finish();
    this.socket.close(code, reason);
  }

  private received(data: Buffer | ArrayBuffer | Buffer[]): void {
    if (this.state === 'closed') return;
    this.lastReceivedAt = Date.now();
    this.framesReceived += 1;
    const text = Buffer.isBuffer(data)
      ? data.toString('utf8')
      : data instanceof ArrayBuffer
        ? Buffer.from(data).toString('utf8')
        : Buffer.concat(data).toString('utf8');
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      // What the Vert.x bridge answers to a frame that is not JSON.
      this.bridgeError('invalid_json');
      return;
    }
    if (typeof frame !== 'object' || frame === null || Array.isArray(frame)) {
      this.bridgeError('invalid_json');
      return;
    }
    const { type, address, body, replyAddress } = frame as Record<string, unknown>;
    if (typeof type !== 'string' || !CLIENT_TYPES.has(type)) {
      this.bridgeError('invalid_type');
      return;
    }
    if (type === 'ping') {
      // Accepted and never answered: the SDKs expect no pong (api-facts §2.7).
      this.pings += 1;
      return;
    }
    if (typeof address !== 'string' || address === '') {
      this.bridgeError('missing_address');
      return;
    }
    // Nothing is ever published to clients by address, so registering changes nothing.
    if (type === 'register' || type === 'unregister') return;
    const reply = typeof replyAddress === 'string' && replyAddress !== '' ? replyAddress : null;
    let answer: unknown;
    try {
      answer = this.server.handlers.request(this, address, body);
    } catch (error) {
      const failure =
        error instanceof VChatError
          ? error
          : new VChatError(
              RESULT.SYSTEM_ERROR,
              error instanceof Error ? error.message : String(error),
            );
      this.deliver(
        this.server.prepareError(
          reply ?? address,
          failure.result.code,
          'RECIPIENT_FAILURE',
          `${failure.result.name}: ${failure.message}`,
        ),
      );
      return;
    }
    if (answer === NO_HANDLERS) {
      if (reply !== null) {
        this.deliver(
          this.server.prepareError(reply, -1, 'NO_HANDLERS', `No handlers for address ${address}`),
        );
      }
      return;
    }
    const replyBody = answer instanceof ReplyThen ? answer.body : answer;
    if (reply !== null && type === 'send') {
      this.deliver(this.server.prepare(reply, replyBody ?? {}));
    }
    if (answer instanceof ReplyThen) answer.then();
  }

  /** The bridge's own complaints: `{ type: "err", body: "invalid_json" }` and the like. */
  private bridgeError(body: string): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    const text = JSON.stringify({ type: 'err', body });
    this.socket.send(this.server.options.frames === 'binary' ? Buffer.from(text) : text, {
      binary: this.server.options.frames === 'binary',
    });
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
  }

  private socketClosed(): void {
    this.closeReason ??= 'client';
    this.finish();
  }
}
