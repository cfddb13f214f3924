/**
 * A seeded chat corpus for the word-filter benchmark: English and Korean messages of 5–200
 * characters (uniform), a term list of synthetic words (so ordinary text rarely hits by chance),
 * and a share of messages with a planted evasion of a term.
 */
import type { Rule } from '../../src/shared/wordfilter';

/** mulberry32: a small, fast, seedable generator; the corpus must be the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const ENGLISH_WORDS = (
  'the a to and of is in it you that for on with this was are be have not but at so what can just ' +
  'like do my all if your they get me one we out up now no about how when there will would more ' +
  'lol lmao gg wp nice play game stream chat good great love hate team win lost round kill boss ' +
  'level map run jump shoot build craft loot drop rank match queue lag ping server fps clip vod ' +
  'hello hi hey bye thanks thank please sorry yes yeah nope okay ok wow omg wtf pog poggers kekw ' +
  'why who which where today tonight tomorrow yesterday week time again still even really very ' +
  'streamer mod mods ban timeout follow sub subs gift bits raid host emote hype clutch throw ' +
  'noob pro skill aim shot head heal tank dps support carry feed fed farm push defend attack'
).split(' ');

const KOREAN_WORDS = (
  '안녕하세요 감사합니다 ㅋㅋㅋ ㅎㅎ 진짜 대박 오늘 방송 재밌다 게임 잘한다 화이팅 최고 사랑해 ' +
  '좋아요 구독 알림 설정 다시 보기 지금 어디 뭐해 배고프다 저녁 점심 아침 시간 내일 어제 주말 ' +
  '친구 같이 하자 이거 저거 그거 너무 정말 아니 그래 맞아 왜 언제 누구 어떻게 여기 거기 ' +
  '선생님 학생 학교 회사 집 밥 라면 치킨 피자 커피 음악 노래 영화 드라마 축구 야구 농구 ' +
  '승리 패배 팀 보스 레벨 아이템 스킬 점수 순위 채팅 방장 매니저 후원 감동 웃기다 슬프다'
).split(' ');

const PUNCTUATION = ['!', '?', '.', ',', '...', '!!', '~', ':)', '😂', '👍', '🔥'];

const LATIN_SYLLABLES = [...'bdklmnprstvz'].flatMap((consonant) =>
  [...'aeiou'].map((vowel) => consonant + vowel),
);
const CODAS = ['', '', 'k', 'n', 'r', 's', 't', 'x', 'g', 'm', 'sh', 'rk'];
const HANGUL_SYLLABLES = [
  ...'씨발개새끼병신좆년놈미친존나꺼져닥쳐지랄염병썅빡대가리애자찐따호구등쉑걸레창녀',
];

export interface Corpus {
  messages: string[];
  /** Indices of messages with a planted evasion. */
  planted: number[];
  rules: Rule[];
}

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

/** Synthetic terms: Latin words of 2–3 syllables and Korean words of 2–3 syllables. */
function makeTerms(random: () => number, count: number): Rule[] {
  const seen = new Set<string>();
  const rules: Rule[] = [];
  while (rules.length < count) {
    const korean = random() < 0.3;
    let pattern = '';
    const syllables = 2 + Math.floor(random() * 2);
    for (let index = 0; index < syllables; index += 1) {
      pattern += korean ? pick(random, HANGUL_SYLLABLES) : pick(random, LATIN_SYLLABLES);
    }
    if (!korean) pattern += pick(random, CODAS);
    if (seen.has(pattern)) continue;
    seen.add(pattern);
    rules.push({
      id: `t${rules.length}`,
      pattern,
      kind: 'term',
      ...(!korean && random() < 0.1 ? { wholeWord: true } : {}),
    });
  }
  return rules;
}

const LEET: Record<string, string> = { a: '4', e: '3', o: '0', s: '5', t: '7', b: '8', i: '1' };
const CYRILLIC: Record<string, string> = { a: 'а', e: 'е', o: 'о', p: 'р', c: 'с', x: 'х', y: 'у' };
const INVISIBLES = ['\u200b', '\u200c', '\u200d', '\u2060', '\u00ad', '\ufeff'];

/** One way of dodging a list, applied to a term. */
export function evade(random: () => number, term: string): string {
  const characters = [...term];
  const korean = /[\uac00-\ud7a3]/.test(term);
  const technique = Math.floor(random() * 6);
  if (korean) {
    if (technique === 0) return term.normalize('NFD');
    const insert = pick(random, [' ', '1', '.', 'x', '*', '\u200b', 'ㅤ']);
    return characters.join(insert);
  }
  switch (technique) {
    case 0: {
      const swapped = characters.map((letter) => LEET[letter] ?? letter);
      // A word written entirely in digits reads as a number: keep the first letter.
      swapped[0] = characters[0]!;
      return swapped.join('');
    }
    case 1:
      return characters.join(pick(random, [' ', '-', '.', '_', '*']));
    case 2:
      return characters.join(pick(random, INVISIBLES));
    case 3:
      return characters.map((letter) => CYRILLIC[letter] ?? letter).join('');
    case 4:
      return characters
        .map((letter, index) =>
          index === 1 ? letter.repeat(2 + Math.floor(random() * 4)) : letter,
        )
        .join('')
        .toUpperCase();
    default:
      return characters
        .map((letter) => String.fromCharCode(letter.charCodeAt(0) + 0xfee0))
        .join('');
  }
}

function message(random: () => number, length: number): string {
  const words = random() < 0.5 ? ENGLISH_WORDS : KOREAN_WORDS;
  let text = '';
  while (text.length < length) {
    if (text !== '') text += ' ';
    const roll = random();
    if (roll < 0.06) text += pick(random, PUNCTUATION);
    else if (roll < 0.09) text += String(Math.floor(random() * 2000));
    else text += pick(random, words);
  }
  let cut = text.slice(0, length);
  if (/[\ud800-\udbff]$/.test(cut)) cut = cut.slice(0, -1);
  return cut;
}

/** The corpus for `messageCount` messages and `termCount` terms, the same for the same seed. */
export function buildCorpus(messageCount: number, termCount: number, seed = 20_240_604): Corpus {
  const random = seededRandom(seed);
  const rules = makeTerms(random, termCount);
  const messages: string[] = [];
  const planted: number[] = [];
  for (let index = 0; index < messageCount; index += 1) {
    const length = 5 + Math.floor(random() * 196);
    if (random() >= 0.02) {
      messages.push(message(random, length));
      continue;
    }
    const evasion = evade(random, pick(random, rules).pattern);
    const room = Math.max(0, length - evasion.length - 2);
    // A one-letter word next to a spaced-out evasion joins it (`a b a d` reads `abad`), in real
    // text as here; keep such words away from the planted evasion so that it stays what it is.
    const before = message(random, Math.floor(room / 2)).replace(/(^|\s)\S$/, '');
    const after = message(random, room - before.length).replace(/^\S(\s|$)/, '');
    messages.push([before, evasion, after].filter((part) => part !== '').join(' '));
    planted.push(index);
  }
  return { messages, planted, rules };
}
