import { describe, expect, it } from 'vitest';
import { EVENT_NAMES, REQUEST_CHANNELS, events, requests } from '../../src/shared/contract';
import { createDispatcher, type HandlerTable } from '../../src/main/dispatch';
import { silentLogger } from '../../src/main/logger';
import { Redactor } from '../../src/main/services/redactor';
import { AppError } from '../../src/shared/errors';
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
