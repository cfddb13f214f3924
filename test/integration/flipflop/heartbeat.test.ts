import type { AddressInfo } from 'node:net';
import { onTestFinished, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { systemClock } from '../../../src/main/clock';
import { GossipFeed } from '../../../src/main/providers/flipflop/gossip';
import type { ConnectionState } from '../../../src/shared/chat';

/**
 * A STOMP server that answers CONNECT and the receipts its SUBSCRIBE frames ask for, and then
 * never says anything again.
 */
async function silentServer(heartBeat: string) {
  const server = new WebSocketServer({
    port: 0,
    host: '127.0.0.1',
    handleProtocols: () => 'v12.stomp',
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  let connections = 0;
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('message', (data) => {
      const text = (data as Buffer).toString();
      if (text.startsWith('CONNECT')) {
        socket.send(`CONNECTED\nversion:1.2\nheart-beat:${heartBeat}\n\n\0`);
        return;
      }
      for (const [, receipt] of text.matchAll(/^SUBSCRIBE\n(?:[^\n]+\n)*?receipt:([^\n]+)\n/gm))
        socket.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
    });
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/gossip`, connections: () => connections, server };
}

describe('the Gossip live feed', () => {
  it('treats a server whose heart-beats stop as gone, and reconnects', async () => {
    const server = await silentServer('200,200');
    const states: ConnectionState[] = [];
    let secondConnection: () => void = () => undefined;
    const reconnected = new Promise<void>((resolve) => (secondConnection = resolve));
    server.server.on('connection', () => {
      if (server.connections() === 2) secondConnection();
    });
    const feed = new GossipFeed({
      token: () =>
        Promise.resolve({
          chatServerWebSocketUrl: server.url,
          chatToken: 'token',
          appId: 'app',
          userId: 'moderator',
          userName: undefined,
          avatarProfileUrl: undefined,
        }),
      invalidateToken: () => undefined,
      listener: {
        frame: () => undefined,
        status: (state) => states.push(state),
        gap: () => undefined,
      },
      clock: systemClock,
      random: () => 0,
      heartbeatMs: 200,
      reconnect: { baseDelayMs: 50, maxDelayMs: 100 },
    });
    onTestFinished(() => feed.close());
    feed.add({ roomKey: 'acc/1', roomId: '1', channel: 'ch-1' });

    await reconnected;
    expect(states.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
  });
});
