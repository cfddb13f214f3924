/**
 * `messages.bulk` through the real core and the real FlipFlop client, over a fetch that holds each
 * request until the test answers it: what input is refused and how, how many calls are in flight
 * per account, what each message's result says, and that each message is audited once.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { BulkItemResult } from '../../src/shared/contract';
import { MAX_BULK_ITEMS } from '../../src/shared/contract';
import type { HttpAnswer, HttpSend } from '../../src/main/providers/http';
import { BULK_CALLS_PER_ACCOUNT } from '../../src/main/services/moderation';
import { buildTestCore, call, valueOf } from '../support/core';
import { useTempDir } from '../support/tempDir';

interface HeldRequest {
  method: string;
  url: string;
  account: string;
  messageId: string;
  answer: (status: number, body?: unknown, headers?: Record<string, string>) => void;
  fail: (error: Error) => void;
}

/** An HTTP sender that keeps every request until `answer` or `fail` is called for it. */
function holdingSend() {
  const held: HeldRequest[] = [];
  const inFlight = new Map<string, number>();
  const most = new Map<string, number>();
  const waiters: Array<() => void> = [];
  const send: HttpSend = ({ url, method }) => {
    const account = new URL(url).hostname;
    const messageId = /\/messages\/([^/]+)/.exec(url)?.[1] ?? '';
    const now = (inFlight.get(account) ?? 0) + 1;
    inFlight.set(account, now);
    most.set(account, Math.max(most.get(account) ?? 0, now));
    return new Promise<HttpAnswer>((resolve, reject) => {
      const settle = () => inFlight.set(account, (inFlight.get(account) ?? 1) - 1);
      held.push({
        method,
        url,
        account,
        messageId,
        answer: (status, body, headers = {}) => {
          settle();
          resolve({
            status,
            text: body === undefined ? '' : JSON.stringify(body),
            retryAfter: headers['Retry-After'] ?? null,
          });
        },
        fail: (error) => {
          settle();
          reject(error);
        },
      });
      for (const waiter of waiters.splice(0)) waiter();
    });
  };
  /** Resolves once `count` requests wait unanswered. */
  const waiting = async (count: number): Promise<HeldRequest[]> => {
    while (held.length < count) await new Promise<void>((resolve) => waiters.push(resolve));
    return held.splice(0, count);
  };
  return {
    send,
    waiting,
    held,
    most: (account: string) => most.get(account) ?? 0,
  };
}

async function setup() {
  const fake = holdingSend();
  const { core } = await buildTestCore(await useTempDir(), {
    http: { send: fake.send, sleep: () => Promise.resolve(), random: () => 0 },
  });
  onTestFinished(() => core.dispose());
  const account = async (host: string) =>
    (
      await core.accounts.save({
        provider: 'flipflop',
        name: host,
        baseUrl: `https://${host}`,
        appApiKey: 'key',
        moderator: { appUserId: 'moderator' },
        secret: 'secret',
      })
    ).id;
  const live: BulkItemResult[] = [];
  core.events.subscribe((event, payload) => {
    if (event === 'moderation.result') live.push(payload as BulkItemResult);
  });
  const auditLines = async () =>
    (await core.audit.export('jsonl')).content
      .trim()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Record<string, string>);
  return { core, fake, account, live, auditLines };
}

/** Answers every request as it comes, one at a time, until the run answers. */
async function drain(
  fake: ReturnType<typeof holdingSend>,
  run: Promise<unknown>,
  respond: (request: HeldRequest) => void,
): Promise<void> {
  let settled = false;
  void run.finally(() => (settled = true));
  const done = run.then(() => []);
  while (!settled) {
    const [request] = await Promise.race([fake.waiting(1), done]);
    if (request) respond(request);
  }
}

const ids = (count: number, from = 1) =>
  Array.from({ length: count }, (_, index) => String(from + index));

describe('messages.bulk input', () => {
  it('refuses what it cannot do with a sentence naming the field', async () => {
    const { core } = await buildTestCore(await useTempDir());
    onTestFinished(() => core.dispose());
    const item = { roomKey: 'acc_1/1001', messageId: '5' };
    const cases: Array<[unknown, string]> = [
      [{ action: 'delete', items: [] }, 'items: name at least one message'],
      [
        { action: 'delete', items: Array(MAX_BULK_ITEMS + 1).fill(item) },
        'items: name at most 1,000 messages at once',
      ],
      [
        { action: 'ban', items: [item] },
        'action: Invalid option: expected one of "hide"|"unhide"|"delete"',
      ],
      [{ action: 'unhide', items: [item], reason: 'Spam' }, 'reason: unhide takes no reason'],
      [
        { action: 'hide', items: [{ roomKey: 'no-slash', messageId: '5' }] },
        'items.0.roomKey: a room key is "accountId/roomId"',
      ],
      [{ action: 'hide', items: [{ roomKey: 'acc_1/1001' }] }, 'items.0.messageId:'],
      [{ action: 'hide', items: [item], reason: ' ' }, 'reason:'],
      [{ action: 'hide', items: [item], bulkId: 'a b' }, 'bulkId: a bulk id is 1 to 64 letters'],
      [{ action: 'hide', items: [item], reasons: 'Spam' }, 'Unrecognized key: "reasons"'],
      [{ action: 'hide', items: item }, 'items: Invalid input: expected array'],
    ];
    for (const [input, words] of cases) {
      const result = await call(core, 'messages.bulk', input);
      expect(result.ok, JSON.stringify(input).slice(0, 80)).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('INVALID_INPUT');
        expect(result.error.message).toContain(words);
      }
    }
    // Nothing was acted on, so nothing was audited.
    expect((await core.audit.export('jsonl')).content).toBe('');
  });
});

describe('messages.bulk', () => {
  it(`keeps at most ${BULK_CALLS_PER_ACCOUNT} calls in flight per account, and tells each result as it settles`, async () => {
    const { core, fake, account, live } = await setup();
    const first = await account('one.example');
    const second = await account('two.example');
    const items = [
      ...ids(30).map((messageId) => ({ roomKey: `${first}/1001`, messageId })),
      ...ids(10).map((messageId) => ({ roomKey: `${second}/2002`, messageId })),
    ];
    const answer = call(core, 'messages.bulk', { action: 'delete', items, bulkId: 'raid-1' });
    let answered = false;
    void answer.finally(() => (answered = true));

    // Each account's first calls wait together; the second account is not held up by the first.
    const batch = await fake.waiting(2 * BULK_CALLS_PER_ACCOUNT);
    expect(new Set(batch.map((request) => request.account))).toEqual(
      new Set(['one.example', 'two.example']),
    );
    // Answered one at a time, each answer lets exactly one more call go.
    batch[0]?.answer(204);
    const next = await fake.waiting(1);
    expect(next[0]?.account).toBe(batch[0]?.account);
    await expect.poll(() => live.length).toBe(1);
    expect(live[0]).toMatchObject({
      bulkId: 'raid-1',
      outcome: 'done',
      ok: true,
      state: 'deleted',
    });
    expect(answered).toBe(false);
    for (const request of [...batch.slice(1), ...next]) request.answer(204);
    await drain(fake, answer, (request) => request.answer(204));
    const results = valueOf(await answer).results;
    expect(fake.most('one.example')).toBe(BULK_CALLS_PER_ACCOUNT);
    expect(fake.most('two.example')).toBe(BULK_CALLS_PER_ACCOUNT);
    expect(results.map((result) => `${result.roomKey}/${result.messageId}`)).toEqual(
      items.map((item) => `${item.roomKey}/${item.messageId}`),
    );
    expect(live).toHaveLength(items.length);
    expect(results.every((result) => result.outcome === 'done')).toBe(true);
  });

  it('keeps the bound per account when two runs go at once', async () => {
    const { core, fake, account } = await setup();
    const roomKey = `${await account('one.example')}/1001`;
    const run = (from: number) =>
      call(core, 'messages.bulk', {
        action: 'hide',
        items: ids(12, from).map((messageId) => ({ roomKey, messageId })),
      });
    const both = Promise.all([run(1), run(100)]);
    await fake.waiting(BULK_CALLS_PER_ACCOUNT).then((first) => {
      for (const request of first) request.answer(204);
    });
    await drain(fake, both, (request) => request.answer(204));
    const [first, second] = await both;
    expect(valueOf(first).results).toHaveLength(12);
    expect(valueOf(second).results).toHaveLength(12);
    expect(fake.most('one.example')).toBe(BULK_CALLS_PER_ACCOUNT);
  });

  it('acts on a message named twice once, and tells gone, failed and unknown apart, each audited once', async () => {
    const { core, fake, account, live, auditLines } = await setup();
    const accountId = await account('one.example');
    const roomKey = `${accountId}/1001`;
    const named = ['1', '2', '1', '3', '4', '5', '2'].map((messageId) => ({ roomKey, messageId }));
    const answer = call(core, 'messages.bulk', { action: 'hide', items: named, reason: 'Raid' });

    const reset = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
    });
    const tries = new Map<string, number>();
    // Answers by message: 1 done after a 429 that says when; 2 gone; 3 refused; 4 unanswered
    // twice; 5 done after a 503.
    const answerOf = (request: HeldRequest) => {
      const tried = (tries.get(request.messageId) ?? 0) + 1;
      tries.set(request.messageId, tried);
      if (request.messageId === '1' && tried === 1)
        return request.answer(429, { errorCode: 'TOO_MANY_REQUESTS' }, { 'Retry-After': '0' });
      if (request.messageId === '2')
        return request.answer(404, { errorCode: 'CHAT_ROOM_MESSAGE_NOT_FOUND' });
      if (request.messageId === '3')
        return request.answer(400, { errorCode: 'INVALID_PARAMETER', errorMessage: 'No.' });
      if (request.messageId === '4') return request.fail(reset);
      if (request.messageId === '5' && tried === 1) return request.answer(503);
      return request.answer(204);
    };
    await drain(fake, answer, answerOf);
    const { results } = valueOf(await answer);
    expect(results.map((result) => [result.messageId, result.outcome, result.ok])).toEqual([
      ['1', 'done', true],
      ['2', 'gone', true],
      ['3', 'failed', false],
      ['4', 'unknown', false],
      ['5', 'done', true],
    ]);
    expect(results[1]).toMatchObject({ state: 'deleted' });
    expect(results[1]?.error).toBeUndefined();
    expect(results[2]?.error).toEqual({ code: 'INVALID_PARAMETER', message: 'No.' });
    expect(results[3]?.error?.code).toBe('OUTCOME_UNKNOWN');
    expect(Object.fromEntries(tries)).toEqual({ '1': 2, '2': 1, '3': 1, '4': 2, '5': 2 });
    expect([...live].sort((a, b) => a.messageId.localeCompare(b.messageId))).toEqual(results);
    const lines = await auditLines();
    expect(lines.map((line) => [line['messageId'], line['action'], line['result']]).sort()).toEqual(
      [
        ['1', 'hide', 'ok'],
        ['2', 'hide', 'CHAT_ROOM_MESSAGE_NOT_FOUND'],
        ['3', 'hide', 'INVALID_PARAMETER'],
        ['4', 'hide', 'unknown'],
        ['5', 'hide', 'ok'],
      ],
    );
    expect(lines.every((line) => line['reason'] === 'Raid')).toBe(true);
  });

  it('reports a gone message as not ok for unhide, which cannot show it again', async () => {
    const { core, fake, account } = await setup();
    const roomKey = `${await account('one.example')}/1001`;
    const answer = call(core, 'messages.bulk', {
      action: 'unhide',
      items: [{ roomKey, messageId: '9' }],
    });
    (await fake.waiting(1))[0]?.answer(404, { errorCode: 'CHAT_ROOM_MESSAGE_NOT_FOUND' });
    expect(valueOf(await answer).results).toEqual([
      expect.objectContaining({ outcome: 'gone', ok: false, state: 'deleted' }),
    ]);
  });

  it('fails a message of an unknown account on its own, not the run', async () => {
    const { core, fake, account } = await setup();
    const roomKey = `${await account('one.example')}/1001`;
    const answer = call(core, 'messages.bulk', {
      action: 'delete',
      items: [
        { roomKey: 'acc_missing/1', messageId: '1' },
        { roomKey, messageId: '2' },
      ],
    });
    (await fake.waiting(1))[0]?.answer(204);
    const [missing, done] = valueOf(await answer).results;
    expect(missing).toMatchObject({ outcome: 'failed', ok: false, error: { code: 'NOT_FOUND' } });
    expect(done).toMatchObject({ outcome: 'done', ok: true });
  });
});
