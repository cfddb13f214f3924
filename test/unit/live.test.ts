import { describe, expect, it } from 'vitest';
import { thrownWords } from '../../src/main/errors';
import {
  failureInfo,
  LiveConnection,
  type LiveConnectionHooks,
} from '../../src/main/providers/live';
import type { LiveListener } from '../../src/main/providers/types';
import type { ConnectionState } from '../../src/shared/chat';
import type { ErrorInfo } from '../../src/shared/contract';
import { AppError } from '../../src/shared/errors';
import { FakeClock } from '../support/fakeClock';

type Report =
  | { status: ConnectionState; error?: ErrorInfo; retryAt?: number }
  | { gap: { from: number; to: number } };

const policy = { baseDelayMs: 100, maxDelayMs: 1000 };

/** A lifecycle on a fake clock whose jitter is always the lowest: each wait is half its ceiling. */
function lifecycle(hooks: Partial<LiveConnectionHooks> = {}) {
  const clock = new FakeClock();
  const reports: Report[] = [];
  const listener: Pick<LiveListener, 'status' | 'gap'> = {
    status: (status, detail) => reports.push({ status, ...detail }),
    gap: (from, to) => reports.push({ gap: { from, to } }),
  };
  let attempts = 0;
  const connection = new LiveConnection(
    { listener, clock, random: () => 0, reconnect: policy },
    {
      attempt: () => {
        attempts += 1;
      },
      ...hooks,
    },
  );
  return { clock, reports, connection, attempts: () => attempts };
}

/** A lifecycle whose first connection is open and whose rooms are live. */
function liveLifecycle() {
  const made = lifecycle();
  made.connection.start();
  made.connection.opened();
  made.connection.roomsLive();
  return made;
}

const closed: ErrorInfo = { code: 'NETWORK', message: 'closed' };

describe('LiveConnection', () => {
  it('stays idle until the first room starts it, and starts only once', () => {
    const { connection, reports, attempts } = lifecycle();
    expect(connection.phase).toBe('idle');
    expect(attempts()).toBe(0);

    connection.start();
    connection.start();

    expect(connection.phase).toBe('connecting');
    expect(attempts()).toBe(1);
    expect(reports).toEqual([{ status: 'connecting' }]);
  });

  it('is live once opened, and reports live only when its rooms are', () => {
    const { connection, reports } = lifecycle();
    connection.start();

    connection.opened();
    expect(connection.phase).toBe('live');
    expect(reports).toEqual([{ status: 'connecting' }]);

    connection.roomsLive();
    expect(reports).toEqual([{ status: 'connecting' }, { status: 'live' }]);
  });

  it('waits out a backoff after a failure, then reconnects with the failure shown', () => {
    const { clock, connection, reports, attempts } = lifecycle();
    connection.start();
    const start = clock.now();

    connection.ended(closed);

    expect(connection.phase).toBe('waiting');
    expect(reports.at(-1)).toEqual({ status: 'reconnecting', error: closed, retryAt: start + 50 });
    clock.advance(49);
    expect(attempts()).toBe(1);
    clock.advance(1);
    expect(attempts()).toBe(2);
    expect(connection.phase).toBe('connecting');
    expect(reports.at(-1)).toEqual({ status: 'reconnecting', error: closed });
  });

  it('doubles the wait with each failure in a row up to the longest, and starts over once the rooms are live', () => {
    const { clock, connection, reports } = lifecycle();
    connection.start();
    const waits: number[] = [];
    for (let failure = 0; failure < 6; failure += 1) {
      connection.ended(closed);
      const last = reports.at(-1);
      const retryAt = last && 'retryAt' in last ? (last.retryAt ?? 0) : 0;
      waits.push(retryAt - clock.now());
      clock.advance(retryAt - clock.now());
    }
    expect(waits).toEqual([50, 100, 200, 400, 500, 500]);

    connection.opened();
    connection.roomsLive();
    connection.ended(closed);
    const last = reports.at(-1);
    expect(last && 'retryAt' in last ? last.retryAt : undefined).toBe(clock.now() + 50);
  });

  it('reports the gap from the last frame before the loss to the moment the rooms are live', () => {
    const { clock, connection, reports } = liveLifecycle();
    clock.advance(1000);
    connection.frameArrived();
    const lastFrame = clock.now();
    clock.advance(5000);

    connection.ended(closed);
    clock.advance(50);
    // A frame on an attempt that never opened does not move the start of the gap.
    connection.frameArrived();
    connection.ended(closed);
    clock.advance(100);
    connection.opened();
    clock.advance(7);
    connection.roomsLive();

    expect(reports.at(-1)).toEqual({ gap: { from: lastFrame, to: clock.now() } });
    connection.ended(closed);
    expect(reports.filter((report) => 'gap' in report)).toHaveLength(1);
  });

  it('keeps the start of the gap through sessions that open and end before the rooms are live', () => {
    const { clock, connection, reports } = liveLifecycle();
    clock.advance(1000);
    connection.frameArrived();
    const lastFrame = clock.now();

    connection.ended(closed);
    clock.advance(50);
    connection.opened();
    connection.frameArrived();
    clock.advance(10);
    connection.ended(closed);
    clock.advance(100);
    connection.opened();
    connection.roomsLive();

    expect(reports.at(-1)).toEqual({ gap: { from: lastFrame, to: clock.now() } });
  });

  it('starts the gap when the loss is noticed if no frame came in on the connection', () => {
    const { clock, connection, reports } = liveLifecycle();
    clock.advance(2000);
    const lost = clock.now();

    connection.ended(closed);
    clock.advance(50);
    connection.opened();
    connection.roomsLive();

    expect(reports.at(-1)).toEqual({ gap: { from: lost, to: lost + 50 } });
  });

  it('reports the gap from where the connection it replaces was last alive', () => {
    const replaced = liveLifecycle();
    replaced.clock.advance(1000);
    const aliveUntil = replaced.connection.lastAlive();
    expect(aliveUntil).toBe(replaced.clock.now());

    const clock = new FakeClock(replaced.clock.now() + 300);
    const reports: Report[] = [];
    const connection = new LiveConnection(
      {
        listener: {
          status: (status, detail) => reports.push({ status, ...detail }),
          gap: (from, to) => reports.push({ gap: { from, to } }),
        },
        clock,
        random: () => 0,
        reconnect: policy,
        downSince: aliveUntil ?? undefined,
      },
      { attempt: () => undefined },
    );
    connection.start();
    connection.opened();
    connection.roomsLive();

    expect(reports.at(-1)).toEqual({ gap: { from: aliveUntil, to: clock.now() } });
  });

  it('was last alive nowhere before its rooms were live, and where a loss began after', () => {
    const { clock, connection } = lifecycle();
    connection.start();
    connection.opened();
    expect(connection.lastAlive()).toBeNull();

    connection.roomsLive();
    clock.advance(100);
    connection.frameArrived();
    const lastFrame = clock.now();
    clock.advance(100);
    connection.ended(closed);
    clock.advance(100);

    expect(connection.lastAlive()).toBe(lastFrame);
  });

  it("ends with the attempt's own reason, which the next attempt does not inherit", () => {
    const { clock, connection, reports } = lifecycle();
    connection.start();
    const refused = { code: 'AUTH', message: 'refused' };

    connection.failing(refused);
    connection.ended(closed);
    expect(reports.at(-1)).toMatchObject({ status: 'reconnecting', error: refused });

    clock.advance(50);
    connection.ended(closed);
    expect(reports.at(-1)).toMatchObject({ status: 'reconnecting', error: closed });
  });

  it('shows the state a failure asks for while it waits', () => {
    const { connection, reports } = lifecycle();
    connection.start();
    const bad = { code: 'BAD_CHAT_SERVER', message: 'not wss' };

    connection.retryAfterFailure(bad, 'offline');

    expect(reports.at(-1)).toMatchObject({ status: 'offline', error: bad });
    expect(connection.phase).toBe('waiting');
  });

  it('tells the feed how many failures came in a row', () => {
    const counts: number[] = [];
    const { clock, connection } = lifecycle({ afterFailure: (count) => counts.push(count) });
    connection.start();
    connection.ended(closed);
    clock.advance(50);
    connection.ended(closed);
    clock.advance(100);
    connection.opened();
    connection.roomsLive();
    connection.ended(closed);

    expect(counts).toEqual([1, 2, 1]);
  });

  it('counts on through sessions that open and end before their rooms are live', () => {
    const counts: number[] = [];
    const { clock, connection, reports } = lifecycle({
      afterFailure: (count) => counts.push(count),
    });
    connection.start();
    for (let session = 0; session < 4; session += 1) {
      connection.opened();
      connection.ended(closed);
      const last = reports.at(-1);
      clock.advance((last && 'retryAt' in last ? (last.retryAt ?? 0) : 0) - clock.now());
    }

    expect(counts).toEqual([1, 2, 3, 4]);
    expect(reports.at(-1)).toEqual({ status: 'reconnecting', error: closed });
  });

  it('fails an attempt that throws, keeping the code of an AppError', () => {
    const { connection, reports } = lifecycle({
      attempt: () => {
        throw new AppError('AUTH', 'The token was refused.');
      },
    });

    connection.start();

    expect(connection.phase).toBe('waiting');
    expect(reports.at(-1)).toMatchObject({
      status: 'reconnecting',
      error: { code: 'AUTH', message: 'The token was refused.' },
    });
  });

  it('fails an attempt that rejects as a network failure in its own words', async () => {
    let rejected: Promise<void> = Promise.resolve();
    const { connection, reports } = lifecycle({
      attempt: () => {
        rejected = Promise.reject(new Error('keychain locked'));
        return rejected;
      },
    });

    connection.start();
    await rejected.catch(() => undefined);

    expect(connection.phase).toBe('waiting');
    expect(reports.at(-1)).toMatchObject({
      status: 'reconnecting',
      error: { code: 'NETWORK', message: 'keychain locked' },
    });
  });

  it('tries nothing more once closed, and closes once', () => {
    const { clock, connection, reports, attempts } = lifecycle();
    connection.start();
    connection.ended(closed);
    const reported = reports.length;

    expect(connection.close()).toBe(true);
    expect(connection.close()).toBe(false);
    clock.advance(10_000);
    connection.ended(closed);

    expect(connection.isClosed).toBe(true);
    expect(attempts()).toBe(1);
    expect(reports).toHaveLength(reported);
    expect(clock.pending).toBe(0);
  });
});

describe('failure words', () => {
  it('tells a wrapped error by its cause, and an AppError by its own words', () => {
    const fetchFailed = new TypeError('fetch failed', {
      cause: new Error('connect ECONNREFUSED 127.0.0.1:443'),
    });
    const appError = new AppError('NETWORK', 'The service could not be reached.', {
      cause: fetchFailed,
    });

    expect(thrownWords(fetchFailed)).toBe('connect ECONNREFUSED 127.0.0.1:443');
    expect(thrownWords(appError)).toBe('The service could not be reached.');
    expect(thrownWords(new Error('plain'))).toBe('plain');
    expect(thrownWords('text')).toBe('text');
  });

  it('keeps the code of an AppError and calls anything else a network failure', () => {
    expect(failureInfo(new AppError('TIMEOUT', 'slow'))).toEqual({
      code: 'TIMEOUT',
      message: 'slow',
    });
    expect(failureInfo(new Error('reset'))).toEqual({ code: 'NETWORK', message: 'reset' });
  });
});
