import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetry } from '../../src/main/providers/http';
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

  it('waits longer after each failure, with jitter, up to the cap', () => {
    expect(backoffDelay(policy, 1, () => 0)).toBe(50);
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 0.5)).toBe(300);
    expect(backoffDelay(policy, 10, () => 1)).toBe(1000);
  });
});
