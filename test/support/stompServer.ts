/**
 * A bare STOMP-over-WebSocket server on loopback for a test to script frame by frame, and a Gossip
 * feed to it with a chat token that never changes.
 */
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';
import { WebSocketServer } from 'ws';
import { GossipFeed, type GossipOptions } from '../../src/main/providers/flipflop/gossip';

/** A listening server speaking STOMP 1.2, closed when the test finishes; `url` is its address. */
export async function stompServer(): Promise<{ server: WebSocketServer; url: string }> {
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: () => 'v12.stomp',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  onTestFinished(() => {
    for (const socket of server.clients) socket.terminate();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { server, url: `ws://127.0.0.1:${port}/gossip` };
}

/** A Gossip feed to `url`, with a chat token that never changes, and `options` for the rest. */
export function gossipTo(
  url: string,
  options: Omit<GossipOptions, 'token' | 'invalidateToken'>,
): GossipFeed {
  return new GossipFeed({
    token: () =>
      Promise.resolve({
        chatServerWebSocketUrl: url,
        chatToken: 'token',
        appId: 'app',
        userId: 'moderator',
        userName: undefined,
        avatarProfileUrl: undefined,
      }),
    invalidateToken: () => undefined,
    ...options,
  });
}
