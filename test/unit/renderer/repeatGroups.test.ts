import { describe, expect, it } from 'vitest';
import {
  collapsedKeys,
  extendRepeats,
  groupRepeats,
  REPEAT_WINDOW_MS,
  repeatText,
  type RepeatGroups,
  type RepeatSource,
} from '../../../src/renderer/src/lib/repeats';

/**
 * `[key, user, text, seconds]`; a user of `null` is a system line, `gap` a gap divider. A fifth
 * item says why the message was held: `raid:NAME` by a raid rule, `shield:NAME` by shield mode as
 * a raid's copy, `new` by shield mode as a new chatter's.
 */
type Line = [string, string | null, string, number, string?] | [string, 'gap'];

function heldAs(hold: string | undefined): RepeatSource['held'] {
  if (hold === undefined) return undefined;
  const [kind, name = ''] = hold.split(':');
  if (kind === 'raid') return { why: { kind: 'raid', name } };
  if (kind === 'shield') return { why: { kind: 'shieldRaid', raid: { name } } };
  return { why: { kind: 'shieldFirstMessage' } };
}

function eventsOf(lines: readonly Line[]): Map<string, RepeatSource> {
  const events = new Map<string, RepeatSource>();
  for (const line of lines) {
    if (line.length === 2) {
      events.set(line[0], { kind: 'gap', user: null, text: '', createdAt: 0 });
      continue;
    }
    const [key, user, text, seconds, hold] = line;
    events.set(key, {
      kind: user === null ? 'system' : 'message',
      user: user === null ? null : { id: user },
      text,
      createdAt: seconds * 1000,
      held: heldAs(hold),
    });
  }
  return events;
}

/** The runs as arrays of keys, in the order of their first copies. */
function runsOf(groups: RepeatGroups): string[][] {
  return [...groups.runs.values()].map((run) => [...run]);
}

function group(lines: readonly Line[]): string[][] {
  const events = eventsOf(lines);
  return runsOf(groupRepeats([...events.keys()], (key) => events.get(key)).groups);
}

const CASES: Array<{ name: string; lines: Line[]; runs: string[][] }> = [
  {
    name: 'four identical messages of one user in a row are one run',
    lines: [
      ['a', 'u1', 'buy followers', 0],
      ['b', 'u1', 'buy followers', 1],
      ['c', 'u1', 'buy followers', 2],
      ['d', 'u1', 'buy followers', 3],
    ],
    runs: [['a', 'b', 'c', 'd']],
  },
  {
    name: 'the same text from different users is not a run',
    lines: [
      ['a', 'u1', 'gg', 0],
      ['b', 'u2', 'gg', 1],
      ['c', 'u3', 'gg', 2],
    ],
    runs: [],
  },
  {
    name: 'case and spacing do not tell copies apart',
    lines: [
      ['a', 'u1', 'Buy  Followers', 0],
      ['b', 'u1', '  buy followers ', 1],
      ['c', 'u1', 'BUY\tFOLLOWERS', 2],
    ],
    runs: [['a', 'b', 'c']],
  },
  {
    name: 'other characters do (near repeats are not collapsed)',
    lines: [
      ['a', 'u1', 'buy followers', 0],
      ['b', 'u1', 'buy followers!', 1],
    ],
    runs: [],
  },
  {
    name: 'a pause longer than the window between two copies starts a new run',
    lines: [
      ['a', 'u1', 'hello', 0],
      ['b', 'u1', 'hello', REPEAT_WINDOW_MS / 1000],
      ['c', 'u1', 'hello', REPEAT_WINDOW_MS / 1000 + 61],
      ['d', 'u1', 'hello', REPEAT_WINDOW_MS / 1000 + 62],
    ],
    runs: [
      ['a', 'b'],
      ['c', 'd'],
    ],
  },
  {
    name: "other users' messages between the copies do not break a run",
    lines: [
      ['a', 'u1', 'spam', 0],
      ['b', 'u2', 'hi all', 1],
      ['c', 'u1', 'spam', 2],
      ['d', 'u3', 'spam', 3],
      ['e', 'u1', 'spam', 4],
    ],
    runs: [['a', 'c', 'e']],
  },
  {
    name: 'the user writing something else between the copies does',
    lines: [
      ['a', 'u1', 'spam', 0],
      ['b', 'u1', 'spam', 1],
      ['c', 'u1', 'sorry', 2],
      ['d', 'u1', 'spam', 3],
    ],
    runs: [['a', 'b']],
  },
  {
    name: 'two users repeating at once make two runs',
    lines: [
      ['a', 'u1', 'x', 0],
      ['b', 'u2', 'y', 0],
      ['c', 'u1', 'x', 1],
      ['d', 'u2', 'y', 1],
    ],
    runs: [
      ['a', 'c'],
      ['b', 'd'],
    ],
  },
  {
    name: 'a gap divider ends every run (messages may be missing there)',
    lines: [
      ['a', 'u1', 'spam', 0],
      ['g', 'gap'],
      ['b', 'u1', 'spam', 1],
      ['c', 'u1', 'spam', 2],
    ],
    runs: [['b', 'c']],
  },
  {
    name: 'system lines and blank texts are never copies',
    lines: [
      ['a', null, 'joined', 0],
      ['b', null, 'joined', 1],
      ['c', 'u1', '  ', 2],
      ['d', 'u1', '', 3],
    ],
    runs: [],
  },
  {
    name: "a raid's held copies are one run, whoever sent them and whatever chat comes between",
    lines: [
      ['a', 'n1', 'xq7 join my server', 0, 'raid:join my server'],
      ['b', 'u1', 'what a play', 0.1],
      ['c', 'n2', 'join my server zz', 0.2, 'raid:join my server'],
      ['d', 'n3', 'ab join my servar', 0.3, 'shield:join my server'],
      ['e', 'u2', 'lol', 0.4],
      ['f', 'n4', 'join my server', 0.5, 'raid:join my server'],
    ],
    runs: [['a', 'c', 'd', 'f']],
  },
  {
    name: 'two raids at once are two runs, and a new chatter held alone is no run',
    lines: [
      ['a', 'n1', 'free skins here', 0, 'raid:free skins here'],
      ['b', 'm1', 'buy followers now', 0, 'shield:buy followers now'],
      ['c', 'n2', 'free skins here!', 1, 'raid:free skins here'],
      ['d', 'm2', 'buy followers now', 1, 'shield:buy followers now'],
      ['e', 'x1', 'hi', 1, 'new'],
      ['f', 'x2', 'hello', 2, 'new'],
    ],
    runs: [
      ['a', 'c'],
      ['b', 'd'],
    ],
  },
  {
    name: "copies not held (or held later) stay rows of their own, and a raid's run ends after the window",
    lines: [
      ['a', 'n1', 'join my server', 0, 'raid:join my server'],
      ['b', 'n2', 'join my server', 1],
      ['c', 'n3', 'join my server', 2, 'raid:join my server'],
      ['d', 'n4', 'join my server', REPEAT_WINDOW_MS / 1000 + 3, 'raid:join my server'],
      ['e', 'n5', 'join my server', REPEAT_WINDOW_MS / 1000 + 4, 'raid:join my server'],
    ],
    runs: [
      ['a', 'c'],
      ['d', 'e'],
    ],
  },
  {
    name: "a raid copy is something else from its sender: it ends the sender's own run",
    lines: [
      ['a', 'u1', 'spam', 0],
      ['b', 'u1', 'spam', 1],
      ['c', 'u1', 'join my server', 2, 'raid:join my server'],
      ['d', 'u1', 'spam', 3],
      ['e', 'u1', 'spam', 4],
    ],
    runs: [
      ['a', 'b'],
      ['d', 'e'],
    ],
  },
];

describe('grouping repeated messages', () => {
  for (const { name, lines, runs } of CASES) {
    it(name, () => {
      expect(group(lines)).toEqual(runs);
    });
  }

  it('folds case and white space, and nothing else', () => {
    expect(repeatText('  Hello\u00a0 WORLD ')).toBe('hello world');
    expect(repeatText('ＡＢＣ')).toBe('abc');
    expect(repeatText('hello!')).not.toBe(repeatText('hello'));
  });

  it('lists every later copy with its first copy', () => {
    const events = eventsOf(CASES[0]!.lines);
    const { groups } = groupRepeats([...events.keys()], (key) => events.get(key));
    expect([...groups.firstOf]).toEqual([
      ['b', 'a'],
      ['c', 'a'],
      ['d', 'a'],
    ]);
  });
});

describe('grouping a room list as it grows and drops its oldest', () => {
  /** A room where u1 repeats "spam" every other message and others chat in between. */
  function room(count: number): Map<string, RepeatSource> {
    const lines: Line[] = [];
    for (let index = 0; index < count; index += 1) {
      const user = index % 2 === 0 ? 'u1' : `u${(index % 5) + 2}`;
      const text = index % 2 === 0 ? (index % 14 === 12 ? 'other' : 'spam') : `hello ${index}`;
      // Every third message a raid's held copy from a new account.
      if (index % 3 === 1)
        lines.push([`k${index}`, `n${index}`, `${index} free skins`, index, 'raid:free skins']);
      else lines.push([`k${index}`, user, text, index]);
    }
    return eventsOf(lines);
  }

  it('gives what grouping from the start gives, batch after batch', () => {
    const events = room(400);
    const all = [...events.keys()];
    const eventOf = (key: string) => events.get(key);
    let state = groupRepeats(all.slice(0, 10), eventOf);
    // Batches of 7 added, the list bounded at 100, and now and then a pinned key kept in front.
    for (let end = 17; end <= all.length; end += 7) {
      const kept = all.slice(Math.max(0, end - 100), end);
      const keys = end % 3 === 0 ? ['k0', ...kept.filter((key) => key !== 'k0')] : kept;
      state = extendRepeats(state, keys, eventOf);
      // The same runs; their order in the map does not matter.
      expect(runsOf(state.groups).sort()).toEqual(
        runsOf(groupRepeats(keys, eventOf).groups).sort(),
      );
      expect([...state.groups.firstOf].sort()).toEqual(
        [...groupRepeats(keys, eventOf).groups.firstOf].sort(),
      );
    }
  });

  it('leaves the groups of an earlier list as they were', () => {
    const events = room(60);
    const all = [...events.keys()];
    const eventOf = (key: string) => events.get(key);
    const earlier = groupRepeats(all.slice(0, 30), eventOf);
    const before = runsOf(earlier.groups);
    extendRepeats(earlier, all.slice(10, 60), eventOf);
    expect(runsOf(earlier.groups)).toEqual(before);
  });

  it('answers for an earlier list as it was while later lists drop its copies', () => {
    // A paused column keeps showing its list while the live one moves on a list's length.
    const events = room(200);
    const all = [...events.keys()];
    const eventOf = (key: string) => events.get(key);
    const shown = all.slice(0, 60);
    const earlier = groupRepeats(shown, eventOf);
    const fresh = groupRepeats(shown, eventOf).groups;
    let state = earlier;
    for (let end = 67; end <= 120; end += 7) {
      state = extendRepeats(state, all.slice(end - 60, end), eventOf);
    }
    expect(runsOf(state.groups).length).toBeGreaterThan(0);
    expect(runsOf(earlier.groups)).toEqual(runsOf(fresh));
    expect(shown.map((key) => earlier.groups.firstOf.get(key))).toEqual(
      shown.map((key) => fresh.firstOf.get(key)),
    );
    expect(earlier.groups.firstOf.size).toBe(fresh.firstOf.size);
  });

  it('remembers the runs of at most two lists of copies, however long a raid goes on', () => {
    const events = room(3000);
    const all = [...events.keys()];
    const eventOf = (key: string) => events.get(key);
    let state = groupRepeats(all.slice(0, 100), eventOf);
    for (let end = 107; end <= all.length; end += 7) {
      state = extendRepeats(state, all.slice(end - 100, end), eventOf);
    }
    // A raid's held copy every third message: a run of about a third of the list at any time.
    expect(Math.max(...runsOf(state.groups).map((run) => run.length))).toBeGreaterThan(30);
    expect(state.membership.size).toBeLessThanOrEqual(200);
  });

  it('starts a run again from a copy its run left alone', () => {
    const events = eventsOf([
      ['a', 'u1', 'buy followers', 0],
      ['b', 'u1', 'buy followers', 1],
      ['x', 'u2', 'hello', 2],
      ['c', 'u1', 'buy followers', 3],
    ]);
    const eventOf = (key: string) => events.get(key);
    const first = groupRepeats(['a', 'b', 'x'], eventOf);
    const alone = extendRepeats(first, ['b', 'x'], eventOf);
    expect(runsOf(alone.groups)).toEqual([]);
    expect(alone.groups.firstOf.get('b')).toBeUndefined();
    const again = extendRepeats(alone, ['b', 'x', 'c'], eventOf);
    expect(runsOf(again.groups)).toEqual([['b', 'c']]);
    expect([...again.groups.firstOf]).toEqual([['c', 'b']]);
    // The first list still has its own run.
    expect(runsOf(first.groups)).toEqual([['a', 'b']]);
    expect(first.groups.firstOf.get('b')).toBe('a');
  });

  it('groups a list from the start when it is not the earlier one grown', () => {
    const events = room(60);
    const all = [...events.keys()];
    const eventOf = (key: string) => events.get(key);
    const earlier = groupRepeats(all.slice(20, 40), eventOf);
    // A snapshot brought older messages in front.
    const keys = all.slice(0, 50);
    expect(runsOf(extendRepeats(earlier, keys, eventOf).groups).sort()).toEqual(
      runsOf(groupRepeats(keys, eventOf).groups).sort(),
    );
  });
});

describe('the rows of a list with its runs collapsed', () => {
  const events = eventsOf(CASES[5]!.lines);
  const keys = [...events.keys()];
  const { groups } = groupRepeats(keys, (key) => events.get(key));

  it('shows a collapsed run as its first copy', () => {
    expect(collapsedKeys(keys, groups, () => false)).toEqual(['a', 'b', 'd']);
  });

  it('shows every copy of an expanded run', () => {
    expect(collapsedKeys(keys, groups, (first) => first === 'a')).toBe(keys);
  });

  it('hands back the same list when nothing repeats', () => {
    const plain = ['b', 'd'];
    expect(
      collapsedKeys(plain, groupRepeats(plain, (key) => events.get(key)).groups, () => false),
    ).toBe(plain);
  });
});
