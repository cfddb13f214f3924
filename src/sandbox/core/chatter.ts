/**
 * Simulated chatters, shared by every emulated service. One `ChatterScript` per room turns a seed
 * into a fixed stream of events (users joining and leaving, chatting in English and Korean, saying
 * forbidden words plainly or disguised, writing to the moderator, the occasional burst and, with a
 * spam share, spammers). The stream depends on nothing but the seed and the room, so a test can
 * replay it; when events happen is the scheduler's business (`scheduler.ts`).
 *
 * Every chat event says whether it is spam and of which kind (`spam`), so a detector can be
 * measured against the stream: the crowd's reactions and a chatter saying "gg" twice are not.
 */
import { ALPHANUMERIC, deriveSeed, Random } from './random';
import {
  ENGLISH_FORBIDDEN_WORDS,
  EVASION_KINDS,
  evade,
  KOREAN_FORBIDDEN_WORDS,
  type EvasionKind,
} from './words';

export type Language = 'en' | 'ko';

/**
 * What a simulated spammer does: `repeat` (one user, the same line with small edits), `raid` (many
 * fresh users, one line with random prefixes and suffixes), `flood` (one user, many lines at once),
 * `caps`, `link`, `mention` (many @names) and `name` (a hostile bot name pattern).
 */
export const SPAM_KINDS = ['repeat', 'raid', 'flood', 'caps', 'link', 'mention', 'name'] as const;
export type SpamKind = (typeof SPAM_KINDS)[number];

/** A raid started by the control API: how many fresh users paste the line, and which line. */
export interface RaidOptions {
  /** Copies, each from a fresh user. Default 12. */
  users?: number;
  /** The pasted line; default one of the script's spam lines. */
  text?: string;
}

export interface ChatterUser {
  /** Alphanumeric, as FlipFlop requires of app user ids (api-facts §1.4 INVALID_APP_USER_ID_FORMAT). */
  id: string;
  name: string;
  language: Language;
  hasAvatar: boolean;
}

export type ChatterEvent =
  | { kind: 'join' | 'leave'; user: ChatterUser; burst: false }
  | {
      /** `message` goes to the room; `direct` goes to the moderator only. */
      kind: 'message' | 'direct';
      user: ChatterUser;
      text: string;
      language: Language;
      /** The forbidden word in `text` (before disguise), or null. */
      forbiddenWord: string | null;
      evasion: EvasionKind | null;
      /** Part of a burst: extra to the room's rate, all at once. */
      burst: boolean;
      /** The spam this message is part of; null for ordinary chat, crowd reactions included. */
      spam: SpamKind | null;
    };

/** A chatter event that carries text: a room message or a direct message. */
export type ChatterChatEvent = Extract<ChatterEvent, { kind: 'message' | 'direct' }>;

export function isChatEvent(event: ChatterEvent): event is ChatterChatEvent {
  return event.kind === 'message' || event.kind === 'direct';
}

export interface ChatterScriptOptions {
  seed: number;
  /** Names the room's stream; rooms with different keys chat independently. */
  stream: string;
  /** Share of messages that contain a forbidden word, 0..1. */
  forbiddenShare?: number;
  /** Share of messages that are direct messages to the moderator, 0..1. */
  directShare?: number;
  /** Whether bursts happen at all (benchmarks turn them off to measure a steady rate). */
  bursts?: boolean;
  /**
   * Share of chat messages that start a spam episode (a spammer's repeats, a raid, a flood, caps,
   * a link, mentions or a hostile name), 0..1. Default 0: the stream is the same as without.
   */
  spamShare?: number;
  /** People who may ever appear in the room. Default 120 (`poolFor(20)`). */
  poolSize?: number;
  /** People present before the first event. Default 20. */
  initialMembers?: number;
}

/** Ordinary lines this long or longer are sentences, said by few people at once (`pickOrdinary`). */
const SENTENCE_LENGTH = 12;
const SENTENCE_REPEATS = 2;
const SENTENCE_WINDOW = 300;
/**
 * With a larger pool the window is this many lines per person in it (300 for the usual 120): about
 * 15 lines for each person present, a minute when each writes every 4 s, as at the defaults.
 */
const SENTENCE_WINDOW_PER_PERSON = 2.5;

const ENGLISH_LINES = [
  'hi everyone',
  'hello from Toronto',
  'what song is this?',
  'lol',
  'this is so good',
  'gg',
  'first time here, hi!',
  'can you play that again?',
  'where are you streaming from?',
  'the audio is a bit low',
  'love this part',
  'who else is watching from work 😅',
  "let's gooo",
  'that was amazing',
  'brb',
  'haha nice',
  'any tips for beginners?',
  'is there a replay later?',
  'greetings from Seoul',
  'chat is fast today',
  'what camera do you use?',
  '👏👏👏',
  'same',
  'wow',
  'good evening',
  'how long is the stream today?',
  'can someone link the schedule?',
  'mods are doing great work',
  'I missed the start, what happened?',
  "that's hilarious",
];

const KOREAN_LINES = [
  '안녕하세요',
  'ㅋㅋㅋㅋㅋ',
  '오늘 방송 재밌네요',
  '이 노래 제목이 뭐예요?',
  '대박',
  '처음 왔어요!',
  '화이팅!',
  '와 진짜 잘한다',
  '소리가 좀 작아요',
  '다시 보기 있나요?',
  '좋아요 누르고 갑니다',
  '부산에서 보고 있어요',
  '오늘 몇 시까지 해요?',
  '굿굿',
  'ㅎㅎ 귀엽다',
  '배고프다',
  '이거 어디서 샀어요?',
  '최고예요 👍',
  '퇴근하고 왔습니다',
  '채팅 빠르다',
  '감사합니다!',
  '방금 뭐였어요?',
  'ㅠㅠ 놓쳤다',
  '반가워요',
  '오 신기하다',
];

const ENGLISH_FORBIDDEN_LINES = [
  'you are such a {word}',
  '{word} lol',
  'total {word} move',
  '{word}!!!',
  'only a {word} would say that',
  'this is a {word}, do not click',
];

const KOREAN_FORBIDDEN_LINES = [
  '{word} 같은 소리 하네',
  '진짜 {word}네',
  '{word} ㅋㅋ',
  '완전 {word}',
  '{word} 아니야?',
];

const ENGLISH_DIRECT_LINES = [
  'hi mod, someone is spamming',
  'why was my message hidden?',
  'can I be a mod?',
  'someone is being rude in chat',
  'please check the chat, there is a scam link',
];

const KOREAN_DIRECT_LINES = [
  '관리자님 도배하는 사람 있어요',
  '제 채팅 왜 가려졌나요?',
  '신고합니다',
  '스팸 링크 올라왔어요',
];

/** Lines spammers paste: long enough to be told from chat, in both languages. */
const SPAM_LINES = [
  'FREE followers and viewers at followerz dot shop, use code RAID for 50% off',
  'join the giveaway before it ends, the link is in my profile, only 10 spots left',
  'this stream is fake, everyone report it now and go to my channel instead',
  '무료 팔로워 이벤트 지금 참여하세요 프로필 링크 확인 선착순 10명',
  '이 방송 조작이에요 다들 신고하고 제 채널로 오세요 지금 바로',
];
/** What a spammer shouts (caps). */
const CAPS_LINES = [
  'WHY IS NOBODY ANSWERING MY QUESTION IN THIS CHAT',
  'EVERYONE LOOK AT THIS RIGHT NOW IT IS AMAZING',
  'STOP IGNORING ME AND READ THE CHAT',
];
const LINK_LINES = [
  'check out my channel https://free-views.example.net/join',
  'cheap followers here: http://followerz.example.shop/deal',
  '무료 이벤트 www.event-gift.example.kr 들어가 보세요',
];
/** Hostile bot names come in patterns: a word, a separator, digits. */
const SPAM_NAMES = ['free_viewers_', 'buy-followers-', 'promo_bot_', 'cheap_views_'];
/** Short reactions a chatter may say twice in a row: not spam. */
const REPEATABLE = new Set(['gg', 'lol', 'wow', 'same', 'brb', '대박', 'ㅋㅋㅋㅋㅋ', '굿굿']);
/** Junk a raider puts before or after the pasted line so copies differ. */
const JUNK = '0123456789abcdefghijklmnopqrstuvwxyz!?~.';

/** What a crowd posts all at once: the same reaction from many people. */
const BURST_REACTIONS = ['LOL', 'ㅋㅋㅋㅋㅋㅋ', 'GG', '!!!!', '👏👏👏', '와아아아', 'F', '😂😂😂'];

const ENGLISH_ADJECTIVES = ['Sunny', 'Quiet', 'Brave', 'Lazy', 'Happy', 'Swift', 'Tiny', 'Witty'];
const ENGLISH_NOUNS = ['Otter', 'Fox', 'Panda', 'Falcon', 'Koala', 'Tiger', 'Badger', 'Heron'];
const KOREAN_ADJECTIVES = [
  '행복한',
  '조용한',
  '용감한',
  '졸린',
  '빠른',
  '작은',
  '귀여운',
  '배고픈',
];
const KOREAN_NOUNS = ['고양이', '여우', '판다', '호랑이', '토끼', '다람쥐', '펭귄', '수달'];

interface BurstState {
  remaining: number;
  /** A reaction burst repeats one text from many people; a raid repeats one spammer's line. */
  text: string;
  language: Language;
  raider: ChatterUser | null;
  forbiddenWord: string | null;
  evasion: EvasionKind | null;
  /** Who said a reaction burst's text already: each person present says it once. */
  said: Set<string>;
}

/** A spam episode's messages waiting their turn, or a chatter's second "gg". */
interface Queued {
  event: ChatterChatEvent;
  /** All at once (extra to the rate), or one per turn among the room's chatter. */
  atOnce: boolean;
}

/** Probability that a chat message starts a burst (about one burst per 250 messages). */
const BURST_CHANCE = 0.004;
const JOIN_SHARE = 0.03;
const LEAVE_SHARE = 0.03;
/** Leaves stop at this many present; a room that starts with fewer fills up to it by joins. */
export const MIN_PRESENT = 5;
/** A room's pool of people is this many times those present at the start (120 for 20). */
const POOL_PER_PRESENT = 6;

/**
 * The people who may ever appear in a room with `present` chatters at the start: enough that
 * joins keep drawing people who were not there (the present count wanders by about
 * √(0.06 × events), 250 after a million events).
 */
export function poolFor(present: number): number {
  return Math.max(present * POOL_PER_PRESENT, MIN_PRESENT + 1);
}

export class ChatterScript {
  /** Everyone who may appear, in a fixed order. */
  readonly users: readonly ChatterUser[];
  private readonly random: Random;
  private readonly present: ChatterUser[] = [];
  private readonly absent: ChatterUser[] = [];
  private readonly forbiddenShare: number;
  private readonly directShare: number;
  private readonly bursts: boolean;
  private readonly initial: ChatterUser[];
  private burst: BurstState | null = null;
  private readonly spamShare: number;
  /** Raids asked for by the control API draw from their own stream, so the chatter stays put. */
  private readonly raidRandom: Random;
  private readonly queued: Queued[] = [];
  /**
   * The room's last ordinary lines (a ring: once full, the oldest is at `latelyNext`), and how
   * often each sentence among them was said.
   */
  private readonly lately: string[] = [];
  private latelyNext = 0;
  private readonly sentenceWindow: number;
  private readonly sentences = new Map<string, number>();

  constructor(options: ChatterScriptOptions) {
    this.random = new Random(deriveSeed(options.seed, options.stream));
    this.forbiddenShare = options.forbiddenShare ?? 0.1;
    this.directShare = options.directShare ?? 0.02;
    this.bursts = options.bursts ?? true;
    this.spamShare = options.spamShare ?? 0;
    this.raidRandom = new Random(deriveSeed(options.seed, `${options.stream}/raids`));
    const poolSize = Math.max(options.poolSize ?? 120, MIN_PRESENT + 1);
    const users: ChatterUser[] = [];
    const taken = new Set<string>();
    while (users.length < poolSize) {
      const user = this.newUser();
      if (taken.has(user.id)) continue;
      taken.add(user.id);
      users.push(user);
    }
    this.users = users;
    this.sentenceWindow = Math.max(
      SENTENCE_WINDOW,
      Math.round(poolSize * SENTENCE_WINDOW_PER_PERSON),
    );
    const initial = Math.min(options.initialMembers ?? 20, poolSize);
    this.initial = users.slice(0, initial);
    this.present.push(...this.initial);
    this.absent.push(...users.slice(initial));
  }

  /** The people present before the first event (they joined before the stream started). */
  initialMembers(): ChatterUser[] {
    return [...this.initial];
  }

  /**
   * A copy-paste raid now: `users` fresh users (not in the room's pool) each paste the line with
   * random characters before and after it and, now and then, a changed character.
   */
  raid(options: RaidOptions = {}): ChatterChatEvent[] {
    const random = this.raidRandom;
    return this.raidEvents(random, options.users ?? 12, options.text ?? random.pick(SPAM_LINES));
  }

  /**
   * One copy of a sustained raid on `line` (`raid-rate`): a fresh user pastes it with junk around
   * it, drawn from the raids' own stream like `raid`.
   */
  raidCopy(line: string): ChatterChatEvent {
    return this.raidEvents(this.raidRandom, 1, line)[0] as ChatterChatEvent;
  }

  /** A line for a sustained raid: one of the spam lines, from the raids' own stream. */
  raidLine(): string {
    return this.raidRandom.pick(SPAM_LINES);
  }

  /** The next event of the stream. */
  next(): ChatterEvent {
    if (this.burst !== null) return this.nextInBurst(this.burst);
    const waiting = this.queued[0];
    // A spam episode's waiting lines go out at once, or one in two turns among the chatter.
    if (waiting !== undefined && (waiting.atOnce || this.random.chance(0.5))) {
      this.queued.shift();
      return waiting.event;
    }
    const roll = this.random.next();
    if (this.absent.length > 0 && (this.present.length < MIN_PRESENT || roll < JOIN_SHARE)) {
      const user = this.takeRandom(this.absent);
      this.present.push(user);
      return { kind: 'join', user, burst: false };
    }
    if (this.present.length > MIN_PRESENT && roll < JOIN_SHARE + LEAVE_SHARE) {
      const user = this.takeRandom(this.present);
      this.absent.push(user);
      return { kind: 'leave', user, burst: false };
    }
    const user = this.random.pick(this.present);
    // Drawn only with a spam share, so a stream without spam is the one it always was.
    if (this.spamShare > 0 && this.queued.length === 0 && this.random.chance(this.spamShare)) {
      return this.startSpam(user);
    }
    if (this.bursts && this.random.chance(BURST_CHANCE)) this.burst = this.startBurst(user);
    const kind = this.random.chance(this.directShare) ? 'direct' : 'message';
    const language = this.random.chance(0.9) ? user.language : otherLanguage(user.language);
    if (this.random.chance(this.forbiddenShare)) {
      const { text, forbiddenWord, evasion } = this.forbiddenLine(language);
      return { kind, user, text, language, forbiddenWord, evasion, burst: false, spam: null };
    }
    const lines =
      kind === 'direct'
        ? language === 'en'
          ? ENGLISH_DIRECT_LINES
          : KOREAN_DIRECT_LINES
        : language === 'en'
          ? ENGLISH_LINES
          : KOREAN_LINES;
    const text = this.spamShare > 0 ? this.pickOrdinary(lines) : this.random.pick(lines);
    const event: ChatterChatEvent = {
      kind,
      user,
      text,
      language,
      forbiddenWord: null,
      evasion: null,
      burst: false,
      spam: null,
    };
    // A hard negative for spam detection: a chatter says a short reaction once more.
    if (this.spamShare > 0 && REPEATABLE.has(text) && this.random.chance(0.3)) {
      this.queued.push({ event: { ...event }, atOnce: false });
    }
    return event;
  }

  /**
   * An ordinary line, as people write: a sentence is rarely said by many people at once. A line of
   * `SENTENCE_LENGTH` characters or more is said at most `SENTENCE_REPEATS` times among the
   * room's last `SENTENCE_WINDOW` ordinary lines (at 5 a second, a minute), or more lines in a room
   * with more people (`SENTENCE_WINDOW_PER_PERSON`: in a crowd writing thousands of lines a
   * second, 300 lines are a fraction of a second), so that without the spam the sandbox plants,
   * the chat never looks like a copy-paste raid (5 users in a minute);
   * when every line drawn is taken, a short one is said instead (where the list has one). Only
   * with a spam share, so a stream without spam is the one it always was.
   */
  private pickOrdinary(lines: readonly string[]): string {
    let text = this.random.pick(lines);
    for (let tries = 0; tries < 4 && this.saidLately(text); tries += 1) {
      text = this.random.pick(lines);
    }
    const short = lines.filter((line) => line.length < SENTENCE_LENGTH);
    if (this.saidLately(text) && short.length > 0) text = this.random.pick(short);
    if (this.lately.length === this.sentenceWindow) {
      const gone = this.lately[this.latelyNext] as string;
      const count = this.sentences.get(gone);
      if (count !== undefined) {
        if (count <= 1) this.sentences.delete(gone);
        else this.sentences.set(gone, count - 1);
      }
      this.lately[this.latelyNext] = text;
      this.latelyNext = (this.latelyNext + 1) % this.sentenceWindow;
    } else {
      this.lately.push(text);
    }
    if (text.length >= SENTENCE_LENGTH)
      this.sentences.set(text, (this.sentences.get(text) ?? 0) + 1);
    return text;
  }

  private saidLately(text: string): boolean {
    return (this.sentences.get(text) ?? 0) >= SENTENCE_REPEATS;
  }

  /** Starts a spam episode with its first message; the rest wait in the queue. */
  private startSpam(user: ChatterUser): ChatterChatEvent {
    const random = this.random;
    const kind = random.pick(SPAM_KINDS);
    const events: ChatterChatEvent[] = [];
    let atOnce = true;
    switch (kind) {
      case 'repeat': {
        // A spammer among the chatters repeats a line with small edits, among the room's chat.
        const line = random.pick(SPAM_LINES);
        const copies = random.integer(4, 6);
        for (let index = 0; index < copies; index += 1) {
          events.push(spamEvent(user, editLightly(line, random), 'repeat'));
        }
        atOnce = false;
        break;
      }
      case 'raid':
        events.push(...this.raidEvents(random, random.integer(6, 12), random.pick(SPAM_LINES)));
        break;
      case 'flood': {
        const count = random.integer(6, 9);
        for (let index = 0; index < count; index += 1) {
          const lines = user.language === 'en' ? ENGLISH_LINES : KOREAN_LINES;
          events.push(spamEvent(user, random.pick(lines), 'flood'));
        }
        break;
      }
      case 'caps':
        events.push(spamEvent(user, random.pick(CAPS_LINES), 'caps'));
        break;
      case 'link':
        events.push(spamEvent(user, random.pick(LINK_LINES), 'link'));
        break;
      case 'mention': {
        const names = this.present.slice(0, 7).map((present) => `@${present.name}`);
        events.push(spamEvent(user, `${names.join(' ')} look at my profile`, 'mention'));
        break;
      }
      case 'name': {
        const bot = this.freshUser(random, `${random.pick(SPAM_NAMES)}${random.integer(100, 999)}`);
        events.push(spamEvent(bot, random.pick(ENGLISH_LINES), 'name'));
        break;
      }
    }
    const [first, ...rest] = events;
    for (const event of rest) this.queued.push({ event, atOnce });
    if (first === undefined) throw new Error('a spam episode without a message');
    return first;
  }

  private raidEvents(random: Random, users: number, line: string): ChatterChatEvent[] {
    const events: ChatterChatEvent[] = [];
    for (let index = 0; index < users; index += 1) {
      const raider = this.freshUser(random);
      const prefix = random.chance(0.7) ? `${random.string(random.integer(1, 5), JUNK)} ` : '';
      const suffix = random.chance(0.7) ? ` ${random.string(random.integer(1, 5), JUNK)}` : '';
      const text = random.chance(0.3) ? changeOne(line, random) : line;
      events.push(spamEvent(raider, `${prefix}${text}${suffix}`, 'raid'));
    }
    return events;
  }

  /** Someone who was never in the room: a raider's or a bot's account made for the occasion. */
  private freshUser(random: Random, name?: string): ChatterUser {
    const language: Language = random.chance(0.6) ? 'en' : 'ko';
    return {
      id: `s${random.string(9, ALPHANUMERIC)}`,
      name:
        name ??
        (language === 'en'
          ? `${random.pick(ENGLISH_NOUNS)}${random.integer(1000, 9999)}`
          : `${random.pick(KOREAN_NOUNS)}${random.integer(1000, 9999)}`),
      language,
      hasAvatar: false,
    };
  }

  private nextInBurst(burst: BurstState): ChatterEvent {
    burst.remaining -= 1;
    if (burst.remaining <= 0) this.burst = null;
    let user = burst.raider;
    if (user === null) {
      const waiting = this.present.filter((candidate) => !burst.said.has(candidate.id));
      user = this.random.pick(waiting);
      burst.said.add(user.id);
      if (waiting.length === 1) this.burst = null;
    }
    return {
      kind: 'message',
      user,
      text: burst.text,
      language: burst.language,
      forbiddenWord: burst.forbiddenWord,
      evasion: burst.evasion,
      burst: true,
      // A burst's raid is one person repeating a line; a reaction burst is the crowd.
      spam: burst.raider === null ? null : 'repeat',
    };
  }

  private startBurst(user: ChatterUser): BurstState {
    const remaining = this.random.integer(15, 40);
    if (this.random.chance(0.3)) {
      // A raid: one person floods the room with a spam line that dodges the filter.
      const { text, forbiddenWord, evasion } = this.forbiddenLine(user.language);
      return {
        remaining,
        text,
        language: user.language,
        raider: user,
        forbiddenWord,
        evasion,
        said: new Set(),
      };
    }
    const text = this.random.pick(BURST_REACTIONS);
    const language: Language = /[가-힣ㄱ-ㅎ]/.test(text) ? 'ko' : 'en';
    // The crowd: everyone present says it at most once, so a burst is no bigger than the room.
    return {
      remaining,
      text,
      language,
      raider: null,
      forbiddenWord: null,
      evasion: null,
      said: new Set(),
    };
  }

  private forbiddenLine(language: Language): {
    text: string;
    forbiddenWord: string;
    evasion: EvasionKind;
  } {
    const word = this.random.pick(
      language === 'en' ? ENGLISH_FORBIDDEN_WORDS : KOREAN_FORBIDDEN_WORDS,
    );
    // Half plain, half disguised: a filter must catch both.
    const evasion = this.random.chance(0.5) ? 'plain' : this.random.pick(EVASION_KINDS.slice(1));
    const template = this.random.pick(
      language === 'en' ? ENGLISH_FORBIDDEN_LINES : KOREAN_FORBIDDEN_LINES,
    );
    const text = template.replace('{word}', evade(word, evasion, this.random));
    return { text, forbiddenWord: word, evasion };
  }

  private newUser(): ChatterUser {
    const language: Language = this.random.chance(0.6) ? 'en' : 'ko';
    const name =
      language === 'en'
        ? `${this.random.pick(ENGLISH_ADJECTIVES)}${this.random.pick(ENGLISH_NOUNS)}${this.random.integer(1, 99)}`
        : `${this.random.pick(KOREAN_ADJECTIVES)}${this.random.pick(KOREAN_NOUNS)}${this.random.integer(1, 99)}`;
    return {
      id: `u${this.random.string(9, ALPHANUMERIC)}`,
      name,
      language,
      hasAvatar: this.random.chance(0.5),
    };
  }

  private takeRandom(from: ChatterUser[]): ChatterUser {
    const index = this.random.integer(0, from.length - 1);
    const [user] = from.splice(index, 1);
    if (user === undefined) throw new Error('no one to take');
    return user;
  }
}

function otherLanguage(language: Language): Language {
  return language === 'en' ? 'ko' : 'en';
}

function spamEvent(user: ChatterUser, text: string, spam: SpamKind): ChatterChatEvent {
  return {
    kind: 'message',
    user,
    text,
    language: /[가-힣]/.test(text) ? 'ko' : 'en',
    forbiddenWord: null,
    evasion: null,
    burst: true,
    spam,
  };
}

/** A spammer's small edit: changed case, added punctuation or an emoji, a character changed. */
function editLightly(line: string, random: Random): string {
  switch (random.integer(0, 4)) {
    case 0:
      return line;
    case 1:
      return line.toUpperCase();
    case 2:
      return `${line}${random.pick(['!', '!!', '!!!', '?', ' 😀', ' 🔥'])}`;
    case 3:
      return changeOne(line, random);
    default:
      return `${random.string(2, JUNK)} ${line}`;
  }
}

/** The line with one character changed (not a space), as raiders do to dodge exact matching. */
function changeOne(line: string, random: Random): string {
  const characters = [...line];
  const at = random.integer(0, characters.length - 1);
  if (characters[at] === ' ') return line;
  characters[at] = random.pick([...JUNK]);
  return characters.join('');
}
