/**
 * One key per event across the whole deck: `roomKey#id`. An event id is only unique within its
 * room, and a room key never contains `#`, so the first `#` splits the two.
 */
import type { RoomKey } from '../../../shared/chat';

export type EventKey = string;

export function eventKeyOf(roomKey: RoomKey, id: string): EventKey {
  return `${roomKey}#${id}`;
}

export function roomKeyOfEvent(key: EventKey): RoomKey {
  return key.slice(0, key.indexOf('#'));
}

/** The Flagged column's key; never a room key (room keys always contain a `/`). */
export const FLAGGED_COLUMN = 'flagged';

/** The Held column's key (see `FLAGGED_COLUMN`). */
export const HELD_COLUMN = 'held';

/** A column is a room (its room key), the Flagged column or the Held column. */
export type ColumnKey = string;
