import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STOMP_SUBPROTOCOLS } from '../../../src/main/providers/flipflop/gossip';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox, type SandboxOptions } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

/**
 * The Gossip client against the sandbox behaving like brokers that do not always close after an
 * ERROR frame (`strict`): what the column says must be what reaches it.
 */
async function setup(sandboxOptions: SandboxOptions = {}, heartbeatMs?: number) {
  const sandbox = await useSandbox({ rooms: 2, ratePerRoom: 0, strict: true, ...sandboxOptions });
  const { core } = await buildTestCore(await useTempDir(), {
    live: {
      reconnect: { baseDelayMs: 50, maxDelayMs: 100 },
      ...(heartbeatMs ? { heartbeatMs } : {}),
    },
  });
  onTestFinished(() => core.dispose());
  const accountId = await addSandboxAccount(core, sandbox);
  return { sandbox, api: control(sandbox), core, accountId, ...recordFeeds(core) };
}

describe('Gossip connections that tell the truth', () => {
  it('takes an ERROR after CONNECTED as the end of the connection: not live, the reason shown, live again once the server allows it', async () => {
    const { api, core, accountId, statuses, events } = await setup();
    await api.put('/rooms/1001/subscriptions', { refused: true });

    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    const isRefusal = (status: (typeof statuses)[number]) =>
      status.state === 'reconnecting' && status.error !== undefined;
    await until(core.events, () => statuses.some(isRefusal), 'the refusal shown');
    expect(statuses.find(isRefusal)?.error).toEqual({
      code: 'ROOM_REFUSED',
      message: 'Access refused',
    });
    expect(statuses.some((status) => status.state === 'live')).toBe(false);
    // Each refused attempt's socket was let go, although the server left it open.
    await expect
      .poll(async () => (await api.connections()).filter((connection) => connection.open).length)
      .toBeLessThanOrEqual(1);

    await api.put('/rooms/1001/subscriptions', { refused: false });
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live again');
    const { messageId } = await api.say('1001', { userId: 'viewer', message: 'back again' });
    await until(
      core.events,
      () => events.some((event) => event.messageId === messageId),
      'the message after the refusal',
    );
  });

  it('reports a refused CONNECT at once when the server leaves the socket open', async () => {
    const { api, core, accountId, statuses } = await setup({ tokenTtlMs: 60_000 });
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live');
    // Every chat token expires, and the connection is dropped: the next CONNECT is refused.
    await api.faults({ expireTokens: true, dropConnections: true });
    const isRefusal = (status: (typeof statuses)[number]) =>
      status.error?.code === 'AUTH' && /Expired chat token/.test(status.error.message);
    // A deadline a third of the 15 s a connection timeout would take to say anything.
    await until(core.events, () => statuses.some(isRefusal), 'the refusal reported', 5000);
    expect(statuses.find(isRefusal)?.state).toBe('reconnecting');
    // The token was renewed, and the rooms came back.
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live with a new token');
  });

  it('reports a silence as a gap from the last frame received until the rooms are live again', async () => {
    const { api, core, accountId, statuses, gaps } = await setup({ heartbeatMs: 200 }, 200);
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live');

    const silentFrom = Date.now();
    await api.faults({ silenceConnections: true });
    const silentUntil = Date.now();
    await until(core.events, () => gaps.length > 0, 'the gap');
    const gap = gaps[0]!;
    // The connection was last heard of before the silence began (give or take a heart-beat in
    // flight), not when its loss was noticed two heart-beats later.
    expect(gap.from).toBeLessThanOrEqual(silentUntil);
    expect(gap.from).toBeGreaterThan(silentFrom - 1000);
    // The gap covers the silence: at least the two missed heart-beats that ended the connection.
    expect(gap.to - gap.from).toBeGreaterThanOrEqual(400);
    expect(statuses.at(-1)?.state).toBe('live');
  });

  it('names the virtual host in CONNECT', async () => {
    const { api, core, accountId, statuses } = await setup();
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live');
    const connections =
      await api.get<Array<{ open: boolean; host: string | null }>>('/connections');
    expect(connections.filter((connection) => connection.open).map((c) => c.host)).toEqual([
      '127.0.0.1',
    ]);
  });

  it('sends the account’s virtual host, login and passcode in CONNECT, and the passcode nowhere else', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const sent: string[] = [];
    const { core } = await buildTestCore(await useTempDir(), {
      live: {
        // The app's own socket, with every frame it sends noted.
        gossipSocket: (url: string) => {
          const socket = new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false });
          const send = socket.send.bind(socket);
          socket.send = ((data: string, ...rest: never[]) => {
            sent.push(String(data));
            return send(data, ...rest);
          }) as typeof socket.send;
          return socket;
        },
      },
    });
    onTestFinished(() => core.dispose());
    const passcode = 'gossip-pass-77c1e0';
    const account = await core.accounts.save({
      provider: 'flipflop',
      name: 'Sandbox',
      baseUrl: sandbox.flipflop.baseUrl,
      appApiKey: sandbox.flipflop.appApiKey,
      moderator: sandbox.flipflop.moderator,
      secret: sandbox.flipflop.appApiSecret,
      gossip: { virtualHost: 'chat-vhost', login: 'ops' },
      gossipPasscode: passcode,
    });
    const { statuses } = recordFeeds(core);
    valueOf(await call(core, 'rooms.open', { accountId: account.id, roomId: '1001' }));
    await until(core.events, () => statuses.at(-1)?.state === 'live', 'live');

    const connect = sent.find((frame) => frame.startsWith('CONNECT'))?.split('\n') ?? [];
    expect(connect).toEqual(
      expect.arrayContaining(['host:chat-vhost', 'login:ops', `passcode:${passcode}`]),
    );
    expect(JSON.stringify(valueOf(await call(core, 'accounts.list', undefined)))).not.toContain(
      passcode,
    );
  });
});
