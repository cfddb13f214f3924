/**
 * Properties of the whole engine: it never throws, whatever the text, name or timing; a rule flags a
 * message once, when it comes or later as an earlier message of what it found, in the same room;
 * and what it remembers stays under its limits however many rooms, users and messages it sees.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAutomod,
  defaultAutomodConfig,
  type AutomodMessage,
} from '../../../src/shared/automod';
import { Random } from '../../../src/sandbox/core/random';

/** Texts no ordinary generator reaches: lone surrogates, marks without a base, controls. */
const ODD_TEXTS = [
  '\ud800',
  '\udfff\ud800',
  '\u0301\u0301\u0301',
  '\u202e\u2066bidi',
  '\u0000\u0007\u001b[31m',
  'ﷺ'.repeat(300),
  'ß'.repeat(3000),
  '👨‍👩‍👧‍👦'.repeat(200),
  'a'.repeat(10_000),
  '@'.repeat(500),
  'http://' + 'a.'.repeat(2000),
  'ㅋ'.repeat(1000),
  '',
  ' ',
];

const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.constantFrom(...ODD_TEXTS),
);

const message = fc.record({
  // One room and one user often enough for floods and repeats, whose earlier messages are named.
  roomKey: fc.oneof(
    { arbitrary: fc.constant('a/1'), weight: 3 },
    fc.constantFrom('a/1', 'a/2', 'b/1'),
  ),
  userId: fc.oneof(
    { arbitrary: fc.constant('u1'), weight: 3 },
    fc.constantFrom('u1', 'u2', 'u3', 'u4', 'u5', 'u6'),
  ),
  userName: text,
  text,
  afterMs: fc.oneof(fc.nat({ max: 300 }), fc.nat({ max: 5000 })),
  firstInRoom: fc.option(fc.boolean(), { nil: undefined }),
});

const VERDICT_KINDS = defaultAutomodConfig().rules.map((rule) => rule.kind);

describe('automod properties', () => {
  it('never throws, and every verdict names a rule and says why', () => {
    const config = defaultAutomodConfig();
    // Every detector reads names too, and a name pattern in each engine.
    for (const rule of config.rules) {
      if ('scope' in rule.params) rule.params.scope = 'both';
      if (rule.kind === 'namePattern') {
        rule.params.patterns = [
          { pattern: 'free ?views?', kind: 'regex', wholeWord: false },
          { pattern: 'bot', kind: 'term', wholeWord: true },
        ];
      }
    }
    fc.assert(
      fc.property(fc.array(message, { minLength: 1, maxLength: 40 }), (messages) => {
        const automod = createAutomod(config);
        let at = 1_700_000_000_000;
        // Per rule, the ids it flagged, when they came or later: none twice.
        const flaggedBy = new Map<string, Set<string>>();
        const roomOf = new Map<string, string>();
        messages.forEach(({ afterMs, firstInRoom, ...fields }, index) => {
          at += afterMs;
          const id = `m${index}`;
          const input: AutomodMessage = {
            ...fields,
            id,
            at,
            ...(firstInRoom === undefined ? {} : { firstInRoom }),
          };
          roomOf.set(id, input.roomKey);
          for (const verdict of automod.check(input)) {
            expect(VERDICT_KINDS).toContain(verdict.kind);
            expect(verdict.reason.trim()).not.toBe('');
            expect(verdict.reason).not.toMatch(/undefined|NaN|Infinity/);
            const flagged = flaggedBy.get(verdict.ruleId) ?? new Set<string>();
            flaggedBy.set(verdict.ruleId, flagged);
            for (const earlier of [...(verdict.earlier ?? []), id]) {
              expect(roomOf.get(earlier)).toBe(input.roomKey);
              expect(flagged.has(earlier)).toBe(false);
              flagged.add(earlier);
            }
          }
        });
      }),
      { numRuns: 150 },
    );
  });

  it('keeps what it remembers under its limits through a million messages', () => {
    const limits = { maxRooms: 12, maxUsers: 400, recentPerRoom: 32, raidsPerRoom: 3 };
    const config = { ...defaultAutomodConfig(), limits };
    // Keep a raid in memory for the whole run, so that the raid lists fill up.
    const raid = config.rules.find((rule) => rule.kind === 'raid')!;
    if (raid.kind === 'raid') raid.params.keepMs = 24 * 60 * 60 * 1000;
    const automod = createAutomod(config);
    const random = new Random(27);
    const templates = Array.from(
      { length: 5 },
      () => `${random.string(30, 'abcdefghijklmnopqrstuvwxyz')} cheap offer`,
    );
    let at = 1_700_000_000_000;
    let flagged = 0;
    for (let index = 0; index < 1_000_000; index += 1) {
      at += random.integer(0, 30);
      const raidCopy = random.chance(0.3);
      const verdicts = automod.check({
        // Four busy rooms, and many quiet ones that push each other out.
        roomKey: `acc/room${random.chance(0.8) ? random.integer(0, 3) : random.integer(4, 199)}`,
        userId: `user${random.integer(0, 49_999)}`,
        userName: 'someone',
        text: raidCopy
          ? random.pick(templates)
          : random.string(random.integer(1, 40), 'abcdefghijklmnopqrstuvwxyz '),
        at,
        firstInRoom: random.chance(0.5),
      });
      flagged += verdicts.length;
    }
    const stats = automod.stats();
    // Two rules keep users (repeats, flood), two keep rooms (raid, new chatters).
    expect(stats.users).toBe(2 * limits.maxUsers);
    expect(stats.rooms).toBe(2 * limits.maxRooms);
    expect(stats.recentMessages).toBeLessThanOrEqual(limits.maxRooms * limits.recentPerRoom);
    expect(stats.recentMessages).toBeGreaterThanOrEqual(4 * limits.recentPerRoom);
    expect(stats.raids).toBeLessThanOrEqual(limits.maxRooms * limits.raidsPerRoom);
    expect(stats.raids).toBeGreaterThanOrEqual(4 * limits.raidsPerRoom);
    expect(stats.clusters).toBeLessThanOrEqual(limits.maxRooms * limits.recentPerRoom);
    expect(flagged).toBeGreaterThan(0);
  }, 300_000);
});
