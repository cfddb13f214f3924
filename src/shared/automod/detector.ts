/** What every detector is given and gives back. */
import type { Fingerprint } from './fingerprint';
import type { ReasonData } from './reasons';
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
  /**
   * The message's id in its room. With it, a verdict that recognises a pattern late (the copy that
   * makes a raid, the third of a repeat) names the earlier messages of the pattern as well.
   */
  id?: string;
}

/**
 * One message with what is computed from it once, however many detectors read it. The fingerprint,
 * its signature included, is reused for the next message: a detector copies what it keeps.
 */
export interface Inspected {
  message: AutomodMessage;
  /**
   * The text's fingerprint, computed on first use. Its signature is there (`signed`) when the
   * text has at least as many distinct shingles as the lowest `minShingles` of the rules that
   * compare by similarity; a rule reads it only above its own.
   */
  fingerprint(): Fingerprint;
  /**
   * The sender's slot among the recently active users of every room (`UserSlots`), found on first
   * use: the index of what per-user rules keep for them.
   */
  userSlot(): number;
  /** Who holds the sender's slot now: it changes when the slot goes to another user. */
  userGeneration(): number;
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

/**
 * One rule's detector: the reason it flags the message (reasons.ts), or nothing. When it
 * flags, it adds to `earlier` the ids of this room's earlier messages that belong to what it found
 * and that it has not flagged yet (each id at most once over the detector's life, while it
 * remembers the message); it adds nothing otherwise.
 */
export interface Detector {
  check(inspected: Inspected, earlier: string[]): ReasonData | undefined;
  size(): DetectorSize;
}

export const NOTHING_KEPT: DetectorSize = {
  rooms: 0,
  users: 0,
  recentMessages: 0,
  raids: 0,
  clusters: 0,
};
