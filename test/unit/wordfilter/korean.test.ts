/**
 * Korean dodges of round two: laughter typed straight after a word, characters and jamo between
 * syllables, drawn-out vowels, and syllables typed apart with a particle on the last one. Each
 * with the nearest innocent texts, and the sandbox chatters' own evasions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRules, type Rule } from '../../../src/shared/wordfilter';
import {
  EVASION_KINDS,
  KOREAN_FORBIDDEN_WORDS,
  evade,
  type Chooser,
} from '../../../src/sandbox/core/words';

function flagged(rule: Omit<Rule, 'id'>, text: string): boolean {
  return compileRules([{ id: 'rule', ...rule }]).match(text).length > 0;
}

function table(
  name: string,
  positives: Array<[string, string]>,
  negatives: Array<[string, string]>,
) {
  describe(name, () => {
    it.each(positives)('the term %j flags %j', (pattern, text) => {
      expect(flagged({ pattern }, text)).toBe(true);
    });
    it.each(negatives)('the term %j does not flag %j', (pattern, text) => {
      expect(flagged({ pattern }, text)).toBe(false);
    });
  });
}

table(
  'laughter and jamo typed straight after a word',
  [
    ['바보', '바보ㅋㅋ'],
    ['바보', '바보ㅋ'],
    ['멍청이', '멍청이ㅎㅎ'],
    ['쓰레기', '쓰레기ㅋㅋㅋ'],
    ['쓰레기', '완전 쓰레기ㅋㅋㅋ 진짜'],
    ['바보', '바보ㅠㅠ'],
    ['꺼져', '꺼져ㅗ'],
    // Jamo typed one by one still compose as a keyboard would.
    ['도박', 'ㄷㅗㅂㅏㄱ'],
    ['바보', 'ㅂㅏㅂㅗ ㅋㅋ'],
  ],
  [
    // A syllable typed whole is what it is: 봌 is not 보.
    ['바보', '바봌ㅋ'],
    ['바보', '바봌'],
    // Initial-consonant abbreviations are rules of their own, not derived from the word.
    ['병신', 'ㅂㅅ'],
    ['바보', 'ㅂㅂ'],
  ],
);

table(
  'characters and jamo between two syllables',
  [
    ['바보', '바xyz보'],
    ['바보', '바x보'],
    ['멍청이', '멍1청2이'],
    ['바보', '바...보'],
    ['바보', '바ㅋ보'],
    ['바보', '바ㅋㅋㅋ보'],
    ['바보', '바.ㅋ.보'],
    ['바보', '바 ㅋ 보'],
    ['사기꾼', '사ㅋ기ㅎ꾼'],
    ['시발', '시abc발'],
  ],
  [
    ['바보', '바다 보러 가자'],
    ['바보', '바다보'],
    ['바보', '바 다 보'],
    ['바보', '바나나 보트'],
    ['바보', '바ㅋㅋㅋㅋ보'],
    ['바보', '바abcd보'],
    ['시발', '다시 발견했다'],
  ],
);

table(
  'drawn-out vowels',
  [
    ['바보', '바아아아보'],
    ['바보', '바아보'],
    ['꺼져', '꺼어어져'],
    ['도박', '도오오박'],
    ['멍청이', '멍청이이이'],
    ['바보', '바보오오오'],
    ['바보', '진짜 바아아보네'],
  ],
  [
    // Only the same vowel draws a syllable out: 우박 is hail.
    ['도박', '도우박'],
    ['바보', '바오보'],
    // After a final consonant a vowel alone is a syllable of its own.
    ['바보', '박아보'],
  ],
);

table(
  'syllables typed apart with a particle or an ending on the last one',
  [
    ['바보', '바 보네'],
    ['바보', '진짜 바 보네'],
    ['바보', '바 보 같은'],
    ['바보', '바-보야'],
    ['사기꾼', '사_기_꾼네'],
    ['사기꾼', '사 기 꾼이네'],
    ['멍청이', '멍 청 이네'],
    ['멍청이', '멍.청.이야'],
  ],
  [
    ['바보', '바다 보러 가자'],
    ['바보', '그 바다 보자'],
    ['바보', '바다 보네'],
    ['사기꾼', '사기 꾼다'],
  ],
);

describe('spans of the Korean dodges', () => {
  const matcher = compileRules([
    { id: 'fool', pattern: '바보' },
    { id: 'cheat', pattern: '사기꾼' },
  ]);

  it.each([
    ['바보ㅋㅋ', 0, 2],
    ['아 바xyz보', 2, 7],
    ['바아아아보', 0, 5],
    ['진짜 바 보네', 3, 6],
    ['사_기_꾼네', 0, 5],
  ])('%j: the hit spans [%i, %i)', (text, start, end) => {
    expect(matcher.match(text).map(({ start, end }) => [start, end])).toEqual([[start, end]]);
  });
});

describe('Latin innocents beside Korean rules', () => {
  const matcher = compileRules([
    { id: 'fool', pattern: '바보' },
    { id: 'ass', pattern: 'ass', wholeWord: true },
    { id: 'cunt', pattern: 'cunt', wholeWord: true },
    { id: 'hell', pattern: 'hell', wholeWord: true },
    { id: 'shit', pattern: 'shit', wholeWord: true },
  ]);

  it.each(['assistant', 'Scunthorpe', 'shell', 'this hit', 'a shell ㅋㅋ', '바다 this hit'])(
    'does not flag %j',
    (text) => {
      expect(matcher.match(text)).toEqual([]);
    },
  );
});

// The sandbox chatters' Korean lines (src/sandbox/core/chatter.ts, KOREAN_FORBIDDEN_LINES).
const SANDBOX_LINES = [
  '{word} 같은 소리 하네',
  '진짜 {word}네',
  '{word} ㅋㅋ',
  '완전 {word}',
  '{word} 아니야?',
];

/** Choices that walk through every option, so each separator and count is met. */
function walkingChooser(seed: number): Chooser {
  let turn = seed;
  return {
    integer: (min, max) => min + (turn++ % (max - min + 1)),
    pick: (items) => items[turn++ % items.length]!,
  };
}

describe('the sandbox chatters’ evasions', () => {
  const matcher = compileRules(KOREAN_FORBIDDEN_WORDS.map((word) => ({ id: word, pattern: word })));
  const cases = KOREAN_FORBIDDEN_WORDS.flatMap((word) =>
    EVASION_KINDS.flatMap((kind) =>
      SANDBOX_LINES.flatMap((line) =>
        [0, 1, 2, 3].map((seed) => ({
          word,
          text: line.replace('{word}', evade(word, kind, walkingChooser(seed))),
        })),
      ),
    ),
  );

  it('are all flagged, with the word they hide', () => {
    const missed = cases
      .filter(({ word, text }) => !matcher.match(text).some((hit) => hit.ruleId === word))
      .map(({ text }) => text);
    expect(missed).toEqual([]);
  });
});

describe('planted Korean dodges (property)', () => {
  const TERMS = ['바보', '멍청이', '사기꾼', '도박', '꺼져'];
  const matcher = compileRules(TERMS.map((term) => ({ id: term, pattern: term })));
  const FILLER = [
    '안녕',
    '진짜',
    '대박',
    '오늘',
    '방송',
    '게임',
    '최고',
    '감사합니다',
    'gg',
    'lol',
    '!',
    '😀',
  ];
  const GAPS = ['x', 'xy', 'xyz', '1', '.', '...', 'ㅋ', 'ㅋㅋ', '.ㅎ.', ' ', '\u200b', '_'];

  /** Vowel alone of the syllable's vowel: 바 → 아. */
  function vowelOf(syllable: string): string {
    const offset = syllable.charCodeAt(0) - 0xac00;
    return String.fromCharCode(0xac00 + 11 * 588 + (Math.floor(offset / 28) % 21) * 28);
  }

  interface Dodge {
    term: string;
    how: 'gaps' | 'stretch' | 'laughter' | 'apart';
    gap: string;
    stretch: number;
    ending: string;
  }

  const dodge: fc.Arbitrary<Dodge> = fc.record({
    term: fc.constantFrom(...TERMS),
    how: fc.constantFrom(
      'gaps' as const,
      'stretch' as const,
      'laughter' as const,
      'apart' as const,
    ),
    gap: fc.constantFrom(...GAPS),
    stretch: fc.integer({ min: 1, max: 4 }),
    ending: fc.constantFrom('네', '야', '한테', '같은'),
  });

  /** The dodge, and how many of its UTF-16 units the hit covers from its start. */
  function write({ term, how, gap, stretch, ending }: Dodge) {
    const syllables = [...term];
    if (how === 'gaps') {
      const text = syllables.join(gap);
      return { text, covered: text.length };
    }
    if (how === 'stretch') {
      // Only an open syllable can be drawn out.
      const text = syllables
        .map((syllable, index) =>
          index < syllables.length - 1 && (syllable.charCodeAt(0) - 0xac00) % 28 === 0
            ? syllable + vowelOf(syllable).repeat(stretch)
            : syllable,
        )
        .join('');
      return { text, covered: text.length };
    }
    if (how === 'laughter') return { text: `${term}${'ㅋ'.repeat(stretch)}`, covered: term.length };
    const apart = syllables.join(' ');
    return { text: `${apart}${ending}`, covered: apart.length };
  }

  it('are flagged at exactly the dodged word', () => {
    fc.assert(
      fc.property(
        dodge,
        fc.array(fc.constantFrom(...FILLER), { maxLength: 8 }),
        fc.nat(),
        (plan, words, position) => {
          const { text: dodged, covered } = write(plan);
          const at = words.length === 0 ? 0 : position % (words.length + 1);
          const before = words.slice(0, at).join(' ');
          const prefix = before === '' ? '' : `${before} `;
          const after = words.slice(at).join(' ');
          const text = `${prefix}${dodged}${after === '' ? '' : ` ${after}`}`;
          expect(matcher.match(text)).toEqual([
            { ruleId: plan.term, start: prefix.length, end: prefix.length + covered },
          ]);
        },
      ),
      { numRuns: 500 },
    );
  });
});
