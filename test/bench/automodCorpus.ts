/**
 * The automod benchmark's labelled stream, from the sandbox's own chatter generator
 * (`ChatterScript` with a spam share): English and Korean chat, crowd reaction bursts, chatters
 * saying a short reaction twice, and every spam kind the sandbox simulates, each message labelled.
 *
 * The script says what is sent, not when; times follow the sandbox's scheduler: a message that is
 * part of the rate comes `1000 / rate` ms after the previous one, and a message "extra to the rate"
 * (a burst or a spam episode sent at once) a few milliseconds after it. Rooms interleave by time.
 * `firstInRoom` is set on a user's first message in a room, as the message store says it in the app.
 */
import { ChatterScript, isChatEvent, poolFor, SPAM_KINDS } from '../../src/sandbox';
import type { AutomodMessage } from '../../src/shared/automod';

/** A spam kind, `crowd` (a reaction burst, or a short reaction said again), or `normal`. */
export type CorpusLabel = (typeof SPAM_KINDS)[number] | 'crowd' | 'normal';
export const CORPUS_LABELS: readonly CorpusLabel[] = [...SPAM_KINDS, 'crowd', 'normal'];

export interface CorpusMessage extends AutomodMessage {
  label: CorpusLabel;
  /** The spam episode it belongs to (room and number), and its place in it (0 first). */
  episode?: string;
  place?: number;
}

export interface CorpusOptions {
  seed: number;
  rooms: number;
  messagesPerRoom: number;
  /** Messages per second per room (those that are part of the rate). */
  rate: number;
  /** Share of messages that start a spam episode. */
  spamShare: number;
  /** Chatters present in each room at the start (the sandbox's `--present`; its default is 20). */
  present?: number;
}

/** Milliseconds between two messages sent at once (same scheduler tick). */
const AT_ONCE_MS = 2;
const SHORT_REACTIONS = new Set(['gg', 'lol', 'wow', 'same', 'brb', '대박', 'ㅋㅋㅋㅋㅋ', '굿굿']);

export function automodCorpus(options: CorpusOptions): CorpusMessage[] {
  const start = Date.UTC(2026, 11, 1, 20);
  const all: CorpusMessage[] = [];
  for (let room = 0; room < options.rooms; room += 1) {
    const roomKey = `bench/room${room}`;
    const script = new ChatterScript({
      seed: options.seed,
      stream: roomKey,
      spamShare: options.spamShare,
      forbiddenShare: 0.05,
      directShare: 0,
      ...(options.present === undefined
        ? {}
        : { initialMembers: options.present, poolSize: poolFor(options.present) }),
    });
    const seen = new Set<string>(script.initialMembers().map((user) => user.id));
    let at = start + room * 37;
    let episodes = 0;
    let episode: { id: string; kind: string; place: number } | undefined;
    let lastText = new Map<string, string>();
    let produced = 0;
    while (produced < options.messagesPerRoom) {
      const event = script.next();
      if (!isChatEvent(event) || event.kind !== 'message') {
        if (event.kind === 'join' || event.kind === 'leave') at += 1000 / options.rate;
        continue;
      }
      at += event.burst ? AT_ONCE_MS : 1000 / options.rate;
      let label: CorpusLabel;
      if (event.spam !== null) {
        label = event.spam;
        // A new episode starts when the kind changes or a repeat/flood comes from someone else.
        if (
          episode === undefined ||
          episode.kind !== event.spam ||
          (event.spam !== 'raid' && !episode.id.endsWith(`/${event.user.id}`))
        ) {
          episodes += 1;
          episode = { id: `${roomKey}#${episodes}/${event.user.id}`, kind: event.spam, place: 0 };
        } else episode.place += 1;
      } else {
        const again = lastText.get(event.user.id) === event.text;
        label = event.burst || (again && SHORT_REACTIONS.has(event.text)) ? 'crowd' : 'normal';
      }
      if (event.spam === null && episode?.kind !== 'repeat') episode = undefined;
      lastText.set(event.user.id, event.text);
      if (lastText.size > 10_000) lastText = new Map();
      const first = !seen.has(event.user.id);
      seen.add(event.user.id);
      all.push({
        roomKey,
        userId: event.user.id,
        userName: event.user.name,
        text: event.text,
        at: Math.round(at),
        ...(first ? { firstInRoom: true } : {}),
        label,
        ...(event.spam !== null && episode ? { episode: episode.id, place: episode.place } : {}),
      });
      produced += 1;
    }
  }
  // Stable: messages of one room at the same millisecond keep their order.
  return all.sort((a, b) => a.at - b.at);
}
