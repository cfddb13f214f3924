/**
 * The seeded English and Korean chat the message-store benchmarks write: `memory-retention`'s
 * 200,000 messages and `store`'s 5,000,000 (`storeFixture.ts`) come from the same generator.
 */
import type { ChatEvent } from '../../src/shared/chat';

export const DAY = 24 * 60 * 60 * 1000;
export const ENGLISH = [
  'hello',
  'ok',
  'spam',
  'follow',
  'stream',
  'nice',
  'lol',
  'gg',
  'when',
  'link',
];
export const KOREAN = [
  '안녕하세요',
  '바보야',
  '방송',
  '재밌다',
  'ㅋㅋㅋ',
  '감사합니다',
  '채팅',
  '욕설을',
];
export const USERS = 2000;
export const ROOMS = 50;

/** A small seeded generator (mulberry32), so every run stores the same text. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One chat message: 2–11 words, all English or all Korean, by one of 2,000 users in one of 50 rooms. */
export function chat(random: () => number, index: number, receivedAt: number): ChatEvent {
  const words = random() < 0.5 ? ENGLISH : KOREAN;
  const length = 2 + Math.floor(random() * 10);
  const text = Array.from({ length }, () => words[Math.floor(random() * words.length)] ?? '').join(
    ' ',
  );
  const user = `user${Math.floor(random() * USERS)}`;
  return {
    roomKey: `acct/room${Math.floor(random() * ROOMS)}`,
    id: `m${index}`,
    messageId: `m${index}`,
    kind: 'message',
    user: { id: user, name: user },
    text,
    createdAt: receivedAt,
    receivedAt,
    state: 'visible',
    flags: [],
  };
}
