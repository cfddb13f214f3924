import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, onTestFinished } from 'vitest';
import { backoffDelay } from '../../src/main/providers/backoff';
import {
  defaultHttpDeps,
  failedBeforeSending,
  mayHaveReached,
  sendOnce,
  withRetry,
} from '../../src/main/providers/http';
import { AppError } from '../../src/shared/errors';

const policy = { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 };

function attempts(errors: AppError[]) {
  let calls = 0;
  const run = () => {
    calls += 1;
    const error = errors.shift();
    return error ? Promise.reject(error) : Promise.resolve('done');
  };
  return { run, calls: () => calls };
}

describe('withRetry', () => {
  const deps = { retry: policy, random: () => 0.5, sleep: () => Promise.resolve() };

  it('retries network errors, timeouts and 5xx, up to three tries', async () => {
    const flaky = attempts([
      new AppError('NETWORK', 'reset'),
      new AppError('SERVER', 'down', { status: 503 }),
    ]);
    await expect(withRetry(deps, flaky.run)).resolves.toBe('done');
    expect(flaky.calls()).toBe(3);

    const broken = attempts([
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'slow'),
    ]);
    await expect(withRetry(deps, broken.run)).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(broken.calls()).toBe(3);
  });

  it('never retries a 4xx answer', async () => {
    const missing = attempts([
      new AppError('CHAT_ROOM_MESSAGE_NOT_FOUND', 'gone', { status: 404 }),
    ]);
    await expect(withRetry(deps, missing.run)).rejects.toMatchObject({
      code: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
    expect(missing.calls()).toBe(1);
  });

  it('tries a change once more after a failure that may have reached the service, then says the outcome is unknown', async () => {
    const unanswered = attempts([
      new AppError('TIMEOUT', 'The service did not answer within 10 s.'),
      new AppError('TIMEOUT', 'The service did not answer within 10 s.'),
    ]);
    await expect(withRetry(deps, unanswered.run, { changes: true })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
      message:
        'The service did not answer within 10 s. Whether it took effect is not known; trying it again is safe.',
    });
    expect(unanswered.calls()).toBe(2);

    // A retry that the service fails, or that never leaves, settles nothing either.
    const thenDown = attempts([
      new AppError('NETWORK', 'reset'),
      new AppError('SERVER', 'down', { status: 503 }),
    ]);
    await expect(withRetry(deps, thenDown.run, { changes: true })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
    expect(thenDown.calls()).toBe(2);

    // A definite answer to the retry stands.
    const thenGone = attempts([
      new AppError('TIMEOUT', 'slow'),
      new AppError('CHAT_ROOM_MESSAGE_NOT_FOUND', 'gone', { status: 404 }),
    ]);
    await expect(withRetry(deps, thenGone.run, { changes: true })).rejects.toMatchObject({
      code: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
  });

  it('keeps a change that never left a failure, with every try the policy allows', async () => {
    const refused = () => failedBeforeSending(new AppError('NETWORK', 'refused'));
    const unreachable = attempts([refused(), refused(), refused()]);
    await expect(withRetry(deps, unreachable.run, { changes: true })).rejects.toMatchObject({
      code: 'NETWORK',
    });
    expect(unreachable.calls()).toBe(3);

    const late = attempts([
      refused(),
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'x'),
    ]);
    await expect(withRetry(deps, late.run, { changes: true })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
    expect(late.calls()).toBe(3);
  });

  it('tries a change once more when the policy’s last try may have reached the service', async () => {
    const refused = () => failedBeforeSending(new AppError('NETWORK', 'refused'));
    const settled = attempts([refused(), refused(), new AppError('TIMEOUT', 'slow')]);
    await expect(withRetry(deps, settled.run, { changes: true })).resolves.toBe('done');
    expect(settled.calls()).toBe(4);

    const unsettled = attempts([
      refused(),
      refused(),
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'slow'),
      new AppError('TIMEOUT', 'slow'),
    ]);
    await expect(withRetry(deps, unsettled.run, { changes: true })).rejects.toMatchObject({
      code: 'OUTCOME_UNKNOWN',
    });
    expect(unsettled.calls()).toBe(4);
  });

  it('tells the try after an unknown one so, for answers that mean it was done', async () => {
    const seen: boolean[] = [];
    let calls = 0;
    const value = await withRetry(
      deps,
      ({ afterUnknown }) => {
        seen.push(afterUnknown);
        calls += 1;
        return calls === 1
          ? Promise.reject(new AppError('TIMEOUT', 'slow'))
          : Promise.resolve('done');
      },
      { changes: true },
    );
    expect(value).toBe('done');
    expect(seen).toEqual([false, true]);
  });

  it('waits longer after each failure, with jitter, up to the cap', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1000);
  });
});

describe('what a failed request may have done', () => {
  it('counts a refused connection as never sent, and a connection dropped after the request as maybe done', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const closedPort = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const dropping = createServer((request) => request.socket.destroy());
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => dropping.close(() => resolve())));
    const droppingPort = (dropping.address() as AddressInfo).port;

    const http = defaultHttpDeps({ timeoutMs: 5000 });
    const failure = (port: number) =>
      sendOnce(http, { method: 'POST', url: `http://127.0.0.1:${port}/hide`, headers: {} }).then(
        () => null,
        (error: unknown) => error,
      );
    const refused = await failure(closedPort);
    expect(refused).toMatchObject({ code: 'NETWORK' });
    expect(mayHaveReached(refused)).toBe(false);
    const dropped = await failure(droppingPort);
    expect(dropped).toMatchObject({ code: 'NETWORK' });
    expect(mayHaveReached(dropped)).toBe(true);
    expect(mayHaveReached(new AppError('TIMEOUT', 'slow'))).toBe(true);
    expect(mayHaveReached(new AppError('SERVER', 'gateway', { status: 504 }))).toBe(true);
    expect(mayHaveReached(new AppError('SERVER', 'down', { status: 503 }))).toBe(false);
  });
});
