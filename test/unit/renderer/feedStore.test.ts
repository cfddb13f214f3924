import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { eventKeyOf, roomKeyOfEvent } from '../../../src/renderer/src/lib/eventKey';
import { isPinned } from '../../../src/shared/chat';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { PINNED_PER_ROOM, type ChatEvent } from '../../../src/shared/chat';
import { installFakeBridge } from './fakeBridge';
import { batchOf, chatEvent, resetStores } from './storeFixtures';

const A = 'acc/alpha';
const B = 'acc/beta';

function ids(roomKey: string): string[] {
  const feed = useFeed.getState().rooms[roomKey];
  return (feed?.keys ?? []).map((key) => feed?.byKey.get(key)?.id ?? `missing ${key}`);
}

describe('the feed store', () => {
  beforeEach(resetStores);

  it('applies 1,000 batches and keeps the scrollback bound plus every pinned event', () => {
    useFeed.getState().setScrollback(100);
    const pinned = new Map<string, ChatEvent[]>([
      [A, []],
      [B, []],
    ]);
    const unpinned = new Map<string, ChatEvent[]>([
      [A, []],
      [B, []],
    ]);
    let counter = 0;
    for (let batch = 0; batch < 1000; batch += 1) {
      const events: ChatEvent[] = [];
      for (const roomKey of [A, B]) {
        for (let index = 0; index < 5; index += 1) {
          counter += 1;
          const flagged = counter % 37 === 0;
          const dm = counter % 101 === 0;
          const event = chatEvent(roomKey, {
            id: `e${counter}`,
            flags: flagged ? [{ ruleId: 'r', start: 0, end: 1 }] : [],
            toModerator: dm || undefined,
            kind: dm ? 'dm' : 'message',
            receivedAt: counter,
          });
          (isPinned(event) ? pinned : unpinned).get(roomKey)?.push(event);
          events.push(event);
        }
      }
      useFeed.getState().applyBatch(batchOf(events));
    }

    const state = useFeed.getState();
    for (const roomKey of [A, B]) {
      const feed = state.rooms[roomKey];
      const roomPinned = pinned.get(roomKey) ?? [];
      const roomUnpinned = unpinned.get(roomKey) ?? [];
      expect(feed?.unpinned).toBe(100);
      expect(feed?.keys).toHaveLength(100 + roomPinned.length);
      expect(feed?.byKey.size).toBe(feed?.keys.length);
      expect(feed?.appended).toBe(5000);
      // Every pinned event survives; of the rest, exactly the newest 100, all in arrival order.
      const expected = [...roomPinned, ...roomUnpinned.slice(-100)]
        .sort((a, b) => a.receivedAt - b.receivedAt)
        .map((event) => event.id);
      expect(ids(roomKey)).toEqual(expected);
    }
    const allPinned = [...(pinned.get(A) ?? []), ...(pinned.get(B) ?? [])];
    expect(allPinned.length).toBeGreaterThan(100);
    expect(state.flagged).toHaveLength(allPinned.length);
    const flaggedTimes = state.flagged.map(
      (key) => state.rooms[roomKeyOfEvent(key)]?.byKey.get(key)?.receivedAt ?? -1,
    );
    expect(flaggedTimes).toEqual([...flaggedTimes].sort((a, b) => b - a)); // newest first
  });

  it('keeps at most PINNED_PER_ROOM pinned events a room, letting the oldest acted-on go first', () => {
    useFeed.getState().setScrollback(10);
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    const total = PINNED_PER_ROOM + 5;
    const events = Array.from({ length: total }, (_, index) =>
      chatEvent(A, {
        id: `f${index}`,
        flags: flag,
        receivedAt: index,
        // Two old ones and one in the middle were hidden or deleted already.
        state: index === 3 || index === 4 || index === 5000 ? 'hidden' : 'visible',
      }),
    );
    for (let start = 0; start < total; start += 500) {
      useFeed.getState().applyBatch(batchOf(events.slice(start, start + 500)));
    }
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'plain', receivedAt: total })]));

    const state = useFeed.getState();
    const feed = state.rooms[A];
    const kept = ids(A);
    // Past the bound a tenth of it goes at once: the acted-on ones, then the oldest.
    const released = PINNED_PER_ROOM / 10 + 5;
    expect(kept).toHaveLength(total - released + 1);
    expect(feed?.byKey.size).toBe(kept.length);
    expect(feed?.unpinned).toBe(1);
    // The three acted on, wherever they were, and the 1,002 oldest of the rest (f0-f2, f5-f1003).
    for (const id of ['f3', 'f4', 'f5000', 'f0', 'f2', 'f5', 'f1003'])
      expect(kept).not.toContain(id);
    expect(kept[0]).toBe('f1004');
    expect(kept).toContain('f4999');
    expect(kept).toContain('f5001');
    expect(kept.at(-1)).toBe('plain');
    // The Flagged column lists exactly the pinned events the room still holds, newest first.
    expect(state.flagged).toHaveLength(kept.length - 1);
    expect(state.flagged[0]).toBe(eventKeyOf(A, `f${total - 1}`));
    expect(new Set(state.flagged)).toEqual(
      new Set(kept.filter((id) => id !== 'plain').map((id) => eventKeyOf(A, id))),
    );
  });

  it('evicts exactly as a plain model of the bounds does, batch after batch', () => {
    // The model: every event in arrival order; after each batch the pinned events past their
    // bound let a tenth of it go (acted-on first, then the oldest), and the oldest unpinned ones
    // past the scrollback go.
    const scrollback = 40;
    const release = PINNED_PER_ROOM / 10;
    let releases = 0;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            size: fc.integer({ min: 1, max: 1000 }),
            pinnedShare: fc.constantFrom(0, 0.2, 0.9, 1),
            actedShare: fc.constantFrom(0, 0.1),
          }),
          { minLength: 40, maxLength: 60 },
        ),
        fc.integer({ min: 1, max: 1 << 30 }),
        (batches, seed) => {
          resetStores();
          useFeed.getState().setScrollback(scrollback);
          let random = seed;
          const next = () => {
            random = (random * 1103515245 + 12345) % 2147483648;
            return random / 2147483648;
          };
          let model: ChatEvent[] = [];
          let counter = 0;
          for (const batch of batches) {
            const events = Array.from({ length: batch.size }, () => {
              counter += 1;
              return chatEvent(A, {
                id: `p${counter}`,
                flags: next() < batch.pinnedShare ? [{ ruleId: 'r', start: 0, end: 1 }] : [],
                state: next() < batch.actedShare ? 'hidden' : 'visible',
              });
            });
            useFeed.getState().applyBatch(batchOf(events));

            model = model.concat(events);
            const pinned = model.filter(isPinned);
            if (pinned.length > PINNED_PER_ROOM) {
              releases += 1;
              const wanted = pinned.length - PINNED_PER_ROOM + release;
              const actedOn = pinned.filter((event) => event.state !== 'visible');
              const victims = new Set(actedOn.slice(0, wanted));
              for (const event of pinned) {
                if (victims.size >= wanted) break;
                victims.add(event);
              }
              model = model.filter((event) => !victims.has(event));
            }
            let excess = model.filter((event) => !isPinned(event)).length - scrollback;
            model = model.filter((event) => isPinned(event) || excess-- <= 0);
          }
          const feed = useFeed.getState().rooms[A];
          expect(ids(A)).toEqual(model.map((event) => event.id));
          expect(feed?.byKey.size).toBe(model.length);
          // The pinned head it keeps is all pinned events.
          const head = (feed?.keys ?? []).slice(0, feed?.pinnedHead ?? 0);
          expect(head.every((key) => isPinned(feed?.byKey.get(key) as ChatEvent))).toBe(true);
        },
      ),
      { numRuns: 12 },
    );
    expect(releases).toBeGreaterThan(0);
  });

  it('applies a batch with one store update and leaves untouched rooms as they were', () => {
    useFeed.getState().applyBatch(batchOf([chatEvent(A), chatEvent(B)]));
    const before = useFeed.getState();
    let updates = 0;
    const stop = useFeed.subscribe(() => {
      updates += 1;
    });

    useFeed.getState().applyBatch(
      batchOf([chatEvent(A), chatEvent(A), chatEvent(A)], {
        updates: [{ roomKey: A, id: ids(A)[0] ?? '', state: 'hidden' }],
        stats: [{ roomKey: A, rate: 3, participants: 9 }],
      }),
    );
    stop();

    const after = useFeed.getState();
    expect(updates).toBe(1);
    expect(after.rooms[B]).toBe(before.rooms[B]);
    expect(after.rooms[A]).not.toBe(before.rooms[A]);
    expect(ids(A)).toHaveLength(4);
    expect(after.stats[A]).toEqual({ roomKey: A, rate: 3, participants: 9 });
    // An event that did not change keeps its object, so its row does not re-render.
    const untouched = before.rooms[B]?.keys[0] ?? '';
    expect(after.rooms[B]?.byKey.get(untouched)).toBe(before.rooms[B]?.byKey.get(untouched));
  });

  it('applies updates to events it holds and takes a resent event in place', () => {
    const first = chatEvent(A, { id: 'x1', text: 'original' });
    useFeed.getState().applyBatch(batchOf([first, chatEvent(A, { id: 'x2' })]));
    useFeed.getState().applyBatch(
      batchOf([{ ...first, text: 'resent' }], {
        updates: [
          { roomKey: A, id: 'x2', state: 'deleted' },
          { roomKey: A, id: 'unknown', state: 'hidden' },
        ],
      }),
    );
    const feed = useFeed.getState().rooms[A];
    expect(ids(A)).toEqual(['x1', 'x2']);
    expect(feed?.appended).toBe(2);
    expect(feed?.byKey.get(`${A}#x1`)?.text).toBe('resent');
    expect(feed?.byKey.get(`${A}#x2`)?.state).toBe('deleted');
  });

  it('never changes a key list it handed out, and keeps it while a batch adds no keys', () => {
    useFeed.getState().setScrollback(3);
    useFeed.getState().applyBatch(batchOf(['a1', 'a2', 'a3'].map((id) => chatEvent(A, { id }))));
    const full = useFeed.getState().rooms[A]?.keys;
    const shown = [...(full ?? [])];

    // Appending past the bound evicts the oldest: a new list, the one handed out untouched.
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a4' })]));
    expect(full).toEqual(shown);
    expect(useFeed.getState().rooms[A]?.keys).not.toBe(full);
    expect(ids(A)).toEqual(['a2', 'a3', 'a4']);

    // A state change and a resend add no keys: the same list, so the column need not render.
    const current = useFeed.getState().rooms[A]?.keys;
    useFeed.getState().applyBatch(
      batchOf([chatEvent(A, { id: 'a3', text: 'resent' })], {
        updates: [{ roomKey: A, id: 'a2', state: 'hidden' }],
      }),
    );
    const after = useFeed.getState().rooms[A];
    expect(after?.keys).toBe(current);
    expect(after?.byKey.get(`${A}#a2`)?.state).toBe('hidden');
    expect(after?.byKey.get(`${A}#a3`)?.text).toBe('resent');
  });

  it('fills a room from its snapshot and keeps live events that came first', () => {
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'live1', receivedAt: 50 })]));
    useFeed
      .getState()
      .loadSnapshot(A, [
        chatEvent(A, { id: 'old1', receivedAt: 10 }),
        chatEvent(A, { id: 'old2', receivedAt: 20, flags: [{ ruleId: 'r', start: 0, end: 1 }] }),
        chatEvent(A, { id: 'live1', receivedAt: 50 }),
      ]);
    expect(ids(A)).toEqual(['old1', 'old2', 'live1']);
    expect(useFeed.getState().flagged).toEqual([`${A}#old2`]);
  });

  it('lists what waits in the Flagged queue, counts it, and lets handled events leave it', () => {
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    const flagged = (roomKey: string, id: string, receivedAt: number) =>
      chatEvent(roomKey, { id, flags: flag, receivedAt });
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          flagged(A, 'a1', 1),
          flagged(B, 'b1', 2),
          chatEvent(A, { id: 'plain', receivedAt: 3 }),
          chatEvent(B, { id: 'dm', kind: 'dm', toModerator: true, receivedAt: 4 }),
          flagged(A, 'a2', 5),
        ]),
      );
    const listed = () => useFeed.getState().flagged.map((key) => key.split('#')[1]);
    expect(listed()).toEqual(['a2', 'dm', 'b1', 'a1']);
    expect(useFeed.getState().queued).toBe(4);

    // Marked handled in main, hidden by anyone, and one more flagged in the same batch.
    useFeed.getState().applyBatch(
      batchOf([flagged(B, 'b2', 6)], {
        updates: [
          { roomKey: A, id: 'a1', state: 'visible', handled: true },
          { roomKey: B, id: 'b1', state: 'hidden' },
        ],
      }),
    );
    expect(listed()).toEqual(['b2', 'a2', 'dm']);
    expect(useFeed.getState().queued).toBe(3);
    expect(useFeed.getState().rooms[A]?.queued).toBe(1);

    // The filter lists the handled ones again, in the same one order; the count stays.
    useFeed.getState().setShowHandled(true);
    expect(listed()).toEqual(['b2', 'a2', 'dm', 'b1', 'a1']);
    expect(useFeed.getState().queued).toBe(3);
    useFeed
      .getState()
      .applyBatch(
        batchOf([], { updates: [{ roomKey: A, id: 'a2', state: 'deleted', handled: true }] }),
      );
    expect(listed()).toEqual(['b2', 'a2', 'dm', 'b1', 'a1']);
    expect(useFeed.getState().queued).toBe(2);
    useFeed.getState().setShowHandled(false);
    expect(listed()).toEqual(['b2', 'dm']);

    useFeed.getState().dropRoom(B);
    expect(listed()).toEqual([]);
    expect(useFeed.getState().queued).toBe(0);
  });

  it('lists an event flagged after it came in its place in the queue, and keeps it past the scrollback', () => {
    useFeed.getState().setScrollback(3);
    const raid = { ruleId: 'automod-raid', reason: 'copy-paste raid', severity: 'high' } as const;
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'copy1', receivedAt: 1 }),
          chatEvent(A, { id: 'chat', receivedAt: 2 }),
          chatEvent(B, { id: 'other', flags: [{ ruleId: 'r', start: 0, end: 1 }], receivedAt: 3 }),
          chatEvent(A, { id: 'copy5', flags: [raid], receivedAt: 4 }),
        ]),
      );
    const listed = () => useFeed.getState().flagged.map((key) => key.split('#')[1]);
    expect(listed()).toEqual(['copy5', 'other']);

    // The fifth copy's verdict names the first: an update with every flag it has now.
    useFeed
      .getState()
      .applyBatch(
        batchOf([], { updates: [{ roomKey: A, id: 'copy1', state: 'visible', flags: [raid] }] }),
      );
    expect(listed()).toEqual(['copy5', 'other', 'copy1']);
    expect(useFeed.getState().queued).toBe(3);
    expect(useFeed.getState().rooms[A]?.unpinned).toBe(1);

    // Pinned now: ordinary chat past the scrollback does not push it out.
    useFeed
      .getState()
      .applyBatch(
        batchOf(
          ['n1', 'n2', 'n3', 'n4'].map((id, index) => chatEvent(A, { id, receivedAt: 10 + index })),
        ),
      );
    expect(ids(A)).toEqual(['copy1', 'copy5', 'n2', 'n3', 'n4']);

    // Shown with the handled ones too, a late flag on a hidden event lists it.
    useFeed.getState().setShowHandled(true);
    useFeed.getState().applyBatch(
      batchOf([chatEvent(A, { id: 'gone', state: 'hidden', receivedAt: 20 })], {
        updates: [{ roomKey: A, id: 'gone', state: 'hidden', flags: [raid] }],
      }),
    );
    expect(listed()).toEqual(['gone', 'copy5', 'other', 'copy1']);
  });

  it("lists a snapshot's flagged events received in the same millisecond newest first, like a batch", () => {
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    useFeed
      .getState()
      .applyBatch(batchOf([chatEvent(B, { id: 'b-before', flags: flag, receivedAt: 100 })]));
    // A VChatCloud join's history comes in one frame: main received it all in one millisecond.
    const history = ['h1', 'h2', 'h3'].map((id) =>
      chatEvent(A, { id, flags: flag, receivedAt: 200 }),
    );
    useFeed
      .getState()
      .loadSnapshot(A, [chatEvent(A, { id: 'old', flags: flag, receivedAt: 50 }), ...history]);
    useFeed
      .getState()
      .applyBatch(batchOf([chatEvent(B, { id: 'b-after', flags: flag, receivedAt: 300 })]));
    expect(useFeed.getState().flagged.map((key) => key.split('#')[1])).toEqual([
      'b-after',
      'h3',
      'h2',
      'h1',
      'b-before',
      'old',
    ]);
    expect(useFeed.getState().queued).toBe(6);
    // Main's snapshot says what was handled; it leaves the queue and the count.
    useFeed
      .getState()
      .loadSnapshot(A, [
        chatEvent(A, { id: 'old', flags: flag, receivedAt: 50, handled: true }),
        ...history,
      ]);
    expect(useFeed.getState().flagged.map((key) => key.split('#')[1])).toEqual([
      'b-after',
      'h3',
      'h2',
      'h1',
      'b-before',
    ]);
    expect(useFeed.getState().queued).toBe(5);
  });

  it('marks an event handled at once, and puts it back in the queue when main refuses', async () => {
    let answer: 'ok' | 'refuse' = 'ok';
    const bridge = installFakeBridge({
      'flagged.markHandled': (input) =>
        answer === 'ok'
          ? { ok: true, value: input }
          : { ok: false, error: { code: 'NOT_FOUND', message: 'That message is no longer kept.' } },
    });
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'f1', flags: flag, receivedAt: 1 }),
          chatEvent(A, { id: 'f2', flags: flag, receivedAt: 2 }),
          chatEvent(A, { id: 'plain', receivedAt: 3 }),
        ]),
      );
    const pending = useFeed.getState().markHandled(`${A}#f1`);
    expect(useFeed.getState().flagged).toEqual([`${A}#f2`]);
    expect(useFeed.getState().queued).toBe(1);
    expect(await pending).toEqual({ ok: true, value: { roomKey: A, id: 'f1' } });
    expect(bridge.calls).toEqual([
      { channel: 'flagged.markHandled', input: { roomKey: A, id: 'f1' } },
    ]);
    // Not waiting (handled already, or not flagged): nothing to do.
    expect(await useFeed.getState().markHandled(`${A}#f1`)).toBeNull();
    expect(await useFeed.getState().markHandled(`${A}#plain`)).toBeNull();

    answer = 'refuse';
    const refused = await useFeed.getState().markHandled(`${A}#f2`);
    expect(refused?.ok).toBe(false);
    expect(useFeed.getState().flagged).toEqual([`${A}#f2`]);
    expect(useFeed.getState().queued).toBe(1);
  });

  it('forgets a closed room, its flagged events and its stats', () => {
    useFeed
      .getState()
      .applyBatch(
        batchOf(
          [
            chatEvent(A, { id: 'f', flags: [{ ruleId: 'r', start: 0, end: 1 }] }),
            chatEvent(B, { id: 'g', flags: [{ ruleId: 'r', start: 0, end: 1 }] }),
          ],
          { stats: [{ roomKey: A, rate: 1 }] },
        ),
      );
    useFeed.getState().dropRoom(A);
    const state = useFeed.getState();
    expect(state.rooms[A]).toBeUndefined();
    expect(state.stats[A]).toBeUndefined();
    expect(state.flagged).toEqual([`${B}#g`]);
  });
  it('has the events of a room share one object per chatter, though every IPC batch is a fresh copy', () => {
    const alice = { id: 'alice', name: 'Alice' };
    const feed = useFeed.getState();
    // Structured clones, as IPC delivers them: no object is shared between the two batches.
    feed.applyBatch(structuredClone(batchOf([chatEvent(A, { id: 'a1', user: alice })])));
    feed.applyBatch(
      structuredClone(
        batchOf([
          chatEvent(A, { id: 'a2', user: alice }),
          chatEvent(A, { id: 'a3', user: { id: 'alice', name: 'Alice B.' } }),
        ]),
      ),
    );
    const byKey = useFeed.getState().rooms[A]?.byKey;
    const [a1, a2, a3] = ['a1', 'a2', 'a3'].map((id) => byKey?.get(eventKeyOf(A, id)));
    expect(a1?.user).toEqual(alice);
    expect(a2?.user).toBe(a1?.user);
    // A new name is a new object; the older events keep the name they were sent with.
    expect(a3?.user).toEqual({ id: 'alice', name: 'Alice B.' });
    expect(a1?.user).toEqual(alice);
    expect([a1, a2, a3].map((event) => [event?.roomKey, event?.messageId, event?.kind])).toEqual([
      [A, 'a1', 'message'],
      [A, 'a2', 'message'],
      [A, 'a3', 'message'],
    ]);
  });

  it('never changes an event it already keeps when a snapshot arrives around it', () => {
    const feed = useFeed.getState();
    feed.applyBatch(
      structuredClone(batchOf([chatEvent(A, { id: 'live', user: { id: 'bob', name: 'Bob' } })])),
    );
    const kept = useFeed.getState().rooms[A]?.byKey.get(eventKeyOf(A, 'live'));
    const keptUser = kept?.user;
    feed.loadSnapshot(
      A,
      structuredClone([chatEvent(A, { id: 'older', user: { id: 'bob', name: 'Bob' } })]),
    );
    const after = useFeed.getState().rooms[A];
    expect(ids(A)).toEqual(['older', 'live']);
    expect(after?.byKey.get(eventKeyOf(A, 'live'))).toBe(kept);
    expect(kept?.user).toBe(keptUser);
  });
});
