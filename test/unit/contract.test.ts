import { describe, expect, it } from 'vitest';
import {
  EVENT_NAMES,
  REQUEST_CHANNELS,
  events,
  requests,
  type RequestChannel,
} from '../../src/shared/contract';
import { MAX_INPUT_VALUES, createDispatcher, type HandlerTable } from '../../src/main/dispatch';
import { silentLogger } from '../../src/main/logger';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { AppError } from '../../src/shared/errors';
import { SettingsPatch, defaultSettings, type Rule } from '../../src/shared/model';
import { buildTestCore } from '../support/core';
import { useTempDir } from '../support/tempDir';

const flipflopDraft = {
  provider: 'flipflop',
  name: 'Main app',
  baseUrl: 'https://api.flipflop.example',
  appApiKey: 'key-1',
} as const;

function dispatcherWith(overrides: Partial<HandlerTable>, redactor = new Redactor()) {
  const fail = () => {
    throw new Error('not part of this test');
  };
  const handlers = Object.fromEntries(REQUEST_CHANNELS.map((channel) => [channel, fail]));
  return createDispatcher({
    handlers: { ...handlers, ...overrides } as HandlerTable,
    redact: (text) => redactor.redact(text),
    log: silentLogger,
  });
}

describe('the IPC contract', () => {
  it('has a schema for every channel name and every event name, and no others', () => {
    expect(Object.keys(requests).sort()).toEqual([...REQUEST_CHANNELS].sort());
    expect(Object.keys(events).sort()).toEqual([...EVENT_NAMES].sort());
  });

  it('gives every channel a handler in the core', async () => {
    const { core } = await buildTestCore(await useTempDir());
    expect(Object.keys(core.handlers).sort()).toEqual([...REQUEST_CHANNELS].sort());
    for (const channel of REQUEST_CHANNELS) expect(typeof core.handlers[channel]).toBe('function');
  });

  it('answers every no-input channel of the core with a value its output schema accepts', async () => {
    const { core } = await buildTestCore(await useTempDir());
    for (const channel of ['app.info', 'accounts.list', 'settings.get'] as const) {
      const result = await core.dispatch(channel, undefined);
      expect(result.ok, channel).toBe(true);
    }
  });
});

describe('the dispatcher', () => {
  it('refuses a channel that is not in the contract', async () => {
    const dispatch = dispatcherWith({});
    const result = await dispatch('shell.exec', { command: 'rm -rf /' });
    expect(result).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: expect.stringContaining('shell.exec') as string },
    });
  });

  it('describes a channel that is not a string without calling anything on it', async () => {
    const dispatch = dispatcherWith({});
    const hostile = {
      toString: () => {
        throw new Error('called');
      },
      [Symbol.toPrimitive]: () => {
        throw new Error('called');
      },
    };
    for (const [channel, kind] of [
      [hostile, 'an object'],
      [{ toString: 1 }, 'an object'],
      [null, 'null'],
      [undefined, 'nothing'],
      [['app.info'], 'a list'],
      [42, 'a number'],
    ] as const) {
      expect(await dispatch(channel, undefined)).toEqual({
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: `A ModDeck request is named by a string, not by ${kind}.`,
        },
      });
    }
  });

  it('answers INVALID_INPUT with the schema message and never calls the handler', async () => {
    let called = false;
    const dispatch = dispatcherWith({
      'accounts.save': () => {
        called = true;
        throw new Error('unreachable');
      },
    });
    const result = await dispatch('accounts.save', {
      ...flipflopDraft,
      baseUrl: 'http://remote.example',
    });
    expect(called).toBe(false);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('INVALID_INPUT');
      expect(result.error.message).toMatch(/^baseUrl: must be a https:\/\/ URL/);
    }
  });

  it('answers INVALID_INPUT for input given to a channel that takes none', async () => {
    const dispatch = dispatcherWith({ 'accounts.list': () => [] });
    const result = await dispatch('accounts.list', { sneaky: true });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
  });

  it('turns an AppError into the envelope with its code and message', async () => {
    const dispatch = dispatcherWith({
      'accounts.remove': () => {
        throw new AppError('NOT_FOUND', 'There is no such account.');
      },
    });
    expect(await dispatch('accounts.remove', { id: 'acc_1' })).toEqual({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'There is no such account.' },
    });
  });

  it('turns any other thrown value into an INTERNAL envelope instead of rejecting', async () => {
    const dispatch = dispatcherWith({
      'settings.get': () => {
        throw new TypeError('cannot read properties of undefined');
      },
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a non-Error rejection is the case under test
      'accounts.list': () => Promise.reject('a bare string'),
    });
    const typeError = await dispatch('settings.get', undefined);
    expect(typeError.ok).toBe(false);
    if (!typeError.ok) {
      expect(typeError.error.code).toBe('INTERNAL');
      expect(typeError.error.message).toContain('cannot read properties of undefined');
    }
    const bare = await dispatch('accounts.list', undefined);
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.error.message).toContain('a bare string');
  });

  it('never echoes a registered secret, or a credential header, in an error message', async () => {
    const redactor = new Redactor();
    const secret = 'sk_live_5f2a9c7e1b';
    redactor.addBasicCredential('app-key', secret);
    const basic = Buffer.from(`app-key:${secret}`).toString('base64');
    const dispatch = dispatcherWith(
      {
        'accounts.list': () => {
          throw new Error(`login failed for ${secret} (Authorization: Basic ${basic})`);
        },
        'settings.get': () => {
          throw new AppError('AUTH', `The provider refused ${secret}`);
        },
        'app.info': () => {
          throw new Error('upstream said: X-AUTH-TOKEN: tok_abcdef123456 was rejected');
        },
      },
      redactor,
    );
    for (const channel of ['accounts.list', 'settings.get', 'app.info'] as const) {
      const result = await dispatch(channel, undefined);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).not.toContain(secret);
        expect(result.error.message).not.toContain(basic);
        expect(result.error.message).not.toContain('tok_abcdef123456');
        expect(result.error.message).toContain('[redacted]');
      }
    }
  });

  it('masks the secret of an account saved through the core in a later error, before anything reads it back', async () => {
    const { core, redactor } = await buildTestCore(await useTempDir());
    const secret = 'ff-app-secret-3e9b71c4';
    const saved = await core.dispatch('accounts.save', { ...flipflopDraft, secret });
    expect(saved.ok).toBe(true);

    // Nothing has read the secret since (no connection, no REST call): only the save told the
    // redactor about it.
    const dispatch = dispatcherWith(
      {
        'accounts.list': () => {
          throw new Error(`the keychain answered with ${secret} in its message`);
        },
      },
      redactor,
    );
    expect(await dispatch('accounts.list', undefined)).toEqual({
      ok: false,
      error: {
        code: 'INTERNAL',
        message:
          'Something went wrong inside ModDeck: the keychain answered with [redacted] in its message',
      },
    });
  });

  it('strips anything the output schema does not name, so a secret returned by mistake stays in main', async () => {
    const dispatch = dispatcherWith({
      'accounts.list': () =>
        [{ id: 'acc_1', ...flipflopDraft, hasSecret: true, secret: 'hunter2-secret' }] as never,
    });
    const result = await dispatch('accounts.list', undefined);
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('hunter2-secret');
  });

  it('answers INTERNAL when a handler returns something outside the contract', async () => {
    const dispatch = dispatcherWith({ 'settings.get': () => ({ theme: 'neon' }) as never });
    const result = await dispatch('settings.get', undefined);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INTERNAL');
  });
});

/** A valid input for every request channel, with at least one string and one key where it can. */
const VALID_INPUTS: Record<RequestChannel, unknown> = {
  'app.info': undefined,
  'accounts.list': undefined,
  'accounts.save': { ...flipflopDraft, moderator: { appUserId: 'mod-1' }, secret: 'app-secret' },
  'accounts.remove': { id: 'acc_1' },
  'accounts.test': { accountId: 'acc_1' },
  'accounts.testDraft': { ...flipflopDraft, secret: 'app-secret' },
  'settings.get': undefined,
  'settings.set': {
    keymap: { hide: 'h' },
    notifications: { doNotDisturb: false, sound: true, mutedRooms: ['acc_1/1001'] },
    rules: {
      global: [{ id: 'rule-1', pattern: 'spam', kind: 'term' }],
      rooms: { 'acc_1/1001': [{ id: 'rule-2', pattern: 'scam' }] },
    },
  },
  'rooms.list': { accountId: 'acc_1' },
  'rooms.open': { accountId: 'acc_1', roomId: '1001' },
  'rooms.close': { roomKey: 'acc_1/1001' },
  'feed.snapshot': { roomKey: 'acc_1/1001' },
  'messages.hide': { roomKey: 'acc_1/1001', messageId: '1679786302000000001', reason: 'Spam' },
  'messages.unhide': { roomKey: 'acc_1/1001', messageId: '1679786302000000001' },
  'messages.delete': { roomKey: 'acc_1/1001', messageId: '1679786302000000001' },
  'messages.bulk': {
    action: 'delete',
    items: [{ roomKey: 'acc_1/1001', messageId: '1679786302000000001' }],
    reason: 'Raid',
    bulkId: 'raid-1',
  },
  'flagged.markHandled': { roomKey: 'acc_1/1001', id: '1679786302000000001' },
  'admin.broadcast': {
    roomKeys: ['acc_1/1001'],
    messageType: 'COMMAND',
    customType: 'NOTICE',
    message: 'Stream starts soon',
    data: { banner: 'soon', nested: { list: ['a', 'b'] } },
    appUserIds: ['chatter1'],
  },
  'admin.direct': {
    roomKey: 'acc_1/1001',
    messageType: 'DM',
    message: 'Please keep it civil',
    data: { reason: 'civility' },
    appUserIds: ['chatter1'],
  },
  'members.list': { roomKey: 'acc_1/1001', cursor: '20', count: 20 },
  'chatRoom.get': { accountId: 'acc_1', roomId: '1001' },
  'chatRoom.create': { accountId: 'acc_1', roomId: '1001' },
  'chatRoom.close': { accountId: 'acc_1', roomId: '1001' },
  'bannedWords.set': { accountId: 'acc_1', words: ['spam', '도박'] },
  'bannedWords.unset': { accountId: 'acc_1', words: ['spam'] },
  'audit.export': { format: 'csv' },
  'audit.reason': {
    roomKey: 'acc_1/1001',
    messageId: '1679786302000000001',
    action: 'hide',
    reason: 'Spam',
  },
  'history.size': undefined,
  'history.clear': undefined,
  'history.search': {
    query: 'from:chatter1 바보',
    roomKeys: ['acc_1/1001'],
    cursor: '20',
    limit: 20,
  },
  'history.around': { roomKey: 'acc_1/1001', seq: 42, before: 10, after: 100 },
  'history.backtestDetector': {
    rule: { id: 'automod-repeats', kind: 'repeats', params: { count: 4 } },
    hours: 24,
    maxMessages: 1000,
  },
  'history.user': { accountId: 'acc_1', userId: 'chatter1' },
  'history.userMessages': { accountId: 'acc_1', userId: 'chatter1', cursor: '20', limit: 20 },
  'notes.add': { accountId: 'acc_1', userId: 'chatter1', text: 'warned about links' },
  'notes.edit': { id: 3, text: 'warned twice' },
  'notes.delete': { id: 3 },
  'users.mute': { roomKey: 'acc_1/room-1', userId: 'client-1' },
  'users.unmute': { roomKey: 'acc_1/room-1', userId: 'client-1' },
  'users.exile': { roomKey: 'acc_1/room-1', userId: 'client-1' },
  'users.unexile': { roomKey: 'acc_1/room-1', userId: 'client-1' },
  'users.restrictions': { roomKey: 'acc_1/room-1' },
  'admin.custom': {
    roomKey: 'acc_1/room-1',
    message: '{"type":"poll"}',
    sendDate: 1_800_000_000_000,
  },
  'roomAdmin.get': { accountId: 'acc_1', roomId: 'room-1' },
  'roomAdmin.create': {
    accountId: 'acc_1',
    settings: { roomName: 'Launch', maxUser: 100, roomType: '01', rtcStat: 'N', gTransStat: 'N' },
  },
  'roomAdmin.modify': {
    accountId: 'acc_1',
    roomId: 'room-1',
    changes: {
      roomName: 'Launch',
      maxUser: 100,
      roomType: '01',
      rtcStat: 'N',
      gTransStat: 'Y',
      gApiKey: 'google-key',
      roomStatus: 'active',
    },
  },
  'roomAdmin.destroy': { accountId: 'acc_1', roomId: 'room-1' },
  'shield.get': undefined,
  'shield.set': { roomKey: 'acc_1/room-1', on: true },
};

/** One copy of `input` per string in it (values and keys), that string ending in a lone surrogate. */
function withLoneSurrogates(input: unknown): Array<{ where: string; input: unknown }> {
  const copies: Array<{ where: string; input: unknown }> = [];
  const walk = (value: unknown, path: string[], replace: (next: unknown) => unknown): void => {
    if (typeof value === 'string') {
      copies.push({ where: path.join('.'), input: replace(`${value}\uD83D`) });
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    const entries = Object.entries(value);
    const rebuild = (changed: Array<[string, unknown]>): unknown =>
      Array.isArray(value) ? changed.map(([, item]) => item) : Object.fromEntries(changed);
    entries.forEach(([key, item], index) => {
      if (!Array.isArray(value)) {
        const renamed = entries.map((entry, at): [string, unknown] =>
          at === index ? [`${key}\uDE00`, entry[1]] : entry,
        );
        copies.push({
          where: `${[...path, key].join('.')} (key)`,
          input: replace(rebuild(renamed)),
        });
      }
      walk(item, [...path, key], (next) =>
        replace(
          rebuild(
            entries.map((entry, at): [string, unknown] => (at === index ? [key, next] : entry)),
          ),
        ),
      );
    });
  };
  walk(input, [], (next) => next);
  return copies;
}

describe('inputs the handlers cannot take', () => {
  it('has a valid input for every channel, which validation lets through', async () => {
    expect(Object.keys(VALID_INPUTS).sort()).toEqual([...REQUEST_CHANNELS].sort());
    const { core } = await buildTestCore(await useTempDir());
    for (const channel of REQUEST_CHANNELS) {
      const result = await core.dispatch(channel, VALID_INPUTS[channel]);
      expect(result.ok ? 'ok' : result.error.code, channel).not.toBe('INVALID_INPUT');
    }
  });

  it('refuses a lone surrogate in any string of any channel as INVALID_INPUT, never INTERNAL', async () => {
    const { core } = await buildTestCore(await useTempDir());
    let cases = 0;
    for (const channel of REQUEST_CHANNELS) {
      for (const { where, input } of withLoneSurrogates(VALID_INPUTS[channel])) {
        cases += 1;
        const result = await core.dispatch(channel, input);
        expect(result.ok ? 'ok' : result.error.code, `${channel} ${where}`).toBe('INVALID_INPUT');
        if (!result.ok) {
          expect(result.error.message.isWellFormed(), `${channel} ${where}`).toBe(true);
          expect(result.error.message, `${channel} ${where}`).toContain('broken character');
        }
      }
    }
    expect(cases).toBeGreaterThan(100);
  });

  it('names where the broken character is, in words', async () => {
    const { core } = await buildTestCore(await useTempDir());
    expect(
      await core.dispatch('users.mute', { roomKey: 'acc_1/room-1', userId: 'client\uDC00' }),
    ).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message:
          'userId: contains a broken character (half of a UTF-16 surrogate pair), so it cannot be sent as it is.',
      },
    });
  });

  it('names where a broken character is deep inside a value, keys included', async () => {
    const dispatch = dispatcherWith({});
    const data = { outer: [{ fine: 'yes' }, { inner: { 'bad\uD800': 1 } }] };
    for (const [input, where] of [
      [data, 'data.outer.1.inner: a key contains'],
      [{ outer: [{ fine: 'yes\uDC00' }] }, 'data.outer.0.fine: contains'],
    ] as const) {
      const result = await dispatch('admin.broadcast', {
        roomKeys: ['acc_1/1001'],
        messageType: 'COMMAND',
        data: input,
      });
      expect(result.ok ? 'ok' : result.error.message).toMatch(new RegExp(`^${where} a broken`));
    }
  });

  it('refuses an input whose shared objects make millions of paths, before any schema or handler', async () => {
    // Twenty objects, each pointing twice at the next: Electron's IPC keeps the sharing, so the
    // message is small, but a walk of it, or a schema's, reaches the last one 2^20 times.
    let value: unknown = 'leaf';
    for (let level = 0; level < 20; level += 1) value = { a: value, b: value };
    let called = false;
    const dispatch = dispatcherWith({
      'admin.broadcast': () => {
        called = true;
        return { results: [] };
      },
    });
    const result = await dispatch('admin.broadcast', {
      roomKeys: ['acc_1/1001'],
      messageType: 'COMMAND',
      data: { value },
    });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'INVALID_INPUT',
        message: `The request holds more than ${MAX_INPUT_VALUES.toLocaleString('en')} values (one reached by two paths counts twice), far more than any request needs.`,
      },
    });
    expect(called).toBe(false);
  });

  it('lets through the largest word rule lists a save can hold: 10,000 global and four rooms of 10,000', async () => {
    const list = (prefix: string): Rule[] =>
      Array.from({ length: 10_000 }, (_, index) => ({
        id: `${prefix}-${index}`,
        pattern: `word ${index}`,
        kind: 'term',
        wholeWord: true,
      }));
    const rooms = Object.fromEntries(
      [1, 2, 3, 4].map((room) => [`acc_1/room-${room}`, list(`room-${room}`)]),
    );
    let saved: unknown = null;
    const dispatch = dispatcherWith({
      'settings.set': (patch) => {
        saved = patch;
        return defaultSettings();
      },
    });
    const result = await dispatch('settings.set', { rules: { global: list('global'), rooms } });
    expect(result.ok).toBe(true);
    expect(saved).toMatchObject({ rules: { global: { length: 10_000 } } });
  });

  it('refuses a custom message date past the year 9999, or past what a date can hold, and audits nothing', async () => {
    const { core } = await buildTestCore(await useTempDir());
    for (const sendDate of [Date.UTC(10_000, 0, 1), 8.64e15 + 1, Number.MAX_SAFE_INTEGER]) {
      const result = await core.dispatch('admin.custom', {
        roomKey: 'acc_1/room-1',
        message: 'later',
        sendDate,
      });
      expect(result.ok ? 'ok' : result.error.code, String(sendDate)).toBe('INVALID_INPUT');
      if (!result.ok) expect(result.error.message).toContain('sendDate');
    }
    expect((await core.audit.export('jsonl')).content).toBe('');
  });

  it('refuses broadcast data JSON cannot carry instead of failing inside', async () => {
    const { core } = await buildTestCore(await useTempDir());
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic['self'] = cyclic;
    for (const value of [10n, new Map([['a', 1]]), cyclic, Number.NaN]) {
      const result = await core.dispatch('admin.broadcast', {
        roomKeys: ['acc_1/1001'],
        messageType: 'COMMAND',
        data: { value },
      });
      expect(result.ok ? 'ok' : result.error.code).toBe('INVALID_INPUT');
    }
  });
});

describe('reasons for actions', () => {
  const message = { roomKey: 'acc_1/1001', messageId: '1679786302000000001' };
  const user = { roomKey: 'acc_1/room-1', userId: 'client-1' };

  it('takes hide, delete, mute and exile with or without a reason, trimmed', () => {
    for (const channel of ['messages.hide', 'messages.delete'] as const) {
      expect(requests[channel].input.parse(message)).toEqual(message);
      expect(requests[channel].input.parse({ ...message, reason: '  Spam  ' })).toEqual({
        ...message,
        reason: 'Spam',
      });
    }
    for (const channel of ['users.mute', 'users.exile'] as const) {
      expect(requests[channel].input.parse(user)).toEqual(user);
      expect(requests[channel].input.parse({ ...user, reason: '욕설' })).toEqual({
        ...user,
        reason: '욕설',
      });
    }
  });

  it('refuses a reason over 200 characters, or an empty one, on every channel that takes one', async () => {
    const { core } = await buildTestCore(await useTempDir());
    const long = 'x'.repeat(201);
    const inputs: Array<[RequestChannel, unknown]> = [
      ['messages.hide', { ...message, reason: long }],
      ['messages.delete', { ...message, reason: long }],
      ['messages.bulk', { action: 'hide', items: [message], reason: long }],
      ['users.mute', { ...user, reason: long }],
      ['users.exile', { ...user, reason: long }],
      ['audit.reason', { ...message, action: 'hide', reason: long }],
      ['messages.hide', { ...message, reason: '   ' }],
    ];
    for (const [channel, input] of inputs) {
      const result = await core.dispatch(channel, input);
      expect(result.ok ? 'ok' : result.error.code, channel).toBe('INVALID_INPUT');
    }
    expect(
      requests['messages.hide'].input.safeParse({ ...message, reason: 'x'.repeat(200) }).success,
    ).toBe(true);
    expect((await core.audit.export('jsonl')).content).toBe('');
  });

  it('asks a reason given afterwards for the message of a hide or delete, the user of a mute or exile', () => {
    const input = requests['audit.reason'].input;
    expect(input.safeParse({ roomKey: 'acc_1/1001', action: 'hide', reason: 'Spam' }).success).toBe(
      false,
    );
    expect(input.safeParse({ ...message, action: 'mute', reason: 'Spam' }).success).toBe(false);
    expect(input.safeParse({ ...user, action: 'exile', reason: 'Spam' }).success).toBe(true);
    expect(input.safeParse({ ...user, action: 'unmute', reason: 'Spam' }).success).toBe(false);
  });

  it('takes up to nine reason templates in the settings, or none for the defaults', () => {
    expect(SettingsPatch.safeParse({ reasonTemplates: null }).success).toBe(true);
    expect(SettingsPatch.safeParse({ reasonTemplates: ['Spam', '광고'] }).success).toBe(true);
    expect(SettingsPatch.safeParse({ reasonTemplates: Array(10).fill('Spam') }).success).toBe(
      false,
    );
    expect(SettingsPatch.safeParse({ reasonTemplates: ['x'.repeat(201)] }).success).toBe(false);
  });
});
