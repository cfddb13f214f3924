import { beforeEach, describe, expect, it } from 'vitest';
import { eventKeyOf, type EventKey } from '../../../src/renderer/src/lib/eventKey';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { isHeld, type ChatEvent, type EventUpdate } from '../../../src/shared/chat';
import { T0, batchOf, chatEvent, resetStores } from './storeFixtures';

const ROOMS = ['acc/alpha', 'acc/beta', 'other/gamma'];

/** A small seeded generator: the same sequence on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** What the Held list should be, worked out from every kept event: held ones, oldest hold first. */
function expectedHeld(): EventKey[] {
  const found: ChatEvent[] = [];
  for (const feed of Object.values(useFeed.getState().rooms)) {
    for (const event of feed.byKey.values()) if (isHeld(event)) found.push(event);
  }
  return found
    .sort((a, b) => (a.held?.at ?? 0) - (b.held?.at ?? 0))
    .map((event) => eventKeyOf(event.roomKey, event.id));
}

describe('the Held list in the feed store', () => {
  beforeEach(resetStores);

  it('keeps every held event, oldest hold first, through 400 batches of holds, late holds, reviews and deletes', () => {
    useFeed.getState().setScrollback(50);
    const next = random(28);
    let clock = T0;
    let counter = 0;
    const unheld: Array<{ roomKey: string; id: string }> = [];
    const waiting: Array<{ roomKey: string; id: string }> = [];
    let lateHolds = 0;
    let reviews = 0;
    for (let batch = 0; batch < 400; batch += 1) {
      const events: ChatEvent[] = [];
      const updates: EventUpdate[] = [];
      // Late holds dated before the last batches' holds: whatever order they come in, the list
      // keeps the order of the holds' times.
      let lateAt = clock - 15.5;
      for (let index = 0; index < 10; index += 1) {
        counter += 1;
        clock += 1;
        const roomKey = ROOMS[Math.floor(next() * ROOMS.length)] as string;
        const id = `e${counter}`;
        if (next() < 0.2) {
          const reason = 'copy-paste raid';
          events.push(
            chatEvent(roomKey, {
              id,
              receivedAt: clock,
              state: next() < 0.8 ? 'hidden' : 'visible',
              flags: [{ ruleId: 'automod-raid', reason }],
              held: { ruleId: 'automod-raid', reason, at: clock },
            }),
          );
          waiting.push({ roomKey, id });
        } else {
          events.push(chatEvent(roomKey, { id, receivedAt: clock }));
          unheld.push({ roomKey, id });
        }
      }
      // A raid recognised late holds a few earlier messages, still kept by their room.
      if (next() < 0.3) {
        for (const target of unheld.splice(-3 - Math.floor(next() * 4), 2)) {
          lateAt += 0.01;
          const reason = 'copy-paste raid';
          updates.push({
            ...target,
            state: 'hidden',
            flags: [{ ruleId: 'automod-raid', reason }],
            held: { ruleId: 'automod-raid', reason, at: lateAt },
          });
          waiting.push(target);
          lateHolds += 1;
        }
      }
      // Reviews: approved (visible, handled), denied or deleted elsewhere (deleted).
      while (waiting.length > 0 && next() < 0.5) {
        const [target] = waiting.splice(Math.floor(next() * waiting.length), 1);
        if (!target) break;
        updates.push({ ...target, state: next() < 0.5 ? 'visible' : 'deleted', handled: true });
        reviews += 1;
      }
      useFeed.getState().applyBatch(batchOf(events, { updates }));
      expect(useFeed.getState().held).toEqual(expectedHeld());
    }
    expect(lateHolds).toBeGreaterThan(50);
    expect(reviews).toBeGreaterThan(100);
    expect(useFeed.getState().held.length).toBeGreaterThan(50);
  });

  it('keeps a held message no rule flagged however much chat follows, until it is reviewed', () => {
    useFeed.getState().setScrollback(3);
    // Shield mode holds a fresh chatter's message without flagging it: held, it is pinned.
    const hold = { ruleId: 'shield', reason: 'shield: first message here', at: T0 };
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent('acc/alpha', { id: 'fresh', state: 'hidden', held: hold, receivedAt: T0 }),
        ]),
      );
    expect(useFeed.getState().held).toEqual(['acc/alpha#fresh']);
    useFeed
      .getState()
      .applyBatch(
        batchOf(['n1', 'n2', 'n3', 'n4', 'n5'].map((id) => chatEvent('acc/alpha', { id }))),
      );
    expect(useFeed.getState().rooms['acc/alpha']?.byKey.has('acc/alpha#n1')).toBe(false);
    expect(useFeed.getState().held).toEqual(['acc/alpha#fresh']);
    expect(useFeed.getState().held).toEqual(expectedHeld());
    const approved: EventUpdate = {
      roomKey: 'acc/alpha',
      id: 'fresh',
      state: 'visible',
      handled: true,
    };
    useFeed.getState().applyBatch(batchOf([], { updates: [approved] }));
    expect(useFeed.getState().held).toEqual([]);
    expect(useFeed.getState().rooms['acc/alpha']?.byKey.has('acc/alpha#fresh')).toBe(true);
  });

  it('leaves the list as it is when a batch holds and reviews nothing', () => {
    const reason = 'contains “spam”';
    useFeed.getState().applyBatch(
      batchOf([
        chatEvent('acc/alpha', {
          id: 'h1',
          state: 'hidden',
          flags: [{ ruleId: 'w1', start: 0, end: 4 }],
          held: { ruleId: 'w1', reason, at: T0 },
        }),
      ]),
    );
    const before = useFeed.getState().held;
    expect(before).toEqual(['acc/alpha#h1']);
    const plain = Array.from({ length: 500 }, (_, index) =>
      chatEvent('acc/alpha', { id: `p${index}` }),
    );
    useFeed.getState().applyBatch(batchOf(plain));
    expect(useFeed.getState().held).toBe(before);
    expect(useFeed.getState().heldAppended).toBe(1);
  });

  it('puts a late hold of an earlier message in its place by the time it was held, and takes a dropped room out', () => {
    const reason = 'copy-paste raid';
    const hold = (at: number) => ({ ruleId: 'automod-raid', reason, at });
    useFeed.getState().applyBatch(
      batchOf([
        chatEvent('acc/alpha', { id: 'first', receivedAt: T0 }),
        chatEvent('acc/beta', {
          id: 'b',
          state: 'hidden',
          flags: [{ ruleId: 'automod-raid', reason }],
          held: hold(T0 + 20),
        }),
        chatEvent('acc/alpha', {
          id: 'c',
          state: 'hidden',
          flags: [{ ruleId: 'automod-raid', reason }],
          held: hold(T0 + 40),
        }),
      ]),
    );
    useFeed.getState().applyBatch(
      batchOf([], {
        updates: [
          {
            roomKey: 'acc/alpha',
            id: 'first',
            state: 'visible',
            flags: [{ ruleId: 'automod-raid', reason }],
            held: hold(T0 + 30),
          },
        ],
      }),
    );
    expect(useFeed.getState().held).toEqual(['acc/beta#b', 'acc/alpha#first', 'acc/alpha#c']);
    useFeed.getState().dropRoom('acc/alpha');
    expect(useFeed.getState().held).toEqual(['acc/beta#b']);
  });
});
