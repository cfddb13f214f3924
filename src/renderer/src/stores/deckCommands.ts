/**
 * The deck's commands on the focused message and its author, whether from a key, a row's buttons
 * or a toast: hide, unhide, delete (confirmed first), mute, exile (confirmed first), undo, retry,
 * "looks fine", and `Esc`. Each checks that the room's provider offers the command and says in a
 * toast when it does not, or when the command failed.
 */
import { create } from 'zustand';
import type { ChatUser, RoomKey, UserAction } from '../../../shared/chat';
import { ErrorCode } from '../../../shared/errors';
import { actionableAuthor } from '../lib/author';
import { roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { takesMessageActions } from '../lib/messageActions';
import { useDeck } from './deck';
import { findEvent, isQueued, useFeed, type ActionKind } from './feed';
import { useRooms } from './rooms';
import { useToasts, type ProviderCommand, type ToastContent } from './toasts';
import { useUsers } from './users';
import { useView } from './view';

interface DeckCommandsState {
  /** The last hide or delete, for `z`: a hide it undoes, a delete it says it cannot. */
  lastAction: { key: EventKey; kind: 'hide' | 'delete' } | null;

  /** "Looks fine": marks a flagged message or DM handled; false when it is not waiting. */
  markHandled: (key: EventKey) => boolean;
  /** Closes the overlay or the confirmation on top, or else ends every pause. */
  escape: () => void;
  hide: (key: EventKey) => Promise<void>;
  unhide: (key: EventKey) => Promise<void>;
  /** First call asks to confirm; a second call on the same event deletes it. */
  requestDelete: (key: EventKey) => Promise<void>;
  /** Confirms the delete or the exile that waits. */
  confirm: () => Promise<void>;
  /** Mutes the author of event `key`, where the provider can. */
  mute: (key: EventKey) => Promise<void>;
  /** First call asks to confirm; a second call on the same event exiles its author. */
  requestExile: (key: EventKey) => Promise<void>;
  /** Mutes, exiles or lifts either for `user` in the room, and says how it went in a toast. */
  userAction: (roomKey: RoomKey, user: ChatUser, action: UserAction) => Promise<void>;
  undo: () => Promise<void>;
  retry: (key: EventKey) => Promise<void>;
}

function showToast(content: ToastContent): void {
  useToasts.getState().show(content);
}

/** Runs a message action; a failure, or an outcome the service did not tell, gets a toast. */
async function run(key: EventKey, kind: ActionKind): Promise<boolean> {
  const result = await useFeed.getState().act(key, kind);
  if (result && !result.ok) {
    const type = result.error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
    showToast({ type, key, kind, error: result.error });
  }
  return result?.ok === true;
}

function canAct(key: EventKey, kind: ActionKind): boolean {
  const event = findEvent(key);
  const capabilities = useRooms.getState().byKey[roomKeyOfEvent(key)]?.capabilities;
  return event !== undefined && takesMessageActions(event) && capabilities?.[kind] === true;
}

/** Whether event `key` is a chat message; a join, a leave or a notice says it is not. */
function isMessage(key: EventKey): boolean {
  const event = findEvent(key);
  if (!event || takesMessageActions(event)) return event !== undefined;
  showToast({ type: 'hint', hint: 'notAMessage' });
  return false;
}

/** Whether the event's provider offers `command`; when it does not, a toast says so. */
function providerOffers(key: EventKey, command: ProviderCommand): boolean {
  const room = useRooms.getState().byKey[roomKeyOfEvent(key)];
  if (!room || !findEvent(key)) return false;
  if (room.capabilities[command]) return true;
  showToast({
    type: 'unavailable',
    command,
    provider: room.provider,
    userActions: room.capabilities.mute || room.capabilities.exile,
  });
  return false;
}

function authorOf(key: EventKey): ChatUser | null {
  const event = findEvent(key);
  const room = useRooms.getState().byKey[roomKeyOfEvent(key)];
  return event ? actionableAuthor(event, room?.moderatorUserId ?? null) : null;
}

async function runUser(roomKey: RoomKey, user: ChatUser, action: UserAction): Promise<void> {
  const result = await useUsers.getState().act(roomKey, user.id, action);
  if (!result) return;
  showToast({ type: 'user', roomKey, user, action, ...(result.ok ? {} : { error: result.error }) });
}

export const useDeckCommands = create<DeckCommandsState>()((set, get) => {
  /** Deletes event `key`; `z` then says a delete cannot be undone (unless it failed). */
  async function runDelete(key: EventKey): Promise<void> {
    const lastAction = { key, kind: 'delete' } as const;
    useDeck.getState().cancelDelete();
    set({ lastAction });
    const ok = await run(key, 'delete');
    if (!ok && get().lastAction === lastAction) set({ lastAction: null });
  }

  return {
    lastAction: null,

    markHandled(key) {
      const event = findEvent(key);
      if (!event || !isQueued(event)) return false;
      void useFeed
        .getState()
        .markHandled(key)
        .then((result) => {
          if (result && !result.ok)
            showToast({ type: 'markHandledFailed', key, error: result.error });
        });
      return true;
    },

    escape() {
      const view = useView.getState();
      const deck = useDeck.getState();
      if (view.help) view.setHelp(false);
      else if (view.picker) view.setPicker(false);
      else if (deck.deleteToConfirm) deck.cancelDelete();
      else if (deck.exileToConfirm) deck.cancelExile();
      else deck.resumeAll();
    },

    async hide(key) {
      if (!providerOffers(key, 'hide') || !isMessage(key) || !canAct(key, 'hide')) return;
      const lastAction = { key, kind: 'hide' } as const;
      set({ lastAction });
      showToast({ type: 'hidden', key });
      const ok = await run(key, 'hide');
      if (!ok && get().lastAction === lastAction) set({ lastAction: null });
    },

    async unhide(key) {
      if (!providerOffers(key, 'unhide') || !isMessage(key) || !canAct(key, 'unhide')) return;
      await run(key, 'unhide');
    },

    async requestDelete(key) {
      if (!providerOffers(key, 'delete') || !isMessage(key) || !canAct(key, 'delete')) return;
      const event = findEvent(key);
      if (event?.state === 'deleted') return;
      const earlier = useFeed.getState().actions[key];
      if (earlier?.kind === 'delete' && earlier.status === 'unknown') {
        // Confirmed before and perhaps done: the key tries the same delete again at once.
        await runDelete(key);
        return;
      }
      if (useDeck.getState().deleteToConfirm !== key) {
        useDeck.getState().askDelete(key);
        return;
      }
      await runDelete(key);
    },

    async confirm() {
      const { deleteToConfirm, exileToConfirm, cancelExile } = useDeck.getState();
      if (deleteToConfirm) {
        await runDelete(deleteToConfirm);
        return;
      }
      if (!exileToConfirm) return;
      cancelExile();
      const user = authorOf(exileToConfirm);
      if (user) await runUser(roomKeyOfEvent(exileToConfirm), user, 'exile');
    },

    async mute(key) {
      if (!providerOffers(key, 'mute')) return;
      const user = authorOf(key);
      if (user) await runUser(roomKeyOfEvent(key), user, 'mute');
    },

    async requestExile(key) {
      if (!providerOffers(key, 'exile')) return;
      const user = authorOf(key);
      if (!user) return;
      const deck = useDeck.getState();
      if (deck.exileToConfirm !== key) {
        deck.askExile(key);
        return;
      }
      deck.cancelExile();
      await runUser(roomKeyOfEvent(key), user, 'exile');
    },

    userAction(roomKey, user, action) {
      return runUser(roomKey, user, action);
    },

    async undo() {
      const last = get().lastAction;
      if (!last) return;
      if (last.kind === 'delete') {
        showToast({ type: 'hint', hint: 'deleteNotUndoable' });
        return;
      }
      const { key } = last;
      set({ lastAction: null });
      const { toast, dismiss } = useToasts.getState();
      if (toast?.type === 'hidden' && toast.key === key) dismiss(toast.id);
      await run(key, 'unhide');
    },

    async retry(key) {
      const action = useFeed.getState().actions[key];
      if (action?.status !== 'failed' && action?.status !== 'unknown') return;
      if (action.kind === 'hide') await get().hide(key);
      else if (action.kind === 'unhide') await get().unhide(key);
      else await runDelete(key);
    },
  };
});
