/**
 * The emulated VChatCloud OpenAPI over real HTTP: the token, every room, user, exile, mute, notice
 * and custom-message endpoint, and every envelope error they answer.
 */
import { describe, expect, it } from 'vitest';
import { useSandbox } from '../../support/sandbox';
import { BusClient, bodyOf, issueToken, vcontrol, vrest } from './support';

const ROOM_FIELDS = [
  'endDt',
  'gApiKey',
  'gTransStat',
  'isPossibleDup',
  'joinCount',
  'maxUser',
  'messageCount',
  'resolution',
  'roomId',
  'roomName',
  'roomStatus',
  'roomType',
  'startDt',
  'template',
  'userId',
  'webrtc',
  'webrtcStat',
];

const CREATE_FORM = {
  roomName: '테스트 방',
  maxUser: '50',
  gTransStat: 'N',
  roomType: '01',
  rtcStat: 'N',
};

async function setup() {
  const sandbox = await useSandbox({ ratePerRoom: 0 });
  const token = await issueToken(sandbox);
  const api = vcontrol(sandbox);
  const { open, paused } = await api.seeded();
  const call = (method: string, path: string, form?: Record<string, string>) =>
    vrest(sandbox, method, path, { token, ...(form === undefined ? {} : { form }) });
  return { sandbox, token, api, open, paused, call };
}

/** The current minute in Korean time as `yyyyMMddHHmmss`, moved by `offsetMs`. */
function koreanCompact(offsetMs: number): string {
  return new Date(Date.now() + offsetMs + 9 * 3600_000)
    .toISOString()
    .replace(/[-:T]/g, '')
    .slice(0, 14);
}

describe('the VChatCloud token', () => {
  it('is issued for the API key in the envelope, as a JWT that says when it expires', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, tokenTtlMs: 120_000 });
    const answer = await vrest(sandbox, 'GET', '/openapi/token', {
      headers: { API_KEY: sandbox.vchatcloud.apiKey },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      result_cd: 1,
      result_msg: '',
      data: { 'X-AUTH-TOKEN': expect.stringMatching(/^[\w-]+\.[\w-]+\.[\w-]+$/) as string },
    });
    const token = answer.body.data?.['X-AUTH-TOKEN'] as string;
    const claims = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { exp: number; iat: number };
    expect(claims.exp - claims.iat).toBeGreaterThanOrEqual(120);
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(121);
  });

  it('takes the header in any case, and refuses a missing or wrong API key with 90001', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const lower = await vrest(sandbox, 'GET', '/openapi/token', {
      headers: { api_key: sandbox.vchatcloud.apiKey },
    });
    expect(lower.body.result_cd).toBe(1);
    const attempts: Array<Record<string, string>> = [
      {},
      { API_KEY: 'wrong-key' },
      { API_KEY: ' ' },
    ];
    for (const headers of attempts) {
      const answer = await vrest(sandbox, 'GET', '/openapi/token', { headers });
      expect(answer.status).toBe(200);
      expect(answer.body.result_cd).toBe(90001);
      expect(answer.body.result_msg).not.toBe('');
    }
  });
});

describe('API_KEY and X-AUTH-TOKEN on every endpoint', () => {
  it('answers 90001 without the API key, 90002 without or with an unknown token, 90003 once expired', async () => {
    const { sandbox, token, api } = await setup();
    const path = '/openapi/v2/rooms';
    const codes = async (headers: Record<string, string | null>) =>
      (await vrest(sandbox, 'GET', path, { headers })).body.result_cd;
    const apiKey = sandbox.vchatcloud.apiKey;
    expect(await codes({ API_KEY: apiKey, 'X-AUTH-TOKEN': token })).toBe(1);
    expect(await codes({ 'X-AUTH-TOKEN': token })).toBe(90001);
    expect(await codes({ API_KEY: 'other', 'X-AUTH-TOKEN': token })).toBe(90001);
    expect(await codes({ API_KEY: apiKey })).toBe(90002);
    expect(await codes({ API_KEY: apiKey, 'X-AUTH-TOKEN': `${token}x` })).toBe(90002);
    await api.faults({ expireTokens: true });
    expect(await codes({ API_KEY: apiKey, 'X-AUTH-TOKEN': token })).toBe(90003);
    const fresh = await issueToken(sandbox);
    expect(await codes({ API_KEY: apiKey, 'X-AUTH-TOKEN': fresh })).toBe(1);
    expect((await api.tokens()).length).toBe(2);
  });

  it('expires tokens after the token lifetime', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, tokenTtlMs: 1 });
    const token = await issueToken(sandbox);
    const [issued] = await vcontrol(sandbox).tokens();
    // A lifetime of 1 ms has passed by the time the next request is read.
    expect(Date.parse(issued?.expiresAt ?? '')).toBeLessThanOrEqual(Date.now());
    expect((await vrest(sandbox, 'GET', '/openapi/v2/rooms', { token })).body.result_cd).toBe(
      90003,
    );
  });
});

describe('chat rooms (v2)', () => {
  it('lists every room with the documented fields, all strings', async () => {
    const { call, open, paused } = await setup();
    const { status, body } = await call('GET', '/openapi/v2/rooms');
    expect(status).toBe(200);
    expect(body.result_cd).toBe(1);
    expect(body.result_msg).toBe('');
    const list = body.list ?? [];
    expect(list.map((room) => room['roomId'])).toEqual(
      expect.arrayContaining([open.roomId, paused.roomId]),
    );
    for (const room of list) {
      expect(Object.keys(room).sort()).toEqual(ROOM_FIELDS);
      for (const value of Object.values(room)) expect(typeof value).toBe('string');
      expect(room['startDt']).toMatch(/^\d{14}$/);
      expect(room['endDt']).toBe('99991231235959');
    }
    const openRoom = list.find((room) => room['roomId'] === open.roomId);
    expect(openRoom).toMatchObject({ roomStatus: 'active', joinCount: '20', maxUser: '300' });
    expect(list.find((room) => room['roomId'] === paused.roomId)?.['roomStatus']).toBe('pending');
  });

  it('answers a room’s details with its current user count, and 10102 for a room that does not exist', async () => {
    const { call, open } = await setup();
    const detail = await call('GET', `/openapi/v2/rooms/${open.roomId}`);
    expect(detail.body.result_cd).toBe(1);
    expect(Object.keys(detail.body.data ?? {}).sort()).toEqual(
      [...ROOM_FIELDS, 'currentUserCount'].sort(),
    );
    expect(detail.body.data?.['currentUserCount']).toBe('20');
    const missing = await call('GET', '/openapi/v2/rooms/NoSuchRoom');
    expect(missing.status).toBe(200);
    expect(missing.body).toEqual({ result_cd: 10102, result_msg: expect.any(String) as string });
  });

  it('creates a room from a form-encoded body and answers its roomId', async () => {
    const { call } = await setup();
    const created = await call('POST', '/openapi/v2/rooms', {
      ...CREATE_FORM,
      rtcStat: 'Y',
      resolution: '480',
      gApiKey: 'google-key',
    });
    expect(created.body).toEqual({
      result_cd: 1,
      result_msg: '',
      data: { roomId: expect.stringMatching(/^[A-Za-z0-9]{4,}$/) as string },
    });
    const roomId = created.body.data?.['roomId'] as string;
    const detail = (await call('GET', `/openapi/v2/rooms/${roomId}`)).body.data;
    expect(detail).toMatchObject({
      roomName: '테스트 방',
      maxUser: '50',
      roomType: '01',
      webrtcStat: 'Y',
      // "Automatically grant by webrtcStat": the example's option for a room with webRTC.
      webrtc: '91',
      resolution: '480',
      gTransStat: 'N',
      gApiKey: 'google-key',
      template: 'null',
      roomStatus: 'active',
      messageCount: '0',
      joinCount: '0',
      currentUserCount: '0',
      isPossibleDup: 'false',
    });
  });

  it('refuses a create without a required parameter with 10901, and a value outside the documents with 10902', async () => {
    const { call } = await setup();
    for (const missing of Object.keys(CREATE_FORM)) {
      const form: Record<string, string> = { ...CREATE_FORM };
      delete form[missing];
      const answer = await call('POST', '/openapi/v2/rooms', form);
      expect(answer.body.result_cd, missing).toBe(10901);
    }
    const invalid: Array<Record<string, string>> = [
      { roomName: 'x'.repeat(51) },
      { maxUser: 'many' },
      { maxUser: '0' },
      { roomType: '04' },
      { rtcStat: 'yes' },
      { gTransStat: 'maybe' },
      { resolution: '1080' },
      { template: '05' },
      // api-facts §2.4: 10 and 17 are the note page's invalid webRTC options.
      { rtcStat: 'Y', webrtc: '10' },
      { rtcStat: 'Y', webrtc: '17' },
    ];
    for (const change of invalid) {
      const answer = await call('POST', '/openapi/v2/rooms', { ...CREATE_FORM, ...change });
      expect(answer.body.result_cd, JSON.stringify(change)).toBe(10902);
    }
    // 50 characters is within the limit, whatever the script; 25 is a valid option.
    const korean = await call('POST', '/openapi/v2/rooms', {
      ...CREATE_FORM,
      roomName: '가'.repeat(50),
      rtcStat: 'Y',
      webrtc: '25',
    });
    expect(korean.body.result_cd).toBe(1);
    const roomId = korean.body.data?.['roomId'] as string;
    expect((await call('GET', `/openapi/v2/rooms/${roomId}`)).body.data?.['webrtc']).toBe('25');
  });

  it('modifies a room, pausing and resuming it with either spelling of the status, and ends it with E', async () => {
    const { call, open } = await setup();
    const path = `/openapi/v2/rooms/${open.roomId}`;
    const modified = await call('POST', path, {
      roomName: '바뀐 이름',
      roomType: '02',
      maxUser: '10',
      rtcStat: 'Y',
      gTransStat: 'Y',
      roomStatus: 'pending',
    });
    expect(modified.body).toEqual({ result_cd: 1, result_msg: '' });
    expect((await call('GET', path)).body.data).toMatchObject({
      roomName: '바뀐 이름',
      roomType: '02',
      maxUser: '10',
      webrtcStat: 'Y',
      webrtc: '91',
      gTransStat: 'Y',
      roomStatus: 'pending',
    });
    const base = { roomName: 'n', roomType: '01', maxUser: '10', rtcStat: 'N', gTransStat: 'N' };
    await call('POST', path, { ...base, roomStatus: 'A' });
    expect((await call('GET', path)).body.data?.['roomStatus']).toBe('active');
    await call('POST', path, { ...base, roomStatus: 'S' });
    expect((await call('GET', path)).body.data?.['roomStatus']).toBe('pending');
    await call('POST', path, { ...base, roomStatus: 'E' });
    const ended = (await call('GET', path)).body.data;
    expect(Number(ended?.['endDt'])).toBeLessThanOrEqual(Number(koreanCompact(1000)));
    expect((await call('POST', path, { ...base, roomStatus: 'X' })).body.result_cd).toBe(10902);
    expect((await call('POST', path, { roomName: 'n' })).body.result_cd).toBe(10901);
    expect((await call('POST', '/openapi/v2/rooms/NoSuchRoom', base)).body.result_cd).toBe(10102);
  });

  it('destroys a room: it is gone from the list and its details answer 10102', async () => {
    const { call, open } = await setup();
    const path = `/openapi/v2/rooms/${open.roomId}`;
    expect((await call('DELETE', path)).body).toEqual({ result_cd: 1, result_msg: '' });
    expect((await call('GET', path)).body.result_cd).toBe(10102);
    expect((await call('DELETE', path)).body.result_cd).toBe(10102);
    const list = (await call('GET', '/openapi/v2/rooms')).body.list ?? [];
    expect(list.some((room) => room['roomId'] === open.roomId)).toBe(false);
  });
});

describe('users, exile and mute', () => {
  it('lists the users of a room on v1 and v2, userInfo as Map text', async () => {
    const { call, open } = await setup();
    const v1 = await call('GET', `/openapi/v1/users/${open.roomId}`);
    const v2 = await call('GET', `/openapi/v2/users/${open.roomId}`);
    expect(v1.body.result_cd).toBe(1);
    expect(v2.body).toEqual(v1.body);
    const list = v1.body.list ?? [];
    expect(list).toHaveLength(20);
    for (const user of list) {
      expect(user).toEqual({
        roomId: open.roomId,
        clientKey: expect.any(String) as string,
        nickName: expect.any(String) as string,
        grade: 'user',
        userInfo: expect.stringMatching(/^\{profile=\d+, lang=(en|ko)\}$/) as string,
      });
    }
    expect((await call('GET', '/openapi/v1/users/NoSuchRoom')).body.result_cd).toBe(10102);
  });

  it('exiles and lifts an exile, muting and unmuting likewise, each listed while it lasts', async () => {
    const { call, open, api } = await setup();
    const [target] = (await call('GET', `/openapi/v1/users/${open.roomId}`)).body.list ?? [];
    const clientKey = String(target?.['clientKey']);
    const nickName = String(target?.['nickName']);

    expect((await call('POST', `/openapi/v1/mute/${open.roomId}/${clientKey}`)).body).toEqual({
      result_cd: 1,
      result_msg: '',
    });
    const muted = (await call('GET', `/openapi/v1/mute/${open.roomId}`)).body.list;
    expect(muted).toEqual([
      {
        roomId: open.roomId,
        clientKey,
        nickName,
        regDt: expect.stringMatching(/^\d{14}$/) as string,
      },
    ]);
    const users = (await call('GET', `/openapi/v1/users/${open.roomId}`)).body.list ?? [];
    expect(users.find((user) => user['clientKey'] === clientKey)?.['grade']).toBe('userMute');
    await expect(api.say(open.roomId, { clientKey, message: 'hello?' })).rejects.toThrow(
      /409 .*USER_MUTED/,
    );
    expect((await call('PUT', `/openapi/v1/mute/${open.roomId}/${clientKey}`)).body.result_cd).toBe(
      1,
    );
    expect((await call('GET', `/openapi/v1/mute/${open.roomId}`)).body.list).toEqual([]);

    expect(
      (await call('POST', `/openapi/v1/exiles/${open.roomId}/${clientKey}`)).body.result_cd,
    ).toBe(1);
    // Exiling twice is harmless.
    expect(
      (await call('POST', `/openapi/v1/exiles/${open.roomId}/${clientKey}`)).body.result_cd,
    ).toBe(1);
    const exiled = (await call('GET', `/openapi/v1/exiles/${open.roomId}`)).body.list ?? [];
    expect(exiled.map((item) => item['clientKey'])).toEqual([clientKey]);
    // Kicked as well as banned: no longer among the users.
    const after = (await call('GET', `/openapi/v1/users/${open.roomId}`)).body.list ?? [];
    expect(after.some((user) => user['clientKey'] === clientKey)).toBe(false);
    expect((await api.restrictions(open.roomId)).exiled.map((item) => item.clientKey)).toEqual([
      clientKey,
    ]);
    expect(
      (await call('PUT', `/openapi/v1/exiles/${open.roomId}/${clientKey}`)).body.result_cd,
    ).toBe(1);
    expect((await call('GET', `/openapi/v1/exiles/${open.roomId}`)).body.list).toEqual([]);

    for (const path of ['exiles', 'mute']) {
      expect((await call('GET', `/openapi/v1/${path}/NoSuchRoom`)).body.result_cd).toBe(10102);
      expect(
        (await call('POST', `/openapi/v1/${path}/NoSuchRoom/${clientKey}`)).body.result_cd,
      ).toBe(10102);
    }
  });
});

describe('notices and custom messages', () => {
  it('sends a notice of at most 100 characters from a nickname of at most 50', async () => {
    const { call, open, api } = await setup();
    const path = `/openapi/v1/notice/${open.roomId}`;
    expect((await call('POST', path, { nickName: '운영자', notice: '공지입니다' })).body).toEqual({
      result_cd: 1,
      result_msg: '',
    });
    expect(await api.adminMessages(open.roomId)).toEqual([
      expect.objectContaining({ kind: 'notice', nickName: '운영자', message: '공지입니다' }),
    ]);
    expect((await call('POST', path, { nickName: '운영자' })).body.result_cd).toBe(10901);
    expect((await call('POST', path, { notice: 'x' })).body.result_cd).toBe(10901);
    expect(
      (await call('POST', path, { nickName: 'n', notice: 'x'.repeat(101) })).body.result_cd,
    ).toBe(10902);
    expect(
      (await call('POST', path, { nickName: 'n'.repeat(51), notice: 'x' })).body.result_cd,
    ).toBe(10902);
    expect(
      (await call('POST', path, { nickName: 'n', notice: '가'.repeat(100) })).body.result_cd,
    ).toBe(1);
    expect(
      (await call('POST', '/openapi/v1/notice/NoSuchRoom', { nickName: 'n', notice: 'x' })).body
        .result_cd,
    ).toBe(10102);
  });

  it('sends a custom message now, or when its sendDate comes', async () => {
    const { sandbox, call, open, api } = await setup();
    const client = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await client.join({ roomId: open.roomId, clientKey: 'watcher', nickName: 'Watcher' });
    const path = `/openapi/v1/custom/${open.roomId}`;

    expect((await call('POST', path, { message: '{"type":"poll"}' })).body.result_cd).toBe(1);
    expect(bodyOf(await client.push('s2c.notify.custom/'))['message']).toBe('{"type":"poll"}');
    // A sendDate in the past sends at once.
    expect(
      (await call('POST', path, { message: 'late', sendDate: koreanCompact(-60_000) })).body
        .result_cd,
    ).toBe(1);
    expect(bodyOf(await client.push('s2c.notify.custom/'))['message']).toBe('late');

    const sendDate = koreanCompact(2000);
    expect((await call('POST', path, { message: 'reserved', sendDate })).body.result_cd).toBe(1);
    const waiting = (await api.adminMessages(open.roomId)).find((m) => m.message === 'reserved');
    expect(waiting?.sentAt).toBeNull();
    const reserved = await client.push('s2c.notify.custom/');
    expect(bodyOf(reserved)['message']).toBe('reserved');
    expect(Number(bodyOf(reserved)['messageDt'])).toBeGreaterThanOrEqual(Number(sendDate));

    expect((await call('POST', path, {})).body.result_cd).toBe(10901);
    for (const bad of ['2024-01-01 00:00:00', '20241301000000', 'tomorrow']) {
      expect((await call('POST', path, { message: 'x', sendDate: bad })).body.result_cd).toBe(
        10902,
      );
    }
  });
});

describe('everything else', () => {
  it('answers an unknown path with 404 and a wrong method with 405, in the envelope', async () => {
    const { call } = await setup();
    const unknown = await call('GET', '/openapi/v9/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.body.result_cd).toBe(0);
    const wrong = await call('PATCH', '/openapi/v2/rooms');
    expect(wrong.status).toBe(405);
    expect(wrong.body.result_cd).toBe(0);
  });

  it('fails REST calls on request, in the envelope', async () => {
    const { call, api } = await setup();
    await api.faults({ restFailure: { rate: 1, status: 503 } });
    const answer = await call('GET', '/openapi/v2/rooms');
    expect(answer.status).toBe(503);
    expect(answer.body.result_cd).toBe(0);
    await api.faults({ restFailure: { rate: 1, status: 429, retryAfterSeconds: 2 } });
    const limited = await call('GET', '/openapi/v2/rooms');
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    expect(limited.body.result_cd).toBe(0);
  });

  it('answers the web helpers under /api/openapi without credentials', async () => {
    const { sandbox, open } = await setup();
    const post = (path: string, form: Record<string, string>) =>
      vrest(sandbox, 'POST', `/api/openapi/${path}`, { form, headers: {} });
    expect((await post('getChatRoomInfo', { room_id: open.roomId })).body).toEqual({
      result_cd: 1,
      result_msg: '',
      param: { room_nm: open.roomName },
    });
    expect((await post('like', { room_id: open.roomId })).body.like_cnt).toBe(1);
    expect((await post('getLike', { room_id: open.roomId })).body.like_cnt).toBe(1);
    expect((await post('getLike', {})).body.result_cd).toBe(10901);
    expect((await post('getLike', { room_id: 'NoSuchRoom' })).body.result_cd).toBe(10102);
  });
});
