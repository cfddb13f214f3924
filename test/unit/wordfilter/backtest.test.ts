/** Backtesting a draft rule list against buffered messages. */
import { describe, expect, it } from 'vitest';
import { MAX_SCANNED_UNITS, backtest, compileRules } from '../../../src/shared/wordfilter';

const messages = [
  { key: 'room-1/1', text: 'hello there' },
  { key: 'room-1/2', text: 'that was b4d' },
  { key: 'room-2/1', text: 'what a noob' },
  { key: 'room-2/2', text: 'noob and bad' },
  { key: 'room-2/3', text: 'a classic' },
];

describe('backtest', () => {
  it('lists the messages a draft flags, with its matches, in order', () => {
    const draft = compileRules([{ id: 'bad', pattern: 'bad' }]);
    expect(backtest(messages, draft)).toEqual({
      scanned: 5,
      flagged: [
        { key: 'room-1/2', matches: [{ ruleId: 'bad', start: 9, end: 12 }] },
        { key: 'room-2/2', matches: [{ ruleId: 'bad', start: 9, end: 12 }] },
      ],
    });
  });

  it('shows masked-letter and phrase matches with their exact spans', () => {
    const draft = compileRules([
      { id: 'bitch', pattern: 'bitch' },
      { id: 'shut-up', pattern: 'shut up' },
    ]);
    const typed = [
      { key: 'room-3/1', text: 'you b#tch' },
      { key: 'room-3/2', text: 'oh s h u t u p now' },
    ];
    expect(backtest(typed, draft).flagged).toEqual([
      {
        key: 'room-3/1',
        matches: [
          { ruleId: 'bitch', start: 4, end: 9, masked: [{ start: 5, end: 6, letter: 'i' }] },
        ],
      },
      { key: 'room-3/2', matches: [{ ruleId: 'shut-up', start: 3, end: 14 }] },
    ]);
  });

  it('compares a draft with the current rules', () => {
    const current = compileRules([
      { id: 'noob', pattern: 'noob' },
      { id: 'ass', pattern: 'ass' },
    ]);
    const draft = compileRules([
      { id: 'bad', pattern: 'bad' },
      { id: 'ass', pattern: 'ass', wholeWord: true },
    ]);
    const result = backtest(messages, draft, current);
    expect(result.flagged.map((hit) => hit.key)).toEqual(['room-1/2', 'room-2/2']);
    expect(result.newlyFlagged).toEqual([
      { key: 'room-1/2', matches: [{ ruleId: 'bad', start: 9, end: 12 }] },
    ]);
    expect(result.noLongerFlagged).toEqual([
      { key: 'room-2/1', matches: [{ ruleId: 'noob', start: 7, end: 11 }] },
      { key: 'room-2/3', matches: [{ ruleId: 'ass', start: 4, end: 7 }] },
    ]);
  });

  it('reports nothing changed for identical lists', () => {
    const rules = [{ id: 'noob', pattern: 'noob' }];
    const result = backtest(messages, compileRules(rules), compileRules(rules));
    expect(result.flagged).toHaveLength(2);
    expect(result.newlyFlagged).toEqual([]);
    expect(result.noLongerFlagged).toEqual([]);
  });

  it('counts an over-long message only where a rule matches it, and lists only the rules’ matches', () => {
    const long = 'x'.repeat(MAX_SCANNED_UNITS);
    const buffered = [
      { key: 'room-1/1', text: `${long} bad` },
      { key: 'room-1/2', text: `bad ${long}` },
    ];
    const flaggedBy = (patterns: string[]) =>
      backtest(
        buffered,
        compileRules(patterns.map((pattern) => ({ id: pattern, pattern }))),
        compileRules([]),
      );
    expect(flaggedBy([])).toEqual({
      scanned: 2,
      flagged: [],
      newlyFlagged: [],
      noLongerFlagged: [],
    });
    expect(flaggedBy(['bad'])).toEqual({
      scanned: 2,
      flagged: [{ key: 'room-1/2', matches: [{ ruleId: 'bad', start: 0, end: 3 }] }],
      newlyFlagged: [{ key: 'room-1/2', matches: [{ ruleId: 'bad', start: 0, end: 3 }] }],
      noLongerFlagged: [],
    });
  });

  it('flags a sender’s name for rules on names, with the name’s spans, where the name is given', () => {
    const named = [
      { key: 'room-1/1', text: 'hello all', name: 'xXscamKingXx' },
      { key: 'room-1/2', text: 'hello all', name: 'Fan' },
      // A message whose name main does not read (the moderator's own): no name given.
      { key: 'room-1/3', text: 'be nice' },
      { key: 'room-1/4', text: 'what a scam', name: 'Fan' },
    ];
    const onNames = {
      text: compileRules([]),
      names: compileRules([{ id: 'scam', pattern: 'scam' }]),
    };
    const onText = { text: compileRules([{ id: 'scam', pattern: 'scam' }]), names: null };
    expect(backtest(named, onNames, onText)).toEqual({
      scanned: 4,
      flagged: [
        { key: 'room-1/1', matches: [], nameMatches: [{ ruleId: 'scam', start: 2, end: 6 }] },
      ],
      newlyFlagged: [
        { key: 'room-1/1', matches: [], nameMatches: [{ ruleId: 'scam', start: 2, end: 6 }] },
      ],
      noLongerFlagged: [{ key: 'room-1/4', matches: [{ ruleId: 'scam', start: 7, end: 11 }] }],
    });
  });
});
