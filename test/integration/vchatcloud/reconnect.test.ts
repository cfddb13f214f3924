/**
 * The VChatCloud live feed losing its connection: dropped sockets, refused reconnects and a server
 * that stops answering. It comes back, joins every room again, reports one gap per outage, and the
 * history of each new join fills in what was said meanwhile, each message shown once.
 */
import type { AddressInfo } from 'node:net';
import { onTestFinished, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { systemClock } from '../../../src/main/clock';
import { EventBusFeed } from '../../../src/main/providers/vchatcloud/eventbus';
import type { ConnectionState } from '../../../src/shared/chat';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addVChatCloudAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { FakeClock } from '../../support/fakeClock';
import { recordingListener } from '../../support/liveListener';
import { until } from '../../support/until';
import { vcontrol } from './support';

const OUTAGES = 4;

async function setup() {
  const sandbox = await useSandbox({
    vchatcloudRooms: 2,
    ratePerRoom: 100,
    directShare: 0,
    // Longer than any outage here, so every message missed is in the next join's history.
    vchatcloudHistorySize: 1000,
  });
  const { core } = await buildTestCore(await useTempDir(), {
    live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
  });
  onTestFinished(() => core.dispose());
  const accountId = await addVChatCloudAccount(core, sandbox);
  const api = vcontrol(sandbox);
  const roomIds = (await api.rooms()).filter((room) => room.open).map((room) => room.roomId);
  const { events, statuses, gaps } = recordFeeds(core);
  for (const roomId of roomIds) valueOf(await call(core, 'rooms.open', { accountId, roomId }));
  const liveCount = () => statuses.filter((status) => status.state === 'live').length;
  await until(core.events, () => liveCount() >= roomIds.length, 'every room live');
  return { sandbox, api, core, accountId, roomIds, events, statuses, gaps, liveCount };
}

describe('reconnecting the VChatCloud live feed', () => {
  it(`comes back after ${OUTAGES} dropped connections with every message once and one gap per outage`, async () => {
    const { api, core, accountId, roomIds, events, gaps, liveCount } = await setup();
    const messages = () => events.filter((event) => event.kind === 'message');

    for (let outage = 1; outage <= OUTAGES; outage += 1) {
      const before = messages().length;
      await until(core.events, () => messages().length >= before + 30, `chatter before ${outage}`);
      const lives = liveCount();
      await api.faults({ dropConnections: true });
      await until(
        core.events,
        () => liveCount() >= lives + roomIds.length,
        `live again after outage ${outage}`,
      );
    }

    // Quiet the rooms, then one marker each: once it is in, so is everything said before it.
    for (const roomId of roomIds) await api.setRate(roomId, 0);
    for (const roomId of roomIds) {
      await api.say(roomId, { clientKey: 'marker', message: `end of ${roomId}` });
    }
    await until(
      core.events,
      () =>
        roomIds.every((roomId) => messages().some((event) => event.text === `end of ${roomId}`)),
      'the markers',
    );

    const rooms = await api.rooms();
    for (const roomId of roomIds) {
      const roomKey = `${accountId}/${roomId}`;
      const inRoom = messages().filter((event) => event.roomKey === roomKey);
      const ids = inRoom.map((event) => event.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      // Every message the room ever had, no more and no fewer: missed ones came with the history.
      expect(inRoom).toHaveLength(rooms.find((room) => room.roomId === roomId)?.messageCount ?? -1);
      const roomGaps = gaps.filter((gap) => gap.roomKey === roomKey);
      expect(roomGaps).toHaveLength(OUTAGES);
      for (const gap of roomGaps) expect(gap.to).toBeGreaterThanOrEqual(gap.from);
      expect(
        events.filter((event) => event.kind === 'gap' && event.roomKey === roomKey),
      ).toHaveLength(OUTAGES);
    }
    const connections = await api.connections();
    expect(connections).toHaveLength(OUTAGES + 1);
    expect(connections.filter((connection) => connection.open)).toHaveLength(1);
    expect(
      connections
        .at(-1)
        ?.sessions.map((session) => session.roomId)
        .sort(),
    ).toEqual([...roomIds].sort());
  });

  it('keeps retrying while connections are refused, saying when it will try next', async () => {
    const { api, core, roomIds, statuses, liveCount } = await setup();
    const lives = liveCount();
    await api.faults({ refuseConnectionsForMs: 600, dropConnections: true });
    await until(core.events, () => liveCount() >= lives + roomIds.length, 'live again');
    const scheduled = statuses.filter(
      (status) => status.state === 'reconnecting' && status.retryAt !== undefined,
    );
    expect(scheduled.length).toBeGreaterThanOrEqual(2 * roomIds.length);
    expect(scheduled.every((status) => status.error?.code === 'NETWORK')).toBe(true);
  });

  it('joins a room again after the sandbox is reset, and reports a room that is gone', async () => {
    const { api, core, accountId, roomIds, statuses, sandbox } = await setup();
    // A created room is gone after a reset, the seeded ones come back.
    const token = (await (
      await fetch(`${sandbox.vchatcloud.baseUrl}/openapi/token`, {
        headers: { API_KEY: sandbox.vchatcloud.apiKey },
      })
    ).json()) as { data: { 'X-AUTH-TOKEN': string } };
    const created = (await (
      await fetch(`${sandbox.vchatcloud.baseUrl}/openapi/v2/rooms`, {
        method: 'POST',
        headers: {
          API_KEY: sandbox.vchatcloud.apiKey,
          'X-AUTH-TOKEN': token.data['X-AUTH-TOKEN'],
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'roomName=temp&maxUser=10&gTransStat=N&roomType=01&rtcStat=N',
      })
    ).json()) as { data: { roomId: string } };
    const createdKey = `${accountId}/${created.data.roomId}`;
    valueOf(await call(core, 'rooms.open', { accountId, roomId: created.data.roomId }));
    const lives = statuses.filter((status) => status.state === 'live').length;
    await api.reset();
    await until(
      core.events,
      () =>
        statuses.some(
          (status) =>
            status.roomKey === createdKey &&
            status.state === 'offline' &&
            status.error?.code === '10102',
        ),
      'the created room reported gone',
    );
    expect(statuses.filter((status) => status.state === 'live').length).toBeGreaterThan(lives);
    const open = (await api.connections()).filter((connection) => connection.open);
    expect(open[0]?.sessions.map((session) => session.roomId).sort()).toEqual([...roomIds].sort());
  });
});

/** A bridge that answers each join (an empty history) and nothing else, not even WebSocket pings. */
async function joinsOnlyBridge() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1', autoPong: false });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  server.on('connection', (socket) =>
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { address?: string; replyAddress?: string };
      if (frame.address !== 'c2s.join' || frame.replyAddress === undefined) return;
      socket.send(
        JSON.stringify({ type: 'rec', address: frame.replyAddress, body: { history: [] } }),
      );
    }),
  );
  return {
    server,
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/eventbus/websocket`,
  };
}

describe('the event-bus live feed', () => {
  it('starts the gap of a lost connection at the last frame received, not when the loss was noticed', async () => {
    // A bridge that answers the join and then says nothing, not even a WebSocket pong.
    const { url } = await joinsOnlyBridge();
    const clock = new FakeClock();
    const { listener, gaps, reaches } = recordingListener();
    const feed = new EventBusFeed({
      url,
      moderator: { clientKey: 'moderator1', nickName: '운영자' },
      listener,
      clock,
      random: () => 0,
      heartbeatMs: 10_000,
      reconnect: { baseDelayMs: 1000, maxDelayMs: 1000 },
    });
    onTestFinished(() => feed.close());
    const live = reaches('live');
    feed.add({ roomKey: 'acc/room1', roomId: 'room1', channel: 'room1' });
    await live;
    // The join was answered at the fake 0 s, and nothing came in since.
    const lastHeardAt = clock.now();

    // Two unanswered WebSocket pings, 10 s apart, end the connection at the fake 20 s.
    const lost = reaches('reconnecting');
    clock.advance(10_000);
    clock.advance(10_000);
    await lost;
    const back = reaches('live');
    clock.advance(1000);
    await back;
    expect(gaps).toEqual([{ from: lastHeardAt, to: lastHeardAt + 21_000 }]);
  });

  it('pings the bridge, and treats a server that stops answering WebSocket pings as gone', async () => {
    // A bridge that answers joins and nothing else, not even WebSocket pings.
    const { server, url } = await joinsOnlyBridge();
    let connections = 0;
    let bridgePings = 0;
    let secondConnection: () => void = () => undefined;
    const reconnected = new Promise<void>((resolve) => (secondConnection = resolve));
    server.on('connection', (socket) => {
      connections += 1;
      socket.on('message', (data: Buffer) => {
        if ((JSON.parse(data.toString()) as { type: string }).type === 'ping') bridgePings += 1;
      });
      if (connections === 2) secondConnection();
    });
    const states: ConnectionState[] = [];
    const feed = new EventBusFeed({
      url,
      moderator: { clientKey: 'moderator1', nickName: '운영자' },
      listener: {
        frame: () => undefined,
        status: (state) => states.push(state),
        gap: () => undefined,
      },
      clock: systemClock,
      random: () => 0,
      pingIntervalMs: 20,
      heartbeatMs: 100,
      reconnect: { baseDelayMs: 50, maxDelayMs: 100 },
    });
    onTestFinished(() => feed.close());
    feed.add({ roomKey: 'acc/room1', roomId: 'room1', channel: 'room1' });
    await reconnected;
    expect(states.slice(0, 3)).toEqual(['connecting', 'live', 'reconnecting']);
    expect(bridgePings).toBeGreaterThan(1);
  });

  it('backs off further while a bridge accepts the socket and drops it before answering a join', async () => {
    const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
    // Each connection ends as soon as its join comes in, unanswered.
    server.on('connection', (socket) => socket.on('message', () => socket.terminate()));
    const clock = new FakeClock();
    const states: ConnectionState[] = [];
    const waits: number[] = [];
    let dropped: () => void = () => undefined;
    const gaps: unknown[] = [];
    const feed = new EventBusFeed({
      url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/eventbus/websocket`,
      moderator: { clientKey: 'moderator1', nickName: '운영자' },
      listener: {
        frame: () => undefined,
        status: (state, detail) => {
          states.push(state);
          if (state !== 'reconnecting' || detail.retryAt === undefined) return;
          waits.push(detail.retryAt - clock.now());
          dropped();
        },
        gap: (from, to) => gaps.push({ from, to }),
      },
      clock,
      random: () => 0,
      heartbeatMs: 60_000,
      reconnect: { baseDelayMs: 1000, maxDelayMs: 16_000 },
    });
    onTestFinished(() => feed.close());
    const drop = () => new Promise<void>((resolve) => (dropped = resolve));
    let next = drop();
    feed.add({ roomKey: 'acc/room1', roomId: 'room1', channel: 'room1' });
    for (let attempt = 0; attempt < 4; attempt += 1) {
      await next;
      next = drop();
      clock.advance(waits.at(-1) ?? 0);
    }
    await next;
    // The rooms were never live, so the failures count on: the waits double (random 0: half the
    // ceiling), and no gap is reported for a connection that carried nothing.
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(states).not.toContain('live');
    expect(gaps).toEqual([]);
  });
});
