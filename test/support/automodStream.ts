/**
 * A labelled chat stream for judging automod: ordinary chat and crowd reactions (which must not be
 * flagged) mixed with the spam each detector is for. Seeded, so a seed always gives the same stream.
 */
import { Random } from '../../src/sandbox/core/random';

export type StreamLabel = 'normal' | 'crowd' | 'repeat' | 'raid' | 'flood' | 'caps' | 'link';

export interface LabelledMessage {
  roomKey: string;
  userId: string;
  userName: string;
  text: string;
  at: number;
  label: StreamLabel;
  /** For spam: which run it belongs to, and its place in that run (0 first). */
  run?: string;
  place?: number;
}

const WORDS = (
  'the a this that game boss level music stream chat today really nice good bad play played ' +
  'jump run fight win lose map item build team enemy friend time night morning weekend coffee ' +
  'cat dog song video clip round match score last next first again maybe never always think ' +
  'know like love want need try see look watch wait back left right up down here there how ' +
  'what why when who is was are were be have has had do did can could should would will just ' +
  'so very too much more less better worse best worst funny scary lucky close great awesome'
).split(' ');
const KOREAN_LINES = [
  '오늘 방송 재밌다',
  '이 노래 제목 뭐예요',
  '와 진짜 잘한다',
  '저녁 뭐 먹지',
  '보스 어렵네요',
];
const COMMON_LINES = [
  'hello everyone',
  'what game is this',
  'good luck have fun',
  'good night all',
];
const REACTIONS = [
  'gg',
  'GG',
  'lol',
  'LOL',
  'ㅋㅋㅋ',
  'ㅋㅋㅋㅋㅋㅋ',
  'first',
  'first!',
  '😂',
  '🔥',
  '😂😂😂',
  'gg wp',
  'LETS GO',
  'POG',
  'hahaha',
  'wow',
  'F',
  'W',
  '👏👏👏',
];
const SPAM_LINES = [
  'follow my channel for daily giveaways',
  'free subscribers and viewers click my profile',
  'i sell cheap game accounts message me now',
  'join our discord server for free skins today',
  'best crypto signals in my bio guaranteed profit',
];
const RAID_TEMPLATES = [
  'this stream is sponsored by totallylegitviews get viewers now',
  'RAID RAID everyone spam this message in the chat',
  'buy followers cheap at followz dot shop best prices',
  '아무나 이 메시지 복사해서 붙여넣기 하세요 이벤트 당첨',
  'the streamer is a fraud tell everyone you know',
];
const JUNK = 'qwxzjkvbnm0123456789';
const EMOJI = ['😀', '🎁', '🔥', '💯', '✨'];

interface Options {
  seed: number;
  minutes: number;
  /** Ordinary messages per second. */
  rate: number;
}

/** The stream, in time order. */
export function labelledStream({ seed, minutes, rate }: Options): LabelledMessage[] {
  const random = new Random(seed);
  const start = Date.UTC(2026, 0, 1, 20);
  const end = start + minutes * 60_000;
  const roomKey = 'acc/room';
  const messages: LabelledMessage[] = [];
  const add = (message: Omit<LabelledMessage, 'roomKey' | 'userName'>): void => {
    messages.push({ roomKey, userName: message.userId, ...message });
  };
  const regular = (): string => `regular${random.integer(0, 499)}`;

  for (let at = start; at < end; at += random.integer(1, Math.round(2000 / rate))) {
    add({ userId: regular(), text: ordinaryLine(random), at, label: 'normal' });
  }
  // Every run of spam starts at a random time; crowds react every minute or so.
  const when = (): number => start + random.integer(0, minutes * 60_000 - 60_000);
  for (let burst = 0; burst < minutes; burst += 1) {
    const at = when();
    const users = random.integer(20, 50);
    for (let index = 0; index < users; index += 1) {
      // Different people, each once (or twice, or three times, below).
      const userId = `fan${burst}-${index}`;
      const text = random.pick(REACTIONS);
      const sentAt = at + random.integer(0, 8000);
      add({ userId, text, at: sentAt, label: 'crowd' });
      // Some say it twice, or three times.
      for (let again = random.integer(0, 2); again > 0; again -= 1) {
        add({ userId, text, at: sentAt + again * random.integer(500, 3000), label: 'crowd' });
      }
    }
  }
  for (let run = 0; run < minutes / 2; run += 1) {
    const userId = `spammer${run}`;
    const base = random.pick(SPAM_LINES);
    let at = when();
    for (let place = 0; place < 6; place += 1) {
      at += random.integer(2000, 6000);
      add({ userId, text: edited(random, base), at, label: 'repeat', run: userId, place });
    }
  }
  for (let run = 0; run < minutes / 2; run += 1) {
    const template = random.pick(RAID_TEMPLATES);
    const at = when();
    const copies = random.integer(25, 50);
    for (let place = 0; place < copies; place += 1) {
      const userId = `raider${run}-${place}`;
      const text = `${junk(random, 0, 8)} ${changed(random, template, random.integer(0, 2))} ${junk(random, 0, 8)}`;
      add({ userId, text, at: at + random.integer(0, 30_000), label: 'raid', run: `raid${run}` });
    }
  }
  for (let run = 0; run < minutes / 3; run += 1) {
    const userId = `flooder${run}`;
    const at = when();
    for (let place = 0; place < 8; place += 1) {
      const text = ordinaryLine(random);
      add({ userId, text, at: at + place * 350, label: 'flood', run: userId, place });
    }
  }
  for (let run = 0; run < minutes / 3; run += 1) {
    const text = ordinaryLine(random, 6).toUpperCase() + ' !!';
    add({ userId: `shouter${run}`, text, at: when(), label: 'caps' });
    const link = `check my stream at ${random.string(8, 'abcdefgh')}.tv/${random.string(5, JUNK)}`;
    add({ userId: `linker${run}`, text: link, at: when(), label: 'link' });
  }
  messages.sort((a, b) => a.at - b.at);
  // Runs placed by time: `place` follows the order of arrival.
  const seen = new Map<string, number>();
  for (const message of messages) {
    if (message.run === undefined) continue;
    const place = seen.get(message.run) ?? 0;
    message.place = place;
    seen.set(message.run, place + 1);
  }
  return messages;
}

function ordinaryLine(random: Random, minimumWords = 3): string {
  if (random.chance(0.08)) return random.pick(KOREAN_LINES);
  if (random.chance(0.03)) return random.pick(COMMON_LINES);
  const words = Array.from({ length: random.integer(minimumWords, 12) }, () => random.pick(WORDS));
  let line = words.join(' ');
  if (random.chance(0.3)) line = line[0]!.toUpperCase() + line.slice(1);
  if (random.chance(0.2)) line += random.pick(['?', '!', ' :)', ' 😂', '...']);
  if (random.chance(0.05)) line = `@regular${random.integer(0, 499)} ${line}`;
  return line;
}

function junk(random: Random, minimum: number, maximum: number): string {
  return random.string(random.integer(minimum, maximum), JUNK);
}

/** `count` characters of `text` replaced by others. */
function changed(random: Random, text: string, count: number): string {
  const characters = Array.from(text);
  for (let change = 0; change < count; change += 1) {
    characters[random.integer(0, characters.length - 1)] = random.pick([...'aeiouxyz']);
  }
  return characters.join('');
}

/** A spammer's copy: case, punctuation, emoji, junk before or after, a changed character. */
function edited(random: Random, base: string): string {
  let text = random.chance(0.3) ? changed(random, base, 1) : base;
  if (random.chance(0.3)) text = text.toUpperCase();
  if (random.chance(0.4)) text += random.pick(['!!', '!!!', ' ?', ' ...']);
  if (random.chance(0.3)) text += ` ${random.pick(EMOJI)}`;
  if (random.chance(0.4)) text = `${junk(random, 2, 5)} ${text}`;
  if (random.chance(0.4)) text = `${text} ${junk(random, 2, 5)}`;
  return text;
}
