/**
 * The hold queue's pace: hides start in arrival order, at most the account's limit at once, rooms
 * taking turns, and a room whose hides fell behind has its newest go first; a hide's place is free as soon as the service answered, while its audit line is still being
 * written (and that line is written once); the limit grows while hides wait and answers come fast,
 * halves on a 429 or a 5xx and shrinks as answers slow down, and a `Retry-After` keeps new hides
 * back until it passed.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/main/services/audit';
import { AdaptiveLimit } from '../../src/main/services/adaptiveLimit';
import { Deque } from '../../src/main/services/deque';
import { BEHIND_AFTER_MS, HoldService } from '../../src/main/services/holds';
import type { LimitBounds } from '../../src/main/services/adaptiveLimit';
import { ModerationService, type ModerationDeps } from '../../src/main/services/moderation';
import type { SettingsService } from '../../src/main/services/profile/settings';
import type { AnswerWatcher } from '../../src/main/providers/types';
import { silentLogger } from '../../src/main/logger';
import { FakeClock } from '../support/fakeClock';

const ROOM = 'acct/1001';

/** Lets every promise chain that can move, move: a macrotask runs only once microtasks are done. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

interface PendingHide {
  messageId: string;
  watch: AnswerWatcher | undefined;
  answer: () => void;
}

interface PendingLine {
  entry: AuditEntry;
  written: () => void;
}

/**
 * The real hold queue and moderation service over a provider and an audit log the test answers by
 * hand.
 */
function setup(bounds: LimitBounds) {
  const clock = new FakeClock();
  const hides: PendingHide[] = [];
  const lines: PendingLine[] = [];
  const states: string[] = [];
  const provider = {
    label: 'Fake',
    hide: (_roomId: string, messageId: string, watch?: AnswerWatcher) =>
      new Promise<void>((resolve) => hides.push({ messageId, watch, answer: resolve })),
  };
  // Only what ModerationService asks of its collaborators on an automatic hide.
  const deps = {
    accounts: { records: () => [] },
    registry: { get: () => provider },
    feeds: {
      find: () => undefined,
      authorAndText: () => undefined,
      roomName: () => undefined,
      applyState: (_roomKey: string, messageId: string) => states.push(messageId),
    },
    audit: {
      append: (entry: AuditEntry) =>
        new Promise<void>((resolve) => lines.push({ entry, written: resolve })),
    },
    events: { emit: () => undefined },
  } as unknown as ModerationDeps;
  const moderation = new ModerationService(deps);
  // Only what HoldService reads of the settings: no stale time.
  const settings = {
    get: () => ({ hold: { staleAfterMinutes: null, staleAction: 'deny' } }),
    onChange: () => () => undefined,
  } as unknown as SettingsService;
  const holds = new HoldService({
    moderation,
    feeds: { find: () => undefined, applyState: () => undefined, holdFailed: () => undefined },
    settings,
    clock,
    log: silentLogger,
    inFlight: bounds,
  });
  const holdIn = (roomKey: string, ...messageIds: string[]) => {
    for (const messageId of messageIds)
      holds.hide({ roomKey, messageId, mode: 'hold', ruleId: 'shield', reason: 'raid' });
  };
  const hold = (...messageIds: string[]) => holdIn(ROOM, ...messageIds);
  const started = () => hides.map((hide) => hide.messageId);
  return { clock, hides, lines, states, moderation, holds, hold, holdIn, started };
}

describe('the hold queue', () => {
  it('starts hides in arrival order, at most the limit at once, the next as one is answered', async () => {
    const { hides, hold, holds, started } = setup({ initial: 2, min: 1, max: 2 });
    hold('m1', 'm2', 'm3', 'm4', 'm5');
    expect(started()).toEqual(['m1', 'm2']);
    expect(holds.pending()).toBe(5);
    hides[1]?.answer();
    await settle();
    expect(started()).toEqual(['m1', 'm2', 'm3']);
    hides[0]?.answer();
    hides[2]?.answer();
    await settle();
    expect(started()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it("frees a hide's place when the service answers, before its audit line is written, and writes that line once", async () => {
    const { hides, lines, states, hold, holds, moderation, started } = setup({
      initial: 1,
      min: 1,
      max: 1,
    });
    hold('m1', 'm2');
    expect(started()).toEqual(['m1']);
    hides[0]?.answer();
    await settle();
    // The line for m1 is handed to the log but not written yet, and m2 went out all the same.
    expect(lines.map((line) => [line.entry.messageId, line.entry.result])).toEqual([['m1', 'ok']]);
    expect(started()).toEqual(['m1', 'm2']);
    expect(states).toEqual(['m1']);
    let recorded = false;
    const waiting = moderation.recorded().then(() => (recorded = true));
    await settle();
    expect(recorded).toBe(false);
    lines[0]?.written();
    await waiting;
    hides[1]?.answer();
    await settle();
    expect(holds.pending()).toBe(0);
    expect(lines.map((line) => [line.entry.messageId, line.entry.action])).toEqual([
      ['m1', 'hold'],
      ['m2', 'hold'],
    ]);
  });

  it('halves the limit on a 429 and starts nothing more until its Retry-After passed', async () => {
    const { clock, hides, hold, holds, started } = setup({ initial: 4, min: 1, max: 8 });
    hold('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7');
    expect(started()).toEqual(['m1', 'm2', 'm3', 'm4']);
    // m1's first try is refused with Retry-After: 2 s; its retry (in the HTTP client) succeeds.
    hides[0]?.watch?.({ status: 429, retryAfterMs: 2000 });
    expect(holds.limit('acct')).toBe(2);
    for (const hide of hides) hide.answer();
    await settle();
    expect(started()).toHaveLength(4);
    clock.advance(1999);
    await settle();
    expect(started()).toHaveLength(4);
    clock.advance(1);
    await settle();
    // Two at a time now; the room's hides waited 2 s, so its newest go first.
    expect(started()).toEqual(['m1', 'm2', 'm3', 'm4', 'm7', 'm6']);
  });

  it("gives each room its turn, so one room's raid does not keep another room's hold waiting", async () => {
    const { hides, holdIn, started } = setup({ initial: 1, min: 1, max: 1 });
    holdIn('acct/1001', 'a1', 'a2', 'a3');
    holdIn('acct/1002', 'b1');
    holdIn('acct/1001', 'a4');
    holdIn('acct/1002', 'b2');
    for (let answered = 0; answered < 5; answered += 1) {
      hides[answered]?.answer();
      await settle();
    }
    // a1 went at once, with no other room waiting; then the rooms take turns. In arrival order b1
    // would have waited for a3, and b2 for a4.
    expect(started()).toEqual(['a1', 'a2', 'b1', 'a3', 'b2', 'a4']);
  });

  it("starts a room's newest hide first once its oldest waited too long, oldest first again when caught up", async () => {
    const { clock, hides, hold, started } = setup({ initial: 1, min: 1, max: 1 });
    hold('m1', 'm2', 'm3', 'm4');
    clock.advance(BEHIND_AFTER_MS);
    hides[0]?.answer();
    await settle();
    // m2 has waited exactly the limit: not behind yet.
    expect(started()).toEqual(['m1', 'm2']);
    clock.advance(1);
    hold('m5');
    hides[1]?.answer();
    await settle();
    // Behind: what came last goes first, and the rest newest first after it.
    expect(started()).toEqual(['m1', 'm2', 'm5']);
    hides[2]?.answer();
    await settle();
    expect(started()).toEqual(['m1', 'm2', 'm5', 'm4']);
    hides[3]?.answer();
    await settle();
    expect(started()).toEqual(['m1', 'm2', 'm5', 'm4', 'm3']);
    // Caught up: new hides go oldest first.
    hold('m6', 'm7');
    hides[4]?.answer();
    await settle();
    expect(started()).toEqual(['m1', 'm2', 'm5', 'm4', 'm3', 'm6']);
  });

  it('halves the limit on a 5xx too, once for the calls that were in flight together', () => {
    const { hides, hold, holds } = setup({ initial: 8, min: 2, max: 8 });
    hold('m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8');
    for (const hide of hides) hide.watch?.({ status: 503 });
    expect(holds.limit('acct')).toBe(4);
  });

  it('grows the limit while hides wait and the service answers fast, up to its bound', async () => {
    const { hides, hold, holds, started } = setup({ initial: 2, min: 1, max: 4 });
    hold(...Array.from({ length: 20 }, (_, index) => `m${index + 1}`));
    expect(started()).toHaveLength(2);
    const inFlight: number[] = [];
    while (hides.length > 0) {
      for (const hide of hides.splice(0)) hide.answer();
      await settle();
      inFlight.push(hides.length);
    }
    // 2 answered: two more places (one an answer at first); then the bound.
    expect(inFlight.slice(0, 2)).toEqual([4, 4]);
    expect(Math.max(...inFlight)).toBe(4);
    expect(holds.limit('acct')).toBe(4);
    expect(holds.pending()).toBe(0);
    expect(started()).toEqual([]);
  });
});

describe('AdaptiveLimit', () => {
  it('grows by one an answer at first, then by about one a round after a cut, never past max', () => {
    const limit = new AdaptiveLimit({ initial: 4, min: 2, max: 64 });
    for (let answer = 0; answer < 4; answer += 1) limit.answered(10, true);
    expect(limit.current).toBe(8);
    limit.strained(0);
    expect(limit.current).toBe(4);
    // The 8 calls in flight at the cut answer for the old limit; then a quarter an answer.
    for (let answer = 0; answer < 7; answer += 1) limit.answered(10, true);
    expect(limit.current).toBe(4);
    for (let answer = 0; answer < 4; answer += 1) limit.answered(10, true);
    expect(limit.current).toBe(5);
    for (let answer = 0; answer < 3000; answer += 1) limit.answered(10, true);
    expect(limit.current).toBe(64);
  });

  it('does not grow while nothing waits', () => {
    const limit = new AdaptiveLimit({ initial: 16, min: 2, max: 64 });
    for (let answer = 0; answer < 100; answer += 1) limit.answered(10, false);
    expect(limit.current).toBe(16);
  });

  it('shrinks while answers slow down, not below where it started; a 429 takes it lower', () => {
    const limit = new AdaptiveLimit({ initial: 16, min: 4, max: 64 });
    for (let answer = 0; answer < 16; answer += 1) limit.answered(20, true);
    expect(limit.current).toBe(32);
    for (let answer = 0; answer < 50; answer += 1) limit.answered(400, true);
    const slowed = limit.current;
    expect(slowed).toBeLessThan(32);
    for (let answer = 0; answer < 150; answer += 1) limit.answered(400, true);
    expect(limit.current).toBe(16);
    limit.strained(0);
    expect(limit.current).toBe(8);
  });

  it('keeps calls back until the longest Retry-After asked, and never below min', () => {
    const limit = new AdaptiveLimit({ initial: 4, min: 3, max: 8 });
    expect(limit.pausedUntil).toBe(0);
    limit.strained(1000, 5000);
    limit.strained(1200, 1000);
    expect(limit.pausedUntil).toBe(6000);
    expect(limit.current).toBe(3);
  });

  it('refuses bounds out of order', () => {
    expect(() => new AdaptiveLimit({ initial: 1, min: 2, max: 4 })).toThrow(RangeError);
  });
});

describe('Deque', () => {
  it('gives items back in the order they came, across its compactions', () => {
    const queue = new Deque<number>();
    const taken: number[] = [];
    let next = 0;
    // Mostly pushes, with runs of shifts, so the front is cut off many times over.
    for (let round = 0; round < 50; round += 1) {
      for (let push = 0; push < 300; push += 1) queue.push(next++);
      for (let shift = 0; shift < 250; shift += 1) taken.push(queue.shift()!);
    }
    while (queue.length > 0) taken.push(queue.shift()!);
    expect(taken).toEqual(Array.from({ length: next }, (_, index) => index));
    expect(queue.shift()).toBeUndefined();
  });

  it('takes the newest from the back and the oldest from the front, whatever was taken before', () => {
    const queue = new Deque<number>();
    for (let item = 0; item < 3000; item += 1) queue.push(item);
    // Past the first compaction, so the front is both cut off and still counted from.
    for (let shift = 0; shift < 1500; shift += 1) queue.shift();
    expect(queue.peek()).toBe(1500);
    expect(queue.pop()).toBe(2999);
    expect(queue.shift()).toBe(1500);
    const rest: number[] = [];
    while (queue.length > 0) rest.push(queue.pop()!);
    expect(rest).toEqual(Array.from({ length: 1498 }, (_, index) => 2998 - index));
    expect(queue.pop()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    queue.push(7);
    expect([queue.peek(), queue.length]).toEqual([7, 1]);
  });
});
