/**
 * The reference for the automod benchmark: Chatterino's local similarity check with its defaults
 * (moderation-anchors-2.md §4, Chatterino `setSimilarityFlags` and `Settings.hpp`), written small.
 *
 * A message is "similar" when one of the channel's last 3 messages (`hideSimilarMaxMessagesToCheck`),
 * none older than 5 s (`hideSimilarMaxDelay`; the scan stops at the first older one), from the
 * same user (`hideSimilarBySameUser`), shares with it a longest common substring longer than 0.9
 * (`similarityPercentage`) of the longer text's length: the full O(n·m) matrix, as Chatterino
 * computes it, on the raw text (case counts).
 */

const MESSAGES_TO_CHECK = 3;
const MAX_DELAY_MS = 5000;
const SIMILARITY = 0.9;

interface Previous {
  userId: string;
  text: string;
  at: number;
}

/** Longest common substring over the longer length (Chatterino's `relativeSimilarity`). */
export function relativeSimilarity(first: string, second: string): number {
  let previous = new Uint16Array(second.length + 1);
  let current = new Uint16Array(second.length + 1);
  let longest = 0;
  for (let i = 1; i <= first.length; i += 1) {
    for (let j = 1; j <= second.length; j += 1) {
      const length =
        first.charCodeAt(i - 1) === second.charCodeAt(j - 1) ? previous[j - 1]! + 1 : 0;
      current[j] = length;
      if (length > longest) longest = length;
    }
    [previous, current] = [current, previous];
  }
  return longest === 0 ? 0 : longest / Math.max(1, first.length, second.length);
}

/** Chatterino's check, one channel history per room. */
export class ChatterinoSimilarity {
  private readonly rooms = new Map<string, Previous[]>();

  /** Whether Chatterino marks this message as similar; then remembers it. */
  check(message: { roomKey: string; userId: string; text: string; at: number }): boolean {
    let history = this.rooms.get(message.roomKey);
    if (!history) {
      history = [];
      this.rooms.set(message.roomKey, history);
    }
    let similar = 0;
    for (let back = 1; back <= Math.min(MESSAGES_TO_CHECK, history.length); back += 1) {
      const previous = history[history.length - back]!;
      if (message.at - previous.at >= MAX_DELAY_MS) break;
      if (previous.userId !== message.userId) continue;
      similar = Math.max(similar, relativeSimilarity(message.text, previous.text));
    }
    history.push({ userId: message.userId, text: message.text, at: message.at });
    if (history.length > MESSAGES_TO_CHECK) history.shift();
    return similar > SIMILARITY;
  }
}
