import { useTranslation } from 'react-i18next';
import { useFormatters } from '../hooks/useFormatters';
import type { Loaded } from '../hooks/useUserMemory';
import { describeError } from '../lib/errors';
import { reasonText } from '../lib/ruleReasons';
import type { UserHistory } from '../stores/userMemory';

/** What each action the history keeps is called on a card; others are named as they are. */
const ACTION_LABELS: ReadonlyArray<{ action: string; label: string }> = [
  { action: 'hide', label: 'userCard.memory.did.hide' },
  { action: 'unhide', label: 'userCard.memory.did.unhide' },
  { action: 'delete', label: 'userCard.memory.did.delete' },
  { action: 'users.mute', label: 'userCard.memory.did.mute' },
  { action: 'users.unmute', label: 'userCard.memory.did.unmute' },
  { action: 'users.exile', label: 'userCard.memory.did.exile' },
  { action: 'users.unexile', label: 'userCard.memory.did.unexile' },
  { action: 'flagged.markHandled', label: 'userCard.memory.did.markHandled' },
];

interface UserMemorySummaryProps {
  summary: Loaded<UserHistory>;
}

/**
 * What the message history knows of a user: when it first and last saw them, what they wrote and
 * what became of it, this app's mutes and exiles of them, the rooms they were seen in, and this
 * app's latest actions on them with the reasons given.
 */
export function UserMemorySummary({ summary }: UserMemorySummaryProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const number = (value: number) => formatters.number.format(value);
  const when = (at: number | null) => (at === null ? '—' : formatters.dateTime.format(at));

  if (summary.status === 'loading')
    return (
      <p className="hint" role="status">
        {t('userCard.memory.loading')}
      </p>
    );
  if (summary.status === 'off') return <p className="hint">{t('userCard.memory.off')}</p>;
  if (summary.status === 'failed')
    return (
      <p className="form-error" role="alert">
        {t('userCard.memory.failed', { reason: describeError(t, summary.error) })}
      </p>
    );
  const user = summary.value;
  if (user.firstSeen === null) return <p className="hint">{t('userCard.memory.never')}</p>;
  return (
    <dl className="facts user-memory">
      <dt>{t('userCard.memory.firstSeen')}</dt>
      <dd>{when(user.firstSeen)}</dd>
      <dt>{t('userCard.memory.lastSeen')}</dt>
      <dd>{when(user.lastSeen)}</dd>
      <dt>{t('userCard.memory.messages')}</dt>
      <dd>
        {t('userCard.memory.states', {
          messages: t('userCard.memory.messageCount', {
            count: user.messages,
            formatted: number(user.messages),
          }),
          flagged: t('userCard.flagged', { count: user.flagged, formatted: number(user.flagged) }),
          hidden: t('userCard.memory.hidden', {
            count: user.hidden,
            formatted: number(user.hidden),
          }),
          deleted: t('userCard.memory.deleted', {
            count: user.deleted,
            formatted: number(user.deleted),
          }),
        })}
      </dd>
      <dt>{t('userCard.memory.moderation')}</dt>
      <dd>
        {t('userCard.memory.restrictions', {
          mutes: t('userCard.memory.mutes', { count: user.mutes, formatted: number(user.mutes) }),
          exiles: t('userCard.memory.exiles', {
            count: user.exiles,
            formatted: number(user.exiles),
          }),
        })}
      </dd>
      <dt>{t('userCard.memory.rooms')}</dt>
      <dd>
        <ul className="user-memory-rooms">
          {user.rooms.map((room) => (
            <li key={room.roomKey}>
              <bdi>{room.name ?? room.roomKey}</bdi>{' '}
              {t('userCard.memory.room', {
                messages: t('userCard.memory.messageCount', {
                  count: room.messages,
                  formatted: number(room.messages),
                }),
                time: formatters.dateTime.format(room.lastSeen),
              })}
            </li>
          ))}
        </ul>
      </dd>
      {user.actions.length > 0 ? (
        <>
          <dt>{t('userCard.memory.did.heading')}</dt>
          <dd>
            <ol className="user-memory-rooms user-memory-actions">
              {user.actions.map((action, index) => {
                const label = ACTION_LABELS.find((known) => known.action === action.action)?.label;
                const room =
                  action.roomKey === null
                    ? null
                    : (user.rooms.find((seen) => seen.roomKey === action.roomKey)?.name ??
                      action.roomKey);
                return (
                  <li key={`${action.at}-${index}`}>
                    <time dateTime={new Date(action.at).toISOString()}>
                      {formatters.dateTime.format(action.at)}
                    </time>{' '}
                    {label === undefined ? action.action : t(label)}
                    {room === null ? null : (
                      <>
                        {' · '}
                        <bdi>{room}</bdi>
                      </>
                    )}
                    {action.result === 'ok'
                      ? null
                      : ` · ${
                          action.result === 'unknown'
                            ? t('userCard.memory.did.unknown')
                            : t('userCard.memory.did.failed', {
                                reason: describeError(t, {
                                  code: action.result,
                                  message: action.result,
                                }),
                              })
                        }`}
                    {action.reason === undefined && action.why === undefined ? null : (
                      <span className="user-action-reason">
                        {' · '}
                        {/* A rule's reason in the window's language; the moderator's as given. */}
                        {t('userCard.memory.did.reason', { reason: reasonText(t, action) })}
                      </span>
                    )}
                  </li>
                );
              })}
            </ol>
          </dd>
        </>
      ) : null}
    </dl>
  );
}
