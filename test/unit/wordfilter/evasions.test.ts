/**
 * Issue #29, "Word filter, round two". Each row is [rule, text, flagged slice]; the
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

table('3. phrases', [
  ['shut up', 'shut up', 'shut up'],
  ['shut up', 'shutup', 'shutup'],
  ['shut up', 'SHUTUP!', 'SHUTUP'],
  ['shut up', 'shut-up', 'shut-up'],
  ['shut up', 'shut - up', 'shut - up'],
  ['shut up', 's h u t u p', 's h u t u p'],
  ['shut up', 's.h.u.t u.p', 's.h.u.t u.p'],
  ['shut up', 'oh shut   up now', 'shut   up'],
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
