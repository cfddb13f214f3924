/**
 * VChatCloud rooms through the core, against the sandbox over loopback: joining with history,
 * live pushes in the feed, whispers both ways, and every moderation action through the moderation
 * service with its audit line — beside a FlipFlop room, each provider refusing what it lacks.
 */
import { readFile } from 'node:fs/promises';
import { onTestFinished, describe, expect, it } from 'vitest';
import type { ChatEvent, FeedBatch, RoomStatus } from '../../../src/shared/chat';
import { JSON_LIMITS, TRIMMED_MARKER } from '../../../src/shared/json';
import {
  buildTestCore,
  call,
  recordAsWindow,
  valueOf,
  type TestCore,
  type TestCoreOptions,
} from '../../support/core';
import {
  addSandboxAccount,
  addVChatCloudAccount,
  useSandbox,
  type SandboxOptions,
} from '../../support/sandbox';
import { startTestWorker } from '../../support/memory';
import { useTempDir } from '../../support/tempDir';
import { systemClock, type Clock } from '../../../src/main/clock';
import { until } from '../../support/until';
import { BusClient, bodyOf, vcontrol } from './support';

async function setup(options: SandboxOptions = {}, coreOptions: TestCoreOptions = {}) {
  const sandbox = await useSandbox({ ratePerRoom: 0, ...options });
  const test: TestCore = await buildTestCore(await useTempDir(), {
    live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
    ...coreOptions,
  });
  onTestFinished(() => test.core.dispose());
  const accountId = await addVChatCloudAccount(test.core, sandbox);
  const api = vcontrol(sandbox);
  const { open, paused, rooms } = await api.seeded();
  const batches: FeedBatch[] = [];
  const statuses: RoomStatus[] = [];
  test.core.events.subscribe((event, payload) => {
    if (event === 'feed.batch') batches.push(payload as FeedBatch);
    if (event === 'feed.status') statuses.push(...(payload as { statuses: RoomStatus[] }).statuses);
  });
  const events = (roomKey?: string): ChatEvent[] =>
    batches
      .flatMap((batch) => batch.events)
      .filter((event) => roomKey === undefined || event.roomKey === roomKey);
  const roomKey = `${accountId}/${open.roomId}`;
  const openRoom = async (roomId = open.roomId) => {
    const key = `${accountId}/${roomId}`;
    valueOf(await call(test.core, 'rooms.open', { accountId, roomId }));
    // The moderator's own join push says the room is joined, not just the socket open.
    await until(
      test.core.events,
      () => events(key).some((event) => event.kind === 'join' && event.user?.id === 'moderator1'),
      `room ${roomId} joined`,
    );
    return key;
  };
  const waitFor = (what: string, predicate: (event: ChatEvent) => boolean) =>
    until(test.core.events, () => events().some(predicate), what);
  const auditLines = async () =>
    (await readFile(test.core.audit.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
  return {
    ...test,
    sandbox,
    api,
    accountId,
    open,
    paused,
    rooms,
    roomKey,
    batches,
    statuses,
    events,
    openRoom,
    waitFor,
    auditLines,
  };
}

describe('VChatCloud live feeds', () => {
  it('joins as the moderator with grade userManager and turns the join history into events', async () => {
    const { core, api, open, roomKey, events, openRoom } = await setup();
    await api.say(open.roomId, { clientKey: 'uMina', nickName: 'Mina', message: 'first' });
    await api.say(open.roomId, { clientKey: 'uMina', nickName: 'Mina', message: 'second' });
    await api.say(open.roomId, { clientKey: 'uJun', message: 'a notice', kind: 'notice' });
    const room = valueOf(
      await call(core, 'rooms.open', { accountId: roomKey.split('/')[0], roomId: open.roomId }),
    );
    expect(room).toMatchObject({
      provider: 'vchatcloud',
      name: open.roomName,
      moderatorUserId: 'moderator1',
      capabilities: { hide: false, delete: false, mute: true, exile: true, notice: true },
    });
    await openRoom();
    const [connection] = (await api.connections()).filter((item) => item.open);
    expect(connection?.sessions).toEqual([{ roomId: open.roomId, clientKey: 'moderator1' }]);
    const users = await api.users(open.roomId);
    expect(users.find((user) => user.clientKey === 'moderator1')).toMatchObject({
      nickName: '운영자',
      grade: 'userManager',
      connected: true,
    });
    const history = events(roomKey).filter((event) => event.kind !== 'join');
    expect(history.map((event) => [event.kind, event.user?.id, event.text])).toEqual([
      ['message', 'uMina', 'first'],
      ['message', 'uMina', 'second'],
      ['notice', 'uJun', 'a notice'],
    ]);
    expect(history[0]?.messageId).toMatch(/^vc-[0-9a-f]{20}$/);
    expect(Math.abs((history[0]?.createdAt ?? 0) - Date.now())).toBeLessThan(60_000);
  });

  it('carries messages, notices, custom messages and presence live, flagged words marked', async () => {
    const { core, api, open, roomKey, events, openRoom, waitFor } = await setup();
    valueOf(
      await call(core, 'settings.set', {
        rules: { global: [{ id: 'r1', pattern: '바보', kind: 'term' }], rooms: {} },
      }),
    );
    await openRoom();
    await api.say(open.roomId, { clientKey: 'uMina', nickName: 'Mina', message: '진짜 바보네' });
    await api.say(open.roomId, { clientKey: 'uMina', message: '{"type":"like"}', kind: 'custom' });
    await waitFor('the custom message', (event) => event.kind === 'custom');
    const [flagged, custom] = events(roomKey).filter(
      (event) => event.kind === 'message' || event.kind === 'custom',
    );
    expect(flagged).toMatchObject({
      kind: 'message',
      user: { id: 'uMina', name: 'Mina' },
      text: '진짜 바보네',
      flags: [{ ruleId: 'r1', start: 3, end: 5 }],
      state: 'visible',
    });
    expect(custom).toMatchObject({ kind: 'custom', text: '{"type":"like"}', messageId: null });

    await api.setRate(open.roomId, 200);
    await waitFor('a chatter leaving', (event) => event.kind === 'leave');
    const leave = events(roomKey).find((event) => event.kind === 'leave');
    expect(leave?.counts?.participants).toBeGreaterThan(0);
  });

  it('carries a message whose userInfo is nested 5,000 deep, trimmed and counted, and the feed goes on', async () => {
    const { core, api, open, roomKey, openRoom, statuses } = await setup();
    const window = recordAsWindow(core);
    await openRoom();
    const statusesWhenJoined = statuses.length;

    // About 30 KB each, which any guest can send: as an object (pushes) and as a string (history).
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const push = (message: string, userInfo: string) =>
      `{"type":"rec","address":"s2c.notify.message/${open.roomId}","headers":{},"body":{"roomId":"${open.roomId}","clientKey":"uGuest","nickName":"Guest","message":"${message}","mimeType":"text","grade":"user","userInfo":${userInfo}}}`;
    expect(await api.rawFrame(open.roomId, push('deep object', deep))).toEqual({ delivered: 1 });
    expect(await api.rawFrame(open.roomId, push('deep string', JSON.stringify(deep)))).toEqual({
      delivered: 1,
    });
    await api.say(open.roomId, { clientKey: 'uMina', nickName: 'Mina', message: 'still here' });
    await until(
      core.events,
      () => window.events.some((event) => event.text === 'still here'),
      'the message after the deep ones, as the window reads it',
    );

    expect(window.thrown).toEqual([]);
    const trimmed = window.events.filter((event) => event.text.startsWith('deep '));
    expect(trimmed.map((event) => [event.text, event.user?.id])).toEqual([
      ['deep object', 'uGuest'],
      ['deep string', 'uGuest'],
    ]);
    // userInfo is bounded on its own, from its own top.
    const levels = JSON_LIMITS.depth;
    const kept = '{"a":'.repeat(levels) + `"${TRIMMED_MARKER}"` + '}'.repeat(levels);
    for (const event of trimmed) {
      expect(JSON.stringify((event.data as { userInfo: unknown }).userInfo)).toBe(kept);
    }
    expect(core.feeds.trimmedCount(roomKey)).toBe(2);
    await until(
      core.events,
      () => window.stats.some((stats) => stats.roomKey === roomKey && stats.trimmed === 2),
      'the trimmed count in the room stats',
    );
    expect(core.feeds.unreadableCount(roomKey)).toBe(0);
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey }));
    expect(() => structuredClone(JSON.parse(JSON.stringify(snapshot)) as unknown)).not.toThrow();
    expect(
      snapshot.events.filter((event) => event.kind === 'message').map((event) => event.text),
    ).toEqual(['deep object', 'deep string', 'still here']);
    expect(statuses.slice(statusesWhenJoined)).toEqual([]);
    expect((await api.connections()).map((connection) => connection.open)).toEqual([true]);
  });

  it('shows a whisper to the moderator as a direct message and notifies', async () => {
    const { api, open, roomKey, events, openRoom, waitFor, notifier } = await setup();
    await openRoom();
    await api.say(open.roomId, {
      clientKey: 'uMina',
      nickName: 'Mina',
      message: '관리자님 도배하는 사람 있어요',
      kind: 'whisper',
    });
    await waitFor('the whisper', (event) => event.kind === 'dm');
    expect(events(roomKey).find((event) => event.kind === 'dm')).toMatchObject({
      kind: 'dm',
      toModerator: true,
      receivers: ['moderator1'],
      user: { id: 'uMina', name: 'Mina' },
    });
    expect(notifier.shown).toHaveLength(1);
  });

  it('joins a room opened while paused once the room is started, without being opened again', async () => {
    const { core, accountId, api, paused, statuses, waitFor } = await setup(
      {},
      { live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 }, closedRecheckMs: 100 } },
    );
    const roomKey = `${accountId}/${paused.roomId}`;
    const room = valueOf(await call(core, 'rooms.open', { accountId, roomId: paused.roomId }));
    expect(room.status).toMatchObject({ state: 'offline', error: { code: 'CHAT_ROOM_CLOSED' } });

    // The show starts: the room's status becomes active.
    const details = valueOf(
      await call(core, 'roomAdmin.get', { accountId, roomId: paused.roomId }),
    );
    valueOf(
      await call(core, 'roomAdmin.modify', {
        accountId,
        roomId: paused.roomId,
        changes: {
          roomName: details.roomName,
          maxUser: details.maxUser,
          roomType: '01',
          rtcStat: 'N',
          gTransStat: 'N',
          roomStatus: 'active',
        },
      }),
    );
    await until(
      core.events,
      () => statuses.some((status) => status.roomKey === roomKey && status.state === 'live'),
      'the room live',
    );
    await waitFor(
      'the moderator’s join',
      (event) =>
        event.roomKey === roomKey && event.kind === 'join' && event.user?.id === 'moderator1',
    );
    await api.say(paused.roomId, { clientKey: 'uMina', nickName: 'Mina', message: 'we are on' });
    await waitFor(
      'a message in the started room',
      (event) => event.roomKey === roomKey && event.text === 'we are on',
    );
  });

  it('refuses to open a paused room as live, and shows a room the moderator is exiled from as offline', async () => {
    const { core, accountId, sandbox, paused, open, statuses, openRoom } = await setup();
    const pausedRoom = valueOf(
      await call(core, 'rooms.open', { accountId, roomId: paused.roomId }),
    );
    expect(pausedRoom.status).toMatchObject({
      state: 'offline',
      error: { code: 'CHAT_ROOM_CLOSED' },
    });

    const roomKey = await openRoom(open.roomId);
    const token = (await (
      await fetch(`${sandbox.vchatcloud.baseUrl}/openapi/token`, {
        headers: { API_KEY: sandbox.vchatcloud.apiKey },
      })
    ).json()) as { data: { 'X-AUTH-TOKEN': string } };
    await fetch(`${sandbox.vchatcloud.baseUrl}/openapi/v1/exiles/${open.roomId}/moderator1`, {
      method: 'POST',
      headers: { API_KEY: sandbox.vchatcloud.apiKey, 'X-AUTH-TOKEN': token.data['X-AUTH-TOKEN'] },
    });
    await until(
      core.events,
      () => statuses.some((status) => status.roomKey === roomKey && status.state === 'offline'),
      'the room offline',
    );
    expect(statuses.at(-1)).toMatchObject({
      roomKey,
      state: 'offline',
      error: {
        code: '10106',
        message: expect.stringMatching(/^CHANNEL_USER_BANED: the user is banned/) as string,
      },
    });
  });
});

describe('VChatCloud moderation through the moderation service', () => {
  it('mutes and exiles a user: the sandbox applies it, the room sees the pushes, the audit log keeps it', async () => {
    const { core, api, open, roomKey, events, openRoom, waitFor, auditLines } = await setup();
    await openRoom();
    const [first, second] = (await api.users(open.roomId)).filter((user) => user.simulated);
    const muted = first?.clientKey ?? '';
    const exiled = second?.clientKey ?? '';

    expect(valueOf(await call(core, 'users.mute', { roomKey, userId: muted }))).toEqual({
      roomKey,
      userId: muted,
      action: 'mute',
    });
    valueOf(await call(core, 'users.exile', { roomKey, userId: exiled }));
    expect(valueOf(await call(core, 'users.restrictions', { roomKey }))).toEqual({
      muted: [muted],
      exiled: [exiled],
    });
    await waitFor('the exile push', (event) => event.customType === 'exile');
    const system = events(roomKey).filter((event) => event.kind === 'system');
    expect(system.map((event) => [event.customType, event.user?.id])).toEqual([
      ['mute', muted],
      ['exile', exiled],
    ]);
    await expect(
      api.say(open.roomId, { clientKey: muted, message: 'let me talk' }),
    ).rejects.toThrow(/USER_MUTED/);

    valueOf(await call(core, 'users.unmute', { roomKey, userId: muted }));
    valueOf(await call(core, 'users.unexile', { roomKey, userId: exiled }));
    await waitFor('the unexile push', (event) => event.customType === 'unexile');
    expect(valueOf(await call(core, 'users.restrictions', { roomKey }))).toEqual({
      muted: [],
      exiled: [],
    });
    expect((await auditLines())[0]).toMatchObject({
      accountName: 'Sandbox VChatCloud',
      roomName: open.roomName,
      authorId: muted,
    });
    expect(
      (await auditLines()).map((line) => [line['action'], line['result'], line['detail']]),
    ).toEqual([
      ['users.mute', 'ok', `user ${muted}`],
      ['users.exile', 'ok', `user ${exiled}`],
      ['users.unmute', 'ok', `user ${muted}`],
      ['users.unexile', 'ok', `user ${exiled}`],
    ]);
  });

  it('mutes a new chatter in shield mode where messages cannot be hidden, when the settings ask', async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const { core, api, open, roomKey, openRoom, waitFor } = await setup(
      {},
      { clock, memory: { startWorker: startTestWorker } },
    );
    valueOf(
      await call(core, 'settings.set', { shield: { newChatterMinutes: 10, muteSenders: true } }),
    );
    await openRoom();
    await core.feeds.chattersKnown(roomKey);
    const [first, second] = (await api.users(open.roomId)).filter((user) => user.simulated);
    const regular = first?.clientKey ?? '';
    const newcomer = second?.clientKey ?? '';
    await api.say(open.roomId, { clientKey: regular, message: '안녕하세요' });
    await waitFor('the regular', (event) => event.text === '안녕하세요');
    // Eleven minutes later the regular is not new any more.
    offset += 11 * 60_000;
    valueOf(await call(core, 'shield.set', { roomKey, on: true }));
    for (const [clientKey, message] of [
      [regular, '무슨 일이야'],
      [newcomer, '처음 왔어요'],
    ] as const) {
      await api.say(open.roomId, { clientKey, message });
      await waitFor(message, (event) => event.text === message);
    }
    const muted = async () => valueOf(await call(core, 'users.restrictions', { roomKey })).muted;
    await expect.poll(muted).toEqual([newcomer]);
    // Muted, the newcomer cannot write again.
    await expect(
      api.say(open.roomId, { clientKey: newcomer, message: '또 왔어요' }),
    ).rejects.toThrow(/USER_MUTED/);
    // With a message history the audit log is in its store: read as its export gives it.
    const audit = valueOf(await call(core, 'audit.export', { format: 'jsonl' }))
      .content.trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    const mutes = audit.filter((line) => line['action'] === 'users.mute');
    expect(mutes).toEqual([
      expect.objectContaining({
        authorId: newcomer,
        result: 'ok',
        reason: 'shield: first message here',
        why: { kind: 'shieldFirstMessage' },
        detail: `user ${newcomer}, automatic`,
      }),
    ]);
  });

  it("marks what a muted user wrote that was flagged as handled, and nobody else's", async () => {
    const { core, api, open, roomKey, openRoom, waitFor, batches } = await setup();
    valueOf(
      await call(core, 'settings.set', {
        rules: { global: [{ id: 'r1', pattern: '바보', kind: 'term' }], rooms: {} },
      }),
    );
    await openRoom();
    const [first, second] = (await api.users(open.roomId)).filter((user) => user.simulated);
    const troll = first?.clientKey ?? '';
    const bystander = second?.clientKey ?? '';
    for (const [clientKey, message] of [
      [troll, '바보 하나'],
      [troll, '평범한 말'],
      [bystander, '바보 둘'],
      [troll, '바보 셋'],
    ] as const) {
      await api.say(open.roomId, { clientKey, message });
      await waitFor(message, (event) => event.text === message);
    }
    const flaggedIds = (clientKey: string) =>
      batches
        .flatMap((batch) => batch.events)
        .filter((event) => event.user?.id === clientKey && event.flags.length > 0)
        .map((event) => event.id);
    const updated = () => batches.flatMap((batch) => batch.updates);

    valueOf(await call(core, 'users.mute', { roomKey, userId: troll }));
    await until(core.events, () => updated().length === 2, "the troll's two flagged messages");
    expect(updated()).toEqual(
      flaggedIds(troll).map((id) => ({ roomKey, id, state: 'visible', handled: true })),
    );
    const kept = valueOf(await call(core, 'feed.snapshot', { roomKey })).events;
    expect(kept.filter((event) => event.handled).map((event) => event.id)).toEqual(
      flaggedIds(troll),
    );
    expect(flaggedIds(bystander)).toHaveLength(1);
  });

  it('answers a mute past the deadline as unknown, not failed, and a retry confirms it', async () => {
    const { core, api, open, roomKey, openRoom, auditLines } = await setup(
      {},
      { http: { timeoutMs: 500 } },
    );
    await openRoom();
    const [chatter] = (await api.users(open.roomId)).filter((user) => user.simulated);
    const userId = chatter?.clientKey ?? '';
    // The access token is issued before the service slows down; the mute alone goes unanswered.
    await api.faults({ latencyMs: 1500 });

    expect(await call(core, 'users.mute', { roomKey, userId })).toMatchObject({
      ok: false,
      error: { code: 'OUTCOME_UNKNOWN' },
    });
    expect((await auditLines()).at(-1)).toMatchObject({ action: 'users.mute', result: 'unknown' });
    await expect
      .poll(async () => (await api.restrictions(open.roomId)).muted.map((user) => user.clientKey), {
        timeout: 10_000,
      })
      .toEqual([userId]);

    await api.clearFaults();
    valueOf(await call(core, 'users.mute', { roomKey, userId }));
    expect((await auditLines()).at(-1)).toMatchObject({ action: 'users.mute', result: 'ok' });
  });

  it('announces with a notice and whispers as the direct message, both shown as the moderator’s', async () => {
    const { core, sandbox, open, roomKey, events, openRoom, waitFor, auditLines } = await setup();
    await openRoom();
    const chatter = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await chatter.join({ roomId: open.roomId, clientKey: 'uTom', nickName: 'Tom' });

    const broadcast = valueOf(
      await call(core, 'admin.broadcast', {
        roomKeys: [roomKey],
        messageType: 'MESSAGE',
        message: '잠시 후 방송이 시작됩니다',
      }),
    );
    expect(broadcast.results[0]?.ok).toBe(true);
    expect(bodyOf(await chatter.push(`s2c.notify.notice/${open.roomId}`))).toMatchObject({
      nickName: '운영자',
      message: '잠시 후 방송이 시작됩니다',
    });
    await waitFor('the notice', (event) => event.kind === 'notice');
    expect(events(roomKey).find((event) => event.kind === 'notice')).toMatchObject({
      fromModerator: true,
      text: '잠시 후 방송이 시작됩니다',
    });

    const { messageId } = valueOf(
      await call(core, 'admin.direct', {
        roomKey,
        messageType: 'DM',
        message: 'Please keep it civil',
        appUserIds: ['uTom'],
      }),
    );
    expect(bodyOf(await chatter.push(`s2c.personal.whisper/${open.roomId}/uTom`))).toMatchObject({
      clientKey: 'moderator1',
      nickName: '운영자',
      message: 'Please keep it civil',
    });
    await waitFor('the whisper in the feed', (event) => event.messageId === messageId);
    expect(events(roomKey).find((event) => event.messageId === messageId)).toMatchObject({
      kind: 'dm',
      fromModerator: true,
      receivers: ['uTom'],
      user: { id: 'moderator1', name: '운영자' },
    });
    const missing = await call(core, 'admin.direct', {
      roomKey,
      messageType: 'DM',
      message: 'anyone?',
      appUserIds: ['ghost'],
    });
    expect(missing).toMatchObject({ ok: false, error: { code: '10107' } });
    expect((await auditLines()).map((line) => [line['action'], line['result']])).toEqual([
      ['broadcast', 'ok'],
      ['direct', 'ok'],
      ['direct', '10107'],
    ]);
  });

  it('whispers to every receiver it can, and says who was not reached without calling it a failure', async () => {
    const { core, api, sandbox, open, roomKey, events, openRoom, waitFor, auditLines } =
      await setup();
    await openRoom();
    const tom = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await tom.join({ roomId: open.roomId, clientKey: 'uTom', nickName: 'Tom' });
    const ann = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await ann.join({ roomId: open.roomId, clientKey: 'uAnn', nickName: 'Ann' });

    // The first receiver left the room: the others still get the whisper.
    const answer = valueOf(
      await call(core, 'admin.direct', {
        roomKey,
        messageType: 'DM',
        message: 'Please keep it civil',
        appUserIds: ['gone', 'uTom', 'uAnn'],
      }),
    );
    expect(answer.undelivered).toEqual([
      { userId: 'gone', error: { code: '10107', message: expect.any(String) as string } },
    ]);
    expect(
      (await api.whispers(open.roomId)).map((whisper) => [whisper.to, whisper.message]),
    ).toEqual([
      ['uTom', 'Please keep it civil'],
      ['uAnn', 'Please keep it civil'],
    ]);
    // The feed shows it sent to those it reached; the audit line says who it missed.
    await waitFor('the whisper in the feed', (event) => event.messageId === answer.messageId);
    expect(events(roomKey).find((event) => event.messageId === answer.messageId)).toMatchObject({
      kind: 'dm',
      fromModerator: true,
      receivers: ['uTom', 'uAnn'],
    });
    expect((await auditLines()).at(-1)).toMatchObject({
      action: 'direct',
      result: 'ok',
      detail: 'to uTom, uAnn; not to gone (10107)',
    });

    // Nobody reached: a failure, as before.
    const nobody = await call(core, 'admin.direct', {
      roomKey,
      messageType: 'DM',
      message: 'anyone?',
      appUserIds: ['ghost', 'gone'],
    });
    expect(nobody).toMatchObject({ ok: false, error: { code: '10107' } });
    expect((await auditLines()).at(-1)).toMatchObject({ action: 'direct', result: '10107' });
  });

  it('sends custom messages now and later, lists members, and administers rooms, each audited', async () => {
    const { core, api, accountId, open, roomKey, openRoom, waitFor, auditLines } = await setup();
    await openRoom();
    const sendDate = Date.now() + 60_000;
    expect(
      valueOf(await call(core, 'admin.custom', { roomKey, message: '{"type":"quiz"}', sendDate })),
    ).toEqual({ roomKey, sendDate });
    valueOf(await call(core, 'admin.custom', { roomKey, message: '{"type":"now"}' }));
    await waitFor('the custom message', (event) => event.kind === 'custom');
    expect(
      (await api.adminMessages(open.roomId)).map((item) => [item.message, item.sentAt === null]),
    ).toEqual([
      ['{"type":"quiz"}', true],
      ['{"type":"now"}', false],
    ]);

    const members = valueOf(await call(core, 'members.list', { roomKey, count: 100 }));
    expect(members.members.map((member) => member.id)).toContain('moderator1');
    expect(members.nextCursor).toBeNull();

    const created = valueOf(
      await call(core, 'roomAdmin.create', {
        accountId,
        settings: { roomName: 'Q&A', maxUser: 50, roomType: '01', rtcStat: 'N', gTransStat: 'N' },
      }),
    );
    expect(created).toMatchObject({ roomName: 'Q&A', maxUser: 50, open: true });
    const modified = valueOf(
      await call(core, 'roomAdmin.modify', {
        accountId,
        roomId: created.roomId,
        changes: {
          roomName: 'Q&A (paused)',
          maxUser: 50,
          roomType: '01',
          rtcStat: 'N',
          gTransStat: 'N',
          roomStatus: 'pending',
        },
      }),
    );
    expect(modified).toMatchObject({
      roomName: 'Q&A (paused)',
      roomStatus: 'pending',
      open: false,
    });
    expect(
      valueOf(await call(core, 'roomAdmin.get', { accountId, roomId: created.roomId })),
    ).toEqual(modified);
    const rooms = valueOf(await call(core, 'rooms.list', { accountId }));
    expect(rooms.find((room) => room.roomId === created.roomId)).toMatchObject({
      chat: 'closed',
      state: 'pending',
    });
    expect(
      valueOf(await call(core, 'roomAdmin.destroy', { accountId, roomId: created.roomId })),
    ).toEqual({ accountId, roomId: created.roomId });
    expect(await call(core, 'roomAdmin.get', { accountId, roomId: created.roomId })).toMatchObject({
      ok: false,
      error: { code: '10102', message: 'CHANNEL_NOT_EXISTED: the room does not exist' },
    });
    const invalid = await call(core, 'roomAdmin.create', {
      accountId,
      settings: {
        roomName: 'x'.repeat(51),
        maxUser: 1,
        roomType: '01',
        rtcStat: 'N',
        gTransStat: 'N',
      },
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await auditLines()).map((line) => [line['action'], line['result']])).toEqual([
      ['admin.custom', 'ok'],
      ['admin.custom', 'ok'],
      ['roomAdmin.create', 'ok'],
      ['roomAdmin.modify', 'ok'],
      ['roomAdmin.destroy', 'ok'],
    ]);
  });

  it('refuses what each provider lacks with UNSUPPORTED, beside a FlipFlop room', async () => {
    const { core, sandbox, accountId, roomKey, openRoom, auditLines } = await setup();
    const flipflopId = await addSandboxAccount(core, sandbox);
    await openRoom();
    const hide = await call(core, 'messages.hide', { roomKey, messageId: 'vc-0000' });
    expect(hide).toMatchObject({ ok: false, error: { code: 'UNSUPPORTED' } });
    expect(
      await call(core, 'users.mute', { roomKey: `${flipflopId}/1001`, userId: 'x' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED', message: 'FlipFlop rooms do not support muting or exiling.' },
    });
    expect(
      await call(core, 'admin.custom', { roomKey: `${flipflopId}/1001`, message: '{}' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
    expect(
      await call(core, 'roomAdmin.get', { accountId: flipflopId, roomId: '1001' }),
    ).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
    expect(await call(core, 'chatRoom.get', { accountId, roomId: 'x' })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
    expect(await call(core, 'bannedWords.set', { accountId, words: ['x'] })).toMatchObject({
      ok: false,
      error: { code: 'UNSUPPORTED' },
    });
    expect((await auditLines()).map((line) => [line['action'], line['result']])).toEqual([
      ['hide', 'UNSUPPORTED'],
      ['users.mute', 'UNSUPPORTED'],
      ['admin.custom', 'UNSUPPORTED'],
    ]);
  });
});
