import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ChatUser, Member, RoomKey } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { describeError } from '../lib/errors';
import { useFeed } from '../stores/feed';
import { filterMembers, findReceiver, useMembers } from '../stores/members';

interface ReceiverPickerProps {
  roomKey: RoomKey;
  roomName: string;
  /** Members of the room can be listed (the provider has a members list). */
  listable: boolean;
  /** Receivers already chosen: not offered again. */
  chosen: readonly ChatUser[];
  onPick: (user: ChatUser) => void;
}

/** Suggestions shown at once; typing more narrows them. */
const SUGGESTIONS = 8;

/** The users the deck has seen write in the room, newest first, once each. */
function seenIn(roomKey: RoomKey): Member[] {
  const feed = useFeed.getState().rooms[roomKey];
  if (!feed) return [];
  const seen = new Map<string, Member>();
  for (let index = feed.keys.length - 1; index >= 0; index -= 1) {
    const event = feed.byKey.get(feed.keys[index] ?? '');
    if (!event?.user || event.fromModerator || seen.has(event.user.id)) continue;
    seen.set(event.user.id, { id: event.user.id, name: event.user.name });
  }
  return [...seen.values()];
}

/**
 * Finds the receivers of a direct message among the room's members (page by page, as the members
 * panel loads them) and the users seen in its feed, by name or id. Only someone found can be added:
 * a name typed where an id belongs would be accepted by the service and reach nobody.
 */
export function ReceiverPicker({
  roomKey,
  roomName,
  listable,
  chosen,
  onPick,
}: ReceiverPickerProps) {
  const { t } = useTranslation();
  const inputId = useId();
  const list = useMembers((state) => state.byRoom[roomKey]);
  const load = useMembers((state) => state.load);
  const loadMore = useMembers((state) => state.loadMore);
  const [query, setQuery] = useState('');
  const [problem, setProblem] = useState<'none' | 'several' | null>(null);

  useEffect(() => {
    if (listable && useMembers.getState().byRoom[roomKey]?.status !== 'ready') void load(roomKey);
  }, [listable, load, roomKey]);

  const candidates = useMemo(() => {
    const members = list?.members ?? [];
    const known = new Set(members.map((member) => member.id));
    return [...members, ...seenIn(roomKey).filter((user) => !known.has(user.id))].filter(
      (candidate) => !chosen.some((receiver) => receiver.id === candidate.id),
    );
  }, [list, roomKey, chosen]);
  const searching = query.trim() !== '';
  const suggestions = searching ? filterMembers(candidates, query).slice(0, SUGGESTIONS) : [];
  const more = list?.nextCursor !== null && list?.nextCursor !== undefined;

  function pick(member: Member): void {
    onPick({ id: member.id, name: member.name });
    setQuery('');
    setProblem(null);
  }

  function pickTyped(): void {
    if (!searching) return;
    const match = findReceiver(candidates, query);
    if (match.kind === 'one') pick(match.member);
    else setProblem(match.kind);
  }

  return (
    <div className="receiver-picker">
      <label htmlFor={inputId}>{t('composer.findReceiver')}</label>
      <div className="inline-field">
        <input
          id={inputId}
          type="search"
          value={query}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${inputId}-status`}
          onChange={(event) => {
            setQuery(event.target.value);
            setProblem(null);
          }}
          onKeyDown={(event) => {
            if (event.key !== 'Enter') return;
            event.preventDefault();
            pickTyped();
          }}
        />
        <button type="button" disabled={!searching} onClick={pickTyped}>
          {t('composer.addReceiver')}
        </button>
      </div>
      {suggestions.length > 0 ? (
        <ul className="receiver-suggestions" aria-label={t('composer.suggestions', { query })}>
          {suggestions.map((member) => (
            <li key={member.id}>
              <button
                type="button"
                className="member-button"
                aria-label={t('composer.pickReceiver', {
                  name: displayName(member.name),
                  id: member.id,
                })}
                onClick={() => pick(member)}
              >
                <bdi className="member-name">{displayName(member.name)}</bdi>
                <span className="member-id">{member.id}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p
        id={`${inputId}-status`}
        className={problem === null ? 'hint' : 'form-error'}
        role={problem === null ? 'status' : 'alert'}
      >
        {problem === 'none'
          ? `${t('composer.noSuchReceiver', { query: query.trim(), room: roomName })}${
              listable && more ? ` ${t('members.searchMore')}` : ''
            }`
          : problem === 'several'
            ? t('composer.severalReceivers', { query: query.trim(), room: roomName })
            : list?.status === 'loading'
              ? t('composer.membersLoading')
              : list?.status === 'error' && list.error
                ? t('composer.membersFailed', { reason: describeError(t, list.error) })
                : t('composer.receiverHint', { room: roomName })}
      </p>
      {listable && more ? (
        <button
          type="button"
          className="link-button"
          disabled={list?.status === 'loading'}
          onClick={() => void loadMore(roomKey)}
        >
          {t('composer.moreMembers')}
        </button>
      ) : null}
    </div>
  );
}
