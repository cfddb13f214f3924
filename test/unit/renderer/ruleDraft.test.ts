/**
 * The rule editor's arithmetic (`renderer/src/lib/ruleDraft.ts`): lists typed in one line and read
 * back whole, the words a provider's banned words can take, and the backtest combining lists as
 * main's feeds do and reading what they read.
 */
import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { Rule } from '../../../src/shared/model';
import {
  backtestDraft,
  fieldsOf,
  listOf,
  plainWords,
  ruleOf,
  textOfList,
} from '../../../src/renderer/src/lib/ruleDraft';
import type { RoomFeed } from '../../../src/renderer/src/stores/feed';

const ROOM = 'acc/1';

function feedOf(events: ChatEvent[]): RoomFeed {
  const keys = events.map((event) => `${ROOM}/${event.id}`);
  return {
    keys,
    byKey: new Map(events.map((event, index) => [keys[index]!, event])),
  } as unknown as RoomFeed;
}

function message(id: string, text: string, kind: ChatEvent['kind'] = 'message'): ChatEvent {
  return {
    roomKey: ROOM,
    id,
    messageId: id,
    kind,
    user: kind === 'system' ? null : { id: 'u1', name: 'Mina' },
    text,
    createdAt: 0,
    receivedAt: 0,
    state: 'visible',
    flags: [],
  };
}

describe('a list edited in one line', () => {
  const cases: Array<[string, string[]]> = [
    ['plain entries', ['assistant', 'class']],
    ['a name with a comma', ['Kim, Mina', 'Jun']],
    ['a name with a double quote', ['the "real" Mina']],
    ['a name with both', ['"Kim", Mina']],
  ];
  it.each(cases)('reads back %s whole', (_name, entries) => {
    expect(listOf(textOfList(entries))).toEqual(entries);
  });

  it('reads what people type: commas and lines, blanks and repeats dropped, quotes kept whole', () => {
    expect(listOf(' a, b\nc,, a ')).toEqual(['a', 'b', 'c']);
    expect(listOf('"Kim, Mina", Jun')).toEqual(['Kim, Mina', 'Jun']);
    expect(listOf('O"Brien')).toEqual(['O"Brien']);
  });

  it('keeps an exempt user whose name has a comma through an edit of the rule', () => {
    const rule: Rule = {
      id: 'r-x',
      pattern: 'scam',
      exemptUsers: ['Kim, Mina'],
      exceptions: ['a,b'],
    };
    const saved = ruleOf(fieldsOf(rule));
    if (!('rule' in saved)) throw new Error(saved.problem);
    expect(saved.rule.exemptUsers).toEqual(['Kim, Mina']);
    expect(saved.rule.exceptions).toEqual(['a,b']);
  });
});

describe("a provider's banned words", () => {
  it('takes plain words on the text with nothing spared, and nothing else', () => {
    const rules: Rule[] = [
      { id: 'a', pattern: 'scam' },
      { id: 'b', pattern: 'sp[a4]m', kind: 'regex' },
      { id: 'c', pattern: 'free viewers', scope: 'name' },
      { id: 'd', pattern: 'bot', scope: 'both' },
      { id: 'e', pattern: 'ass', exceptions: ['assistant'] },
      { id: 'f', pattern: 'noob', exemptUsers: ['Mina'] },
      { id: 'g', pattern: 'spam', action: 'hold', severity: 'high' },
    ];
    expect(plainWords(rules)).toEqual(['scam', 'spam']);
  });
});

describe('the backtest of a draft', () => {
  it("runs a room's own copy of a global rule in place of it, allowed terms and all", () => {
    const rooms = { [ROOM]: feedOf([message('m1', 'my assistant'), message('m2', 'you ass')]) };
    const global: Rule = { id: 'ass', pattern: 'ass' };
    const own: Rule = { ...global, exceptions: ['assistant'] };
    const result = backtestDraft(rooms, { global: [global], rooms: {} }, ROOM, [own]);
    expect(result.flagged.map((row) => row.key)).toEqual([`${ROOM}/m2`]);
    expect(result.noLongerFlagged.map((row) => row.key)).toEqual([`${ROOM}/m1`]);
  });

  it('reads only what main word-filters: not a system message', () => {
    const rooms = {
      [ROOM]: feedOf([
        message('s1', 'someone was removed for scam links', 'system'),
        message('m1', 'a scam'),
      ]),
    };
    const result = backtestDraft(rooms, { global: [], rooms: {} }, 'global', [
      { id: 'r', pattern: 'scam' },
    ]);
    expect(result.scanned).toBe(1);
    expect(result.flagged.map((row) => row.key)).toEqual([`${ROOM}/m1`]);
  });
});
