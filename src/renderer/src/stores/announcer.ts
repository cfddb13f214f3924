/**
 * What the screen reader hears: flagged messages and direct messages to the moderator, never the
 * ordinary feed (a busy room would never stop talking). Announcements are spaced out: what
 * arrives within `ANNOUNCE_INTERVAL_MS` of the last one is gathered into the next.
 */
import { create } from 'zustand';
import type { ChatEvent } from '../../../shared/chat';

export const ANNOUNCE_INTERVAL_MS = 2000;

export interface Announcement {
  id: number;
  /** The newest event the announcement is about. */
  latest: ChatEvent;
  /** How many events it stands for (the latest one included). */
  count: number;
}

interface AnnouncerState {
  current: Announcement | null;
  /** Looks at a batch of new events and announces the ones the moderator must hear about. */
  consider: (events: readonly ChatEvent[]) => void;
  /** Forgets what is waiting to be announced. */
  reset: () => void;
}

/**
 * Flagged messages, DMs to the moderator and first-time chatters raised to the Flagged queue; the
 * moderator's own messages never.
 */
export function isAnnounced(event: ChatEvent): boolean {
  if (event.fromModerator === true || event.kind === 'gap') return false;
  return event.flags.length > 0 || event.toModerator === true || event.first === 'raised';
}

let announcementId = 0;

export const useAnnouncer = create<AnnouncerState>()((set) => {
  let lastAt = -Infinity;
  let waiting: { latest: ChatEvent; count: number } | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function flush(): void {
    timer = null;
    if (!waiting) return;
    lastAt = Date.now();
    set({ current: { id: (announcementId += 1), ...waiting } });
    waiting = null;
  }

  return {
    current: null,

    consider(events) {
      let latest: ChatEvent | null = null;
      let count = 0;
      for (const event of events) {
        if (!isAnnounced(event)) continue;
        latest = event;
        count += 1;
      }
      if (!latest) return;
      waiting = { latest, count: (waiting?.count ?? 0) + count };
      if (timer !== null) return;
      const wait = lastAt + ANNOUNCE_INTERVAL_MS - Date.now();
      if (wait <= 0) flush();
      else timer = setTimeout(flush, wait);
    },

    reset() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting = null;
      lastAt = -Infinity;
      set({ current: null });
    },
  };
});
