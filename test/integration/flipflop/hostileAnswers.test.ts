/**
 * FlipFlop answers no well-behaved service gives: a chat-token refusal and error answers that echo
 * the account's credentials, and chat server addresses ModDeck must not connect to. The window
 * hears of them in words, without the secret, and the feed goes on.
 */
import { once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { STOMP_SUBPROTOCOLS } from '../../../src/main/providers/flipflop/gossip';
import type { RoomStatus } from '../../../src/shared/chat';
import {
  buildTestCore,
  call,
  recordFeeds,
  type FeedRecord,
  valueOf,
  type TestCoreOptions,
} from '../../support/core';
import { useFakeFlipFlop } from '../../support/fakeFlipFlop';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const APP_KEY = 'echo-app-key';
const SECRET = 'sk_live_9d3f1a7c5e2b';
const BASIC = Buffer.from(`${APP_KEY}:${SECRET}`).toString('base64');

describe('a FlipFlop answer that echoes the credentials', () => {
  it('reaches the window redacted, in the room status events and in the answers that carry it', async () => {
    // The refusal quotes the secret and the Basic value bare, where no `name: value` rule sees them.
    const fake = await useFakeFlipFlop((authorization) => ({
      status: 403,
      body: {
        errorCode: 'CHAT_TOKEN_REFUSED',
        errorMessage: `app ${APP_KEY} sent ${authorization.replace('Basic ', '')} (${SECRET}); refused`,
      },
    }));
    const { core } = await buildTestCore(await useTempDir(), {
      live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
    });
    onTestFinished(() => core.dispose());
    const feeds = recordFeeds(core);
    const account = valueOf(
      await call(core, 'accounts.save', {
        provider: 'flipflop',
        name: 'Echoing service',
        baseUrl: fake.baseUrl,
        appApiKey: APP_KEY,
        moderator: { appUserId: 'moderator1' },
        secret: SECRET,
      }),
    );
    const roomKey = `${account.id}/1001`;
    valueOf(await call(core, 'rooms.open', { accountId: account.id, roomId: '1001' }));
    await until(
      core.events,
      () => feeds.statuses.some((status) => status.error?.code === 'CHAT_TOKEN_REFUSED'),
      'the refusal in a room status',
    );
    expect(fake.authorizations).toContain(`Basic ${BASIC}`);

    const refused = feeds.statuses.filter((status) => status.error !== undefined);
    for (const status of refused) {
      expect(status).toMatchObject({ roomKey, state: 'reconnecting' });
      expect(status.error?.message).toBe(`app ${APP_KEY} sent [redacted] ([redacted]); refused`);
    }
    // The room keeps its status: opening another room of the account, and the room's snapshot,
    // answer with it.
    const other = valueOf(
      await call(core, 'rooms.open', { accountId: account.id, roomId: '1002' }),
    );
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey }));
    for (const text of [
      JSON.stringify(feeds.statuses),
      JSON.stringify(other.status),
      JSON.stringify(snapshot.room.status),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(BASIC);
    }
    expect(snapshot.room.status.error?.code).toBe('CHAT_TOKEN_REFUSED');
  });
});

describe('a FlipFlop error answer that echoes the secret', () => {
  it('reaches the window redacted in a broadcast’s result for each room', async () => {
    const { core, accountId } = await refusingAccount(403, (secret) => ({
      errorCode: 'FORBIDDEN',
      errorMessage: `app ${APP_KEY} with secret ${secret} may not broadcast here`,
    }));
    const answer = valueOf(
      await call(core, 'admin.broadcast', {
        roomKeys: [`${accountId}/1001`],
        messageType: 'MESSAGE',
        message: 'Stream starts in 5 minutes',
      }),
    );
    expect(answer.results).toEqual([
      {
        roomKey: `${accountId}/1001`,
        ok: false,
        error: {
          code: 'FORBIDDEN',
          message: `app ${APP_KEY} with secret [redacted] may not broadcast here`,
        },
      },
    ]);
  });

  it('reaches the window redacted when the error code holds it, in an envelope and in a connection test', async () => {
    const { core, accountId } = await refusingAccount(401, (secret) => ({
      errorCode: `BAD_SECRET_${secret}`,
      errorMessage: 'refused',
    }));
    expect(await call(core, 'rooms.list', { accountId })).toEqual({
      ok: false,
      error: { code: 'BAD_SECRET_[redacted]', message: 'refused' },
    });
    expect(valueOf(await call(core, 'accounts.test', { accountId }))).toEqual({
      ok: false,
      code: 'BAD_SECRET_[redacted]',
      message: 'refused',
    });
  });

  it('takes an error code that is not one as no code, and keeps the service’s words', async () => {
    const { core, accountId } = await refusingAccount(401, () => ({
      errorCode: `no such app: ${'x'.repeat(100)}`,
      errorMessage: 'refused',
    }));
    expect(await call(core, 'rooms.list', { accountId })).toEqual({
      ok: false,
      error: { code: 'AUTH', message: 'refused' },
    });
  });
});

/**
 * A FlipFlop account of a fresh core whose service answers every request with `status` and the
 * body `refusal` makes of the secret it was sent.
 */
async function refusingAccount(status: number, refusal: (secret: string) => unknown) {
  const server = createHttpServer((request, response) => {
    const basic = (request.headers.authorization ?? '').replace('Basic ', '');
    const secret = Buffer.from(basic, 'base64').toString('utf8').split(':')[1] ?? '';
    request.resume();
    response.writeHead(status, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(refusal(secret)));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { core } = await buildTestCore(await useTempDir());
  onTestFinished(() => core.dispose());
  const account = valueOf(
    await call(core, 'accounts.save', {
      provider: 'flipflop',
      name: 'Echoing service',
      baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      appApiKey: APP_KEY,
      secret: SECRET,
    }),
  );
  return { core, accountId: account.id };
}

/** Every promise rejected with no handler while the current test runs. */
function recordUnhandledRejections(): unknown[] {
  const rejections: unknown[] = [];
  const record = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', record);
  onTestFinished(() => {
    process.off('unhandledRejection', record);
  });
  return rejections;
}

/** The sandbox as a FlipFlop account of a fresh core, with room 1001 and its feed recorded. */
async function sandboxRoom(coreOptions: TestCoreOptions = {}) {
  const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
  const { core } = await buildTestCore(await useTempDir(), {
    live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 }, ...coreOptions.live },
  });
  onTestFinished(() => core.dispose());
  const accountId = await addSandboxAccount(core, sandbox);
  const feeds = recordFeeds(core);
  const api = control(sandbox);
  const roomKey = `${accountId}/1001`;
  const live = () =>
    until(
      core.events,
      () => core.feeds.snapshot(roomKey).room.status.state === 'live',
      'the room live',
    );
  const setChatServer = (url: string | null) => api.put('/chat-server-url', { url });
  const open = () => call(core, 'rooms.open', { accountId, roomId: '1001' });
  return { sandbox, core, feeds, roomKey, live, setChatServer, open };
}

/** A loopback port nothing listens on: a connection to it is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The statuses a failed attempt left: each names when the next one is due. */
function failures(feeds: FeedRecord): RoomStatus[] {
  return feeds.statuses.filter((status) => status.retryAt !== undefined);
}

describe('a chat server address ModDeck must not connect to', () => {
  const gossip = (sandbox: { flipflop: { baseUrl: string } }, scheme: string, userInfo = '') =>
    sandbox.flipflop.baseUrl.replace(/^http:\/\//, `${scheme}://${userInfo}`) + '/gossip';
  const addresses: Array<[string, (sandbox: { flipflop: { baseUrl: string } }) => string, string]> =
    [
      ['a relative path', () => '/gossip', 'is not a full URL'],
      ['an empty string', () => '', 'is not a full URL'],
      ['an address without a scheme', () => 'chat.example.com/gossip', 'is not a full URL'],
      ['http://', (sandbox) => gossip(sandbox, 'http'), 'is not a wss:// address'],
      ['https://', (sandbox) => gossip(sandbox, 'https'), 'is not a wss:// address'],
      ['ws:// to another host', () => 'ws://192.0.2.1/gossip', 'is not a wss:// address'],
      [
        'ws:// to 0.0.0.0',
        (sandbox) => gossip(sandbox, 'ws').replace('127.0.0.1', '0.0.0.0'),
        'is not a wss:// address',
      ],
      ['javascript:', () => 'javascript:alert(1)', 'is not a wss:// address'],
      [
        'one with a user name and password',
        (sandbox) => gossip(sandbox, 'ws', 'moderator:hunter22@'),
        'has a user name or password in it',
      ],
    ];

  it.each(addresses)(
    'shows the room offline in words for %s, and goes live once the service gives a good one',
    async (_what, address, words) => {
      const rejections = recordUnhandledRejections();
      const { sandbox, core, feeds, roomKey, live, setChatServer, open } = await sandboxRoom();
      const bad = address(sandbox);
      await setChatServer(bad);
      valueOf(await open());
      await until(
        core.events,
        () => feeds.statuses.some((status) => status.error?.code === 'BAD_CHAT_SERVER'),
        'the refusal in a room status',
      );
      const refusal = feeds.statuses.find((status) => status.error?.code === 'BAD_CHAT_SERVER');
      expect(refusal).toMatchObject({
        roomKey,
        state: 'offline',
        retryAt: expect.any(Number) as number,
      });
      expect(refusal?.error?.message).toContain(`The chat server address FlipFlop gave ${words}`);
      if (bad !== '') expect(refusal?.error?.message).not.toContain(bad);
      expect(refusal?.error?.message).not.toContain('hunter22');

      // It asks for a new token on the next try, and connects once the answer is good.
      await setChatServer(null);
      await live();
      expect(rejections).toEqual([]);
    },
  );

  it('shows the room reconnecting in words when the socket cannot even be built, and connects on the next try', async () => {
    const rejections = recordUnhandledRejections();
    let built = 0;
    const { feeds, live, open } = await sandboxRoom({
      live: {
        gossipSocket: (url) => {
          built += 1;
          if (built === 1) throw new Error('no sockets left');
          return new WebSocket(url, STOMP_SUBPROTOCOLS, { perMessageDeflate: false });
        },
      },
    });
    valueOf(await open());
    await live();
    expect(feeds.statuses.find((status) => status.error !== undefined)?.error).toEqual({
      code: 'NETWORK',
      message: 'The chat connection could not be opened (no sockets left).',
    });
    expect(rejections).toEqual([]);
  });

  it('shows the room reconnecting in words when `ws` refuses an address with a fragment, and connects once it is good', async () => {
    const rejections = recordUnhandledRejections();
    const { sandbox, core, feeds, live, setChatServer, open } = await sandboxRoom();
    // A good address but for the fragment, which the default socket factory throws on.
    await setChatServer(`${sandbox.flipflop.baseUrl.replace('http', 'ws')}/gossip#fragment`);
    valueOf(await open());
    await until(
      core.events,
      () => feeds.statuses.some((status) => status.error?.message.includes('fragment') === true),
      'the fragment refused',
    );
    expect(feeds.statuses.find((status) => status.error !== undefined)).toMatchObject({
      state: 'reconnecting',
      error: {
        code: 'NETWORK',
        message: expect.stringMatching(
          /^The chat connection could not be opened \(.*fragment/,
        ) as string,
      },
    });
    await setChatServer(null);
    await live();
    expect(rejections).toEqual([]);
  });

  it('gives a later attempt that cannot connect its own reason, not the bad address before it', async () => {
    const { core, feeds, live, setChatServer, open } = await sandboxRoom();
    await setChatServer('/gossip');
    valueOf(await open());
    await until(
      core.events,
      () => failures(feeds).some((status) => status.error?.code === 'BAD_CHAT_SERVER'),
      'the bad address refused',
    );
    // A good address, where nothing answers: the network's fault, not the service's address.
    await setChatServer(`ws://127.0.0.1:${await closedPort()}/gossip`);
    await until(
      core.events,
      () => failures(feeds).some((status) => status.state === 'reconnecting'),
      'an attempt that could not connect',
    );
    expect(failures(feeds).find((status) => status.state === 'reconnecting')?.error).toEqual({
      code: 'NETWORK',
      message: 'The chat connection closed.',
    });
    await setChatServer(null);
    await live();
  });

  it('gives a later attempt that cannot connect its own reason, not the socket failure before it', async () => {
    const port = await closedPort();
    let built = 0;
    const { feeds, live, open } = await sandboxRoom({
      live: {
        gossipSocket: (url) => {
          built += 1;
          if (built === 1) throw new Error('no sockets left');
          const address = built === 2 ? `ws://127.0.0.1:${port}/gossip` : url;
          return new WebSocket(address, STOMP_SUBPROTOCOLS, { perMessageDeflate: false });
        },
      },
    });
    valueOf(await open());
    await live();
    expect(failures(feeds).map((status) => status.error)).toEqual([
      { code: 'NETWORK', message: 'The chat connection could not be opened (no sockets left).' },
      { code: 'NETWORK', message: 'The chat connection closed.' },
    ]);
  });
});
