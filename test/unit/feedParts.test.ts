import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/main/events';
import { Batcher } from '../../src/main/services/feeds/batcher';
import { RecentIds } from '../../src/main/services/feeds/feeds';
import { RateMeter } from '../../src/main/services/feeds/rateMeter';
import { RoomBuffer } from '../../src/main/services/feeds/roomBuffer';
import { SharedUsers } from '../../src/shared/sharedUsers';
import {
  PINNED_PER_ROOM as PINNED_LIMIT,
  type ChatEvent,
  type FeedBatch,
} from '../../src/shared/chat';
import { FakeClock } from '../support/fakeClock';

function event(id: string, flagged = false): ChatEvent {
  return {
    roomKey: 'acc/1',
    id,
    messageId: id,
    kind: 'message',
    user: { id: 'u', name: 'u' },
    text: `text ${id}`,
    createdAt: 0,
    receivedAt: 0,
    state: 'visible',
    flags: flagged ? [{ ruleId: 'r1', start: 0, end: 4 }] : [],
  };
}

describe('RoomBuffer', () => {
  it('keeps the newest unflagged events up to its capacity, in order', () => {
    const buffer = new RoomBuffer(3);
    for (const id of ['a', 'b', 'c', 'd', 'e']) buffer.add(event(id));
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['c', 'd', 'e']);
    expect(buffer.has('a')).toBe(false);
    expect(buffer.length).toBe(3);
  });

  it('never evicts a flagged event, and keeps it in arrival order', () => {
    const buffer = new RoomBuffer(2);
    buffer.add(event('a'));
    buffer.add(event('flag-1', true));
    for (const id of ['b', 'c', 'd', 'e']) buffer.add(event(id));
    buffer.add(event('flag-2', true));
    buffer.add(event('f'));
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['flag-1', 'e', 'flag-2', 'f']);
  });

  it('puts older events before the buffered ones, letting the oldest go past its capacity', () => {
    const buffer = new RoomBuffer(3);
    for (const id of ['live1', 'live2']) buffer.add(event(id));
    buffer.prepend([event('old1'), event('old-flag', true), event('old2')]);
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['old-flag', 'old2', 'live1', 'live2']);
    expect(buffer.get('old-flag')?.flags).toEqual([{ ruleId: 'r1', start: 0, end: 4 }]);
  });

  it('pins an event flagged after it came in its arrival place, and keeps it through a flood', () => {
    const buffer = new RoomBuffer(3);
    for (const id of ['a', 'b', 'c']) buffer.add(event(id));
    buffer.add(event('flag-1', true));
    const late = { ruleId: 'automod-raid', reason: 'copy-paste raid', severity: 'high' } as const;
    expect(buffer.addFlags('b', [late])?.flags).toEqual([late]);
    expect(buffer.addFlags('flag-1', [late])?.flags).toEqual([
      { ruleId: 'r1', start: 0, end: 4 },
      late,
    ]);
    expect(buffer.addFlags('missing', [late])).toBeUndefined();
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['a', 'b', 'c', 'flag-1']);
    // The ring has room for three unflagged events again, and `b` stays however many come.
    for (const id of ['d', 'e', 'f', 'g']) buffer.add(event(id));
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['b', 'flag-1', 'e', 'f', 'g']);
    expect(buffer.get('b')?.flags).toEqual([late]);
  });

  it('changes a state in place and forgets nothing else', () => {
    const buffer = new RoomBuffer(5);
    buffer.add(event('a'));
    buffer.add(event('b'));
    expect(buffer.setState('a', 'hidden')).toBe(true);
    expect(buffer.get('a')?.state).toBe('hidden');
    expect(buffer.setState('missing', 'hidden')).toBe(false);
    expect(buffer.snapshot().map((e) => [e.id, e.state])).toEqual([
      ['a', 'hidden'],
      ['b', 'visible'],
    ]);
  });

  it('lets go of one event, in the ring or pinned, keeping the rest in order', () => {
    const buffer = new RoomBuffer(4);
    for (const id of ['a', 'b', 'c', 'd', 'e']) buffer.add(event(id, id === 'c'));
    buffer.add(event('f'));
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['b', 'c', 'd', 'e', 'f']);
    expect(buffer.remove('d')).toBe(true);
    expect(buffer.remove('c')).toBe(true);
    expect(buffer.remove('c')).toBe(false);
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['b', 'e', 'f']);
    expect(buffer.length).toBe(3);
    // The ring fills up again from where it was, and evicts the oldest first.
    for (const id of ['g', 'h']) buffer.add(event(id));
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['e', 'f', 'g', 'h']);
    expect(buffer.has('d')).toBe(false);
  });

  it('shrinks to a new scrollback keeping the newest and every flagged event', () => {
    const buffer = new RoomBuffer(10);
    buffer.add(event('flag', true));
    for (let i = 0; i < 10; i += 1) buffer.add(event(`m${i}`));
    buffer.resize(3);
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['flag', 'm7', 'm8', 'm9']);
  });

  it('past the safety limit of pinned events, releases one already acted on first', () => {
    const buffer = new RoomBuffer(1);
    buffer.add(event('first', true));
    buffer.add(event('handled', true));
    buffer.setState('handled', 'hidden');
    for (let i = 0; i < PINNED_LIMIT - 1; i += 1) buffer.add(event(`f${i}`, true));
    expect(buffer.has('handled')).toBe(false);
    expect(buffer.has('first')).toBe(true);
  });

  it('keeps a held message waiting for review, hidden though it is, like one not acted on', () => {
    const buffer = new RoomBuffer(1);
    const held = {
      ...event('held', true),
      held: { ruleId: 'r1', reason: 'contains “text”', at: 0 },
    };
    buffer.add(held);
    buffer.add(event('handled', true));
    // Hidden by its hold: not handled, so it waits.
    buffer.setState('held', 'hidden');
    buffer.setState('handled', 'hidden');
    buffer.markHandled('handled');
    expect(buffer.unhandledBy('u')).toEqual(['held']);
    for (let i = 0; i < PINNED_LIMIT - 1; i += 1) buffer.add(event(`f${i}`, true));
    expect(buffer.has('handled')).toBe(false);
    expect(buffer.has('held')).toBe(true);
    // Reviewed (denied), it goes first next time.
    buffer.setState('held', 'deleted');
    buffer.add(event('one more', true));
    expect(buffer.has('held')).toBe(false);
    expect(buffer.has('f0')).toBe(true);
  });

  it('past the limit, releases the oldest pinned events when none was acted on, keeping order', () => {
    const buffer = new RoomBuffer(2);
    for (let i = 0; i < 2 * PINNED_LIMIT + 5; i += 1) {
      buffer.add(event(`f${i}`, true));
      if (i % 1000 === 0) buffer.add(event(`m${i}`));
    }
    const ids = buffer.snapshot().map((e) => e.id);
    expect(buffer.length).toBe(PINNED_LIMIT + 2);
    expect(ids).toHaveLength(PINNED_LIMIT + 2);
    expect(ids.filter((id) => id.startsWith('f'))[0]).toBe(`f${PINNED_LIMIT + 5}`);
    expect(ids.slice(-3)).toEqual([
      `f${2 * PINNED_LIMIT + 2}`,
      `f${2 * PINNED_LIMIT + 3}`,
      `f${2 * PINNED_LIMIT + 4}`,
    ]);
    expect(ids).toContain('m20000');
    expect(buffer.has(`f${PINNED_LIMIT + 4}`)).toBe(false);
  });

  it('finds, changes and removes pinned events by id after older ones were let go and the list compacted', () => {
    const buffer = new RoomBuffer(3);
    for (let i = 0; i < PINNED_LIMIT + 500; i += 1) {
      buffer.add(event(`f${i}`, true));
      if (i % 100 === 0) buffer.add(event(`m${i}`));
    }
    // The first 500 are gone; the rest are found where they are, with their flags.
    expect(buffer.get('f499')).toBeUndefined();
    expect(buffer.has('f499')).toBe(false);
    expect(buffer.get('f500')).toMatchObject({ id: 'f500', flags: [{ ruleId: 'r1' }] });
    expect(buffer.setState(`f${PINNED_LIMIT}`, 'hidden')).toBe(true);
    expect(buffer.get(`f${PINNED_LIMIT}`)?.state).toBe('hidden');
    // An unflagged event in the ring is still found by its id.
    expect(buffer.setState(`m${PINNED_LIMIT + 400}`, 'hidden')).toBe(true);
    expect(buffer.get(`m${PINNED_LIMIT + 400}`)?.state).toBe('hidden');
    expect(buffer.authorAndText(`m${PINNED_LIMIT + 400}`)).toMatchObject({
      text: `text m${PINNED_LIMIT + 400}`,
      user: { id: 'u', name: 'u' },
    });
    expect(buffer.authorAndText(`f${PINNED_LIMIT}`)?.text).toBe(`text f${PINNED_LIMIT}`);
    expect(buffer.authorAndText('f499')).toBeUndefined();
    expect(buffer.remove('f600')).toBe(true);
    expect(buffer.get('f600')).toBeUndefined();
    expect(buffer.remove('f600')).toBe(false);
    // Flagged later, a ring event moves to the pinned ones and is found there.
    const late = buffer.addFlags(`m${PINNED_LIMIT + 300}`, [{ ruleId: 'r2', start: 0, end: 1 }]);
    expect(late?.flags.map((flag) => flag.ruleId)).toEqual(['r2']);
    expect(buffer.markHandled(`m${PINNED_LIMIT + 300}`)?.handled).toBe(true);
    expect(buffer.get(`m${PINNED_LIMIT + 300}`)?.flags.map((flag) => flag.ruleId)).toEqual(['r2']);
  });

  it('releases those acted on oldest first, and not one that was unhidden again', () => {
    const buffer = new RoomBuffer(1);
    for (const id of ['a', 'b', 'c', 'd']) buffer.add(event(id, true));
    buffer.setState('c', 'deleted');
    buffer.setState('b', 'hidden');
    buffer.setState('a', 'hidden');
    buffer.setState('a', 'visible');
    for (let i = 0; i < PINNED_LIMIT - 4; i += 1) buffer.add(event(`f${i}`, true));
    expect(buffer.length).toBe(PINNED_LIMIT);
    buffer.add(event('x1', true));
    expect([buffer.has('a'), buffer.has('b'), buffer.has('c')]).toEqual([true, false, true]);
    buffer.add(event('x2', true));
    expect([buffer.has('a'), buffer.has('c')]).toEqual([true, false]);
    buffer.add(event('x3', true));
    expect(buffer.has('a')).toBe(false);
    expect(buffer.has('d')).toBe(true);
  });
  it('after a change of scrollback, still releases the pinned events acted on first', () => {
    const buffer = new RoomBuffer(5);
    buffer.add(event('first', true));
    buffer.add(event('handled', true));
    buffer.setState('handled', 'deleted');
    buffer.resize(3);
    for (let i = 0; i < PINNED_LIMIT - 1; i += 1) buffer.add(event(`f${i}`, true));
    expect(buffer.has('handled')).toBe(false);
    expect(buffer.has('first')).toBe(true);
  });

  it('finds and releases an event acted on after the pinned list was compacted around it', () => {
    const buffer = new RoomBuffer(1);
    for (let i = 0; i < PINNED_LIMIT; i += 1) buffer.add(event(`f${i}`, true));
    buffer.setState('f5000', 'hidden');
    buffer.add(event('x0', true));
    expect(buffer.has('f5000')).toBe(false);
    expect(buffer.has('f0')).toBe(true);
    // A thousand more let go the oldest thousand; the list is compacted on the way.
    for (let i = 1; i <= 1000; i += 1) buffer.add(event(`x${i}`, true));
    expect(buffer.has('f999')).toBe(false);
    expect(buffer.has('f1000')).toBe(true);
    expect(buffer.setState('f8000', 'deleted')).toBe(true);
    expect(buffer.get('f8000')?.state).toBe('deleted');
    buffer.add(event('y', true));
    expect(buffer.has('f8000')).toBe(false);
    expect(buffer.has('f1000')).toBe(true);
    const ids = buffer.snapshot().map((e) => e.id);
    expect(ids).toHaveLength(PINNED_LIMIT);
    expect(buffer.length).toBe(PINNED_LIMIT);
    expect(ids.slice(0, 2)).toEqual(['f1000', 'f1001']);
    expect(ids.slice(-2)).toEqual(['x1000', 'y']);
    expect(ids).not.toContain('f5000');
    expect(ids).not.toContain('f8000');
  });

  it('marks an event handled in the ring or among the pinned, and its snapshot says so', () => {
    const buffer = new RoomBuffer(3);
    buffer.add(event('flag', true));
    buffer.add(event('a'));
    expect(buffer.markHandled('flag')).toEqual({ ...event('flag', true), handled: true });
    expect(buffer.markHandled('a')?.handled).toBe(true);
    expect(buffer.markHandled('missing')).toBeUndefined();
    expect(buffer.snapshot().map((e) => [e.id, e.handled])).toEqual([
      ['flag', true],
      ['a', true],
    ]);
  });

  it('past the limit, releases a pinned event marked handled before older ones still waiting', () => {
    const buffer = new RoomBuffer(1);
    for (const id of ['a', 'b', 'c']) buffer.add(event(id, true));
    buffer.markHandled('b');
    // Unhidden again after a hide by the moderator: handled all the same.
    buffer.setState('c', 'hidden');
    buffer.setState('c', 'visible');
    buffer.markHandled('c');
    for (let i = 0; i < PINNED_LIMIT - 3; i += 1) buffer.add(event(`f${i}`, true));
    buffer.add(event('x1', true));
    expect([buffer.has('a'), buffer.has('b'), buffer.has('c')]).toEqual([true, false, true]);
    buffer.add(event('x2', true));
    expect([buffer.has('a'), buffer.has('c')]).toEqual([true, false]);
  });

  it('keeps a DM to the moderator past the scrollback, as it keeps a flagged event, until handled', () => {
    const buffer = new RoomBuffer(3);
    buffer.add({ ...event('dm'), kind: 'dm', toModerator: true });
    for (let i = 0; i < 5; i += 1) buffer.add(event(`m${i}`));
    expect(buffer.has('dm')).toBe(true);
    expect(buffer.markHandled('dm')?.handled).toBe(true);
    expect(buffer.snapshot().map((e) => e.id)).toEqual(['dm', 'm2', 'm3', 'm4']);
  });

  it("names a user's flagged events and DMs to the moderator that wait, and nothing else", () => {
    const buffer = new RoomBuffer(10);
    const by = (id: string, userId: string, flagged: boolean, toModerator = false): ChatEvent => ({
      ...event(id, flagged),
      user: { id: userId, name: userId },
      ...(toModerator ? { kind: 'dm' as const, toModerator } : {}),
    });
    buffer.add(by('f1', 'troll', true));
    buffer.add(by('plain', 'troll', false));
    buffer.add(by('dm', 'troll', false, true));
    buffer.add(by('f2', 'troll', true));
    buffer.add(by('other', 'someone', true));
    buffer.add(by('f3', 'troll', true));
    buffer.setState('f2', 'hidden');
    buffer.markHandled('f3');
    expect(buffer.unhandledBy('troll').sort()).toEqual(['dm', 'f1']);
    expect(buffer.unhandledBy('nobody')).toEqual([]);
  });

  it('finds an event by id in the ring and among the pinned, and gives back what it was given', () => {
    const buffer = new RoomBuffer(3);
    const pinned: ChatEvent = {
      ...event('flag', true),
      user: { id: 'u7', name: '칠', avatar: 'https://example.com/a.png' },
      text: 'a "quoted" \\ line\n with 한국어 and 😅',
      createdAt: 1_795_000_000_123,
      receivedAt: 1_795_000_000_456.5,
      customType: 'note',
      data: { grade: 'vip', nested: [1, 'two', null] },
      receivers: ['u1'],
      toModerator: true,
      counts: { total: 12, participants: 3 },
    };
    buffer.add(pinned);
    for (const id of ['a', 'b', 'c', 'd']) buffer.add(event(id));
    expect(buffer.get('flag')).toEqual(pinned);
    expect(buffer.get('b')).toEqual(event('b'));
    expect(buffer.get('a')).toBeUndefined();
    expect(buffer.setState('a', 'hidden')).toBe(false);
    expect(buffer.setState('flag', 'hidden')).toBe(true);
    expect(buffer.get('flag')).toEqual({ ...pinned, state: 'hidden' });
    expect(buffer.authorAndText('flag')).toMatchObject({ user: pinned.user, text: pinned.text });
    expect(buffer.snapshot()).toEqual([
      { ...pinned, state: 'hidden' },
      event('b'),
      event('c'),
      event('d'),
    ]);
  });
});

describe('RoomBuffer finding events by id', () => {
  /** A small seeded generator, so that a failure can be replayed. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
      return state / 0x1_0000_0000;
    };
  }

  it('finds what a search of its snapshot finds, through adds, flags, removals, states and resizes', () => {
    const next = random(28);
    const buffer = new RoomBuffer(8);
    const ids: string[] = [];
    for (let step = 0; step < 4_000; step += 1) {
      const roll = next();
      const known = ids[Math.floor(next() * ids.length)];
      if (roll < 0.55 || known === undefined) {
        const id = `m${step}`;
        ids.push(id);
        buffer.add(event(id, next() < 0.1));
      } else if (roll < 0.75) {
        buffer.addFlags(known, [{ ruleId: 'automod-raid', reason: 'raid', severity: 'medium' }]);
      } else if (roll < 0.85) {
        buffer.remove(known);
      } else if (roll < 0.95) {
        buffer.setState(known, next() < 0.5 ? 'hidden' : 'deleted');
      } else if (roll < 0.99) {
        buffer.markHandled(known);
      } else {
        buffer.resize(4 + Math.floor(next() * 12));
      }
      if (step % 97 !== 0) continue;
      const snapshot = new Map(buffer.snapshot().map((kept) => [kept.id, kept]));
      for (const id of ids)
        expect(buffer.get(id), `${id} at step ${step}`).toEqual(snapshot.get(id));
    }
  });
});

describe('SharedUsers', () => {
  it('hands back the user it already has for the same id, name and avatar', () => {
    const users = new SharedUsers();
    const first = users.share({ id: 'u1', name: 'Ann', avatar: 'a.svg' });
    expect(users.share({ id: 'u1', name: 'Ann', avatar: 'a.svg' })).toBe(first);
    const renamed = { id: 'u1', name: 'Annie', avatar: 'a.svg' };
    expect(users.share(renamed)).toBe(renamed);
    expect(users.share({ id: 'u1', name: 'Annie', avatar: 'a.svg' })).toBe(renamed);
    const noAvatar = { id: 'u1', name: 'Annie' };
    expect(users.share(noAvatar)).toBe(noAvatar);
  });

  it('starts over past its limit instead of growing', () => {
    const users = new SharedUsers(2);
    const a = users.share({ id: 'a', name: 'A' });
    users.share({ id: 'b', name: 'B' });
    users.share({ id: 'c', name: 'C' });
    const again = { id: 'a', name: 'A' };
    expect(users.share(again)).toBe(again);
    expect(again).not.toBe(a);
  });
});

describe('Batcher', () => {
  it('sends at most one batch every 50 ms, with events in order', () => {
    const clock = new FakeClock();
    const sent: ChatEvent[][] = [];
    const batcher = new Batcher(clock, (batch) => sent.push(batch.events));
    batcher.event(event('a'));
    batcher.event(event('b'));
    clock.advance(49);
    expect(sent).toEqual([]);
    clock.advance(1);
    expect(sent.map((batch) => batch.map((e) => e.id))).toEqual([['a', 'b']]);
    clock.advance(1000);
    expect(sent).toHaveLength(1);
  });

  it('sends at once when 500 events are waiting', () => {
    const clock = new FakeClock();
    const sizes: number[] = [];
    const batcher = new Batcher(clock, (batch) => sizes.push(batch.events.length));
    for (let i = 0; i < 1200; i += 1) batcher.event(event(`m${i}`));
    expect(sizes).toEqual([500, 500]);
    clock.advance(50);
    expect(sizes).toEqual([500, 500, 200]);
  });

  it('carries updates and keeps only the latest stats of a room', () => {
    const clock = new FakeClock();
    const batches: unknown[] = [];
    const batcher = new Batcher(clock, (batch) => batches.push(batch));
    batcher.update({ roomKey: 'acc/1', id: 'a', state: 'hidden' });
    batcher.stat({ roomKey: 'acc/1', rate: 1 });
    batcher.stat({ roomKey: 'acc/1', rate: 2, participants: 5 });
    clock.advance(50);
    expect(batches).toEqual([
      {
        events: [],
        updates: [{ roomKey: 'acc/1', id: 'a', state: 'hidden' }],
        stats: [{ roomKey: 'acc/1', rate: 2, participants: 5 }],
      },
    ]);
  });
});

describe('Batcher and EventBus with an event the window cannot take', () => {
  /** An event whose data is nested too deep for JSON.stringify and structured clone. */
  function unsendable(id: string): ChatEvent {
    let data: unknown = 1;
    for (let level = 0; level < 5000; level += 1) data = { a: data };
    return { ...event(id), data };
  }

  it('drops and reports that event only, and the window still gets the rest of the batch', () => {
    const clock = new FakeClock();
    const bus = new EventBus();
    const asJson: string[][] = [];
    const asClone: string[][] = [];
    const all: string[][] = [];
    // As the browser host sends (JSON) and as Electron's IPC does (structured clone).
    bus.subscribe((name, payload) => {
      if (name !== 'feed.batch') return;
      const sent = JSON.parse(JSON.stringify(payload)) as FeedBatch;
      asJson.push(sent.events.map((e) => e.id));
    });
    bus.subscribe((name, payload) => {
      if (name !== 'feed.batch') return;
      asClone.push(structuredClone(payload as FeedBatch).events.map((e) => e.id));
    });
    bus.subscribe((name, payload) => {
      if (name === 'feed.batch') all.push((payload as FeedBatch).events.map((e) => e.id));
    });
    const dropped: Array<[string, string]> = [];
    const batcher = new Batcher(
      clock,
      (batch, salvage) => bus.emit('feed.batch', batch, salvage),
      (bad, error) => dropped.push([bad.id, error.name]),
    );
    batcher.event(event('a'));
    batcher.event(unsendable('deep'));
    batcher.event(event('b'));
    batcher.stat({ roomKey: 'acc/1', rate: 1 });
    expect(() => clock.advance(50)).not.toThrow();
    expect(asJson).toEqual([['a', 'b']]);
    expect(asClone).toEqual([['a', 'b']]);
    // A receiver that took the batch whole is not given it twice.
    expect(all).toEqual([['a', 'deep', 'b']]);
    expect(dropped).toEqual([['deep', 'RangeError']]);

    batcher.event(event('c'));
    clock.advance(50);
    expect(asJson).toEqual([['a', 'b'], ['c']]);
    expect(dropped).toHaveLength(1);
  });

  it('goes on to the other listeners when one throws, and says which event it was', () => {
    const failures: Array<[string, string]> = [];
    const bus = new EventBus({
      failed: (name, error) => failures.push([name, (error as Error).message]),
    });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('the window is gone');
    });
    bus.subscribe((name) => seen.push(name));
    expect(() => bus.emit('feed.gap', { roomKey: 'acc/1', from: 1, to: 2 })).not.toThrow();
    expect(seen).toEqual(['feed.gap']);
    expect(failures).toEqual([['feed.gap', 'the window is gone']]);
  });
});

describe('RateMeter', () => {
  it('averages messages per second over the last ten seconds', () => {
    const meter = new RateMeter();
    const start = 1_000_000;
    for (let second = 0; second < 10; second += 1) meter.count(start + second * 1000, 5);
    expect(meter.rate(start + 9_500)).toBe(5);
    expect(meter.rate(start + 14_000)).toBe(2.5);
    expect(meter.rate(start + 60_000)).toBe(0);
  });
});

describe('RecentIds', () => {
  it('reports a repeat and forgets the oldest past its limit', () => {
    const ids = new RecentIds(2);
    expect(ids.add('a')).toBe(true);
    expect(ids.add('a')).toBe(false);
    ids.add('b');
    ids.add('c');
    expect(ids.add('a')).toBe(true);
    expect(ids.add('c')).toBe(false);
  });
});
