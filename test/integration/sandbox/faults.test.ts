/**
 * Fault injection and reset through the control API: dropping and refusing connections, failing
 * and slowing REST calls, expiring chat tokens, and going back to the seeded state.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  control,
  frameText,
  memberToken,
  RawStompClient,
  rest,
  rooms,
  seededRooms,
  useSandbox,
} from './support';
import type { Sandbox } from '../../../src/sandbox/index';

/** Tries a WebSocket upgrade at /gossip: the HTTP status if refused, or 101 if it opened. */
function tryUpgrade(sandbox: Sandbox): Promise<number> {
  const socket = new WebSocket(`${sandbox.flipflop.baseUrl.replace('http:', 'ws:')}/gossip`, [
    'v12.stomp',
  ]);
  return new Promise((resolve) => {
    socket.on('open', () => {
      socket.terminate();
      resolve(101);
    });
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

interface FaultView {
  refuseConnectionsUntil: string | null;
  restFailure: { rate: number; status: number } | null;
  latencyMs: number;
}

describe('faults', () => {
  it('drops every live connection at once, without a close handshake', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    const { client: first } = await RawStompClient.connect(token);
    const { client: second } = await RawStompClient.connect(token);
    const answer = await control<FaultView>(sandbox, 'POST', '/faults', { dropConnections: true });
    expect(answer.status).toBe(200);
    expect((await first.closed).code).toBe(1006);
    expect((await second.closed).code).toBe(1006);
    const connections = (
      await control<{ open: boolean; closeReason: string }[]>(sandbox, 'GET', '/connections')
    ).json;
    expect(connections.map((item) => [item.open, item.closeReason])).toEqual([
      [false, 'dropped'],
      [false, 'dropped'],
    ]);
    // Dropping is a one-off: the next connection is accepted.
    const { connected } = await RawStompClient.connect(token);
    expect(connected.command).toBe('CONNECTED');
  });

  it('refuses new connections with 503 while told to, keeps open ones, and accepts again once cleared', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    const { client: open } = await RawStompClient.connect(token);
    const set = await control<FaultView>(sandbox, 'POST', '/faults', {
      refuseConnectionsForMs: 600_000,
    });
    expect(Date.parse(set.json.refuseConnectionsUntil ?? '')).toBeGreaterThan(Date.now());
    expect(await tryUpgrade(sandbox)).toBe(503);
    expect(await tryUpgrade(sandbox)).toBe(503);
    await open.withReceipt('SUBSCRIBE', {
      id: 'still',
      destination: `/topic/dm/${(await rooms(sandbox))[0]?.channelKey ?? ''}/user/${token.userId}`,
    });
    const cleared = await control<FaultView>(sandbox, 'DELETE', '/faults');
    expect(cleared.json).toEqual({ refuseConnectionsUntil: null, restFailure: null, latencyMs: 0 });
    expect(await tryUpgrade(sandbox)).toBe(101);
  });

  it('stops refusing by itself when the time is up', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    await control(sandbox, 'POST', '/faults', { refuseConnectionsForMs: 1 });
    // Wait on the state the control API reports, not on a clock.
    while (
      (await control<FaultView>(sandbox, 'GET', '/faults')).json.refuseConnectionsUntil !== null
    );
    expect(await tryUpgrade(sandbox)).toBe(101);
  });

  it('fails the given share of emulated REST calls with 500 or 503, never control calls', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    await control(sandbox, 'POST', '/faults', { restFailure: { rate: 1, status: 503 } });
    const failed = await rest(sandbox, 'GET', '/v2/apps/me/video-rooms');
    expect(failed.status).toBe(503);
    expect(failed.json).toMatchObject({ errorCode: 'SERVICE_UNAVAILABLE' });
    expect((await control(sandbox, 'GET', '/rooms')).status).toBe(200);

    await control(sandbox, 'POST', '/faults', { restFailure: { rate: 1, status: 500 } });
    expect((await rest(sandbox, 'GET', '/v2/apps/me/video-rooms')).json).toMatchObject({
      errorCode: 'INTERNAL_SERVER_ERROR',
    });

    await control(sandbox, 'POST', '/faults', { restFailure: { rate: 0.5, status: 500 } });
    const statuses = [];
    for (let index = 0; index < 60; index += 1) {
      statuses.push((await rest(sandbox, 'GET', '/v2/apps/me/video-rooms')).status);
    }
    expect(statuses).toContain(200);
    expect(statuses).toContain(500);
    expect((await control<FaultView>(sandbox, 'GET', '/faults')).json.restFailure).toEqual({
      rate: 0.5,
      status: 500,
    });

    await control(sandbox, 'DELETE', '/faults');
    expect((await rest(sandbox, 'GET', '/v2/apps/me/video-rooms')).status).toBe(200);
  });

  it('answers the given share of emulated REST calls 429, with Retry-After when asked', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    await control(sandbox, 'POST', '/faults', {
      restFailure: { rate: 1, status: 429, retryAfterSeconds: 7 },
    });
    const limited = await rest(
      sandbox,
      'POST',
      '/v2/apps/me/video-rooms/1001/chat-room/messages/1/hide',
    );
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('7');
    expect(limited.json).toMatchObject({ errorCode: 'TOO_MANY_REQUESTS' });
    expect((await control<FaultView>(sandbox, 'GET', '/faults')).json.restFailure).toEqual({
      rate: 1,
      status: 429,
      retryAfterSeconds: 7,
    });
    // Control calls are never limited.
    expect((await control(sandbox, 'GET', '/rooms')).status).toBe(200);

    // Without retryAfterSeconds there is no header; a 503 may carry one too.
    await control(sandbox, 'POST', '/faults', { restFailure: { rate: 1, status: 429 } });
    expect((await rest(sandbox, 'GET', '/v2/apps/me/video-rooms')).headers.has('retry-after')).toBe(
      false,
    );
    await control(sandbox, 'POST', '/faults', {
      restFailure: { rate: 1, status: 503, retryAfterSeconds: 0 },
    });
    const unavailable = await rest(sandbox, 'GET', '/v2/apps/me/video-rooms');
    expect([unavailable.status, unavailable.headers.get('retry-after')]).toEqual([503, '0']);
    // The request log says which requests a fault answered.
    await control(sandbox, 'DELETE', '/faults');
    await rest(sandbox, 'GET', '/v2/apps/me/video-rooms');
    const log = await control<{ requests: Array<{ injectedStatus?: number }> }>(
      sandbox,
      'GET',
      '/requests',
    );
    expect(log.json.requests.map((request) => request.injectedStatus)).toEqual([
      429,
      429,
      503,
      undefined,
    ]);
  });

  it('adds latency to emulated REST calls until cleared', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    await control(sandbox, 'POST', '/faults', { latencyMs: 80 });
    expect((await control<FaultView>(sandbox, 'GET', '/faults')).json.latencyMs).toBe(80);
    const started = performance.now();
    expect((await rest(sandbox, 'GET', '/v2/apps/me/video-rooms')).status).toBe(200);
    // A lower bound only: the answer cannot come before the added latency.
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    await control(sandbox, 'DELETE', '/faults');
    expect((await control<FaultView>(sandbox, 'GET', '/faults')).json.latencyMs).toBe(0);
  });

  it('carries out a slowed call whose client stopped waiting, body and all, as a service would', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    await control(sandbox, 'POST', '/faults', { latencyMs: 300 });
    const { appApiKey, appApiSecret, baseUrl } = sandbox.flipflop;
    const gaveUp = await fetch(
      `${baseUrl}/v2/apps/me/video-rooms/1001/chat-room/admin/messages/broadcast`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${appApiKey}:${appApiSecret}`).toString('base64')}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ messageType: 'MESSAGE', message: 'sent, never answered' }),
        signal: AbortSignal.timeout(50),
      },
    ).then(
      () => 'answered',
      () => 'gave up',
    );
    expect(gaveUp).toBe('gave up');
    await expect
      .poll(
        async () =>
          (
            await control<Array<{ message: string }>>(sandbox, 'GET', '/rooms/1001/admin-messages')
          ).json.map((sent) => sent.message),
        { timeout: 5000 },
      )
      .toEqual(['sent, never answered']);
  });

  it('expires every chat token at once: old tokens get ERROR, a fresh token connects', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const old = await memberToken(sandbox);
    const { client: live } = await RawStompClient.connect(old);
    await control(sandbox, 'POST', '/faults', { expireTokens: true });
    const tokens = (
      await control<{ token: string; expiresAt: string }[]>(sandbox, 'GET', '/tokens')
    ).json;
    expect(Date.parse(tokens[0]?.expiresAt ?? '')).toBeLessThan(Date.now());

    const refused = await RawStompClient.open(old.chatServerWebSocketUrl);
    refused.send(
      frameText('CONNECT', {
        'accept-version': '1.2',
        token: old.chatToken,
        appid: old.appId,
        userid: old.userId,
        username: old.userName ?? '',
      }),
    );
    expect((await refused.next()).headers['message']).toBe('Expired chat token');
    await refused.closed;
    // A connection made before the expiry stays up; only new CONNECTs check the token.
    await live.withReceipt('UNSUBSCRIBE', { id: 'none' });
    const { connected } = await RawStompClient.connect(await memberToken(sandbox));
    expect(connected.command).toBe('CONNECTED');
  });

  it('expires tokens after their lifetime', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, tokenTtlMs: 1 });
    const token = await memberToken(sandbox);
    while (
      Date.parse(
        (await control<{ expiresAt: string }[]>(sandbox, 'GET', '/tokens')).json[0]?.expiresAt ??
          '',
      ) >= Date.now()
    );
    const client = await RawStompClient.open(token.chatServerWebSocketUrl);
    client.send(
      frameText('CONNECT', {
        token: token.chatToken,
        appid: token.appId,
        userid: token.userId,
        username: 'x',
      }),
    );
    expect((await client.next()).headers['message']).toBe('Expired chat token');
  });

  it('refuses fault requests it does not understand', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    for (const body of [
      {},
      { explode: true },
      { restFailure: { rate: 2, status: 500 } },
      { restFailure: { rate: 0.5, status: 502 } },
      { restFailure: { rate: 0.5, status: 429, retryAfterSeconds: 1.5 } },
      { restFailure: { rate: 0.5, status: 429, retryAfterSeconds: -1 } },
      { restFailure: { rate: 0.5, status: 429, retryAfterSeconds: '2' } },
      { restFailure: { rate: 0.5, status: 429, retryAfter: 2 } },
      { latencyMs: -1 },
      { dropConnections: 'yes' },
    ]) {
      const answer = await control<{ errorCode: string }>(sandbox, 'POST', '/faults', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.json.errorCode).toBe('INVALID_FAULT');
    }
  });
});

describe('reset', () => {
  it('goes back to the seeded state and closes live connections', async () => {
    const sandbox = await useSandbox({ seed: 5, ratePerRoom: 0 });
    const initial = await rooms(sandbox);
    const { live, withoutChat } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    await rest(sandbox, 'POST', '/v2/apps/me/banned-chat-words', { words: ['x'] });
    await rest(sandbox, 'POST', `/v2/apps/me/video-rooms/${withoutChat.videoRoomId}/chat-room`);
    await control(sandbox, 'PUT', `/rooms/${live.videoRoomId}/rate`, { perSecond: 3 });
    await control(sandbox, 'POST', '/faults', { latencyMs: 5 });

    const answer = await control<{ seed: number }>(sandbox, 'POST', '/reset', {});
    expect(answer.json).toEqual({ seed: 5 });
    expect((await client.closed).code).toBe(1012);
    expect(await rooms(sandbox)).toEqual(initial);
    expect(
      (await control<{ words: string[] }>(sandbox, 'GET', '/banned-words')).json.words,
    ).toEqual([]);
    expect((await control<unknown[]>(sandbox, 'GET', '/tokens')).json).toEqual([]);
    expect((await control<unknown[]>(sandbox, 'GET', '/connections')).json).toEqual([]);
    expect((await control<FaultView>(sandbox, 'GET', '/faults')).json.latencyMs).toBe(0);

    await control(sandbox, 'POST', '/reset', { seed: 6 });
    const reseeded = await rooms(sandbox);
    expect(reseeded.map((room) => room.channelKey)).not.toEqual(
      initial.map((room) => room.channelKey),
    );
    expect((await control(sandbox, 'POST', '/reset', { seed: 'six' })).status).toBe(400);
  });
});
