/**
 * Each detector on scripted chat: the spam it is for, and the crowd it must leave alone. A case
 * names the steps that must be flagged (every other step must not be) and the reason of the last.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createAutomod,
  englishReason,
  ReasonData,
  type AutomodRuleInput,
} from '../../../src/shared/automod';
import { commonText } from '../../../src/shared/automod/raids';
import { FlagSpan } from '../../../src/shared/chat';
import { junk, manyUsers, oneUser, replay, START, stepId, type Step } from './replay';

interface Case {
  name: string;
  steps: Step[];
  /** Indices of the steps the rule flags. */
  flagged: number[];
  /** The reason of the last flagged step, in words and as values. */
  reason?: string | RegExp;
  why?: ReasonData;
  /** Indices of the steps a later verdict names as earlier messages of what it found. */
  earlier?: number[];
}

function runCases(rule: AutomodRuleInput, cases: Case[]): void {
  it.each(cases)('$name', ({ steps, flagged, reason, why, earlier = [] }) => {
    const verdicts = replay([rule], steps);
    // Every verdict's words are its values in English, and its values are what a flag may carry.
    for (const verdict of verdicts.flat()) {
      expect(englishReason(verdict.why)).toBe(verdict.reason);
      expect(ReasonData.safeParse(verdict.why).success).toBe(true);
    }
    const flaggedSteps = verdicts.flatMap((found, index) => (found.length > 0 ? [index] : []));
    expect(flaggedSteps).toEqual(flagged);
    // Each earlier step is named once, by a later verdict, and only if it was not flagged itself.
    const named = verdicts.flatMap((found, index) =>
      found.flatMap((verdict) =>
        (verdict.earlier ?? []).map((id) => {
          const step = Number(id.slice(1));
          expect(id).toBe(stepId(step));
          expect(step).toBeLessThan(index);
          return step;
        }),
      ),
    );
    expect(named).toEqual(earlier);
    if (reason !== undefined) {
      const last = verdicts[flagged[flagged.length - 1]!]![0]!;
      expect(last.ruleId).toBe(rule.id);
      if (typeof reason === 'string') expect(last.reason).toBe(reason);
      else expect(last.reason).toMatch(reason);
    }
    if (why !== undefined) expect(verdicts[flagged[flagged.length - 1]!]![0]!.why).toEqual(why);
  });
}

const CROWD = ['gg', 'lol', 'ㅋㅋㅋ', 'first', '😂', 'LOL', 'ㅋㅋㅋㅋㅋㅋ', 'GG', 'first!!', '👍🏽'];

describe('repeats', () => {
  runCases({ id: 'repeats', kind: 'repeats' }, [
    {
      name: 'the same message three times',
      steps: oneUser('spammer', Array<string>(4).fill('follow me for daily giveaways'), 5000),
      flagged: [2, 3],
      earlier: [0, 1],
      reason: 'same message 4 times in 15 s',
      why: { kind: 'repeats', exact: true, times: 4, spanMs: 15_000 },
    },
    {
      name: 'changed case, punctuation and emoji',
      steps: oneUser('spammer', [
        'follow me for daily giveaways',
        'FOLLOW ME FOR DAILY GIVEAWAYS!!!',
        'follow me for daily giveaways 🎁🎁',
      ]),
      flagged: [2],
      earlier: [0, 1],
      reason: 'same message 3 times in 2 s',
      why: { kind: 'repeats', exact: true, times: 3, spanMs: 2000 },
    },
    {
      name: 'random characters before and after, and small edits',
      steps: oneUser('spammer', [
        'follow me for daily giveaways',
        `${junk(1)} follow me for daily giveaways`,
        `follow me for daily giveawys ${junk(2)}`,
        `${junk(3)} folow me for daily giveaways ${junk(4)}`,
      ]),
      flagged: [2, 3],
      earlier: [0, 1],
      reason: 'nearly the same message 4 times in 3 s',
      why: { kind: 'repeats', exact: false, times: 4, spanMs: 3000 },
    },
    {
      name: 'a reaction five times',
      steps: oneUser('fan', Array<string>(5).fill('gg')),
      flagged: [4],
      earlier: [0, 1, 2, 3],
      reason: 'same message 5 times in 4 s',
      why: { kind: 'repeats', exact: true, times: 5, spanMs: 4000 },
    },
    {
      name: 'other lines between the copies',
      steps: oneUser('spammer', [
        'follow me for daily giveaways',
        'what a round that was',
        'follow me for daily giveaways',
        'follow me for daily giveaways',
      ]),
      flagged: [3],
      earlier: [0, 2],
    },
    { name: 'gg twice', steps: oneUser('fan', ['gg', 'gg']), flagged: [] },
    { name: 'gg three times', steps: oneUser('fan', ['gg', 'GG', 'gg!']), flagged: [] },
    {
      name: 'different sentences',
      steps: oneUser('talker', [
        'what game is this',
        'oh it is the new one from that studio',
        'the music is really good',
        'what game is this again',
      ]),
      flagged: [],
    },
    {
      name: 'the same message spread over minutes',
      steps: oneUser('slow', Array<string>(3).fill('anyone from seoul here'), 40_000),
      flagged: [],
    },
    {
      name: 'many users saying the same (a raid, not a repeat)',
      steps: manyUsers(6, 'user', () => 'follow me for daily giveaways'),
      flagged: [],
    },
    {
      name: 'a crowd reacting',
      steps: CROWD.flatMap((text, index) => manyUsers(3, `crowd${index}-`, () => text, 200)),
      flagged: [],
    },
  ]);
});

const RAID_TEXT = 'FREE VIEWERS and followers at cheapviews dot shop';

describe('copy-paste raids', () => {
  runCases({ id: 'raid', kind: 'raid' }, [
    {
      name: 'fresh users with random prefixes and suffixes',
      steps: manyUsers(7, 'bot', (index) => `${junk(index)} ${RAID_TEXT} ${junk(index + 50)}`),
      flagged: [4, 5, 6],
      earlier: [0, 1, 2, 3],
      reason:
        /^copy-paste raid “.*FREE VIEWERS and followers at cheapviews dot shop.*”: 7 people in 6 s$/,
      why: {
        kind: 'raid',
        name: expect.stringContaining(RAID_TEXT) as string,
        people: 7,
        peopleCapped: false,
        spanMs: 6000,
      },
    },
    {
      name: 'a few changed characters',
      steps: manyUsers(
        6,
        'bot',
        (index) =>
          [
            RAID_TEXT,
            RAID_TEXT.replace('VIEWERS', 'VIEWRES'),
            RAID_TEXT.replace('cheap', 'cheep'),
            RAID_TEXT.replace('shop', 'sh0p'),
            RAID_TEXT.replace('and', '&'),
            RAID_TEXT.toLowerCase(),
          ][index]!,
      ),
      flagged: [4, 5],
      earlier: [0, 1, 2, 3],
    },
    {
      name: 'a copy long after the raid is recognised at once',
      steps: [
        ...manyUsers(5, 'bot', (index) => `${junk(index)} ${RAID_TEXT}`),
        { user: 'late', text: `${RAID_TEXT} ${junk(99)}`, afterMs: 120_000 },
      ],
      flagged: [4, 5],
      earlier: [0, 1, 2, 3],
      reason:
        'copy-paste raid “FREE VIEWERS and followers at cheapviews dot shop”: 6 people in 2 min',
      why: { kind: 'raid', name: RAID_TEXT, people: 6, peopleCapped: false, spanMs: 124_000 },
    },
    {
      name: 'chat between the copies, and a copy of the window before',
      steps: [
        { user: 'early', text: RAID_TEXT },
        ...manyUsers(6, 'bot', (index) =>
          index % 2 === 0 ? `${junk(index)} ${RAID_TEXT}` : `my cat number ${index} is asleep`,
        ).map((step, index) => ({ ...step, afterMs: index === 0 ? 70_000 : 1000 })),
        ...manyUsers(3, 'more', (index) => `${RAID_TEXT} ${junk(index + 20)}`),
      ],
      flagged: [8, 9],
      earlier: [1, 3, 5, 7],
    },
    {
      name: 'the crowd sending short reactions together',
      steps: CROWD.flatMap((text, index) => manyUsers(12, `crowd${index}-`, () => text, 100)),
      flagged: [],
    },
    {
      name: 'the crowd sending an allowed phrase together',
      steps: manyUsers(
        10,
        'fan',
        (index) =>
          [
            'Happy birthday!!',
            'happy birthday 🎂',
            'happy birthday streamer',
            'HAPPY BIRTHDAY MAN',
          ][index % 4]!,
      ),
      flagged: [],
    },
    {
      name: 'laughter of any length',
      steps: manyUsers(10, 'fan', (index) => 'haha'.repeat(3 + index)),
      flagged: [],
    },
    {
      name: 'different sentences from different users',
      steps: manyUsers(
        8,
        'user',
        (index) =>
          [
            'the boss fight music is great',
            'how long has the stream been on',
            'i think the left path was better',
            'does anyone know the name of this song',
            'my cat is watching the stream with me',
            'that jump was incredibly lucky',
            'can you show the settings again please',
            'greetings from a rainy afternoon in busan',
          ][index]!,
      ),
      flagged: [],
    },
    {
      name: 'copies too far apart',
      steps: manyUsers(6, 'user', () => RAID_TEXT, 70_000),
      flagged: [],
    },
  ]);
});

describe('floods', () => {
  runCases({ id: 'flood', kind: 'flood' }, [
    {
      name: 'five messages in two seconds',
      steps: oneUser('fast', ['a', 'b', 'c', 'd', 'e', 'f'], 400),
      flagged: [4, 5],
      earlier: [0, 1, 2, 3],
      reason: '5 messages in 2 s',
      why: { kind: 'flood', messages: 5, spanMs: 1600 },
    },
    {
      name: 'a lively chatter',
      steps: oneUser('talker', ['a', 'b', 'c', 'd', 'e', 'f', 'g'], 2000),
      flagged: [],
    },
    {
      name: 'a fast crowd, each once',
      steps: manyUsers(30, 'fan', () => 'gg', 50),
      flagged: [],
    },
  ]);
  runCases({ id: 'new', kind: 'newChatters' }, [
    {
      name: 'ten first-time chatters in five seconds',
      steps: manyUsers(11, 'new', () => 'hi').map((step) => ({
        ...step,
        afterMs: 500,
        firstInRoom: true,
      })),
      flagged: [9, 10],
      earlier: [0, 1, 2, 3, 4, 5, 6, 7, 8],
      reason: '10 first-time chatters in 5 s',
      why: { kind: 'newChatters', chatters: 10, spanMs: 4500 },
    },
    {
      name: 'first-time chatters a few a minute',
      steps: manyUsers(12, 'new', () => 'hi', 6000).map((step) => ({
        ...step,
        firstInRoom: true,
      })),
      flagged: [],
    },
    {
      name: 'regulars in a burst',
      steps: manyUsers(20, 'old', () => 'hi', 100).map((step) => ({ ...step, firstInRoom: false })),
      flagged: [],
    },
  ]);
});

function each(texts: string[], name?: string): Step[] {
  return texts.map((text, index) => ({ user: `u${index}`, text, ...(name ? { name } : {}) }));
}

describe('shape', () => {
  runCases({ id: 'caps', kind: 'caps' }, [
    { name: 'shouting', steps: each(['STOP SPAMMING THE CHAT NOW']), flagged: [0] },
    {
      name: 'shouting in another script',
      steps: each(['ЭТО ОЧЕНЬ ГРОМКОЕ СООБЩЕНИЕ']),
      flagged: [0],
      reason: '24 capitals, 100 % of the letters',
      why: { kind: 'caps', capitals: 24, percent: 100, inName: false },
    },
    {
      name: 'acronyms and reactions',
      steps: each(['NASA and the FBI met the CIA in NYC', 'GG', 'LOL', 'OMG WOW', '대박 ㅋㅋㅋ']),
      flagged: [],
    },
  ]);
  runCases({ id: 'caps-name', kind: 'caps', params: { scope: 'name' } }, [
    {
      name: 'a shouting name',
      steps: each(['hello'], 'BUYFOLLOWERSNOW'),
      flagged: [0],
      reason: 'in the name: 15 capitals, 100 % of the letters',
      why: { kind: 'caps', capitals: 15, percent: 100, inName: true },
    },
  ]);
  runCases({ id: 'symbols', kind: 'symbols' }, [
    { name: 'a run of exclamation marks', steps: each(['!!!!!!!!!!!!!']), flagged: [0] },
    {
      name: 'a wall of emoji, with spaces and skin tones',
      steps: each(['🔥 🔥 🔥 🔥 🔥 👍🏽 👍🏽 👍🏽 👍🏽 👍🏽 👍🏽']),
      flagged: [0],
      reason: 'a run of 11 symbols or emoji',
      why: { kind: 'symbols', run: 11, inName: false },
    },
    {
      name: 'a few emoji and punctuation',
      steps: each(['😂😂😂', 'what?!', '👨‍👩‍👧 family day', '...', 'ok :) :) :)']),
      flagged: [],
    },
  ]);
  runCases(
    { id: 'links', kind: 'links', params: { allowedDomains: ['youtube.com', 'Twitch.tv'] } },
    [
      {
        name: 'links of every form',
        steps: each([
          'visit cheapviews.shop now',
          'https://bit.ly/abc123',
          'go to www.example.org/path',
          '(spam.xyz)',
          'HTTP://LOUD.EXAMPLE',
        ]),
        flagged: [0, 1, 2, 3, 4],
        reason: 'a link to loud.example',
        why: { kind: 'links', host: 'loud.example', inName: false },
      },
      {
        name: 'a link behind user info, or glued to what comes before it',
        steps: each([
          'free followers https://youtube.com@evil.example.com/x',
          'free followers https://user:pass@evil.example.com/x',
          '[free followers](https://evil.example.com)',
          'free followers:https://evil.example.com',
          'free followers (www.evil.example.com).',
          'free followers at evil.example.com',
        ]),
        flagged: [0, 1, 2, 3, 4, 5],
        reason: 'a link to evil.example.com',
        why: { kind: 'links', host: 'evil.example.com', inName: false },
      },
      {
        name: 'user info or a word before an allowed host, and mail addresses',
        steps: each([
          'watch https://mina@www.youtube.com/watch?v=x',
          'see [this](https://youtube.com/x)',
          'awww.so cute',
          'write to mina@example.com',
        ]),
        flagged: [],
      },
      {
        name: 'allowed domains and words with dots',
        steps: each([
          'watch https://www.youtube.com/watch?v=x',
          'clips.twitch.tv/abc is funny',
          'node.js and file.txt',
          'e.g. this one',
          'the end.Next one',
          'version 1.2.3',
        ]),
        flagged: [],
      },
    ],
  );
  it('cuts a very long link host in its reason, which a flag carries to the window', () => {
    const host = `${'a'.repeat(600)}.example.com`;
    const [verdict] = replay([{ id: 'links', kind: 'links' }], each([`see https://${host}/x`]))[0]!;
    expect(verdict?.why).toEqual({ kind: 'links', host: `${'a'.repeat(99)}…`, inName: false });
    expect(
      FlagSpan.safeParse({
        ruleId: 'links',
        reason: verdict!.reason,
        severity: 'medium',
        why: verdict!.why,
      }).success,
    ).toBe(true);
  });
  runCases({ id: 'links-name', kind: 'links', params: { scope: 'both' } }, [
    {
      name: 'a link in the name',
      steps: each(['hello'], 'visit spam.xyz'),
      flagged: [0],
      reason: 'in the name: a link to spam.xyz',
      why: { kind: 'links', host: 'spam.xyz', inName: true },
    },
  ]);
  runCases({ id: 'mentions', kind: 'mentions' }, [
    {
      name: 'a mass ping',
      steps: each(['@ann @bob @cy @dee @eve look']),
      flagged: [0],
      reason: 'mentions 5 people',
      why: { kind: 'mentions', people: 5 },
    },
    {
      name: 'a few mentions, or one name many times, or an e-mail address',
      steps: each(['@ann @bob hi', '@ann @ann @ANN @ann @ann', 'mail me at a@b.c']),
      flagged: [],
    },
  ]);
  runCases({ id: 'length', kind: 'length', params: { maxCharacters: 100 } }, [
    {
      name: 'a paste',
      steps: each(['word '.repeat(30)]),
      flagged: [0],
      reason: 'a message of 150 characters (more than 100)',
      why: { kind: 'length', characters: 150, limit: 100 },
    },
    {
      name: 'emoji count as one character each',
      steps: each(['😂'.repeat(60), 'a short line']),
      flagged: [],
    },
  ]);
});

describe('name patterns', () => {
  const patterns = [
    // Regexes run on normalised text, where `_` and every other separator is one space.
    { pattern: 'free ?view(er)?s', kind: 'regex' as const },
    { pattern: 'hoss', wholeWord: true },
  ];
  runCases({ id: 'names', kind: 'namePattern', params: { patterns } }, [
    {
      name: 'a hostile name, through the word filter normaliser',
      steps: [
        { user: 'u1', name: 'Free_Viewers_123', text: 'hi' },
        { user: 'u2', name: 'H0SS', text: 'hi' },
        { user: 'u3', name: 'ordinary', text: 'free viewers here' },
      ],
      flagged: [0, 1],
      reason: 'the name matches the term “hoss” (“H0SS”)',
      why: {
        kind: 'namePattern',
        place: 'name',
        regex: false,
        pattern: 'hoss',
        matched: 'H0SS',
      },
    },
  ]);
  runCases({ id: 'both', kind: 'namePattern', params: { patterns, scope: 'both' } }, [
    {
      name: 'both scopes',
      steps: [
        { user: 'u1', name: 'ordinary', text: 'get free viewers' },
        { user: 'u2', name: 'freeviews', text: 'hi' },
        { user: 'u3', name: 'hossiery', text: 'hi' },
      ],
      flagged: [0, 1],
      reason: 'the name matches the pattern “free ?view(er)?s” (“freeviews”)',
      why: {
        kind: 'namePattern',
        place: 'name',
        regex: true,
        pattern: 'free ?view(er)?s',
        matched: 'freeviews',
      },
    },
  ]);
  runCases({ id: 'none', kind: 'namePattern' }, [
    { name: 'no patterns', steps: each(['anything'], 'anyone'), flagged: [] },
  ]);
});

describe('rules', () => {
  it('leaves exempt users alone, by id or by name in any case', () => {
    const steps = [
      ...oneUser('nightbot', Array<string>(4).fill('remember to follow the channel')),
      ...oneUser('u2', Array<string>(4).fill('remember to follow the channel')).map((step) => ({
        ...step,
        name: 'ModHelper',
      })),
    ];
    const verdicts = replay(
      [{ id: 'r', kind: 'repeats', exemptUsers: ['NightBot', 'modhelper'] }],
      steps,
    );
    expect(verdicts.flat()).toEqual([]);
  });

  it('skips disabled rules and gives each rule its own action and severity', () => {
    const verdicts = replay(
      [
        { id: 'off', kind: 'caps', enabled: false },
        { id: 'loud', kind: 'caps', action: 'hide', severity: 'high' },
      ],
      each(['STOP SPAMMING THE CHAT NOW']),
    );
    expect(verdicts[0]).toEqual([
      {
        ruleId: 'loud',
        kind: 'caps',
        action: 'hide',
        severity: 'high',
        reason: '22 capitals, 100 % of the letters',
        why: { kind: 'caps', capitals: 22, percent: 100, inName: false },
      },
    ]);
  });

  it('names earlier messages only when they were checked with an id', () => {
    const automod = createAutomod({ rules: [{ id: 'flood', kind: 'flood' }] });
    const verdicts = ['a', 'b', 'c', 'd', 'e'].map((text, index) =>
      automod.check({
        roomKey: 'acc/room',
        userId: 'fast',
        userName: 'fast',
        text,
        at: START + index * 100,
        ...(index % 2 === 0 ? { id: `m${index}` } : {}),
      }),
    );
    expect(verdicts[4]).toEqual([expect.objectContaining({ earlier: ['m0', 'm2'] })]);
  });

  it('forgets a user pushed out of its memory by newer ones, in the repeats and flood rules', () => {
    const automod = createAutomod({
      rules: [
        { id: 'repeats', kind: 'repeats' },
        { id: 'flood', kind: 'flood' },
      ],
      limits: { maxUsers: 3 },
    });
    const line = 'this exact sentence again and again';
    const says = (userId: string, at: number) =>
      automod.check({ roomKey: 'acc/1', userId, userName: userId, text: line, at });
    expect(says('spammer', START)).toEqual([]);
    expect(says('spammer', START + 100)).toEqual([]);
    // Three others push the spammer out; back, their copies count from one again.
    for (const [index, other] of ['a', 'b', 'c'].entries()) says(other, START + 200 + index);
    expect(says('spammer', START + 300)).toEqual([]);
    expect(says('spammer', START + 400)).toEqual([]);
    expect(says('spammer', START + 500).map((verdict) => verdict.ruleId)).toEqual(['repeats']);
    // Remembered before, they would have been a flood at +500 ms; they are one at the fifth
    // message since they came back.
    const fifth = says('spammer', START + 600);
    expect(fifth.map((verdict) => verdict.ruleId)).toEqual(['repeats']);
    expect(says('spammer', START + 700).map((verdict) => verdict.ruleId)).toEqual([
      'repeats',
      'flood',
    ]);
    expect(automod.stats().users).toBe(6);
  });

  it('keeps rooms apart', () => {
    const steps = manyUsers(6, 'bot', () => RAID_TEXT).map((step, index) => ({
      ...step,
      room: `acc/room${index % 2}`,
    }));
    expect(replay([{ id: 'raid', kind: 'raid' }], steps).flat()).toEqual([]);
  });
});

describe("a raid's name", () => {
  /** The common text as it was first written: strings compared per character. */
  function byCharacters(first: string, second: string): string {
    const a = Array.from(first, (character) => character.toLowerCase());
    const b = Array.from(second, (character) => character.toLowerCase());
    let best = { length: 0, end: 0 };
    for (let i = 1; i <= a.length; i += 1) {
      for (let j = 1; j <= b.length; j += 1) {
        let length = 0;
        while (length < Math.min(i, j) && a[i - 1 - length] === b[j - 1 - length]) length += 1;
        if (length > best.length) best = { length, end: i };
      }
    }
    const common = Array.from(first)
      .slice(best.end - best.length, best.end)
      .join('')
      .trim();
    return Array.from(common).length >= 4 ? common : first.trim();
  }

  it('is the longest common text ignoring case, as the first copy writes it', () => {
    expect(commonText('xx BUY cheap FOLLOWERS now', 'buy cheap followers now!!')).toBe(
      'BUY cheap FOLLOWERS now',
    );
    expect(commonText('ŞEHİR 😀 TOUR now', 'go şehİr 😀 tour')).toBe('ŞEHİR 😀 TOUR');
    expect(commonText('팔로워 싸게 팝니다 ㅋㅋ', 'ㅎㅎ 팔로워 싸게 팝니다')).toBe(
      '팔로워 싸게 팝니다',
    );
    expect(commonText('  abc  ', 'xyz')).toBe('abc');
  });

  it('agrees with a comparison of the characters themselves on any texts', () => {
    const alphabet = fc.constantFrom(
      'a',
      'A',
      'b',
      'ß',
      'İ',
      'i',
      'ǅ',
      'ǆ',
      '😀',
      '팔',
      ' ',
      'Σ',
      'ς',
      'σ',
    );
    const text = fc.array(alphabet, { maxLength: 24 }).map((characters) => characters.join(''));
    fc.assert(
      fc.property(text, text, (first, second) => {
        expect(commonText(first, second)).toBe(byCharacters(first, second));
      }),
      { numRuns: 500 },
    );
  });
});
