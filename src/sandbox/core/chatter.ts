/**
 * Simulated chatters, shared by every emulated service. One `ChatterScript` per room turns a seed
 * into a fixed stream of events (users joining and leaving, chatting in English and Korean, saying
 * forbidden words plainly or disguised, writing to the moderator, and the occasional burst). The
 * stream depends on nothing but the seed and the room, so a test can replay it; when events happen
 * is the scheduler's business (`scheduler.ts`).
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
  /** People who may ever appear in the room. */
  poolSize?: number;
  /** People present before the first event. */
  initialMembers?: number;
}

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
}

/** Probability that a chat message starts a burst (about one burst per 250 messages). */
const BURST_CHANCE = 0.004;
const JOIN_SHARE = 0.03;
const LEAVE_SHARE = 0.03;
const MIN_PRESENT = 5;

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

  constructor(options: ChatterScriptOptions) {
    this.random = new Random(deriveSeed(options.seed, options.stream));
    this.forbiddenShare = options.forbiddenShare ?? 0.1;
    this.directShare = options.directShare ?? 0.02;
    this.bursts = options.bursts ?? true;
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
    const initial = Math.min(options.initialMembers ?? 20, poolSize);
    this.initial = users.slice(0, initial);
    this.present.push(...this.initial);
    this.absent.push(...users.slice(initial));
  }

  /** The people present before the first event (they joined before the stream started). */
  initialMembers(): ChatterUser[] {
    return [...this.initial];
  }

  /** The next event of the stream. */
  next(): ChatterEvent {
    if (this.burst !== null) return this.nextInBurst(this.burst);
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
    if (this.bursts && this.random.chance(BURST_CHANCE)) this.burst = this.startBurst(user);
    const kind = this.random.chance(this.directShare) ? 'direct' : 'message';
    const language = this.random.chance(0.9) ? user.language : otherLanguage(user.language);
    if (this.random.chance(this.forbiddenShare)) {
      const { text, forbiddenWord, evasion } = this.forbiddenLine(language);
      return { kind, user, text, language, forbiddenWord, evasion, burst: false };
    }
    const lines =
      kind === 'direct'
        ? language === 'en'
          ? ENGLISH_DIRECT_LINES
          : KOREAN_DIRECT_LINES
        : language === 'en'
          ? ENGLISH_LINES
          : KOREAN_LINES;
    const text = this.random.pick(lines);
    return { kind, user, text, language, forbiddenWord: null, evasion: null, burst: false };
  }

  private nextInBurst(burst: BurstState): ChatterEvent {
    burst.remaining -= 1;
    if (burst.remaining <= 0) this.burst = null;
    return {
      kind: 'message',
      user: burst.raider ?? this.random.pick(this.present),
      text: burst.text,
      language: burst.language,
      forbiddenWord: burst.forbiddenWord,
      evasion: burst.evasion,
      burst: true,
    };
  }

  private startBurst(user: ChatterUser): BurstState {
    const remaining = this.random.integer(15, 40);
    if (this.random.chance(0.3)) {
      // A raid: one person floods the room with a spam line that dodges the filter.
      const { text, forbiddenWord, evasion } = this.forbiddenLine(user.language);
      return { remaining, text, language: user.language, raider: user, forbiddenWord, evasion };
    }
    const text = this.random.pick(BURST_REACTIONS);
    const language: Language = /[가-힣ㄱ-ㅎ]/.test(text) ? 'ko' : 'en';
    return { remaining, text, language, raider: null, forbiddenWord: null, evasion: null };
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
