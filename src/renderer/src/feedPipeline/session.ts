/**
 * Wires the stores to main: follows the feed and settings events, restores the saved layout, and
 * gives the rooms store its way to save the layout and fill a room. Returns the unsubscribe.
 */
import type { OpenRoom } from '../../../shared/chat';
import type { Settings } from '../../../shared/model';
import { invoke, on } from '../lib/api';
import { eventKeyOf } from '../lib/eventKey';
import { useAnnouncer } from '../stores/announcer';
import { useDeck } from '../stores/deck';
import { useFeed } from '../stores/feed';
import { usePanels } from '../stores/panels';
import { useRepeats } from '../stores/repeats';
import { setRoomsHooks, useRooms } from '../stores/rooms';
import { useSettings } from '../stores/settings';
import { useUsers } from '../stores/users';
import { useView } from '../stores/view';
import { createFramePacer } from './framePacer';

export function startSession(): () => void {
  // Layout saves in flight: a `settings.changed` echoing an older layout must not reopen a room
  // the moderator closed since.
  let saving = 0;
  // Batches reach the store at most once a frame; anything else that touches the feed lets the
  // waiting ones in first, so the order of events stays main's.
  const pacer = createFramePacer((batch) => {
    useFeed.getState().applyBatch(batch);
    useAnnouncer.getState().consider(batch.events);
    useUsers.getState().consider(batch.events);
  });

  setRoomsHooks({
    saveLayout(layout) {
      saving += 1;
      void useSettings
        .getState()
        .update({ layout })
        .finally(() => {
          saving -= 1;
        });
    },
    async loadFeed(roomKey) {
      const room = await fillFeed(roomKey);
      if (room === null) return;
      // Each row says whether its author is muted or exiled: the room's lists are needed now.
      const { capabilities } = room;
      if (capabilities.mute || capabilities.exile) void useUsers.getState().load(roomKey);
    },
    dropFeed(roomKey) {
      pacer.flush();
      useFeed.getState().dropRoom(roomKey);
      useDeck.getState().forgetColumn(roomKey);
      usePanels.getState().forgetRoom(roomKey);
      useUsers.getState().forget(roomKey);
    },
  });

  /** Fills a room from its snapshot (the live events that came meanwhile stay); null if closed. */
  async function fillFeed(roomKey: string): Promise<OpenRoom | null> {
    const result = await invoke('feed.snapshot', { roomKey });
    if (!result.ok || !useRooms.getState().byKey[roomKey]) return null;
    pacer.flush();
    useRooms.getState().refresh(result.value.room);
    useFeed.getState().loadSnapshot(roomKey, result.value.events);
    return result.value.room;
  }

  function adopt(settings: Settings): void {
    useFeed.getState().setScrollback(settings.scrollback);
    useRepeats.getState().setEnabled(settings.collapseRepeats);
    if (saving !== 0) return;
    useRooms.getState().adoptFlaggedWidth(settings.layout.flaggedWidth);
    void useRooms.getState().restore(settings.layout.columns);
  }

  const stops = [
    on('feed.batch', (batch) => pacer.push(batch)),
    on('feed.status', ({ statuses }) => useRooms.getState().applyStatuses(statuses)),
    on('feed.gap', ({ roomKey, from, to }) => {
      pacer.flush();
      useFeed.getState().addGap(roomKey, from, to);
    }),
    // The room's stored history came after its first snapshot: it now comes before the live events.
    on('feed.history', ({ roomKey }) => {
      if (useRooms.getState().byKey[roomKey]) void fillFeed(roomKey);
    }),
    on('notification.open', ({ roomKey, id }) => {
      pacer.flush();
      const key = eventKeyOf(roomKey, id);
      if (!useFeed.getState().rooms[roomKey]?.byKey.has(key)) return;
      useView.getState().showOnDeck({ column: roomKey, key });
    }),
    on('settings.changed', (settings) => {
      useSettings.getState().replace(settings);
      adopt(settings);
    }),
  ];

  let stopped = false;
  void useSettings
    .getState()
    .load()
    .then((settings) => {
      if (settings && !stopped) adopt(settings);
    });

  return () => {
    stopped = true;
    for (const stop of stops) stop();
    pacer.dispose();
  };
}
