import { onTestFinished, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { systemClock } from '../../../src/main/clock';
import { RECEIPT_WAIT_MS, STOMP_SUBPROTOCOLS } from '../../../src/main/providers/flipflop/gossip';
import type { ConnectionState } from '../../../src/shared/chat';
import { FakeClock } from '../../support/fakeClock';
import { recordingListener } from '../../support/liveListener';
import { gossipTo, stompServer } from '../../support/stompServer';

/**
 * A STOMP server that answers CONNECT and (unless told not to) the receipts its SUBSCRIBE frames
 * ask for, and then never says anything again.
 */
async function silentServer(heartBeat: string, receipts = true) {
  const { server, url } = await stompServer();
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
  return { url, connections: () => connections, server };
}

const LAST_WORDS = '\n\n';

/**
 * A STOMP server that answers CONNECT and receipts and beats its heart every 100 ms, until
 * `silence()`: then each socket gets one last double heart-beat (`LAST_WORDS`, so a test knows
 * everything sent before it has arrived) and stays open, saying nothing more. New connections are
 * answered again.
 */
async function beatingServer() {
  const { server, url } = await stompServer();
  const silenced = new Set<unknown>();
  const beats = new Set<NodeJS.Timeout>();
  server.on('connection', (socket) => {
    const beat = setInterval(() => {
      if (!silenced.has(socket) && socket.readyState === socket.OPEN) socket.send('\n');
    }, 100);
    beats.add(beat);
    socket.on('close', () => clearInterval(beat));
    socket.on('message', (data) => {
      if (silenced.has(socket)) return;
      const text = (data as Buffer).toString();
      if (text.startsWith('CONNECT')) {
        socket.send('CONNECTED\nversion:1.2\nheart-beat:200,200\n\n\0');
        return;
      }
      for (const [, receipt] of text.matchAll(/^SUBSCRIBE\n(?:[^\n]+\n)*?receipt:([^\n]+)\n/gm))
        socket.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
    });
  });
  onTestFinished(() => {
    for (const beat of beats) clearInterval(beat);
  });
  return {
    url,
    silence: () => {
      for (const socket of server.clients) {
        socket.send(LAST_WORDS);
        silenced.add(socket);
      }
    },
  };
}

describe('the Gossip live feed', () => {
  it('reports a 30 s silence as a gap of at least 30 s, from the last frame received', async () => {
    const server = await beatingServer();
    const clock = new FakeClock();
    const { listener, gaps, reaches } = recordingListener();
    let heardLastWords: () => void = () => undefined;
    const feed = gossipTo(server.url, {
      listener,
      clock,
      random: () => 0,
      heartbeatMs: 200,
      reconnect: { baseDelayMs: 1000, maxDelayMs: 1000 },
      webSocketFactory: (url) => {
        const socket = new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false });
        socket.on('message', (data: Buffer) => {
          if (data.toString() === LAST_WORDS) heardLastWords();
        });
        return socket;
      },
    });
    onTestFinished(() => feed.close());
    const live = reaches('live');
    feed.add({ roomKey: 'acc/1', roomId: '1', channel: 'ch-1' });
    await live;

    // Silent from the fake 0 s (once all it sent before has arrived); its loss is noticed (two
    // missed heart-beats) 30 fake seconds on.
    const silentFrom = clock.now();
    const lastWords = new Promise<void>((resolve) => (heardLastWords = resolve));
    server.silence();
    await lastWords;
    clock.advance(30_000);
    const lost = reaches('reconnecting');
    await lost;
    const back = reaches('live');
    clock.advance(1000);
    await back;
    expect(gaps).toHaveLength(1);
    expect(gaps[0]?.from).toBeLessThanOrEqual(silentFrom);
    expect((gaps[0]?.to ?? 0) - (gaps[0]?.from ?? 0)).toBeGreaterThanOrEqual(30_000);
  });

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
    const feed = gossipTo(server.url, {
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
    const feed = gossipTo(server.url, {
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
