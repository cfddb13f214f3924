/**
 * The hold queue against the moderator's own reviews: a stale hold's review skips a message the
 * moderator reviewed meanwhile, and approving a hold whose hide still waits its turn drops the hide.
 */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../src/main/services/audit';
import { HoldService } from '../../src/main/services/holds';
import { ModerationService, type ModerationDeps } from '../../src/main/services/moderation';
import type { SettingsService } from '../../src/main/services/profile/settings';
import { silentLogger } from '../../src/main/logger';
import type { ChatEvent, MessageState } from '../../src/shared/chat';
import { FakeClock } from '../support/fakeClock';

const ROOM = 'acct/1001';

function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Kept = Pick<ChatEvent, 'id' | 'messageId' | 'held' | 'state' | 'handled'>;

function setup(
  staleAction: 'approve' | 'deny',
  inFlight?: { initial: number; min: number; max: number },
  slowHides = false,
) {
  const clock = new FakeClock();
  const events = new Map<string, Kept>();
  const calls: string[] = [];
  const lines: AuditEntry[] = [];
  const pendingDeletes: Array<{ messageId: string; answer: () => void }> = [];
  const pendingHides: Array<{ messageId: string; answer: () => void }> = [];
  const provider = {
    label: 'Fake',
    hide: (_roomId: string, messageId: string) => {
      calls.push(`hide ${messageId}`);
      if (!slowHides) return Promise.resolve();
      return new Promise<void>((resolve) => pendingHides.push({ messageId, answer: resolve }));
    },
    unhide: (_roomId: string, messageId: string) => {
      calls.push(`unhide ${messageId}`);
      return Promise.resolve();
    },
    delete: (_roomId: string, messageId: string) => {
      calls.push(`delete ${messageId}`);
      return new Promise<void>((resolve) => pendingDeletes.push({ messageId, answer: resolve }));
    },
  };
  const feeds = {
    find: (_roomKey: string, id: string) => {
      const kept = events.get(id);
      return kept ? ({ ...kept } as ChatEvent) : undefined;
    },
    authorAndText: () => undefined,
    roomName: () => undefined,
    applyState: (_roomKey: string, id: string, state: MessageState, handled = true) => {
      const kept = events.get(id);
      if (!kept) return;
      kept.state = state;
      if (handled) kept.handled = true;
    },
    holdFailed: () => undefined,
    markHandled: (_roomKey: string, id: string) => {
      const kept = events.get(id);
      if (kept) kept.handled = true;
      return kept;
    },
  };
  const moderation = new ModerationService({
    accounts: { records: () => [] },
    registry: { get: () => provider },
    feeds,
    audit: {
      append: (entry: AuditEntry) => {
        lines.push(entry);
        return Promise.resolve();
      },
    },
    events: { emit: () => undefined },
  } as unknown as ModerationDeps);
  const settings = {
    get: () => ({ hold: { staleAfterMinutes: 1, staleAction } }),
    onChange: () => () => undefined,
  } as unknown as SettingsService;
  const holds = new HoldService({
    moderation,
    feeds,
    settings,
    clock,
    log: silentLogger,
    ...(inFlight === undefined ? {} : { inFlight }),
  });
  const hold = (...ids: string[]) => {
    for (const id of ids) {
      events.set(id, {
        id,
        messageId: id,
        state: 'visible',
        held: { ruleId: 'hold-shop', reason: 'spam', at: clock.now() },
      });
      holds.hide({
        roomKey: ROOM,
        messageId: id,
        mode: 'hold',
        ruleId: 'hold-shop',
        reason: 'spam',
      });
    }
  };
  return { clock, events, calls, lines, pendingDeletes, pendingHides, moderation, holds, hold };
}

describe('stale holds', () => {
  it('does not deny a stale hold that the moderator approved while the stale review was running', async () => {
    const { clock, events, calls, lines, pendingDeletes, moderation, holds, hold } = setup('deny');
    hold('m1', 'm2');
    await settle();
    expect(events.get('m2')?.state).toBe('hidden');

    clock.advance(60_000);
    // Both are stale now: the stale review starts with m1 (its delete answers slowly).
    const reviewing = holds.reviewStale();
    await settle();
    expect(pendingDeletes.map((pending) => pending.messageId)).toEqual(['m1']);

    // Meanwhile the moderator approves m2 in the Held column.
    const approved = await moderation.message('unhide', ROOM, 'm2');
    expect(approved.state).toBe('visible');
    expect(events.get('m2')).toMatchObject({ state: 'visible', handled: true });

    // m1's delete answers; the stale review goes on with its list.
    pendingDeletes[0]?.answer();
    await settle();
    for (const pending of pendingDeletes.slice(1)) pending.answer();
    await reviewing;
    // One automatic line: m1's delete; m2 has the moderator's approval alone.
    expect(lines.map((line) => `${line.action} ${line.messageId}`)).toEqual([
      'hold m1',
      'hold m2',
      'unhide m2',
      'delete m1',
    ]);

    // The approved message must stay approved: no automatic delete after the moderator's unhide.
    expect(calls).not.toContain('delete m2');
    expect(events.get('m2')?.state).toBe('visible');
  });
});

describe('approving a hold whose hide still waits its turn', () => {
  it('does not hide it afterwards when the approval only marked it handled', async () => {
    // One hide at a time: m0's hide is on its way, m1's waits its turn in the lane.
    const { events, calls, lines, pendingHides, moderation, holds, hold } = setup(
      'deny',
      { initial: 1, min: 1, max: 1 },
      true,
    );
    hold('m0', 'm1');
    await settle();
    expect(calls).toEqual(['hide m0']);
    expect(holds.pending()).toBe(2);

    // The Held column shows m1 visible and past HIDE_PENDING_MS ("Not hidden: still visible in
    // the room"), so approving it is `flagged.markHandled` (held.ts approvalOf), not an unhide.
    await moderation.markHandled(ROOM, 'm1');
    expect(events.get('m1')).toMatchObject({ state: 'visible', handled: true });

    // m0's hide answers; m1's turn comes.
    pendingHides[0]?.answer();
    await settle();
    for (const pending of pendingHides.slice(1)) pending.answer();
    await settle();

    // Approved: it must stay visible in the room, and no hold of it is audited.
    expect(calls).not.toContain('hide m1');
    expect(lines.map((line) => `${line.action} ${line.messageId ?? ''}`)).toEqual([
      'flagged.markHandled m1',
      'hold m0',
    ]);
    expect(events.get('m1')?.state).toBe('visible');
  });
});
