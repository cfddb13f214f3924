/**
 * A room the chat server refuses, tried again on its own: what is left of its tries when the room
 * is closed. The feed runs on a hand-moved clock against a STOMP server that refuses one channel.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import type { LiveListener } from '../../../src/main/providers/types';
import { FakeClock } from '../../support/fakeClock';
import { gossipTo, stompServer } from '../../support/stompServer';

const REFUSED = 'ch-refused';

/**
 * Answers CONNECT, and each SUBSCRIBE with its receipt; one to {@link REFUSED} with an ERROR naming
 * its receipt and a close while `refusing`, with nothing at all otherwise.
 */
async function refusingServer() {
  const { server, url } = await stompServer();
  const state = { refusing: true };
  const heldSubscribes: Array<() => void> = [];
  const held: WebSocket[] = [];
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const text = (data as Buffer).toString();
      if (text.startsWith('CONNECT')) {
        socket.send('CONNECTED\nversion:1.2\nheart-beat:0,0\n\n\0');
        return;
      }
      for (const frame of text.split('\0')) {
        if (!frame.startsWith('SUBSCRIBE')) continue;
        const receipt = /\nreceipt:([^\n]+)/.exec(frame)?.[1] ?? '';
        if (!frame.includes(REFUSED)) {
          socket.send(`RECEIPT\nreceipt-id:${receipt}\n\n\0`);
        } else if (state.refusing) {
          socket.send(`ERROR\nmessage:Access refused\nreceipt-id:${receipt}\n\n\0`);
          socket.close();
        } else {
          held.push(socket);
          for (const waiter of heldSubscribes.splice(0)) waiter();
        }
      }
    });
  });
  return {
    url,
    state,
    /** The socket of the next SUBSCRIBE to the refused channel left unanswered. */
    nextHeld: () =>
      new Promise<WebSocket>((resolve) => heldSubscribes.push(() => resolve(held.at(-1)!))),
  };
}

/** A listener whose `refused()` waits for the refused room's next `reconnecting` status. */
function roomListener() {
  const waiting: Array<() => void> = [];
  const listener: LiveListener = {
    frame: () => undefined,
    status: () => undefined,
    gap: () => undefined,
    roomStatus: (roomKey, state) => {
      if (roomKey === 'acc/refused' && state === 'reconnecting' && waiting.length > 0) {
        for (const resolve of waiting.splice(0)) resolve();
      }
    },
  };
  const refused = () => new Promise<void>((resolve) => waiting.push(resolve));
  return { listener, refused };
}

/**
 * A feed on a hand-moved clock whose one room the server refused: resolves once the room says so,
 * with the account's next connection and the room's next try waiting on the clock.
 */
async function refusedRoom() {
  const server = await refusingServer();
  const clock = new FakeClock();
  const { listener, refused } = roomListener();
  const feed = gossipTo(server.url, {
    listener,
    clock,
    random: () => 0,
    heartbeatMs: 0,
    reconnect: { baseDelayMs: 1000, maxDelayMs: 1000 },
  });
  onTestFinished(() => feed.close());
  const refusal = refused();
  feed.add({ roomKey: 'acc/refused', roomId: 'refused', channel: REFUSED });
  await refusal;
  return { server, clock, feed };
}

describe('a refused FlipFlop room, tried on its own', () => {
  it('calls off the next try when the room is closed', async () => {
    const { clock, feed } = await refusedRoom();
    // The account's next connection and the room's next try.
    expect(clock.pending).toBe(2);
    feed.remove('acc/refused');
    expect(clock.pending).toBe(1);
  });

  it('lets go of a try under way when the room is closed', async () => {
    const { server, clock, feed } = await refusedRoom();
    // The next try's SUBSCRIBE goes unanswered: the try is under way when the room closes.
    server.state.refusing = false;
    const held = server.nextHeld();
    clock.advance(1000);
    const socket = await held;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    feed.remove('acc/refused');
    await closed;
    expect(socket.readyState).toBe(socket.CLOSED);
  });
});
