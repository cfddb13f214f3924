/**
 * SockJS at `/eventbus`, as the Vert.x bridge serves it to VChatCloud's JavaScript SDK and the
 * official bridge clients: the greeting, `/info`, and the websocket transport
 * `/eventbus/{server}/{session}/websocket` with SockJS framing (`o` on open, `h` heartbeats,
 * `a["…"]` messages, `c[code,"reason"]` before closing). The xhr and iframe transports are not
 * served: `/info` says websockets work, which is all a client on a WebSocket-capable runtime needs.
 * The framing is a few lines, so it is written here rather than taken from the `sockjs` server
 * package, which would bring its own WebSocket stack beside `ws`.
 */
import type { ServerResponse } from 'node:http';
import { randomInt } from 'node:crypto';
import { WebSocket } from 'ws';
import type { RequestContext } from '../core/http';
import { textOf, type BusTransport, type PreparedFrame } from './eventbus';

/** Where SockJS lives; the raw WebSocket is `${SOCKJS_PREFIX}/websocket`. */
export const SOCKJS_PREFIX = '/eventbus';

/** `/eventbus/{server}/{session}/websocket`: SockJS forbids dots and empty parts in both. */
export const SOCKJS_WEBSOCKET_PATH = /^\/eventbus\/[^/.]+\/[^/.]+\/websocket$/;

/** What SockJS servers (and Vert.x) answer a plain GET on a WebSocket-only path. */
const UPGRADE_ONLY = 'Can "Upgrade" only to "WebSocket".';

/** Serves the HTTP side of `/eventbus…`; WebSocket upgrades are routed by the server. */
export function handleSockJsHttp({ request, response, url }: RequestContext): void {
  const method = request.method ?? 'GET';
  const path = url.pathname;
  if (path === SOCKJS_PREFIX || path === `${SOCKJS_PREFIX}/`) {
    if (method !== 'GET') return sendText(response, 405, '', { allow: 'GET' });
    return sendText(response, 200, 'Welcome to SockJS!\n');
  }
  if (path === `${SOCKJS_PREFIX}/info`) {
    const cors = corsHeaders(request.headers.origin);
    if (method === 'OPTIONS') {
      response.writeHead(204, {
        ...cors,
        'access-control-allow-methods': 'OPTIONS, GET',
        'access-control-max-age': '31536000',
        'cache-control': 'public, max-age=31536000',
      });
      response.end();
      return;
    }
    if (method !== 'GET') return sendText(response, 405, '', { allow: 'OPTIONS, GET' });
    const info = JSON.stringify({
      websocket: true,
      cookie_needed: false,
      origins: ['*:*'],
      entropy: randomInt(2 ** 31),
    });
    response.writeHead(200, {
      ...cors,
      'content-type': 'application/json; charset=UTF-8',
      'cache-control': 'no-store, no-cache, no-transform, must-revalidate, max-age=0',
      'content-length': Buffer.byteLength(info),
    });
    response.end(info);
    return;
  }
  if (path === `${SOCKJS_PREFIX}/websocket` || SOCKJS_WEBSOCKET_PATH.test(path)) {
    if (method !== 'GET') return sendText(response, 405, '', { allow: 'GET' });
    return sendText(response, 400, UPGRADE_ONLY);
  }
  sendText(response, 404, 'Not found');
}

/** One SockJS session over a WebSocket; bridge frames travel one per `a[…]` message. */
export class SockJsTransport implements BusTransport {
  readonly kind = 'sockjs';
  private heartbeat: NodeJS.Timeout | null = null;
  private ended = false;

  constructor(
    private readonly socket: WebSocket,
    heartbeatMs: number,
  ) {
    socket.send('o');
    if (heartbeatMs > 0) {
      this.heartbeat = setInterval(() => {
        if (this.writable) socket.send('h');
      }, heartbeatMs);
    }
  }

  get writable(): boolean {
    return !this.ended && this.socket.readyState === WebSocket.OPEN;
  }

  listen(events: { frame(text: string): void; closed(reason: string): void }): void {
    this.socket.on('message', (data: Buffer | ArrayBuffer | Buffer[]) => {
      const messages = readSockJsMessages(textOf(data));
      if (messages === null) {
        // SockJS servers end a session whose framing they cannot read.
        events.closed('broken framing');
        this.close(1002, 'Broken framing.');
        return;
      }
      for (const message of messages) events.frame(message);
    });
    this.socket.on('close', () => {
      this.stopHeartbeat();
      events.closed('client');
    });
    this.socket.on('error', () => {
      events.closed('socket error');
      this.terminate();
    });
  }

  send(frame: PreparedFrame): void {
    this.socket.send(`a${JSON.stringify([frame.text])}`);
  }

  close(code: number, reason: string): void {
    this.stopHeartbeat();
    if (this.ended) return;
    this.ended = true;
    if (this.socket.readyState === WebSocket.OPEN) {
      this.socket.send(`c${JSON.stringify([code, reason])}`);
    }
    this.socket.close(code, reason);
  }

  terminate(): void {
    this.stopHeartbeat();
    this.ended = true;
    this.socket.terminate();
  }

  private stopHeartbeat(): void {
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    this.heartbeat = null;
  }
}

/**
 * A client's SockJS message: a JSON array of strings or one JSON string (an empty message is
 * nothing). Null when it is neither: broken framing.
 */
export function readSockJsMessages(text: string): string[] | null {
  if (text === '') return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value;
  }
  return null;
}

function corsHeaders(origin: string | undefined): Record<string, string> {
  return origin === undefined || origin === 'null'
    ? { 'access-control-allow-origin': '*' }
    : { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' };
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'content-type': 'text/plain; charset=UTF-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}
