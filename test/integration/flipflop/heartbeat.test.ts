import type { AddressInfo } from 'node:net';
import { onTestFinished, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { systemClock } from '../../../src/main/clock';
import { GossipFeed, RECEIPT_WAIT_MS } from '../../../src/main/providers/flipflop/gossip';
import type { ConnectionState } from '../../../src/shared/chat';
import { FakeClock } from '../../support/fakeClock';

/**
 * A STOMP server that answers CONNECT and (unless told not to) the receipts its SUBSCRIBE frames
 * ask for, and then never says anything again.
 */
async function silentServer(heartBeat: string, receipts = true) {
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
      if (!receipts) return;
      for (const [, receipt] of text.matchAll(/^SUBSCRIBE\n(?:[^\n]+\n)*?receipt:([^\n]+)\n/gm))
        socket.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
    });
  });
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { url: `ws://127.0.0.1:${port}/gossip`, connections: () => connections, server };
}

describe('the Gossip live feed', () => {
  it('takes the rooms as live after a while when the server sends no receipts, and says so in the debug log', async () => {
    const server = await silentServer('0,0', false);
    const clock = new FakeClock();
    const states: ConnectionState[] = [];
    const debug: string[] = [];
    let subscribed: () => void = () => undefined;
    const subscriptions = new Promise<void>((resolve) => (subscribed = resolve));
    server.server.on('connection', (socket) =>
      socket.on('message', (data) => {
        if ((data as Buffer).toString().startsWith('SUBSCRIBE')) subscribed();
      }),
    );
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
        debug: (message) => debug.push(message),
      },
      clock,
      random: () => 0,
      heartbeatMs: 0,
    });
    onTestFinished(() => feed.close());
    feed.add({ roomKey: 'acc/1', roomId: '1', channel: 'ch-1' });

    await subscriptions;
    expect(states).toEqual(['connecting']);
    clock.advance(RECEIPT_WAIT_MS - 1);
    expect(states).toEqual(['connecting']);
    clock.advance(1);
    expect(states).toEqual(['connecting', 'live']);
    expect(debug).toEqual(['no receipt for SUBSCRIBE: the rooms are taken as live']);
  });

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
