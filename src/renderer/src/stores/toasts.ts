/**
 * The one toast at the bottom of the deck: the undo offer after a hide, a delete sent, why an action failed, what
 * a user action did, that a room's provider has no such command, or why a key did nothing. A new
 * toast takes the place of the one shown.
 */
import { create } from 'zustand';
import type { ChatUser, RoomKey, UserAction } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import type { ProviderId } from '../../../shared/model';
import type { EventKey } from '../lib/eventKey';
import type { ActionKind } from './feed';

/** A deck command on the focused message that its room's provider may not offer. */
export type ProviderCommand = ActionKind | 'mute' | 'exile';

/** What a toast says, before it is given its id. */
export type ToastContent =
  | { type: 'hidden'; key: EventKey }
  /** A delete was sent (it cannot be undone; the toast offers its reasons). */
  | { type: 'deleted'; key: EventKey }
  | { type: 'failed'; key: EventKey; kind: ActionKind; error: ErrorInfo }
  /**
   * An action on every copy of a collapsed run: while it is sent (`pending`), then how many of
   * `total` it did, failed (with the first failure's reason) or left unknown.
   */
  | {
      type: 'many';
      kind: ActionKind;
      keys: readonly EventKey[];
      total: number;
      pending: boolean;
      done: number;
      failed: number;
      unknown: number;
      error?: ErrorInfo;
    }
  /** The service did not say whether the action took effect. */
  | { type: 'unknown'; key: EventKey; kind: ActionKind; error: ErrorInfo }
  /** Marking a flagged message handled failed; it waits in the queue again. */
  | { type: 'markHandledFailed'; key: EventKey; error: ErrorInfo }
  /** The provider has no such command; `userActions` when it can act on the author instead. */
  | { type: 'unavailable'; command: ProviderCommand; provider: ProviderId; userActions: boolean }
  /** Why a key did nothing: `z` cannot bring back a delete; a join or leave is no message. */
  | { type: 'hint'; hint: 'deleteNotUndoable' | 'notAMessage' }
  /** A user was muted, exiled, or either lifted (or it failed, with the reason). */
  | { type: 'user'; roomKey: RoomKey; user: ChatUser; action: UserAction; error?: ErrorInfo };

/** A toast on the screen; its id tells it from the one it replaced. */
export type Toast = ToastContent & { id: number };

interface ToastsState {
  toast: Toast | null;
  show: (content: ToastContent) => void;
  /** Takes toast `id` away, unless another has replaced it already. */
  dismiss: (id: number) => void;
}

let lastToastId = 0;

export const useToasts = create<ToastsState>()((set, get) => ({
  toast: null,

  show(content) {
    lastToastId += 1;
    set({ toast: { ...content, id: lastToastId } });
  },

  dismiss(id) {
    if (get().toast?.id === id) set({ toast: null });
  },
}));
