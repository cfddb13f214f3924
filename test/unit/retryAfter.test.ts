/**
 * 429 and `Retry-After` in the retry layer: which calls are tried again, how long each waits, and
 * what the moderator is told when the service asks for longer than ModDeck waits. Fetch and sleep
 * are fakes; the REST clients are the real ones.
 */
import { describe, expect, it } from 'vitest';
import {
  defaultHttpDeps,
  interpretAnswer,
  MAX_RETRY_AFTER_MS,
  parseRetryAfter,
  sendOnce,
  withRetry,
  type HttpDeps,
  type HttpSend,
} from '../../src/main/providers/http';
import { FlipFlopRest } from '../../src/main/providers/flipflop/rest';
import { VChatCloudRest } from '../../src/main/providers/vchatcloud/rest';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { AppError } from '../../src/shared/errors';

const policy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

/** An HTTP sender that answers from a list, then 204, and records every request. */
function fakeSend(answers: Array<{ status: number; retryAfter?: string; body?: string }>) {
  const requests: Array<{ method: string; url: string }> = [];
  const send: HttpSend = ({ method, url }) => {
    requests.push({ method, url });
    const answer = answers.shift() ?? { status: 204 };
    return Promise.resolve({
      status: answer.status,
      text: answer.body ?? '',
      retryAfter: answer.retryAfter ?? null,
    });
  };
  return { send, requests };
}

function deps(send: HttpSend, overrides: Partial<HttpDeps> = {}) {
  const slept: number[] = [];
  const http = defaultHttpDeps({
    send,
    retry: policy,
    random: () => 0,
    now: () => Date.parse('2026-12-07T08:00:00Z'),
    sleep: (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
    ...overrides,
  });
  return { http, slept };
}

function flipflop(http: HttpDeps): FlipFlopRest {
  return new FlipFlopRest({
    baseUrl: 'https://flipflop.example',
    appApiKey: 'key',
    secret: () => Promise.resolve('secret'),
    http,
    redactor: new Redactor(),
    tokenSlot: 'test',
  });
}

const TOO_MANY = {
  status: 429,
  body: '{"errorCode":"TOO_MANY_REQUESTS","errorMessage":"Slow down."}',
};

describe('Retry-After', () => {
  const now = Date.parse('2026-12-07T08:00:00Z');

  it('reads delta-seconds and HTTP dates as a wait from now, and nothing else', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 07 Dec 2026 08:00:05 GMT', now)).toBe(5000);
    // RFC 850 and asctime forms are obsolete but still dates.
    expect(parseRetryAfter('Monday, 07-Dec-26 08:00:03 GMT', now)).toBe(3000);
    // A date already past asks for no wait.
    expect(parseRetryAfter('Mon, 07 Dec 2026 07:59:00 GMT', now)).toBe(0);
    for (const unreadable of ['-1', '1.5', 'soon', '', '2026-12-07T08:00:05Z', '1e3']) {
      expect(parseRetryAfter(unreadable, now), unreadable).toBeUndefined();
    }
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('keeps the header of an answer on the error made from it', async () => {
    const { send } = fakeSend([{ ...TOO_MANY, retryAfter: '3' }]);
    const { http } = deps(send);
    const response = await sendOnce(http, {
      method: 'POST',
      url: 'https://x.example/',
      headers: {},
    });
    expect(response).toMatchObject({ status: 429, retryAfterMs: 3000 });
    const thrown = (() => {
      try {
        return interpretAnswer(response, (status) => {
          throw new AppError('TOO_MANY_REQUESTS', 'Slow down.', { status });
        });
      } catch (error) {
        return error;
      }
    })();
    expect(thrown).toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429, retryAfterMs: 3000 });
  });
});

describe('withRetry and 429', () => {
  const sleeper = () => {
    const slept: number[] = [];
    return {
      slept,
      deps: {
        retry: policy,
        random: () => 0,
        sleep: (ms: number) => {
          slept.push(ms);
          return Promise.resolve();
        },
      },
    };
  };
  const failing = (errors: AppError[]) => {
    let calls = 0;
    return {
      run: () => {
        calls += 1;
        const error = errors.shift();
        return error ? Promise.reject(error) : Promise.resolve('done');
      },
      calls: () => calls,
    };
  };

  it('tries a 429 again after the wait it asked for, and a 5xx without one after the backoff', async () => {
    const { deps: retryDeps, slept } = sleeper();
    const calls = failing([
      new AppError('RATE_LIMITED', 'later', { status: 429, retryAfterMs: 2000 }),
      new AppError('SERVER', 'down', { status: 503 }),
    ]);
    await expect(withRetry(retryDeps, calls.run, { changes: true })).resolves.toBe('done');
    expect(calls.calls()).toBe(3);
    // 2 s as asked (no jitter at random 0), then the second backoff step: 200 ms halved.
    expect(slept).toEqual([2000, 100]);
  });

  it('waits up to a tenth more than asked, so calls refused together come back apart', async () => {
    const { slept, deps: base } = sleeper();
    const calls = failing([
      new AppError('RATE_LIMITED', 'later', { status: 429, retryAfterMs: 1000 }),
    ]);
    await withRetry({ ...base, random: () => 0.999 }, calls.run);
    expect(slept[0]).toBeGreaterThanOrEqual(1000);
    expect(slept[0]).toBeLessThanOrEqual(1100);
  });

  it('backs off as usual on a 429 that names no wait', async () => {
    const { deps: retryDeps, slept } = sleeper();
    const calls = failing([new AppError('RATE_LIMITED', 'later', { status: 429 })]);
    await expect(withRetry(retryDeps, calls.run)).resolves.toBe('done');
    expect(slept).toEqual([50]);
  });

  it('gives up at once when the service asks for longer than the cap, and says how long', async () => {
    const { deps: retryDeps, slept } = sleeper();
    const calls = failing([
      new AppError('RATE_LIMITED', 'The service refused more calls for now (HTTP 429).', {
        status: 429,
        retryAfterMs: MAX_RETRY_AFTER_MS + 1000,
      }),
    ]);
    await expect(withRetry(retryDeps, calls.run, { changes: true })).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      status: 429,
      message:
        'The service refused more calls for now (HTTP 429). The service asked to be called again ' +
        'in 31 s, longer than the 30 s ModDeck waits by itself; try again after that.',
    });
    expect(calls.calls()).toBe(1);
    expect(slept).toEqual([]);
  });

  it('uses one budget of tries for 429s and 5xx alike', async () => {
    const { deps: retryDeps } = sleeper();
    const limited = () => new AppError('RATE_LIMITED', 'later', { status: 429, retryAfterMs: 10 });
    const calls = failing([limited(), limited(), limited(), limited()]);
    await expect(withRetry(retryDeps, calls.run)).rejects.toMatchObject({ status: 429 });
    expect(calls.calls()).toBe(3);
  });
});

describe('the REST clients and 429', () => {
  it('retries an idempotent FlipFlop change after the Retry-After it was given', async () => {
    const { send, requests } = fakeSend([
      { ...TOO_MANY, retryAfter: '1' },
      { status: 503, retryAfter: 'Mon, 07 Dec 2026 08:00:02 GMT' },
    ]);
    const { http, slept } = deps(send);
    const rest = flipflop(http);
    await expect(rest.hideMessage('1001', '7')).resolves.toBeUndefined();
    expect(requests.map((request) => request.method)).toEqual(['POST', 'POST', 'POST']);
    expect(slept).toEqual([1000, 2000]);

    const deletes = fakeSend([{ ...TOO_MANY, retryAfter: '0' }]);
    await flipflop(deps(deletes.send).http).deleteMessage('1001', '7');
    expect(deletes.requests.map((request) => request.method)).toEqual(['DELETE', 'DELETE']);
  });

  it('never retries a broadcast or a direct message, even on a 429 that says when', async () => {
    for (const send of ['broadcast', 'direct'] as const) {
      const fake = fakeSend([{ ...TOO_MANY, retryAfter: '0' }]);
      const { http, slept } = deps(fake.send);
      await expect(
        flipflop(http)[send]('1001', { messageType: 'MESSAGE', message: 'hi', appUserIds: ['u1'] }),
      ).rejects.toMatchObject({ code: 'TOO_MANY_REQUESTS', status: 429 });
      expect(fake.requests).toHaveLength(1);
      expect(slept).toEqual([]);
    }
  });

  it('names a bare 429 in words of its own', async () => {
    const { send } = fakeSend([{ status: 429 }, { status: 429 }, { status: 429 }]);
    await expect(flipflop(deps(send).http).hideMessage('1001', '7')).rejects.toMatchObject({
      code: 'RATE_LIMITED',
      message: 'The service refused more calls for now (HTTP 429).',
    });
  });

  it('retries a VChatCloud change after its Retry-After, and never its notice', async () => {
    const token = '{"result_cd":1,"result_msg":"","data":{"X-AUTH-TOKEN":"t"}}';
    const ok = '{"result_cd":1,"result_msg":""}';
    const limited = {
      status: 429,
      retryAfter: '1',
      body: '{"result_cd":0,"result_msg":"busy"}',
    };
    const build = (send: HttpSend, http: HttpDeps) =>
      new VChatCloudRest({
        baseUrl: 'https://vchatcloud.example',
        apiKey: () => Promise.resolve('api-key'),
        http: { ...http, send },
        redactor: new Redactor(),
        tokenSlot: 'test',
        now: () => 0,
      });
    const mute = fakeSend([{ status: 200, body: token }, limited, { status: 200, body: ok }]);
    const muting = deps(mute.send);
    await build(mute.send, muting.http).mute('room', 'client');
    expect(mute.requests.map((request) => request.method)).toEqual(['GET', 'POST', 'POST']);
    expect(muting.slept).toEqual([1000]);

    const notice = fakeSend([{ status: 200, body: token }, limited]);
    const noticing = deps(notice.send);
    await expect(
      build(notice.send, noticing.http).notice('room', 'Moderator', 'hello'),
    ).rejects.toMatchObject({ status: 429 });
    expect(notice.requests).toHaveLength(2);
    expect(noticing.slept).toEqual([]);
  });
});
