/**
 * The HTTP client every provider call goes through (`sendWithUndici` under `sendOnce`), against a
 * real server on loopback: what an answer carries, and how each way of getting no answer is told.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { defaultHttpDeps, mayHaveReached, sendOnce } from '../../src/main/providers/http';
import { useLoopbackServer } from '../support/loopbackServer';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A loopback server that hands `handler` each request with its whole body. */
function serve(handler: Handler): Promise<string> {
  return useLoopbackServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => handler(request, body, response));
  });
}

describe('the HTTP client of provider calls', () => {
  it('sends the method, headers and body, and reads the status, body and Retry-After', async () => {
    const seen: string[] = [];
    const base = await serve((request, body, response) => {
      seen.push(`${request.method} ${request.url} ${String(request.headers['x-api-key'])} ${body}`);
      response.writeHead(429, { 'Retry-After': '2', 'Content-Type': 'application/json' });
      response.end('{"errorCode":"TOO_MANY_REQUESTS"}');
    });
    const answer = await sendOnce(defaultHttpDeps(), {
      method: 'POST',
      url: `${base}/messages/7/hide`,
      headers: { 'x-api-key': 'key', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(seen).toEqual(['POST /messages/7/hide key {"a":1}']);
    expect(answer).toEqual({
      status: 429,
      text: '{"errorCode":"TOO_MANY_REQUESTS"}',
      retryAfterMs: 2000,
    });
  });

  it('answers a 204 with an empty body, and leaves a redirect unfollowed', async () => {
    const base = await serve((request, _body, response) => {
      if (request.url === '/moved') {
        response.writeHead(302, { Location: '/elsewhere' });
        response.end();
        return;
      }
      response.writeHead(204);
      response.end();
    });
    const http = defaultHttpDeps();
    const get = (path: string) => sendOnce(http, { method: 'GET', url: base + path, headers: {} });
    expect(await get('/hidden')).toEqual({ status: 204, text: '' });
    expect((await get('/moved')).status).toBe(302);
  });

  it('tells a refused connection as NETWORK, known never to have reached the service', async () => {
    // Port 1 on loopback: a privileged port nothing here listens on.
    const refused = 'http://127.0.0.1:1/messages/7/hide';
    const error = await sendOnce(defaultHttpDeps(), {
      method: 'POST',
      url: refused,
      headers: {},
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'NETWORK' });
    expect((error as Error).message).toContain('ECONNREFUSED');
    expect(mayHaveReached(error)).toBe(false);
  });

  it('tells a service that never answers as TIMEOUT, which may have reached it', async () => {
    const base = await serve(() => undefined);
    const error = await sendOnce(defaultHttpDeps({ timeoutMs: 200 }), {
      method: 'POST',
      url: `${base}/messages/7/hide`,
      headers: {},
    }).catch((thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
    expect(mayHaveReached(error)).toBe(true);
  });
});
