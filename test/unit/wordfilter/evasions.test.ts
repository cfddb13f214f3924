/**
 * Issue #29, "Word filter, round two": masking symbols, symbols that separate, phrases,
 * contractions, enclosed letters and display order. Each row is [rule, text, flagged slice]; the
 * slice is what the moderator sees highlighted, or null when the text must not be flagged. The
 * innocent rows are the nearest texts people write without meaning the term.
 */
import { describe, expect, it } from 'vitest';
import { compileRules, type Rule } from '../../../src/shared/wordfilter';

type Row = [pattern: string, text: string, slice: string | null];

function slices(rule: Omit<Rule, 'id'>, text: string): string[] {
  return compileRules([{ id: 'rule', ...rule }])
    .match(text)
    .map((match) => text.slice(match.start, match.end));
}

function table(name: string, rows: Row[], extra: Partial<Rule> = {}) {
  describe(name, () => {
    it.each(rows)('the rule %j in %j highlights %j', (pattern, text, slice) => {
      expect(slices({ pattern, ...extra }, text)).toEqual(slice === null ? [] : [slice]);
    });
  });
}

/** The innocent texts of the issue, against the rules they come near. */
const INNOCENT: Row[] = [
  ['ass', 'assistant', 'ass'],
  ['cunt', 'Scunthorpe', 'cunt'],
  // Rules that are not whole-word match inside words, by design; the highlight is what was typed.
  ['hell', "she'll be fine", "he'll"],
  ['hell', 'shell', 'hell'],
  ['shit', 'this hit', null],
];

table('1. masking symbols in place of a letter', [
  ['bitch', 'b*tch', 'b*tch'],
  ['bitch', 'you b*tch!', 'b*tch'],
  ['shit', 'sh#t', 'sh#t'],
  ['prick', 'pri(k', 'pri(k'],
  ['stupid', 's+upid', 's+upid'],
  ['cretin', 'cr€tin', 'cr€tin'],
  ['wanker', 'vvanker', 'vvanker'],
  ['wanker', 'VVanker', 'VVanker'],
  ['idiot', 'id😡ot', 'id😡ot'],
  ['idiot', 'id👍🏽ot', 'id👍🏽ot'],
  ['idiot', 'what an id%ot', 'id%ot'],
  ['scumbag', 'sc*mb*g', 'sc*mb*g'],
  ['bitch', '$h*t b*7ch', 'b*7ch'],
  // ⌊n/3⌋ masked letters at most, each with a real letter on either side.
  ['bitch', 'b**ch', null],
  ['bitch', '*itch', null],
  ['bitch', 'bitc*', null],
  ['fuck', 'f**k', null],
  ['idiot', 'i*i*t', null],
  ['bad', 'b*d', 'b*d'],
  ['bad', 'b* d', null],
  // Symbols that are not masks.
  ['tit', 'AT&T', null],
  ['bad', 'b-d', null],
  ['bad', 'b.d', null],
  ['bad', "b'd", null],
  // Emoji next to a word are not masks.
  ['idiot', 'id😡 ot', null],
  ['idiot', 'idiot😡', 'idiot'],
  ...INNOCENT,
]);

table(
  '1. masking symbols under a whole-word rule',
  [
    ['bitch', 'b*tch', 'b*tch'],
    ['bitch', 'b*tches', null],
    ['bitch', 'xb*tch', null],
    ['ass', 'a*s', 'a*s'],
    // As typed, `*` also separates two words, so the stored reading still sees `ass` on its own.
    ['ass', 'cl*ass', 'ass'],
    ['idiot', 'so id😡ot.', 'id😡ot'],
  ],
  { wholeWord: true },
);

table('2. symbols that alternate with single letters separate them', [
  ['dumb', 'd|u|m|b', 'd|u|m|b'],
  ['idiot', 'i!d!i!o!t', 'i!d!i!o!t'],
  ['idiot', 'you i!d!i!o!t!', 'i!d!i!o!t'],
  ['idiot', '1!d!1!0!t', '1!d!1!0!t'],
  ['bad', 'b*a*d', 'b*a*d'],
  ['bad', 'b|a*d', 'b|a*d'],
  // One symbol is still a leet letter.
  ['shit', 'sh!t', 'sh!t'],
  ['hit', 'h!t', 'h!t'],
  ['dumb', 'd|u|mb', null],
  ...INNOCENT,
]);

table('3. phrases', [
  ['shut up', 'shut up', 'shut up'],
  ['shut up', 'shutup', 'shutup'],
  ['shut up', 'SHUTUP!', 'SHUTUP'],
  ['shut up', 'shut-up', 'shut-up'],
  ['shut up', 'shut - up', 'shut - up'],
  ['shut up', 's h u t u p', 's h u t u p'],
  ['shut up', 's.h.u.t u.p', 's.h.u.t u.p'],
  ['shut up', 'oh shut   up now', 'shut   up'],
  ['shut up', 'sh*tup', 'sh*tup'],
  ['shut up', 'shut down', null],
  ['shut up', 'shut the door, up we go', null],
  ...INNOCENT,
]);

table(
  '3. phrases under a whole-word rule',
  [
    ['shut up', 'shutup', 'shutup'],
    ['shut up', 'oh shut up!', 'shut up'],
    ['shut up', 'shutups', null],
  ],
  { wholeWord: true },
);

table(
  '4. contractions under whole-word rules',
  [
    ['hell', "she'll be fine", null],
    ['hell', "he'll be fine", null],
    ['hell', 'he’ll be fine', null],
    ['ill', "I'll go", null],
    ['ill', "you'll see", null],
    ['hey', "they're here", null],
    ['cant', "can't", null],
    ['hell', 'shell', null],
    ['hell', 'what the hell', 'hell'],
    ['hell', "h'e'l'l", "h'e'l'l"],
    ['hell', "he'l'l", "he'l'l"],
    ['shit', "sh'it", "sh'it"],
    ['cunt', "cun't", "cun't"],
    // The word before a contraction or a possessive is a word of its own.
    ['idiot', "that idiot's car", 'idiot'],
    ['idiot', "the idiot'll try", 'idiot'],
    ['ass', 'assistant', null],
    ['cunt', 'Scunthorpe', null],
    ['shit', 'this hit', null],
  ],
  { wholeWord: true },
);

table('5. enclosed, squared and circled letters, regional indicators', [
  ['dumb', '🅳🆄🅼🅱', '🅳🆄🅼🅱'],
  ['dumb', '🅳 🆄 🅼 🅱', '🅳 🆄 🅼 🅱'],
  ['scam', 'Ⓢⓒⓐⓜ', 'Ⓢⓒⓐⓜ'],
  ['scam', '🅢🅒🅐🅜', '🅢🅒🅐🅜'],
  ['bad', '🄱🄰🄳', '🄱🄰🄳'],
  ['bad', '🇧 🇦 🇩', '🇧 🇦 🇩'],
  ['bad', 'so 🇧🇦🇩!', '🇧🇦🇩'],
  ['bad', '⒝⒜⒟', '⒝⒜⒟'],
  ['bad', '🅱🅰🅳', '🅱🅰🅳'],
  ['bad', '🅱️🅰️🅳', '🅱️🅰️🅳'],
  ['bad', '🄱🄴🄳', null],
  ...INNOCENT,
]);

table('8. display order: text reversed by bidirectional controls', [
  ['idiot', '\u202etoidi\u202c', 'toidi'],
  ['idiot', 'you \u202etoidi\u202c ok', 'toidi'],
  ['idiot', 'you \u202etoidi', 'toidi'],
  ['idiot', '\u2067\u202etoidi\u202c\u2069', 'toidi'],
  ['idiot', 'i\u202etoid\u202c', 'i\u202etoid'],
  ['idiot', 'idiot \u202eok\u202c', 'idiot'],
  // An override inside another one turns back to left to right.
  ['idiot', '\u202e\u202didiot\u202c\u202c', 'idiot'],
  // Displayed as `toidi`, stored as `idiot`: both readings count.
  ['idiot', '\u202eidiot\u202c', 'idiot'],
  // A new line ends the override.
  ['idiot', '\u202eto\nidi', null],
  ...INNOCENT,
]);

describe('masked letters in the match', () => {
  it('says which letter each symbol stands for, with its span in the text', () => {
    const text = 'ok id😡ot';
    const [match] = compileRules([{ id: 'r', pattern: 'idiot' }]).match(text);
    expect(match).toMatchObject({ start: 3, end: 9 });
    expect(match?.masked).toEqual([{ start: 5, end: 7, letter: 'i' }]);
  });

  it('lists two masks in order', () => {
    const [match] = compileRules([{ id: 'r', pattern: 'scumbag' }]).match('sc*mb#g');
    expect(match?.masked).toEqual([
      { start: 2, end: 3, letter: 'u' },
      { start: 5, end: 6, letter: 'a' },
    ]);
  });

  it('has no masked letters for a match without masks', () => {
    const [match] = compileRules([{ id: 'r', pattern: 'bitch' }]).match('bitch');
    expect(match).toEqual({ ruleId: 'r', start: 0, end: 5 });
  });

  it('lets an allowed term excuse a masked hit', () => {
    const rule: Rule = { id: 'r', pattern: 'ass', exceptions: ['assistant'] };
    expect(compileRules([rule]).match('a*sistant')).toEqual([]);
  });
});

describe('explain names the reading a hit was found in', () => {
  it('shows the alternate reading with masks as *', () => {
    const explanation = compileRules([{ id: 'r', pattern: 'shit' }]).explain('sh#t');
    expect(explanation.alternate).toBe('sh*t');
    expect(explanation.hits).toMatchObject([
      { text: 'sh#t', normalizedText: 'sh*t', reading: 'alternate' },
    ]);
  });

  it('shows the text in display order', () => {
    const explanation = compileRules([{ id: 'r', pattern: 'idiot' }]).explain('\u202etoidi\u202c');
    expect(explanation.displayed).toBe('idiot');
    expect(explanation.hits).toMatchObject([
      { text: 'toidi', normalizedText: 'idiot', reading: 'displayed' },
    ]);
  });

  it('has neither for a text read as stored', () => {
    const explanation = compileRules([{ id: 'r', pattern: 'idiot' }]).explain('idiot');
    expect(explanation.alternate).toBeUndefined();
    expect(explanation.displayed).toBeUndefined();
    expect(explanation.hits[0]?.reading).toBeUndefined();
  });
});
