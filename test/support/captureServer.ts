/**
 * A loopback HTTP server that records the credential headers of every request and WebSocket
 * upgrade it receives and answers each with 401: what a host an account was pointed at by
 * mistake (or by someone else) would learn.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

const CREDENTIAL_HEADERS = ['authorization', 'api_key', 'x-auth-token'] as const;

export interface CapturedRequest {
  method: string;
  path: string;
  /** The credential headers it carried, by lower-case name. */
  credentials: Partial<Record<(typeof CREDENTIAL_HEADERS)[number], string>>;
}

export interface CaptureServer {
  /** `http://127.0.0.1:port` */
  baseUrl: string;
  /** `ws://127.0.0.1:port` */
  wsUrl: string;
  requests: CapturedRequest[];
  /** Every credential header value received, in order. */
  credentials(): string[];
}

export async function useCaptureServer(): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const record = (request: IncomingMessage): void => {
    const credentials: CapturedRequest['credentials'] = {};
    for (const name of CREDENTIAL_HEADERS) {
      const value = request.headers[name];
      if (typeof value === 'string') credentials[name] = value;
    }
    requests.push({ method: request.method ?? 'GET', path: request.url ?? '/', credentials });
  };
  const server = createServer((request, response) => {
    record(request);
    response.writeHead(401, { 'Content-Type': 'application/json' });
    response.end('{"errorCode":"CAPTURED","errorMessage":"captured"}');
  });
  server.on('upgrade', (request: IncomingMessage, socket) => {
    record(request);
    socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  onTestFinished(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    requests,
    credentials: () => requests.flatMap((request) => Object.values(request.credentials)),
  };
}
