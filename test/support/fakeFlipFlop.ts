/**
 * A loopback stand-in for FlipFlop's REST API that answers what opening a room takes (any video
 * room and its chat room) and lets the test choose the chat-token answer, for answers the sandbox
 * would never give.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

export interface FakeAnswer {
  status: number;
  body: unknown;
}

export interface FakeFlipFlop {
  baseUrl: string;
  /** The `Authorization` header of every request, in order. */
  authorizations: string[];
}

const VIDEO_ROOM = /^\/v2\/apps\/me\/video-rooms\/([^/]+)$/;
const CHAT_ROOM = /^\/v2\/apps\/me\/video-rooms\/([^/]+)\/chat-room$/;
const CHAT_TOKEN = /^\/v2\/apps\/me\/members\/(?:[^/]+\/chat-tokens|guest-chat-tokens)$/;

/** Starts the stand-in; it is closed when the current test finishes. */
export async function useFakeFlipFlop(
  chatToken: (authorization: string) => FakeAnswer,
): Promise<FakeFlipFlop> {
  const authorizations: string[] = [];
  const server = createServer((request, response) => {
    const authorization = request.headers.authorization ?? '';
    authorizations.push(authorization);
    const path = new URL(request.url ?? '/', 'http://fake').pathname;
    let answer: FakeAnswer = {
      status: 404,
      body: { errorCode: 'NOT_FOUND', errorMessage: `${path} is not emulated` },
    };
    const videoRoom = VIDEO_ROOM.exec(path);
    const chatRoom = CHAT_ROOM.exec(path);
    if (request.method === 'GET' && videoRoom) {
      answer = { status: 200, body: { id: videoRoom[1], title: `Room ${videoRoom[1]}` } };
    } else if (request.method === 'GET' && chatRoom) {
      answer = {
        status: 200,
        body: { channelKey: `ch-${chatRoom[1]}`, closed: false, createdAt: null },
      };
    } else if (request.method === 'POST' && CHAT_TOKEN.test(path)) {
      answer = chatToken(authorization);
    }
    request.resume();
    response.writeHead(answer.status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(answer.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}`, authorizations };
}
