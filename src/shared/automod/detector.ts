/** What every detector is given and gives back. */
import type { Fingerprint } from './fingerprint';
import type { TextUnits } from './units';

/** A chat message as the detectors read it; messages arrive in time order. */
export interface AutomodMessage {
  roomKey: string;
  userId: string;
  userName: string;
  text: string;
  /** Epoch milliseconds. */
  at: number;
  /** The sender's first message in this room, when the message store knows. */
  firstInRoom?: boolean;
}

/**
 * One message with what is computed from it once, however many detectors read it. The fingerprint,
 * its signature included, is reused for the next message: a detector copies what it keeps.
 */
export interface Inspected {
  message: AutomodMessage;
  /** The text's fingerprint, computed on first use. */
  fingerprint(): Fingerprint;
  /** The sender's key in the room ({@link userKey}), computed on first use. */
  userKey(): string;
  /** The text's first UTF-16 units, copied on first use into a buffer reused for the next message. */
  textUnits(): TextUnits;
}

/** How much a detector remembers now. */
export interface DetectorSize {
  rooms: number;
  users: number;
  recentMessages: number;
  raids: number;
  clusters: number;
}

/** One rule's detector: the reason it flags the message, in a moderator's words, or nothing. */
export interface Detector {
  check(inspected: Inspected): string | undefined;
  size(): DetectorSize;
}

export const NOTHING_KEPT: DetectorSize = {
  rooms: 0,
  users: 0,
  recentMessages: 0,
  raids: 0,
  clusters: 0,
};

/** The key of one user in one room. */
export function userKey(message: Pick<AutomodMessage, 'roomKey' | 'userId'>): string {
  return `${message.roomKey}\u0000${message.userId}`;
}
