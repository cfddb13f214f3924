/**
 * Who is muted and who is exiled, room by room, for the deck's rows: the deck reads the users store
 * once and hands the lists down by context, as sets, so a row holds no store subscription of its
 * own and looks its author up in constant time (a long-lived room can have thousands exiled).
 */
import { createContext, useContext } from 'react';
import type { RoomKey } from '../../../shared/chat';
import type { RoomRestrictions } from '../stores/users';

export interface RoomStanding {
  muted: ReadonlySet<string>;
  exiled: ReadonlySet<string>;
  /** The lists the sets were made from, to tell whether they changed. */
  from: Pick<RoomRestrictions, 'muted' | 'exiled'>;
}

export type Standings = ReadonlyMap<RoomKey, RoomStanding>;

export const MUTED = 1;
export const EXILED = 2;

let last: { byRoom: unknown; standings: Standings } = { byRoom: null, standings: new Map() };

/**
 * The users store's lists as sets, for `useUsers` (a room still loading, or whose check failed,
 * keeps what it knew). The same object comes back until a list changes: every row reads it, and a
 * room checked again without news should not draw them all again.
 */
export function selectStandings(state: {
  byRoom: Readonly<Record<RoomKey, RoomRestrictions>>;
}): Standings {
  if (state.byRoom !== last.byRoom) {
    last = { byRoom: state.byRoom, standings: standingsOf(state.byRoom, last.standings) };
  }
  return last.standings;
}

function standingsOf(
  byRoom: Readonly<Record<RoomKey, RoomRestrictions>>,
  previous: Standings,
): Standings {
  const rooms = Object.entries(byRoom).filter(
    ([, lists]) => lists.muted.length > 0 || lists.exiled.length > 0,
  );
  const unchanged =
    rooms.length === previous.size &&
    rooms.every(([roomKey, lists]) => {
      const known = previous.get(roomKey)?.from;
      return known?.muted === lists.muted && known.exiled === lists.exiled;
    });
  if (unchanged) return previous;
  return new Map(
    rooms.map(([roomKey, lists]) => [
      roomKey,
      {
        muted: new Set(lists.muted),
        exiled: new Set(lists.exiled),
        from: { muted: lists.muted, exiled: lists.exiled },
      },
    ]),
  );
}

export const StandingContext = createContext<Standings>(new Map());

/** Whether `userId` is muted (`MUTED`) and exiled (`EXILED`) in the room, as bits; 0 for nobody. */
export function useStanding(roomKey: RoomKey, userId: string | undefined): number {
  const room = useContext(StandingContext).get(roomKey);
  if (room === undefined || userId === undefined) return 0;
  return (room.muted.has(userId) ? MUTED : 0) | (room.exiled.has(userId) ? EXILED : 0);
}
