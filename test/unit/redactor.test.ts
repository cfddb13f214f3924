import { describe, expect, it, onTestFinished } from 'vitest';
import { createLogger } from '../../src/main/logger';
import { maskSecretsInEvent, Redactor } from '../../src/main/services/accounts/redactor';
import type { ChatEvent, FeedBatch, RoomStatus } from '../../src/shared/chat';
import { buildTestCore } from '../support/core';
import { useTempDir } from '../support/tempDir';

const SECRET = 'sk_live_5f2a9c7e1b';

function chat(fields: Partial<ChatEvent> = {}): ChatEvent {
  return {
    roomKey: 'acc/1',
    id: 'm1',
    messageId: 'm1',
    kind: 'message',
    user: { id: 'u1', name: 'Mina' },
    text: 'hello',
    createdAt: 0,
    receivedAt: 0,
    state: 'visible',
    flags: [],
    ...fields,
  };
}

describe('masking secrets in chat', () => {
  it('masks the registered secrets and nothing a chatter wrote that only looks like one', () => {
    const redactor = new Redactor();
    redactor.addBasicCredential('app-key', SECRET);
    expect(redactor.maskSecrets(`the key is ${SECRET}!`)).toBe('the key is [redacted]!');
    expect(redactor.maskSecrets('my password: hunter22')).toBe('my password: hunter22');
    expect(redactor.redact('my password: hunter22')).toBe('my password: [redacted]');
    expect(new Redactor().maskSecrets(`nothing registered ${SECRET}`)).toContain(SECRET);
  });

  it('masks every text an event carries, and leaves what has nothing to mask as it was', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const clean = { grade: 'user', userInfo: { tags: ['a', 'b'] } };
    const event = chat({
      text: `say ${SECRET}`,
      user: { id: SECRET, name: `${SECRET} fan`, avatar: `https://x.example/${SECRET}.png` },
      customType: SECRET,
      receivers: ['u2', SECRET],
      data: { clean, deep: { [SECRET]: [1, `x${SECRET}x`] } },
    });
    maskSecretsInEvent(event, redactor);
    expect(JSON.stringify(event)).not.toContain(SECRET);
    expect(event).toMatchObject({
      text: 'say [redacted]',
      user: {
        id: '[redacted]',
        name: '[redacted] fan',
        avatar: 'https://x.example/[redacted].png',
      },
      customType: '[redacted]',
      receivers: ['u2', '[redacted]'],
      data: { deep: { '[redacted]': [1, 'x[redacted]x'] } },
    });
    expect((event.data as { clean: unknown }).clean).toBe(clean);

    const untouched = chat({ data: clean });
    const user = untouched.user;
    maskSecretsInEvent(untouched, redactor);
    expect(untouched.data).toBe(clean);
    expect(untouched.user).toBe(user);
  });
});

describe('masking the data a chat event carries', () => {
  it('copies only what changed, keeping members in order and a member named __proto__ a member', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const data = JSON.parse(
      `{"first":"plain","__proto__":"${SECRET}","list":["a","${SECRET}"],"last":{"deep":"ok"}}`,
    ) as Record<string, unknown>;
    const event = chat({ data });
    maskSecretsInEvent(event, redactor);
    const masked = event.data as Record<string, unknown>;
    expect(masked).not.toBe(data);
    expect(Object.getPrototypeOf(masked)).toBe(Object.prototype);
    expect(Object.keys(masked)).toEqual(['first', '__proto__', 'list', 'last']);
    expect(Object.getOwnPropertyDescriptor(masked, '__proto__')?.value).toBe('[redacted]');
    expect(masked['list']).toEqual(['a', '[redacted]']);
    expect(masked['last']).toBe(data['last']);
    // What it was given is left as it was.
    expect(Object.getOwnPropertyDescriptor(data, '__proto__')?.value).toBe(SECRET);
  });
});

describe('tokens issued again and again', () => {
  it('keeps the two newest of each slot masked and the number of masked texts bounded', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    const tokens = Array.from({ length: 1000 }, (_, index) => `token/${index}=`);
    for (const token of tokens) redactor.rotate('acc_1/chat-token', token);
    redactor.rotate('acc_2/chat-token', 'other-account-token');
    // The secret, the two newest tokens and their URL-encoded forms, the other account's token.
    expect(redactor.size).toBe(1 + 2 * 2 + 1);
    for (const kept of [SECRET, 'token/999=', 'token/998=', 'other-account-token']) {
      expect(redactor.maskSecrets(`a ${kept} b`), kept).toBe('a [redacted] b');
      expect(redactor.redact(`a ${encodeURIComponent(kept)} b`), kept).toBe('a [redacted] b');
    }
    expect(redactor.maskSecrets('a token/997= b')).toBe('a token/997= b');

    // The newest given again changes nothing; an older one given again is the newest once more.
    redactor.rotate('acc_1/chat-token', 'token/999=');
    redactor.rotate('acc_1/chat-token', 'token/998=');
    expect(redactor.maskSecrets('token/999= token/998=')).toBe('[redacted] [redacted]');
    expect(redactor.size).toBe(6);
  });
});

describe('a lent redactor', () => {
  it('masks what it and its lender hold, both ways, until it is given back', () => {
    const redactor = new Redactor();
    redactor.add(SECRET);
    expect(redactor.maskSecrets('tried-secret')).toBe('tried-secret');
    const trial = redactor.lend();
    trial.add('tried-secret');
    trial.rotate('test/chat-token', 'tried-token');
    expect(trial.maskSecrets(`${SECRET} tried-secret`)).toBe('[redacted] [redacted]');
    expect(redactor.maskSecrets('tried-secret tried-token')).toBe('[redacted] [redacted]');
    // A secret the lender learns meanwhile is masked by the trial too.
    redactor.add('saved-later');
    expect(trial.redact('saved-later')).toBe('[redacted]');

    redactor.giveBack(trial);
    expect(redactor.maskSecrets('tried-secret tried-token')).toBe('tried-secret tried-token');
    expect(redactor.maskSecrets(SECRET)).toBe('[redacted]');
  });
});

describe('the log', () => {
  it('writes lines that parse, with a secret holding a quote and a quoted credential masked', () => {
    const redactor = new Redactor();
    redactor.add('quo"te\\secret');
    const lines: string[] = [];
    const log = createLogger((line) => lines.push(line), redactor);
    log.warn('refused', {
      reason: 'the service said: quo"te\\secret is not valid',
      said: 'my password="hunter2" lol',
      nested: { list: ['quo"te\\secret'] },
      token: 'a-token-by-its-name',
    });
    const line = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(line).toMatchObject({
      level: 'warn',
      message: 'refused',
      reason: 'the service said: [redacted] is not valid',
      said: 'my password="[redacted]" lol',
      nested: { list: ['[redacted]'] },
      token: '[redacted]',
    });
  });
});

describe('events leaving the core', () => {
  it('carry a service’s error text redacted, whoever emits them', async () => {
    const { core, redactor } = await buildTestCore(await useTempDir());
    onTestFinished(() => core.dispose());
    redactor.addBasicCredential('app-key', SECRET);
    const heard: Array<{ event: string; payload: unknown }> = [];
    core.events.subscribe((event, payload) => heard.push({ event, payload }));
    const status: RoomStatus = {
      roomKey: 'acc/1',
      state: 'reconnecting',
      error: { code: `E_${SECRET}`, message: `refused ${SECRET}; Authorization: Basic abc` },
    };
    core.events.emit('feed.status', { statuses: [status, { roomKey: 'acc/2', state: 'live' }] });
    const batch: FeedBatch = { events: [chat()], updates: [], stats: [] };
    core.events.emit('feed.batch', batch);

    expect(heard[0]?.payload).toEqual({
      statuses: [
        {
          roomKey: 'acc/1',
          state: 'reconnecting',
          error: {
            code: 'E_[redacted]',
            message: 'refused [redacted]; Authorization: [redacted]',
          },
        },
        { roomKey: 'acc/2', state: 'live' },
      ],
    });
    // Batches were masked where their events were read; the bus passes them as they are.
    expect(heard[1]?.payload).toBe(batch);
  });

  it('log a listener that failed by the error’s name only, never by words that may quote chat', async () => {
    const redactor = new Redactor();
    const lines: string[] = [];
    const { core } = await buildTestCore(await useTempDir(), {
      redactor,
      log: createLogger((line) => lines.push(line), redactor),
    });
    onTestFinished(() => core.dispose());
    core.events.subscribe(() => {
      // What JSON.stringify says of a cycle: the keys around it, which a chatter chose.
      throw new TypeError(
        "Converting circular structure to JSON --> starting at object with constructor 'Object' --- property 'meet me at the back door' closes the circle",
      );
    });
    core.events.subscribe(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- what a listener may throw
      throw 'a thrown string: meet me at the back door';
    });
    core.events.emit('feed.gap', { roomKey: 'acc/1', from: 1, to: 2 });
    const failures = lines
      .map((line) => JSON.parse(line) as { message: string; event?: string; error?: string })
      .filter((line) => line.message === 'an event listener failed');
    expect(failures.map(({ event, error }) => ({ event, error }))).toEqual([
      { event: 'feed.gap', error: 'TypeError' },
      { event: 'feed.gap', error: 'string' },
    ]);
    expect(lines.join('\n')).not.toContain('back door');
  });
});
