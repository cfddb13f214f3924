import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STOMP_SUBPROTOCOLS } from '../../../src/main/providers/flipflop/gossip';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import { TestFrameParser } from '../sandbox/support';

const ROOMS = ['1001', '1002', '1003'];
const OUTAGES = 5;

/**
 * The app's own Gossip socket, with a listener beside stompjs' that notes the message id of every
 * MESSAGE frame the socket received: what reached the client, as against what the sandbox sent.
 */
function recordingSocket(received: string[]) {
  return (url: string) => {
    const socket = new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false });
    const parser = new TestFrameParser();
    socket.on('message', (data: Buffer) => {
      for (const frame of parser.push(data)) {
        const id = frame.headers['message-id'];
        if (frame.command === 'MESSAGE' && id !== undefined) received.push(id);
      }
    });
    return socket;
  };
}

async function setup(tokenTtlMs?: number) {
  const sandbox = await useSandbox({
    rooms: 3,
    ratePerRoom: 100,
    ...(tokenTtlMs ? { tokenTtlMs } : {}),
  });
  const socketReceived: string[] = [];
  const { core } = await buildTestCore(await useTempDir(), {
    live: {
      reconnect: { baseDelayMs: 50, maxDelayMs: 200 },
      gossipSocket: recordingSocket(socketReceived),
    },
  });
  onTestFinished(() => core.dispose());
  const accountId = await addSandboxAccount(core, sandbox);
  const { events, statuses, gaps } = recordFeeds(core);
  for (const roomId of ROOMS) valueOf(await call(core, 'rooms.open', { accountId, roomId }));
  const liveCount = () => statuses.filter((status) => status.state === 'live').length;
  await until(core.events, () => liveCount() >= ROOMS.length, 'every room live');
  return {
    sandbox,
    api: control(sandbox),
    core,
    accountId,
    events,
    statuses,
    gaps,
    liveCount,
    socketReceived,
  };
}

describe('reconnecting live feeds', () => {
  it(`comes back after ${OUTAGES} dropped connections, with each delivered message once and one gap per outage`, async () => {
    const { api, core, accountId, events, gaps, liveCount, socketReceived } = await setup();

    for (let outage = 1; outage <= OUTAGES; outage += 1) {
      const before = events.length;
      await until(
        core.events,
        () => events.length >= before + 30,
        `chatter before outage ${outage}`,
      );
      const lives = liveCount();
      await api.faults({ dropConnections: true });
      await until(
        core.events,
        () => liveCount() >= lives + ROOMS.length,
        `live again after outage ${outage}`,
      );
    }

    // Quiet the rooms, then send a marker down each room: once every marker is in, every frame
    // sent before it on the same connection is in too.
    for (const roomId of ROOMS) await api.setRate(roomId, 0);
    const markers = new Set<string>();
    for (const roomId of ROOMS)
      markers.add((await api.say(roomId, { userId: 'marker', message: 'end' })).messageId);
    await until(
      core.events,
      () => [...markers].every((id) => events.some((event) => event.messageId === id)),
      'the markers',
    );

    const received = new Map<string, number>();
    for (const event of events) {
      if (event.messageId !== null)
        received.set(event.messageId, (received.get(event.messageId) ?? 0) + 1);
    }
    expect([...received.entries()].filter(([, count]) => count > 1)).toEqual([]);
    // Every message that reached the client's socket, on any of its connections, reached the feed.
    expect(socketReceived.length).toBeGreaterThan(OUTAGES * 30);
    expect(socketReceived.filter((id) => !received.has(id))).toEqual([]);

    const connections = (await api.connections()).filter(
      (connection) => connection.userId === 'moderator1',
    );
    expect(connections).toHaveLength(OUTAGES + 1);
    expect(connections.filter((connection) => connection.open)).toHaveLength(1);
    const delivered = new Set<string>();
    let lostAtDrops = 0;
    for (const connection of connections) {
      const log = await api.deliveries(connection.id);
      for (const entry of log) delivered.add(entry.messageId);
      if (connection.open) {
        // On the live connection, everything sent arrived.
        expect(log.filter((entry) => !received.has(entry.messageId))).toEqual([]);
      } else {
        // A dropped connection may lose what was still in flight when it was cut (sent by the
        // sandbox, never received by the socket), never more: what arrived is a prefix of what
        // was sent.
        const arrived = log.map((entry) => received.has(entry.messageId));
        const firstMissing = arrived.indexOf(false);
        if (firstMissing !== -1)
          expect(arrived.slice(firstMissing).every((value) => !value)).toBe(true);
        lostAtDrops += firstMissing === -1 ? 0 : log.length - firstMissing;
      }
    }
    // Nothing reached the feed that the sandbox did not send.
    expect([...received.keys()].filter((id) => !delivered.has(id))).toEqual([]);
    expect(lostAtDrops).toBeLessThanOrEqual(OUTAGES * 20);

    for (const roomId of ROOMS) {
      const roomGaps = gaps.filter((gap) => gap.roomKey === `${accountId}/${roomId}`);
      expect(roomGaps).toHaveLength(OUTAGES);
      for (const gap of roomGaps) expect(gap.to).toBeGreaterThanOrEqual(gap.from);
      const dividers = events.filter(
        (event) => event.kind === 'gap' && event.roomKey === `${accountId}/${roomId}`,
      );
      expect(dividers).toHaveLength(OUTAGES);
    }
  });

  it('fetches a fresh chat token when the old one has expired', async () => {
    const { api, core, liveCount, statuses } = await setup();
    const tokensBefore = (await api.tokens()).length;
    const lives = liveCount();
    await api.faults({ expireTokens: true });
    await api.faults({ dropConnections: true });
    await until(core.events, () => liveCount() >= lives + ROOMS.length, 'live again');
    expect((await api.tokens()).length).toBeGreaterThan(tokensBefore);
    expect(
      statuses.some((status) => status.state === 'reconnecting' && status.error?.code === 'AUTH'),
    ).toBe(true);
  });

  it('keeps retrying while the sandbox refuses connections, showing when it will try next', async () => {
    const { api, core, liveCount, statuses } = await setup();
    const lives = liveCount();
    await api.faults({ refuseConnectionsForMs: 600, dropConnections: true });
    await until(
      core.events,
      () => liveCount() >= lives + ROOMS.length,
      'live again after the refusal',
    );
    // While it waits, each room says when the next try is due; while it tries, there is no date.
    const scheduled = statuses.filter(
      (status) => status.state === 'reconnecting' && status.retryAt !== undefined,
    );
    expect(scheduled.length).toBeGreaterThanOrEqual(2 * ROOMS.length);
    expect(scheduled.every((status) => status.error !== undefined)).toBe(true);
  });
});
