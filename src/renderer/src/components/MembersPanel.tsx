import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomKey } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import { filterMembers, useMembers } from '../stores/members';
import { usePanels } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { PanelFrame } from './PanelFrame';

interface MembersPanelProps {
  roomKey: RoomKey;
}

/**
 * A room's members, a page at a time with the provider's cursor; the search box filters what is
 * loaded, and says when more pages could hold further matches. Each member opens their card.
 */
export function MembersPanel({ roomKey }: MembersPanelProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const searchId = useId();
  const name = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const list = useMembers((state) => state.byRoom[roomKey]);
  const load = useMembers((state) => state.load);
  const loadMore = useMembers((state) => state.loadMore);
  const open = usePanels((state) => state.open);
  const [query, setQuery] = useState('');

  // Loaded once: coming back from a member's card keeps the pages already loaded.
  useEffect(() => {
    if (useMembers.getState().byRoom[roomKey]?.status !== 'ready') void load(roomKey);
  }, [load, roomKey]);

  const members = useMemo(() => list?.members ?? [], [list]);
  const shown = useMemo(() => filterMembers(members, query), [members, query]);
  const searching = query.trim() !== '';
  const loading = list?.status === 'loading';
  const more = list?.nextCursor !== null && list?.nextCursor !== undefined;

  return (
    <PanelFrame title={t('members.title')} subtitle={<bdi>{name}</bdi>} className="members-panel">
      <div className="field">
        <label htmlFor={searchId}>{t('members.search')}</label>
        <input
          id={searchId}
          type="search"
          value={query}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => setQuery(event.target.value)}
        />
      </div>
      <button type="button" className="link-button" onClick={() => void load(roomKey)}>
        {t('picker.refresh')}
      </button>
      <p className="hint" role="status">
        {searching
          ? t('members.matches', {
              count: shown.length,
              formatted: formatters.number.format(shown.length),
              loaded: formatters.number.format(members.length),
            })
          : t('members.loaded', {
              count: members.length,
              formatted: formatters.number.format(members.length),
            })}
        {searching && more ? ` ${t('members.searchMore')}` : ''}
      </p>
      {list?.status === 'error' && list.error ? (
        <p className="form-error" role="alert">
          {t('members.failed', { reason: describeError(t, list.error) })}
        </p>
      ) : null}
      <ul className="member-list" aria-label={t('members.listLabel', { name })}>
        {shown.map((member) => (
          <li key={member.id} className="member">
            <button
              type="button"
              className="member-button"
              onClick={() =>
                open({ type: 'user', roomKey, user: { id: member.id, name: member.name } })
              }
            >
              <bdi className="member-name">{displayName(member.name)}</bdi>
              <span className="member-id">{member.id}</span>
              {member.joinedAt !== undefined ? (
                <span className="member-joined">
                  {t('members.joined', { time: formatters.dateTime.format(member.joinedAt) })}
                </span>
              ) : null}
            </button>
          </li>
        ))}
      </ul>
      {loading ? <p className="hint">{t('app.loading')}</p> : null}
      {more ? (
        <button type="button" disabled={loading} onClick={() => void loadMore(roomKey)}>
          {t('members.loadMore')}
        </button>
      ) : list?.status === 'ready' && members.length > 0 ? (
        <p className="hint">{t('members.all')}</p>
      ) : null}
      {list?.status === 'ready' && members.length === 0 ? (
        <p className="hint">{t('members.none')}</p>
      ) : null}
    </PanelFrame>
  );
}
