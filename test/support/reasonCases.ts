/** Reasons as values with their words, for the tests of each place that says them. */
import type { ReasonData } from '../../src/shared/automod';

export const RAID: ReasonData & { kind: 'raid' } = {
  kind: 'raid',
  name: 'buy followers now',
  people: 6,
  peopleCapped: false,
  spanMs: 4000,
};

/** Every kind, with the English words automod and shield mode have always written for it. */
export const ENGLISH: Array<[ReasonData, string]> = [
  [{ kind: 'repeats', exact: true, times: 4, spanMs: 20_000 }, 'same message 4 times in 20 s'],
  [
    { kind: 'repeats', exact: false, times: 3, spanMs: 400 },
    'nearly the same message 3 times in 1 s',
  ],
  [RAID, 'copy-paste raid “buy followers now”: 6 people in 4 s'],
  [
    { ...RAID, people: 1, spanMs: 150_000 },
    'copy-paste raid “buy followers now”: 1 person in 3 min',
  ],
  [
    { ...RAID, people: 1000, peopleCapped: true, spanMs: 3 * 3_600_000 },
    'copy-paste raid “buy followers now”: 1000+ people in 3 h',
  ],
  [{ kind: 'flood', messages: 5, spanMs: 3000 }, '5 messages in 3 s'],
  [{ kind: 'newChatters', chatters: 8, spanMs: 10_000 }, '8 first-time chatters in 10 s'],
  [
    { kind: 'caps', capitals: 24, percent: 100, inName: false },
    '24 capitals, 100 % of the letters',
  ],
  [
    { kind: 'caps', capitals: 1, percent: 75, inName: true },
    'in the name: 1 capital, 75 % of the letters',
  ],
  [{ kind: 'symbols', run: 11, inName: false }, 'a run of 11 symbols or emoji'],
  [{ kind: 'symbols', run: 12, inName: true }, 'in the name: a run of 12 symbols or emoji'],
  [{ kind: 'links', host: 'cheapviews.shop', inName: false }, 'a link to cheapviews.shop'],
  [{ kind: 'links', host: 'spam.xyz', inName: true }, 'in the name: a link to spam.xyz'],
  [{ kind: 'mentions', people: 5 }, 'mentions 5 people'],
  [{ kind: 'mentions', people: 1 }, 'mentions 1 person'],
  [{ kind: 'length', characters: 450, limit: 400 }, 'a message of 450 characters (more than 400)'],
  [
    { kind: 'namePattern', place: 'name', regex: false, pattern: 'hoss', matched: 'H0SS' },
    'the name matches the term “hoss” (“H0SS”)',
  ],
  [
    {
      kind: 'namePattern',
      place: 'text',
      regex: true,
      pattern: 'free ?views',
      matched: 'freeviews',
    },
    'the text matches the pattern “free ?views” (“freeviews”)',
  ],
  [
    { kind: 'shieldRaid', raid: RAID },
    'shield: copy-paste raid “buy followers now”: 6 people in 4 s',
  ],
  [{ kind: 'wordTerm', pattern: 'followerz' }, 'contains “followerz”'],
  [{ kind: 'wordName', matched: 'free_viewers' }, 'name matches “free_viewers”'],
  [{ kind: 'shieldFirstMessage' }, 'shield: first message here'],
  [{ kind: 'shieldFirstSeen', agoMs: 180_000 }, 'shield: first seen 3 min ago'],
  // A clock set back: the shortest span, as `duration` has always said it.
  [{ kind: 'shieldFirstSeen', agoMs: -5000 }, 'shield: first seen 1 s ago'],
];

/** Korean, as the window and main's notices say them: every kind, both places alike. */
export const KOREAN: Array<[ReasonData, string]> = [
  [{ kind: 'repeats', exact: true, times: 4, spanMs: 20_000 }, '20초 동안 같은 메시지 4번'],
  [{ kind: 'repeats', exact: false, times: 3, spanMs: 400 }, '1초 동안 거의 같은 메시지 3번'],
  [RAID, '복사-붙여넣기 테러 “buy followers now”: 4초 동안 6명'],
  [
    { ...RAID, people: 1000, peopleCapped: true, spanMs: 3 * 3_600_000 },
    '복사-붙여넣기 테러 “buy followers now”: 3시간 동안 1000명 이상',
  ],
  [{ kind: 'flood', messages: 5, spanMs: 3000 }, '3초 동안 메시지 5개'],
  [{ kind: 'newChatters', chatters: 8, spanMs: 10_000 }, '10초 동안 처음 채팅한 사용자 8명'],
  [{ kind: 'caps', capitals: 24, percent: 100, inName: false }, '대문자 24개, 글자의 100%'],
  [{ kind: 'caps', capitals: 1, percent: 75, inName: true }, '닉네임에서: 대문자 1개, 글자의 75%'],
  [{ kind: 'symbols', run: 11, inName: false }, '기호나 이모지 11개 연속'],
  [{ kind: 'links', host: 'spam.xyz', inName: true }, '닉네임에서: spam.xyz 링크'],
  [{ kind: 'mentions', people: 5 }, '5명 멘션'],
  [{ kind: 'length', characters: 450, limit: 400 }, '450자 메시지 (400자 초과)'],
  [
    { kind: 'namePattern', place: 'name', regex: false, pattern: 'hoss', matched: 'H0SS' },
    '닉네임이 단어 “hoss”에 걸림 (“H0SS”)',
  ],
  [
    {
      kind: 'namePattern',
      place: 'text',
      regex: true,
      pattern: 'free ?views',
      matched: 'freeviews',
    },
    '메시지가 패턴 “free ?views”에 걸림 (“freeviews”)',
  ],
  [
    { kind: 'shieldRaid', raid: RAID },
    '보호막: 복사-붙여넣기 테러 “buy followers now”: 4초 동안 6명',
  ],
  [{ kind: 'wordTerm', pattern: 'followerz' }, '“followerz” 포함'],
  [{ kind: 'wordName', matched: 'free_viewers' }, '닉네임이 “free_viewers”에 걸림'],
  [{ kind: 'shieldFirstMessage' }, '보호막: 이 방에서 처음 쓴 메시지'],
  [{ kind: 'shieldFirstSeen', agoMs: 180_000 }, '보호막: 3분 전에 처음 봄'],
];
