/**
 * One HTTP server per sandbox. Emulated services and the control API mount handlers under path
 * prefixes (FlipFlop at `/v2/`, VChatCloud at `/openapi/`, `/api/openapi/` and SockJS's
 * `/eventbus`), and WebSocket upgrades are routed by exact path (`/gossip`,
 * `/eventbus/websocket`) or by pattern (SockJS's `/eventbus/{server}/{session}/websocket`). Faults that concern
 * transport (latency, failing REST calls, refused upgrades) are applied here, once for every
 * service; each mount may write errors in its own service's shape.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Faults, RestFailure } from './faults';
import { HttpError, receiveBody, sendError, type RequestContext } from './http';

export interface HttpMount {
  prefix: string;
  /** Emulated APIs get latency and failure faults; the control API never does. */
  emulated: boolean;
  handle(context: RequestContext): Promise<void> | void;
  /** Writes an error in the service's own shape; `{ errorCode, errorMessage }` by default. */
  renderError?(response: ServerResponse, error: HttpError): void;
}

interface SocketMount {
  /** An exact path, or a pattern the whole path must match. */
  path: string | RegExp;
  server: WebSocketServer;
  accept(socket: WebSocket, request: IncomingMessage): void;
}

export interface SocketMountOptions {
  /** Picks the subprotocol from those the client offered (`ws` handleProtocols). */
  chooseProtocol?: (offered: Set<string>) => string | false;
  maxPayloadBytes?: number;
}

interface PendingDelay {
  timer: NodeJS.Timeout;
  response: ServerResponse;
}

/** One emulated REST request as it reached the server, before latency faults or handling. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** Epoch ms with a fraction (`performance.timeOrigin + performance.now()`). */
  receivedAt: number;
  /** The status of the `restFailure` fault it was answered with, when it was. */
  injectedStatus?: number;
}

/** Emulated REST requests kept for `GET /__sandbox/requests`; then the oldest half goes. */
export const REQUEST_LOG_LIMIT = 10_000;

/** The error code an injected REST failure answers with, by status. */
const FAILURE_CODES: Record<RestFailure['status'], string> = {
  500: 'INTERNAL_SERVER_ERROR',
  503: 'SERVICE_UNAVAILABLE',
  429: 'TOO_MANY_REQUESTS',
};

/** Now, as epoch ms with a fraction, on the clock `LoggedRequest.receivedAt` uses. */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

export class SandboxServer {
  private readonly server: Server;
  private readonly mounts: HttpMount[] = [];
  private readonly sockets: SocketMount[] = [];
  private readonly delays = new Set<PendingDelay>();
  private requests: LoggedRequest[] = [];
  private closing = false;

  constructor(private readonly faults: Faults) {
    this.server = createServer((request, response) => {
      void this.dispatch(request, response);
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
  }

  mountHttp(mount: HttpMount): void {
    this.mounts.push(mount);
    // Longest prefix first, so `/__sandbox/` is not shadowed by a shorter one.
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  /** Exact paths win over patterns; patterns are tried in the order they were mounted. */
  mountWebSocket(
    path: string | RegExp,
    accept: (socket: WebSocket, request: IncomingMessage) => void,
    options: SocketMountOptions = {},
  ): void {
    const chooseProtocol = options.chooseProtocol;
    const server = new WebSocketServer({
      noServer: true,
      perMessageDeflate: false,
      maxPayload: options.maxPayloadBytes ?? 4 * 1024 * 1024,
      ...(chooseProtocol === undefined
        ? {}
        : { handleProtocols: (offered: Set<string>) => chooseProtocol(offered) }),
    });
    this.sockets.push({ path, server, accept });
  }

  listen(host: string, port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        const address = this.server.address();
        resolve(typeof address === 'object' && address !== null ? address.port : port);
      });
    });
  }

  /** The emulated REST requests served so far (up to `REQUEST_LOG_LIMIT`), oldest first. */
  requestLog(): readonly LoggedRequest[] {
    return this.requests;
  }

  forgetRequests(): void {
    this.requests = [];
  }

  /** Stops listening and ends every connection; resolves when the port is free. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const delay of this.delays) {
      clearTimeout(delay.timer);
      delay.response.destroy();
    }
    this.delays.clear();
    for (const { server } of this.sockets) {
      for (const client of server.clients) client.terminate();
      server.close();
    }
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://sandbox.invalid');
    const mount = this.mounts.find((item) => url.pathname.startsWith(item.prefix));
    try {
      if (mount === undefined) {
        throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${url.pathname}.`);
      }
      if (mount.emulated) {
        const logged = this.logRequest(request.method ?? 'GET', url.pathname);
        const latency = this.faults.latencyMs;
        if (latency > 0) {
          await receiveBody(request);
          await this.delay(latency, response);
        }
        const failure = this.faults.rollRestFailure();
        if (failure !== null) {
          logged.injectedStatus = failure.status;
          throw new HttpError(
            failure.status,
            FAILURE_CODES[failure.status],
            failure.status === 429
              ? 'Rate limit injected by the sandbox.'
              : 'Failure injected by the sandbox.',
            failure.retryAfterSeconds === undefined
              ? {}
              : { 'retry-after': String(failure.retryAfterSeconds) },
          );
        }
      }
      await mount.handle({ request, response, url, params: {} });
    } catch (error) {
      if (response.headersSent || response.destroyed) return;
      const failure =
        error instanceof HttpError
          ? error
          : new HttpError(
              500,
              'INTERNAL_SERVER_ERROR',
              error instanceof Error ? error.message : String(error),
            );
      if (mount?.renderError) mount.renderError(response, failure);
      else sendError(response, failure);
    }
  }

  private logRequest(method: string, path: string): LoggedRequest {
    if (this.requests.length >= REQUEST_LOG_LIMIT) {
      this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT / 2);
    }
    const logged: LoggedRequest = { method, path, receivedAt: preciseNow() };
    this.requests.push(logged);
    return logged;
  }

  private delay(milliseconds: number, response: ServerResponse): Promise<void> {
    return new Promise((resolve) => {
      const pending: PendingDelay = {
        timer: setTimeout(() => {
          this.delays.delete(pending);
          resolve();
        }, milliseconds),
        response,
      };
      this.delays.add(pending);
    });
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const pathname = new URL(request.url ?? '/', 'http://sandbox.invalid').pathname;
    const mount =
      this.sockets.find((item) => item.path === pathname) ??
      this.sockets.find((item) => item.path instanceof RegExp && item.path.test(pathname));
    if (this.closing || mount === undefined) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    if (this.faults.refusingConnections()) {
      refuseUpgrade(socket, 503, 'Service Unavailable');
      return;
    }
    mount.server.handleUpgrade(request, socket, head, (webSocket) =>
      mount.accept(webSocket, request),
    );
  }
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.on('error', () => socket.destroy());
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
