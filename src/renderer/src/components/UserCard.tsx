import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import {
  parseRoomKey,
  type Capabilities,
  type ChatUser,
  type RoomKey,
  type UserAction as Restriction,
} from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { useFormatters } from '../hooks/useFormatters';
import { useUserMemory } from '../hooks/useUserMemory';
import { describeError } from '../lib/errors';
import { roomKeyOfEvent } from '../lib/eventKey';
import { mergeUserMessages } from '../lib/mergeUserMessages';
import { NAME_SLOT, withName } from '../lib/names';
import { userHistory } from '../lib/userHistory';
import { useDeckCommands } from '../stores/deckCommands';
import { useFeed } from '../stores/feed';
import { useKeptDrafts } from '../stores/keptDrafts';
import { usePanels, type Panel } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { userKey, useUsers } from '../stores/users';
import { NamedSentence } from './NamedSentence';
import { PanelFrame } from './PanelFrame';
import { StoredUserMessage } from './StoredUserMessage';
import { UserMemorySummary } from './UserMemorySummary';
import { UserMessage } from './UserMessage';
import { UserNotes, type NotesDraft } from './UserNotes';

interface UserCardProps {
  roomKey: RoomKey;
  user: ChatUser;
}

/** Whether the user is muted and exiled in the card's room. */
interface Standing {
  muted: boolean;
  exiled: boolean;
}

/**
 * An action a provider lets the moderator take on a user, offered when its capability is on: a
 * panel to open, or a restriction to set or lift (offered when it would change something, once
 * the room's restrictions are known).
 */
type UserAction =
  | {
      id: string;
      capability: keyof Capabilities;
      label: string;
      panel: (roomKey: RoomKey, user: ChatUser) => Panel;
    }
  | {
      id: Restriction;
      capability: keyof Capabilities;
      label: string;
      applies: (standing: Standing) => boolean;
      /** Asks first: it cannot be taken back from the user's side (kick and ban). */
      confirm?: true;
    };

const USER_ACTIONS: readonly UserAction[] = [
  {
    id: 'directMessage',
    capability: 'directMessage',
    label: 'userCard.directMessage',
    panel: (roomKey, user) => ({
      type: 'composer',
      mode: 'direct',
      roomKeys: [roomKey],
      receivers: [user],
    }),
  },
  {
    id: 'mute',
    capability: 'mute',
    label: 'userCard.actions.mute',
    applies: (standing) => !standing.muted,
  },
  {
    id: 'unmute',
    capability: 'mute',
    label: 'userCard.actions.unmute',
    applies: (standing) => standing.muted,
  },
  {
    id: 'exile',
    capability: 'exile',
    label: 'userCard.actions.exile',
    applies: (standing) => !standing.exiled,
    confirm: true,
  },
  {
    id: 'unexile',
    capability: 'exile',
    label: 'userCard.actions.unexile',
    applies: (standing) => standing.exiled,
  },
];

const NO_NOTES_DRAFT: NotesDraft = { text: '', edits: {} };

/**
 * Who a user is to the moderator: what the open rooms of the account show of them now (from what
 * the deck holds), what the message history remembers (first and last seen, counts, rooms, this
 * app's mutes and exiles), the moderator's notes, their messages live and stored merged newest
 * first, and the actions their provider allows. Without a history it says so and shows the live
 * part alone.
 */
export function UserCard({ roomKey, user }: UserCardProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const { accountId } = parseRoomKey(roomKey);
  const keys = useFeed(useShallow((state) => userHistory(state.rooms, accountId, user.id)));
  const flagged = useFeed(
    (state) =>
      keys.filter(
        (key) => (state.rooms[roomKeyOfEvent(key)]?.byKey.get(key)?.flags.length ?? 0) > 0,
      ).length,
  );
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const roomName = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const open = usePanels((state) => state.open);
  const userAction = useDeckCommands((state) => state.userAction);
  const restrictions = useUsers((state) => state.byRoom[roomKey]);
  const loadRestrictions = useUsers((state) => state.load);
  const busy = useUsers((state) => state.pending[userKey(roomKey, user.id)] !== undefined);
  const [confirmingExile, setConfirmingExile] = useState(false);
  const draftPanel = `notes:${accountId}/${user.id}`;
  // Kept outside the card, so that every card of this user (one opened in its place included)
  // goes on with what was written until it is saved or discarded.
  const noteDraft =
    useKeptDrafts((state) => state.drafts[draftPanel] as NotesDraft | undefined) ?? NO_NOTES_DRAFT;
  const times = useFeed(
    useShallow((state) =>
      keys.map((key) => state.rooms[roomKeyOfEvent(key)]?.byKey.get(key)?.createdAt ?? 0),
    ),
  );
  const memory = useUserMemory(accountId, user.id);
  const { pages, summary } = memory;
  const stored = pages.status === 'ready' ? pages.value.messages : null;
  const nextCursor = pages.status === 'ready' ? pages.value.nextCursor : null;
  const complete = pages.status === 'off' || pages.status === 'failed' || nextCursor === null;
  const messages = useMemo(
    () =>
      mergeUserMessages(
        keys.map((key, index) => ({ key, at: times[index] ?? 0 })),
        stored ?? [],
        complete,
      ),
    [keys, times, stored, complete],
  );
  const notes = summary.status === 'ready' ? summary.value.notes : null;
  // An edit is unsaved once it differs from its note (or the notes are not read yet).
  const notesUnsaved =
    noteDraft.text.trim() !== '' ||
    Object.entries(noteDraft.edits).some(
      ([id, text]) => notes?.find((note) => note.id === Number(id))?.text !== text,
    );

  function setNoteDraft(change: (draft: NotesDraft) => NotesDraft): void {
    const { drafts, keep, forget } = useKeptDrafts.getState();
    const next = change((drafts[draftPanel] as NotesDraft | undefined) ?? NO_NOTES_DRAFT);
    if (next.text === '' && Object.keys(next.edits).length === 0) forget(draftPanel);
    else keep(draftPanel, next);
  }
  const rooms = new Set(keys.map(roomKeyOfEvent)).size;
  const restricts = capabilities?.mute === true || capabilities?.exile === true;

  useEffect(() => {
    if (restricts) void loadRestrictions(roomKey);
  }, [restricts, loadRestrictions, roomKey]);

  const known = restrictions?.status === 'ready';
  const standing: Standing = {
    muted: restrictions?.muted.includes(user.id) === true,
    exiled: restrictions?.exiled.includes(user.id) === true,
  };
  // Until the room's restrictions are known, every restriction is offered (each is idempotent).
  const actions = USER_ACTIONS.filter(
    (action) =>
      capabilities?.[action.capability] === true &&
      (!('applies' in action) || !known || action.applies(standing)),
  );
  const exileQuestion = t('userCard.exileConfirm', { user: NAME_SLOT, room: roomName });

  return (
    <PanelFrame
      title={<bdi>{displayName(user.name)}</bdi>}
      subtitle={t('userCard.id', { id: user.id })}
      className="user-card"
      unsaved={notesUnsaved}
      onDiscard={() => useKeptDrafts.getState().forget(draftPanel)}
      discardQuestion={t('userCard.notes.discardQuestion')}
    >
      <p className="user-summary">
        {t('userCard.summary', {
          messages: t('userCard.messages', {
            count: keys.length,
            formatted: formatters.number.format(keys.length),
          }),
          rooms: t('userCard.rooms', { count: rooms, formatted: formatters.number.format(rooms) }),
        })}{' '}
        <span className={flagged > 0 ? 'user-flagged' : undefined}>
          {flagged > 0 ? (
            <span className="flag-icon" aria-hidden="true">
              ⚑{' '}
            </span>
          ) : null}
          {t('userCard.flagged', { count: flagged, formatted: formatters.number.format(flagged) })}
        </span>
      </p>
      {restricts ? (
        <p className="user-standing" role="status">
          {restrictions === undefined || restrictions.status === 'loading'
            ? t('userCard.standing.checking')
            : null}
          {restrictions?.status === 'error' && restrictions.error
            ? t('userCard.standing.failed', { reason: describeError(t, restrictions.error) })
            : null}
          {known && (standing.muted || standing.exiled) ? (
            <span className="user-restricted">
              <span aria-hidden="true">⊘ </span>
              {standing.muted && standing.exiled
                ? t('userCard.standing.mutedExiled', { room: roomName })
                : standing.muted
                  ? t('userCard.standing.muted', { room: roomName })
                  : t('userCard.standing.exiled', { room: roomName })}
            </span>
          ) : null}
          {known && !standing.muted && !standing.exiled
            ? t('userCard.standing.free', { room: roomName })
            : null}
        </p>
      ) : null}
      {confirmingExile ? (
        <div className="confirm" role="group" aria-label={withName(exileQuestion, user.name)}>
          <span>
            <NamedSentence sentence={exileQuestion} name={user.name} />
          </span>
          <button
            type="button"
            className="danger"
            disabled={busy}
            onClick={() => {
              setConfirmingExile(false);
              void userAction(roomKey, user, 'exile');
            }}
          >
            {t('userCard.exileYes')}
          </button>
          <button type="button" onClick={() => setConfirmingExile(false)}>
            {t('row.cancel')}
          </button>
        </div>
      ) : actions.length > 0 ? (
        <div className="user-actions">
          {actions.map((action) => (
            <button
              key={action.id}
              type="button"
              disabled={'applies' in action && busy}
              onClick={() => {
                if ('panel' in action) open(action.panel(roomKey, user));
                else if (action.confirm) setConfirmingExile(true);
                else void userAction(roomKey, user, action.id);
              }}
            >
              {t(action.label)}
            </button>
          ))}
        </div>
      ) : null}
      <h3 className="side-panel-subheading">{t('userCard.memory.heading')}</h3>
      <UserMemorySummary summary={summary} />
      {notes !== null ? (
        <>
          <h3 className="side-panel-subheading">{t('userCard.notes.heading')}</h3>
          <UserNotes
            notes={notes}
            add={memory.addNote}
            edit={memory.editNote}
            remove={memory.deleteNote}
            draft={noteDraft}
            setDraft={setNoteDraft}
          />
        </>
      ) : null}
      <h3 className="side-panel-subheading">{t('userCard.history')}</h3>
      <p className="hint">
        {pages.status === 'off' ? t('userCard.historyHint') : t('userCard.stored.hint')}
      </p>
      {pages.status === 'loading' ? (
        <p className="hint" role="status">
          {t('userCard.stored.loading')}
        </p>
      ) : null}
      {pages.status === 'failed' ? (
        <p className="form-error" role="alert">
          {t('userCard.stored.failed', { reason: describeError(t, pages.error) })}
        </p>
      ) : null}
      {messages.length === 0 ? (
        pages.status === 'loading' ? null : (
          <p className="hint">
            {pages.status === 'ready' ? t('userCard.stored.none') : t('userCard.noMessages')}
          </p>
        )
      ) : (
        <ol className="user-history" aria-label={t('userCard.history')}>
          {messages.map((message) =>
            message.kind === 'live' ? (
              <UserMessage key={message.key} eventKey={message.key} />
            ) : (
              <StoredUserMessage key={message.key} event={message.event} />
            ),
          )}
        </ol>
      )}
      {nextCursor !== null ? (
        <button type="button" disabled={memory.loadingMore} onClick={memory.more}>
          {memory.loadingMore ? t('userCard.stored.loadingMore') : t('userCard.stored.more')}
        </button>
      ) : null}
      {memory.moreError ? (
        <p className="form-error" role="alert">
          {t('userCard.stored.failed', { reason: describeError(t, memory.moreError) })}
        </p>
      ) : null}
    </PanelFrame>
  );
}
