import { beforeEach, describe, expect, it } from 'vitest';
import { eventKeyOf, type EventKey } from '../../../src/renderer/src/lib/eventKey';
import { isQueued, useFeed } from '../../../src/renderer/src/stores/feed';
import { isPinned, type ChatEvent, type EventUpdate } from '../../../src/shared/chat';
import { T0, batchOf, chatEvent, resetStores } from './storeFixtures';

const ROOMS = ['acc/alpha', 'acc/beta', 'other/gamma'];
const RAID = { ruleId: 'automod-raid', reason: 'copy-paste raid', severity: 'high' } as const;

/** A small seeded generator: the same sequence on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/**
 * What the Flagged column should list, worked out from every kept event: each room's listed events
 * newest first (the reverse of its order of arrival), merged by the time main received them.
 */
function expectedFlagged(): EventKey[] {
  const { rooms, showHandled } = useFeed.getState();
  const listed: Array<{ key: EventKey; at: number; order: number }> = [];
  for (const feed of Object.values(rooms)) {
    feed.keys.forEach((key, order) => {
      const event = feed.byKey.get(key) as ChatEvent;
      if (showHandled ? isPinned(event) : isQueued(event)) {
        listed.push({ key, at: event.receivedAt, order });
      }
    });
  }
  return listed.sort((a, b) => b.at - a.at || b.order - a.order).map((entry) => entry.key);
}

describe('the Flagged list in the feed store', () => {
  beforeEach(resetStores);

  it('puts events flagged late in their places, as making the list again from every room would, through 300 batches', () => {
    useFeed.getState().setScrollback(40);
    const next = random(7);
    let clock = T0;
    let counter = 0;
    const plain: Array<{ roomKey: string; id: string; at: number }> = [];
    const waiting: Array<{ roomKey: string; id: string }> = [];
    let lateFlags = 0;
    let sameMillisecond = 0;
    let previousRoom: string | null = null;
    for (let batch = 0; batch < 300; batch += 1) {
      const events: ChatEvent[] = [];
      const updates: EventUpdate[] = [];
      for (let index = 0; index < 8; index += 1) {
        counter += 1;
        // A room's frames read in one go share a millisecond (a VChatCloud join's history); rooms
        // never share one here, where the order between them is main's and not the rooms'.
        const roomKey: string =
          previousRoom !== null && next() < 0.5
            ? previousRoom
            : (ROOMS[Math.floor(next() * ROOMS.length)] as string);
        if (roomKey === previousRoom && next() < 0.7) sameMillisecond += 1;
        else clock += 1;
        previousRoom = roomKey;
        const at = clock;
        const id = `e${counter}`;
        if (next() < 0.15) {
          events.push(chatEvent(roomKey, { id, receivedAt: at, flags: [RAID] }));
          waiting.push({ roomKey, id });
        } else {
          events.push(chatEvent(roomKey, { id, receivedAt: at }));
          plain.push({ roomKey, id, at });
        }
      }
      // A raid recognised late flags earlier copies its room still keeps, some of them already
      // hidden, some in the same batch as the copy itself.
      if (next() < 0.4) {
        for (const target of plain.splice(
          -2 - Math.floor(next() * 10),
          1 + Math.floor(next() * 3),
        )) {
          updates.push({
            roomKey: target.roomKey,
            id: target.id,
            state: next() < 0.3 ? 'hidden' : 'visible',
            flags: [RAID],
          });
          waiting.push(target);
          lateFlags += 1;
        }
      }
      // Hides and "looks fine" take flagged events out of the queue.
      while (waiting.length > 0 && next() < 0.4) {
        const [target] = waiting.splice(Math.floor(next() * waiting.length), 1);
        if (!target) break;
        updates.push(
          next() < 0.5
            ? { ...target, state: 'hidden' }
            : { ...target, state: 'visible', handled: true },
        );
      }
      useFeed.getState().applyBatch(batchOf(events, { updates }));
      expect(useFeed.getState().flagged).toEqual(expectedFlagged());
      if (!useFeed.getState().showHandled) {
        expect(useFeed.getState().queued).toBe(useFeed.getState().flagged.length);
      }
      // Halfway, the column lists the handled ones too.
      if (batch === 150) {
        useFeed.getState().setShowHandled(true);
        expect(useFeed.getState().flagged).toEqual(expectedFlagged());
      }
    }
    expect(lateFlags).toBeGreaterThan(100);
    expect(sameMillisecond).toBeGreaterThan(500);
    expect(useFeed.getState().flagged.length).toBeGreaterThan(100);
  });

  it('lists a message marked handled and then refused by main where it stood', async () => {
    const flagged = (id: string, at: number) =>
      chatEvent('acc/alpha', { id, receivedAt: at, flags: [RAID] });
    useFeed
      .getState()
      .applyBatch(batchOf([flagged('old', T0), flagged('middle', T0 + 1), flagged('new', T0 + 2)]));
    window.moderator = {
      invoke: () =>
        Promise.resolve({ ok: false, error: { code: 'NETWORK', message: 'main is away' } }),
      on: () => () => undefined,
    } as unknown as typeof window.moderator;
    const marking = useFeed.getState().markHandled(eventKeyOf('acc/alpha', 'middle'));
    expect(useFeed.getState().flagged).toEqual([
      eventKeyOf('acc/alpha', 'new'),
      eventKeyOf('acc/alpha', 'old'),
    ]);
    await marking;
    expect(useFeed.getState().flagged).toEqual(expectedFlagged());
    expect(useFeed.getState().flagged).toHaveLength(3);
  });
});
