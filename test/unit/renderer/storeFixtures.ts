/** Events, batches and a clean slate for renderer store and deck tests. */
import { useAccounts } from '../../../src/renderer/src/stores/accounts';
import { useAdmin } from '../../../src/renderer/src/stores/admin';
import { useAnnouncer } from '../../../src/renderer/src/stores/announcer';
import { useChatRooms } from '../../../src/renderer/src/stores/chatRooms';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { useDeckCommands } from '../../../src/renderer/src/stores/deckCommands';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { useHeld } from '../../../src/renderer/src/stores/held';
import { useKeptDrafts } from '../../../src/renderer/src/stores/keptDrafts';
import { useMembers } from '../../../src/renderer/src/stores/members';
import { usePanels } from '../../../src/renderer/src/stores/panels';
import { useRepeats } from '../../../src/renderer/src/stores/repeats';
import { useShield } from '../../../src/renderer/src/stores/shield';
import { useRoomAdmin } from '../../../src/renderer/src/stores/roomAdmin';
import { useRuleDrafts } from '../../../src/renderer/src/stores/ruleDrafts';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import { useSettings } from '../../../src/renderer/src/stores/settings';
import { useToasts } from '../../../src/renderer/src/stores/toasts';
import { useUsers } from '../../../src/renderer/src/stores/users';
import { useView } from '../../../src/renderer/src/stores/view';
import { useWarnings } from '../../../src/renderer/src/stores/warnings';
import type { ChatEvent, FeedBatch } from '../../../src/shared/chat';

export const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

let sequence = 0;

/** A chat event in `roomKey`; every field can be overridden. */
export function chatEvent(roomKey: string, overrides: Partial<ChatEvent> = {}): ChatEvent {
  sequence += 1;
  const id = overrides.id ?? `m${sequence}`;
  return {
    roomKey,
    id,
    messageId: id,
    kind: 'message',
    user: { id: `u${sequence}`, name: `user${sequence}` },
    text: `message ${sequence}`,
    createdAt: T0 + sequence * 1000,
    receivedAt: T0 + sequence * 1000,
    state: 'visible',
    flags: [],
    ...overrides,
  };
}

export function batchOf(events: ChatEvent[], extra: Partial<FeedBatch> = {}): FeedBatch {
  return { events, updates: [], stats: [], ...extra };
}

export function resetStores(): void {
  useFeed.setState(useFeed.getInitialState(), true);
  useRooms.setState(useRooms.getInitialState(), true);
  useSettings.setState(useSettings.getInitialState(), true);
  useDeck.setState(useDeck.getInitialState(), true);
  useDeckCommands.setState(useDeckCommands.getInitialState(), true);
  useToasts.setState(useToasts.getInitialState(), true);
  useView.setState(useView.getInitialState(), true);
  useAccounts.setState(useAccounts.getInitialState(), true);
  usePanels.setState(usePanels.getInitialState(), true);
  useMembers.setState(useMembers.getInitialState(), true);
  useAdmin.setState(useAdmin.getInitialState(), true);
  useChatRooms.setState(useChatRooms.getInitialState(), true);
  useUsers.setState(useUsers.getInitialState(), true);
  useRoomAdmin.setState(useRoomAdmin.getInitialState(), true);
  useRuleDrafts.setState(useRuleDrafts.getInitialState(), true);
  useWarnings.setState(useWarnings.getInitialState(), true);
  useKeptDrafts.setState(useKeptDrafts.getInitialState(), true);
  useRepeats.setState(useRepeats.getInitialState(), true);
  useShield.setState(useShield.getInitialState(), true);
  useHeld.setState(useHeld.getInitialState(), true);
  useAnnouncer.getState().reset();
  delete document.documentElement.dataset.theme;
  document.documentElement.lang = 'en';
}
