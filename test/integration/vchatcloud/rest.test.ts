/**
 * The VChatCloud REST client against the sandbox over loopback: every endpoint, the envelope's
 * codes as errors, token issue and renewal, retries — and the provider account built on it.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/main/clock';
import { defaultHttpDeps, type HttpDeps } from '../../../src/main/providers/http';
import { createVChatCloudAccount } from '../../../src/main/providers/vchatcloud/account';
import { VChatCloudRest, koreanCompact } from '../../../src/main/providers/vchatcloud/rest';
import { Redactor } from '../../../src/main/services/accounts/redactor';
import { AppError } from '../../../src/shared/errors';
import type { Sandbox } from '../../../src/sandbox';
import { countingSend } from '../../support/http';
import { useSandbox } from '../../support/sandbox';
import { BusClient, bodyOf, vcontrol } from './support';

function client(
  sandbox: Sandbox,
  options: { http?: Partial<HttpDeps>; apiKey?: string; now?: () => number } = {},
) {
  const redactor = new Redactor();
  const rest = new VChatCloudRest({
    baseUrl: sandbox.vchatcloud.baseUrl,
    apiKey: () => Promise.resolve(options.apiKey ?? sandbox.vchatcloud.apiKey),
    http: defaultHttpDeps({
      retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      ...options.http,
    }),
    redactor,
    tokenSlot: 'tokens',
    now: options.now ?? Date.now,
  });
  return { rest, redactor };
}

function account(sandbox: Sandbox, rest: VChatCloudRest) {
  return createVChatCloudAccount({
    record: {
      id: 'vc1',
      provider: 'vchatcloud',
      name: 'VChatCloud',
      baseUrl: sandbox.vchatcloud.baseUrl,
      eventbusUrl: sandbox.vchatcloud.eventbusUrl,
      moderator: sandbox.vchatcloud.moderator,
    },
    rest,
    clock: systemClock,
    random: Math.random,
  });
}

/** The AppError a promise rejects with. */
async function failure(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

const SETTINGS = {
  roomName: '새 방',
  maxUser: 30,
  roomType: '02' as const,
  rtcStat: 'Y' as const,
  gTransStat: 'N' as const,
};

describe('the VChatCloud REST client against the sandbox', () => {
  it('lists and reads rooms, numbers and dates read from their strings', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest } = client(sandbox);
    const { open, paused } = await vcontrol(sandbox).seeded();
    const rooms = await rest.listRooms();
    expect(rooms.map((room) => room.roomId)).toEqual(
      expect.arrayContaining([open.roomId, paused.roomId]),
    );
    const detail = await rest.getRoom(open.roomId);
    expect(detail).toMatchObject({
      roomId: open.roomId,
      roomName: open.roomName,
      maxUser: 300,
      joinCount: 20,
      currentUserCount: 20,
      messageCount: 0,
      roomStatus: 'active',
      isPossibleDup: false,
      template: null,
    });
    expect(detail.startDt).toBeLessThanOrEqual(Date.now());
    expect(detail.startDt).toBeGreaterThan(Date.now() - 60_000);
    // 99991231235959 in Korean time.
    expect(detail.endDt).toBe(Date.UTC(9999, 11, 31, 14, 59, 59));

    const summaries = await account(sandbox, rest).listRooms();
    expect(summaries.find((room) => room.roomId === open.roomId)).toEqual({
      accountId: 'vc1',
      roomId: open.roomId,
      provider: 'vchatcloud',
      name: open.roomName,
      chat: 'open',
      state: 'active',
    });
    expect(summaries.find((room) => room.roomId === paused.roomId)?.chat).toBe('closed');
    expect(await account(sandbox, rest).resolveRoom(open.roomId)).toEqual({
      name: open.roomName,
      channel: open.roomId,
      chatOpen: true,
    });
  });

  it('turns a result code into an AppError that names it', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest } = client(sandbox);
    const missing = await failure(rest.getRoom('NoSuchRoom'));
    expect(missing.code).toBe('10102');
    expect(missing.message).toBe('CHANNEL_NOT_EXISTED: the room does not exist');
    const invalid = await failure(
      rest.createRoom({ ...SETTINGS, roomName: 'x'.repeat(51), maxUser: 5 }),
    );
    expect(invalid.code).toBe('10902');
    expect(invalid.message).toMatch(
      /^INVALID_PARAM: .*\(roomName must be at most 50 characters\)$/,
    );
    const notice = await failure(rest.notice('NoSuchRoom', 'n', 'x'));
    expect(notice.code).toBe('10102');
  });

  it('refuses a wrong API key with its code, and keeps the key out of redacted text', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest, redactor } = client(sandbox, { apiKey: 'not-the-key-000000' });
    const refused = await failure(rest.listRooms());
    expect(refused.code).toBe('90001');
    expect(refused.message).toBe('INVALID_API_KEY: the service refused the API key');
    expect(redactor.redact('key not-the-key-000000 leaked')).toBe('key [redacted] leaked');
  });

  it('keeps the redactor to the two newest access tokens however many are issued, both masked', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest, redactor } = client(sandbox);
    const tokens: string[] = [];
    for (let issued = 0; issued < 1000; issued += 1) tokens.push(await rest.issueToken());
    expect(new Set(tokens).size).toBe(1000);
    const [previous, newest] = tokens.slice(-2);
    expect(redactor.redact(`X ${newest} Y ${previous}`)).toBe('X [redacted] Y [redacted]');
    // The API key and the two newest tokens, each also URL-encoded where that differs.
    expect(redactor.size).toBeLessThanOrEqual(3 * 2);
  });

  it('issues one token for many calls and renews it when the service says it expired', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const counting = countingSend(
      (request) => `${request.method} ${new URL(request.url).pathname}`,
    );
    const { rest, redactor } = client(sandbox, { http: { send: counting.send } });
    await Promise.all([rest.listRooms(), rest.listRooms(), rest.listRooms()]);
    expect(counting.calls.filter((call) => call === 'GET /openapi/token')).toHaveLength(1);
    const [token] = await vcontrol(sandbox).tokens();
    expect(redactor.redact(`X ${token?.token ?? ''}`)).toBe('X [redacted]');

    await vcontrol(sandbox).faults({ expireTokens: true });
    counting.calls.length = 0;
    await rest.listRooms();
    expect(counting.calls).toEqual([
      'GET /openapi/v2/rooms',
      'GET /openapi/token',
      'GET /openapi/v2/rooms',
    ]);
    // A refused token costs one more try even for calls that are never retried.
    await vcontrol(sandbox).faults({ expireTokens: true });
    const { open } = await vcontrol(sandbox).seeded();
    await rest.notice(open.roomId, '운영자', 'after a refresh');
    expect(
      (await vcontrol(sandbox).adminMessages(open.roomId)).map((item) => item.message),
    ).toEqual(['after a refresh']);
    expect(await vcontrol(sandbox).tokens()).toHaveLength(3);
  });

  it('renews a token before its exp instead of waiting to be refused', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, tokenTtlMs: 3600_000 });
    const counting = countingSend(
      (request) => `${request.method} ${new URL(request.url).pathname}`,
    );
    let skew = 0;
    const { rest } = client(sandbox, {
      http: { send: counting.send },
      now: () => Date.now() + skew,
    });
    await rest.listRooms();
    await rest.listRooms();
    expect(counting.calls.filter((call) => call === 'GET /openapi/token')).toHaveLength(1);
    // Within 30 s of the token's exp, it is renewed first.
    skew = 3600_000 - 10_000;
    await rest.listRooms();
    expect(counting.calls.filter((call) => call === 'GET /openapi/token')).toHaveLength(2);
    expect(counting.calls.at(-2)).toBe('GET /openapi/token');
  });

  it('retries idempotent calls on 503 and never retries a notice', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const counting = countingSend(
      (request) => `${request.method} ${new URL(request.url).pathname}`,
    );
    const { rest } = client(sandbox, { http: { send: counting.send } });
    const { open } = await vcontrol(sandbox).seeded();
    await rest.listRooms();
    await vcontrol(sandbox).faults({ restFailure: { rate: 1, status: 503 } });
    counting.calls.length = 0;
    const failed = await failure(rest.listRooms());
    expect(failed.status).toBe(503);
    expect(counting.calls).toHaveLength(3);
    counting.calls.length = 0;
    await failure(rest.notice(open.roomId, 'n', 'once'));
    expect(counting.calls).toHaveLength(1);
  });

  it('creates, modifies, reads and destroys a room through the provider account', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest } = client(sandbox);
    const admin = account(sandbox, rest).roomAdmin;
    if (!admin) throw new Error('VChatCloud accounts administer rooms');
    const created = await admin.create({ ...SETTINGS, gApiKey: 'secret-google-key' });
    expect(created).toMatchObject({
      roomName: '새 방',
      maxUser: 30,
      roomType: '02',
      webrtcStat: 'Y',
      webrtc: 91,
      hasGApiKey: true,
      roomStatus: 'active',
      open: true,
      currentUserCount: 0,
    });
    expect(JSON.stringify(created)).not.toContain('secret-google-key');
    const paused = await admin.modify(created.roomId, {
      ...SETTINGS,
      roomName: '이름 바꿈',
      maxUser: 10,
      rtcStat: 'N',
      gTransStat: 'Y',
      roomStatus: 'pending',
    });
    expect(paused).toMatchObject({
      roomName: '이름 바꿈',
      maxUser: 10,
      webrtcStat: 'N',
      webrtc: 0,
      gTransStat: 'Y',
      roomStatus: 'pending',
      open: false,
      // Left out of the changes, the key stays.
      hasGApiKey: true,
    });
    const ended = await admin.modify(created.roomId, { ...SETTINGS, roomStatus: 'ended' });
    expect(ended.open).toBe(false);
    expect(ended.endDt).toBeLessThanOrEqual(Date.now());
    expect((await admin.get(created.roomId)).roomName).toBe('새 방');
    await admin.destroy(created.roomId);
    expect((await failure(admin.get(created.roomId))).code).toBe('10102');
  });

  it('lists users as members in pages, and mutes, exiles and lists both', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest } = client(sandbox);
    const provider = account(sandbox, rest);
    const { open } = await vcontrol(sandbox).seeded();
    const users = await rest.users(open.roomId);
    expect(users).toHaveLength(20);
    const first = await provider.members?.(open.roomId, undefined, 15);
    expect(first?.members).toHaveLength(15);
    expect(first?.nextCursor).toBe('15');
    const second = await provider.members?.(open.roomId, first?.nextCursor ?? undefined, 15);
    expect(second?.members).toHaveLength(5);
    expect(second?.nextCursor).toBeNull();
    expect(first?.members[0]).toEqual({ id: users[0]?.clientKey, name: users[0]?.nickName });

    const [a, b] = users.map((user) => user.clientKey);
    await provider.users?.mute(open.roomId, a ?? '');
    await provider.users?.exile(open.roomId, b ?? '');
    expect(await provider.users?.restrictions(open.roomId)).toEqual({ muted: [a], exiled: [b] });
    const mutes = await rest.mutes(open.roomId);
    expect(mutes[0]?.regDt).toBeGreaterThan(Date.now() - 60_000);
    expect(await vcontrol(sandbox).restrictions(open.roomId)).toMatchObject({
      muted: [{ clientKey: a }],
      exiled: [{ clientKey: b }],
    });
    await provider.users?.unmute(open.roomId, a ?? '');
    await provider.users?.unexile(open.roomId, b ?? '');
    expect(await provider.users?.restrictions(open.roomId)).toEqual({ muted: [], exiled: [] });
  });

  it('sends notices as the moderator and custom messages now or at a set time', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { rest } = client(sandbox);
    const provider = account(sandbox, rest);
    const { open } = await vcontrol(sandbox).seeded();
    const watcher = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await watcher.join({ roomId: open.roomId, clientKey: 'watcher', nickName: 'W' });

    await provider.broadcast?.(open.roomId, { messageType: 'MESSAGE', message: '공지합니다' });
    expect(bodyOf(await watcher.push(`s2c.notify.notice/${open.roomId}`))).toMatchObject({
      nickName: sandbox.vchatcloud.moderator.nickName,
      message: '공지합니다',
    });
    const tooLong = await failure(
      provider.broadcast?.(open.roomId, { messageType: 'MESSAGE', message: 'x'.repeat(101) }) ??
        Promise.resolve(),
    );
    expect(tooLong.code).toBe('INVALID_INPUT');
    const targeted = await failure(
      provider.broadcast?.(open.roomId, {
        messageType: 'MESSAGE',
        message: 'hi',
        appUserIds: ['someone'],
      }) ?? Promise.resolve(),
    );
    expect(targeted.code).toBe('UNSUPPORTED');

    await provider.customMessage?.(open.roomId, '{"type":"poll"}');
    expect(bodyOf(await watcher.push(`s2c.notify.custom/${open.roomId}`))['message']).toBe(
      '{"type":"poll"}',
    );
    const at = Date.now() + 1500;
    await provider.customMessage?.(open.roomId, 'later', at);
    const reserved = (await vcontrol(sandbox).adminMessages(open.roomId)).find(
      (item) => item.message === 'later',
    );
    // sendDate has whole seconds: the reservation is the second `at` falls in.
    expect(Date.parse(reserved?.sendAt ?? '')).toBe(Math.floor(at / 1000) * 1000);
    expect(reserved?.sentAt).toBeNull();
    expect(bodyOf(await watcher.push(`s2c.notify.custom/${open.roomId}`))['message']).toBe('later');
    expect(koreanCompact(Date.UTC(2024, 0, 1, 15, 0, 0))).toBe('20240102000000');
  });
});
