/**
 * The deck's commands on the focused message and its author, whether from a key, a row's buttons
 * or a toast: hide, unhide, delete (confirmed first), mute, exile (confirmed first), undo, retry,
 * "looks fine", and `Esc`. Each checks that the room's provider offers the command and says in a
 * toast when it does not, or when the command failed.
 *
 * "Deny + mute" and "Deny + exile" (exile confirmed first) take a flagged or held message and its
 * author in one step, each row saying how it went (`denials`).
 *
 * A hide, delete, mute or exile is sent at once and then offers a reason (`reasonOffer`): the
 * number keys pick a template for it for a few seconds, until another key, and its toast lists
 * the templates as buttons. The reason goes to main (`audit.reason`) once the action succeeded.
 */
import { create } from 'zustand';
import type { ChatUser, RoomKey, UserAction } from '../../../shared/chat';
import type { ErrorInfo, ReasonAction, ReasonRequest } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import { invoke } from '../lib/api';
import { forEachBounded } from '../lib/bounded';
import { REASON_KEYS_MS } from '../lib/reasons';
import { actionableAuthor } from '../lib/author';
import { roomKeyOfEvent, type ColumnKey, type EventKey } from '../lib/eventKey';
import { takesMessageActions } from '../lib/messageActions';
import { isDeleteAskedOn, type DeleteAsked } from './confirmations';
import { displayedKeys, useDeck } from './deck';
import {
  ACTION_NOT_SENT,
  displayedState,
  findEvent,
  isQueued,
  useFeed,
  type ActionKind,
} from './feed';
import { isHeldKey, reviewHeld, useHeld } from './held';
import { collapsedRun, useRepeats } from './repeats';
import { useRooms } from './rooms';
import { useToasts, type ProviderCommand, type ToastContent } from './toasts';
import { userKey, useUsers, type UserActionResult } from './users';
import { useView } from './view';

/** What a user action a message is denied with does to its author. */
export type DenyWith = 'mute' | 'exile';

/**
 * How "Deny + mute" or "Deny + exile" went for one message: `pending`; `done` — the author
 * restricted and the message deleted (`deleted`) or, where the service cannot delete, out of the
 * queue with every other flagged message of theirs; `failed` or `unknown` — the author's
 * restriction failed or went unanswered, and the message still waits; `notDenied` — the author
 * restricted, but the message's delete failed (`error` says why).
 */
export interface Denial {
  action: DenyWith;
  status: 'pending' | 'done' | 'failed' | 'unknown' | 'notDenied';
  deleted?: boolean;
  error?: ErrorInfo;
}

/** Denials remembered for their rows, the oldest let go first. */
const DENIALS_KEPT = 200;

/** The action just taken that a reason can still be given to. */
export interface ReasonOffer {
  target: Omit<ReasonRequest, 'reason'>;
  /** The message acted on (hide, delete), to tell its toast. */
  eventKey: EventKey | null;
  /** Until when (epoch ms) the number keys pick a reason; null once another key came. */
  keysUntil: number | null;
  /** Resolves with whether the action succeeded: only then is a reason sent. */
  done: Promise<boolean>;
  /** The reason picked, and whether main has it. */
  picked: { reason: string; status: 'sending' | 'saved' | 'failed'; error?: ErrorInfo } | null;
}

interface DeckCommandsState {
  /** The last hide or delete, for `z`: a hide it undoes, a delete it says it cannot. */
  lastAction: {
    key: EventKey;
    kind: 'hide' | 'delete';
    /** Every copy it hid, when it was taken on a collapsed run of repeated messages. */
    copies?: readonly EventKey[];
  } | null;
  /** The last hide, delete, mute or exile, while a reason can be given to it. */
  reasonOffer: ReasonOffer | null;
  /** How each "Deny + mute" or "Deny + exile" went, by the message it was taken on. */
  denials: Readonly<Record<EventKey, Denial>>;
  /** Gives the offered action this reason (a toast's button); a later pick replaces it. */
  giveReason: (reason: string) => Promise<void>;
  /**
   * Number key `number` right after the action: gives it template `number`. False when no action
   * waits for one (the keys' time is over, another key came) or there is no such template.
   */
  reasonByKey: (number: number, templates: readonly string[]) => boolean;
  /** Another key: the number keys no longer pick a reason (the toast's buttons still do). */
  endReasonKeys: () => void;

  /** "Looks fine": marks a flagged message or DM handled; false when it is not waiting. */
  markHandled: (key: EventKey) => boolean;
  /** Closes the overlay or the confirmation on top, or else ends every pause. */
  escape: () => void;
  /**
   * Hides event `key`; when its row in `column` stands for a collapsed run of repeated messages,
   * every copy of the run (likewise unhide and delete).
   */
  hide: (key: EventKey, column?: ColumnKey) => Promise<void>;
  unhide: (key: EventKey, column?: ColumnKey) => Promise<void>;
  /**
   * First call asks to confirm, on the row of `key` in `column` (for every copy, when the row
   * stands for a collapsed run); a second call on that row deletes what the question named.
   */
  requestDelete: (key: EventKey, column: ColumnKey) => Promise<void>;
  /** Confirms the delete or the exile that waits. */
  confirm: () => Promise<void>;
  /** Shows the run of `first` copy by copy, or folds it again; a delete asked on it is dropped. */
  toggleRun: (first: EventKey) => void;
  /** Mutes the author of event `key`, where the provider can. */
  mute: (key: EventKey) => Promise<void>;
  /** First call asks to confirm; a second call on the same event exiles its author. */
  requestExile: (key: EventKey) => Promise<void>;
  /** Mutes the author of flagged or held event `key` and denies it, in one step. */
  denyAndMute: (key: EventKey) => Promise<void>;
  /**
   * First call asks to confirm; a second call on the same event (or the exile key, or Enter)
   * exiles its author and denies it.
   */
  requestDenyAndExile: (key: EventKey) => Promise<void>;
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

/**
 * Copies of a collapsed run sent at once, at most: a run of 50 is 50 requests, and the service
 * (and the queue of the moderator's other actions) should see a few at a time.
 */
export const RUN_CONCURRENCY = 3;

/**
 * The copies row `key` stands for in `column`: a collapsed run's, or null for one message (a run
 * shown copy by copy, expanded or opened by the cursor on a later copy, acts copy by copy).
 */
function runOf(key: EventKey, column: ColumnKey | undefined): readonly EventKey[] | null {
  if (column === undefined) return null;
  const focus = useDeck.getState().focus;
  const focusKey = focus?.column === column ? focus.key : null;
  return collapsedRun(column, displayedKeys(column), key, focusKey);
}

/** How event `key` shows now, an action on its way counted; undefined when it is not held. */
function shownState(key: EventKey): ReturnType<typeof displayedState> | undefined {
  const event = findEvent(key);
  return event === undefined ? undefined : displayedState(event, useFeed.getState().actions[key]);
}

/** Whether `kind` would change event `key` as it shows now (hide what is visible, …). */
function changes(key: EventKey, kind: ActionKind): boolean {
  const state = shownState(key);
  if (state === undefined) return false;
  return kind === 'hide'
    ? state === 'visible'
    : kind === 'unhide'
      ? state === 'hidden'
      : state !== 'deleted';
}

/** Whether event `key` is deleted, or its delete is on its way. */
function isDeleted(key: EventKey): boolean {
  return shownState(key) === 'deleted';
}

/**
 * `kind` on every copy of a run that it would change and the provider allows, a few at a time;
 * one toast says how it is going, then how many were done, failed and unknown, and each row that
 * failed says why, as for one message. Returns the copies it was done on.
 */
async function runOnCopies(copies: readonly EventKey[], kind: ActionKind): Promise<EventKey[]> {
  const targets = copies.filter((key) => canAct(key, kind) && changes(key, kind));
  const total = targets.length;
  if (total === 0) return [];
  const summary = { type: 'many', kind, keys: targets, total } as const;
  showToast({ ...summary, pending: true, done: 0, failed: 0, unknown: 0 });
  const done: EventKey[] = [];
  let failed = 0;
  let unknown = 0;
  let error: ErrorInfo | undefined;
  await forEachBounded(targets, RUN_CONCURRENCY, async (key) => {
    const result = await useFeed.getState().act(key, kind);
    if (result === null) return;
    if (result.ok) done.push(key);
    else {
      if (result.error.code === ErrorCode.OutcomeUnknown) unknown += 1;
      else failed += 1;
      error ??= result.error;
    }
  });
  showToast({
    ...summary,
    pending: false,
    done: done.length,
    failed,
    unknown,
    ...(error ? { error } : {}),
  });
  return done;
}

/** A promise and the function that settles it. */
function settled(): { promise: Promise<boolean>; resolve: (ok: boolean) => void } {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

/** Why a user action was not sent: another one on the same user is under way. */
const BUSY_USER: ErrorInfo = {
  code: ErrorCode.UserBusy,
  message: 'Another action on this user is under way.',
};

/** Deletes a held message through its review; null when it is gone, or why not. */
async function denyHeld(key: EventKey): Promise<ErrorInfo | null> {
  await reviewHeld([key], 'deny');
  const review = useHeld.getState().reviews[key];
  if (review?.status === 'done' || review?.status === 'gone') return null;
  return (
    review?.error ?? { code: ErrorCode.OutcomeUnknown, message: 'The service did not answer.' }
  );
}

/** Deletes a flagged message; null when it is gone, or why not. */
async function denyFlagged(key: EventKey): Promise<ErrorInfo | null> {
  const result = await useFeed.getState().act(key, 'delete');
  if (result === null) return ACTION_NOT_SENT;
  return result.ok ? null : result.error;
}

export const useDeckCommands = create<DeckCommandsState>()((set, get) => {
  /**
   * Offers a reason for an action being sent now; returns what settles it. The action does not
   * wait for the reason: the reason waits for the action.
   */
  function offerReason(
    action: ReasonAction,
    roomKey: RoomKey,
    on: { messageId: string; eventKey: EventKey } | { userId: string },
  ): (ok: boolean) => void {
    const { promise, resolve } = settled();
    const offer: ReasonOffer = {
      target:
        'messageId' in on
          ? { roomKey, action, messageId: on.messageId }
          : { roomKey, action, userId: on.userId },
      eventKey: 'eventKey' in on ? on.eventKey : null,
      keysUntil: Date.now() + REASON_KEYS_MS,
      done: promise,
      picked: null,
    };
    set({ reasonOffer: offer });
    return (ok) => {
      resolve(ok);
      // A failed action takes no reason: its toast says what went wrong instead.
      if (!ok && get().reasonOffer === offer) set({ reasonOffer: null });
    };
  }

  /**
   * A message action with a reason offered for it. The request is sent (synchronously, inside
   * `run`) before the offer and whatever the caller shows next change the stores.
   */
  async function runOffering(key: EventKey, kind: 'hide' | 'delete'): Promise<boolean> {
    const messageId = findEvent(key)?.messageId;
    const action = run(key, kind);
    const settle =
      messageId === undefined || messageId === null
        ? () => undefined
        : offerReason(kind, roomKeyOfEvent(key), { messageId, eventKey: key });
    const ok = await action;
    settle(ok);
    return ok;
  }

  async function runUser(
    roomKey: RoomKey,
    user: ChatUser,
    action: UserAction,
  ): Promise<UserActionResult | null> {
    // Refused before anything is sent: the action under way keeps its reason offer.
    if (useUsers.getState().pending[userKey(roomKey, user.id)]) return null;
    const settle =
      action === 'mute' || action === 'exile'
        ? offerReason(action, roomKey, { userId: user.id })
        : () => undefined;
    const result = await useUsers.getState().act(roomKey, user.id, action);
    settle(result?.ok === true);
    if (!result) return null;
    showToast({
      type: 'user',
      roomKey,
      user,
      action,
      ...(result.ok ? {} : { error: result.error }),
    });
    return result;
  }

  function setDenial(key: EventKey, denial: Denial): void {
    set((state) => {
      const denials: Record<EventKey, Denial> = { ...state.denials };
      delete denials[key];
      denials[key] = denial;
      const keys = Object.keys(denials);
      for (const old of keys.slice(0, Math.max(0, keys.length - DENIALS_KEPT))) {
        delete denials[old];
      }
      return { denials };
    });
  }

  /**
   * Restricts the author of event `key` and denies it. The author first: when that fails, nothing
   * was done and the message still waits for a decision. Then the message is deleted where the
   * service can (a held one through its review, so the Held column says so too); where it cannot
   * (VChatCloud), the mute or exile has already taken it and every other flagged message of
   * theirs out of the queue (main marks them handled).
   */
  async function denyWith(key: EventKey, action: DenyWith): Promise<void> {
    const user = authorOf(key);
    const room = useRooms.getState().byKey[roomKeyOfEvent(key)];
    if (!user || !room) return;
    if (get().denials[key]?.status === 'pending') return;
    setDenial(key, { action, status: 'pending' });
    const result = await runUser(room.roomKey, user, action);
    if (!result?.ok) {
      const error = result?.error ?? BUSY_USER;
      const status = error.code === ErrorCode.OutcomeUnknown ? 'unknown' : 'failed';
      setDenial(key, { action, status, error });
      return;
    }
    if (!room.capabilities.delete || findEvent(key)?.state === 'deleted') {
      setDenial(key, { action, status: 'done', deleted: false });
      return;
    }
    const outcome = isHeldKey(key) ? await denyHeld(key) : await denyFlagged(key);
    setDenial(
      key,
      outcome === null
        ? { action, status: 'done', deleted: true }
        : { action, status: 'notDenied', error: outcome },
    );
  }

  /** Deletes what `asked` names: every copy of the run it stood for, or the message alone. */
  async function runDelete(asked: Pick<DeleteAsked, 'key' | 'copies'>): Promise<void> {
    const { key, copies } = asked;
    const lastAction = { key, kind: 'delete' } as const;
    useDeck.getState().cancelDelete();
    set({ lastAction });
    if (copies) {
      const deleted = await runOnCopies(copies, 'delete');
      if (deleted.length === 0 && get().lastAction === lastAction) set({ lastAction: null });
      return;
    }
    showToast({ type: 'deleted', key });
    const ok = await runOffering(key, 'delete');
    if (!ok && get().lastAction === lastAction) set({ lastAction: null });
  }

  return {
    lastAction: null,
    reasonOffer: null,
    denials: {},

    async giveReason(reason) {
      const offer = get().reasonOffer;
      if (!offer) return;
      const update = (picked: ReasonOffer['picked']): void => {
        const current = get().reasonOffer;
        if (current?.done === offer.done) set({ reasonOffer: { ...current, picked } });
      };
      set({ reasonOffer: { ...offer, keysUntil: null, picked: { reason, status: 'sending' } } });
      if (!(await offer.done)) return;
      const result = await invoke('audit.reason', { ...offer.target, reason });
      // A later pick for the same action is newer: only the latest says how it went.
      if (get().reasonOffer?.picked?.reason !== reason) return;
      update(
        result.ok ? { reason, status: 'saved' } : { reason, status: 'failed', error: result.error },
      );
    },

    reasonByKey(number, templates) {
      const offer = get().reasonOffer;
      const reason = templates[number - 1];
      if (!offer || offer.keysUntil === null || Date.now() > offer.keysUntil) return false;
      if (reason === undefined) return false;
      void get().giveReason(reason);
      return true;
    },

    endReasonKeys() {
      const offer = get().reasonOffer;
      if (offer && offer.keysUntil !== null) set({ reasonOffer: { ...offer, keysUntil: null } });
    },

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
      else if (useHeld.getState().selected.size > 0) useHeld.getState().clearSelection();
      else deck.resumeAll();
    },

    async hide(key, column) {
      if (!providerOffers(key, 'hide') || !isMessage(key)) return;
      const copies = runOf(key, column);
      if (copies) {
        const hidden = await runOnCopies(copies, 'hide');
        if (hidden.length > 0) set({ lastAction: { key, kind: 'hide', copies: hidden } });
        return;
      }
      if (!canAct(key, 'hide')) return;
      const lastAction = { key, kind: 'hide' } as const;
      // The request first (see `runOffering`), then what the deck shows of it.
      const hiding = runOffering(key, 'hide');
      set({ lastAction });
      showToast({ type: 'hidden', key });
      const ok = await hiding;
      if (!ok && get().lastAction === lastAction) set({ lastAction: null });
    },

    async unhide(key, column) {
      if (!providerOffers(key, 'unhide') || !isMessage(key)) return;
      const copies = runOf(key, column);
      if (copies) {
        await runOnCopies(copies, 'unhide');
        return;
      }
      if (!canAct(key, 'unhide')) return;
      await run(key, 'unhide');
    },

    async requestDelete(key, column) {
      if (!providerOffers(key, 'delete') || !isMessage(key)) return;
      const deck = useDeck.getState();
      // The second press confirms what the row's question names, whatever the row shows since.
      if (isDeleteAskedOn(deck.deleteToConfirm, column, key)) {
        await runDelete(deck.deleteToConfirm);
        return;
      }
      const copies = runOf(key, column);
      if (copies) {
        if (!copies.some((copy) => canAct(copy, 'delete') && changes(copy, 'delete'))) return;
        deck.askDelete({ key, column, copies });
        return;
      }
      if (!canAct(key, 'delete')) return;
      const event = findEvent(key);
      if (event?.state === 'deleted') return;
      const earlier = useFeed.getState().actions[key];
      if (earlier?.kind === 'delete' && earlier.status === 'unknown') {
        // Confirmed before and perhaps done: the key tries the same delete again at once.
        await runDelete({ key, copies: null });
        return;
      }
      deck.askDelete({ key, column, copies: null });
    },

    async confirm() {
      const { deleteToConfirm, exileToConfirm, cancelExile } = useDeck.getState();
      if (deleteToConfirm) {
        await runDelete(deleteToConfirm);
        return;
      }
      if (!exileToConfirm) return;
      const denies = useDeck.getState().exileDenies;
      cancelExile();
      if (denies) {
        await denyWith(exileToConfirm, 'exile');
        return;
      }
      const user = authorOf(exileToConfirm);
      if (user) await runUser(roomKeyOfEvent(exileToConfirm), user, 'exile');
    },

    toggleRun(first) {
      useRepeats.getState().toggle(first);
      // The row now stands for other copies than its question named: it asks again if wanted.
      useDeck.getState().cancelDeleteOf(first);
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
      // The exile key confirms what was asked: with the denial, when "Deny + exile" asked it.
      const denies = deck.exileDenies;
      deck.cancelExile();
      if (denies) await denyWith(key, 'exile');
      else await runUser(roomKeyOfEvent(key), user, 'exile');
    },

    async denyAndMute(key) {
      if (!providerOffers(key, 'mute')) return;
      await denyWith(key, 'mute');
    },

    async requestDenyAndExile(key) {
      if (!providerOffers(key, 'exile') || !authorOf(key)) return;
      const deck = useDeck.getState();
      if (deck.exileToConfirm !== key || !deck.exileDenies) {
        deck.askExile(key, true);
        return;
      }
      deck.cancelExile();
      await denyWith(key, 'exile');
    },

    async userAction(roomKey, user, action) {
      await runUser(roomKey, user, action);
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
      // Deleted since (by another moderator, a denial): nothing is left to show again.
      if ((last.copies ?? [key]).every(isDeleted)) {
        showToast({ type: 'hint', hint: 'deleteNotUndoable' });
        return;
      }
      const { toast, dismiss } = useToasts.getState();
      if (last.copies) {
        await runOnCopies(last.copies, 'unhide');
        return;
      }
      if (toast?.type === 'hidden' && toast.key === key) dismiss(toast.id);
      await run(key, 'unhide');
    },

    async retry(key) {
      const action = useFeed.getState().actions[key];
      if (action?.status !== 'failed' && action?.status !== 'unknown') return;
      if (action.kind === 'hide') await get().hide(key);
      else if (action.kind === 'unhide') await get().unhide(key);
      else await runDelete({ key, copies: null });
    },
  };
});
