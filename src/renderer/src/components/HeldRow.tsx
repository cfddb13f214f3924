import { memo, useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { isHeld, type ChatEvent, type MessageState } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { ErrorCode } from '../../../shared/errors';
import type { AutomodSettings, Settings } from '../../../shared/model';
import { useFormatters } from '../hooks/useFormatters';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { useNow } from '../hooks/useNow';
import { describeError } from '../lib/errors';
import { HELD_COLUMN, roomKeyOfEvent, type EventKey } from '../lib/eventKey';
import { actionableAuthor } from '../lib/author';
import { reasonText } from '../lib/ruleReasons';
import { isTypingTarget } from '../lib/typing';
import { useDeck } from '../stores/deck';
import { DenyWithUserButtons } from './DenyWithUserButtons';
import { displayedState, useFeed } from '../stores/feed';
import { isHiding, reviewHeld, useHeld, type Review } from '../stores/held';
import { ruleNameIn, selectRules, useSettings } from '../stores/settings';
import { useRooms } from '../stores/rooms';
import { DenialStatus } from './DenialStatus';
import { ExileConfirm } from './ExileConfirm';
import { MessageText } from './MessageText';

/** Where a held message stands, as its row says it. */
export type HoldState =
  'hiding' | 'hidden' | 'notHidden' | 'reviewed' | 'deleted' | `review-${Review['status']}`;

function holdStateOf(
  event: ChatEvent,
  state: MessageState,
  review: Review | undefined,
  now: number,
): HoldState {
  if (review) return `review-${review.status}`;
  if (!isHeld(event)) return state === 'deleted' ? 'deleted' : 'reviewed';
  if (state !== 'visible') return 'hidden';
  return isHiding(event, now) ? 'hiding' : 'notHidden';
}

function holdStateText(t: TFunction, holdState: HoldState, review: Review | undefined): string {
  if (!review) return t(`held.states.${holdState}`);
  const { decision, status, error } = review;
  if (status === 'failed') {
    return t(`held.review.failed.${decision}`, {
      reason: error ? describeError(t, error) : t('held.review.noReason'),
    });
  }
  if (status === 'gone') return t('held.review.gone');
  return t(`held.review.${status}.${decision}`);
}

/** The rule that held the message, by name: an automod detector's, or a word rule's pattern. */
function ruleName(
  t: TFunction,
  rules: Settings['rules'] | undefined,
  automod: AutomodSettings | undefined,
  roomKey: string,
  ruleId: string,
): string {
  const detector = automod?.config.rules.find((rule) => rule.id === ruleId);
  if (detector) return t(`settings.automod.kinds.${detector.kind}`);
  return ruleNameIn(rules, roomKey, ruleId);
}

interface HeldRowProps {
  eventKey: EventKey;
}

/**
 * One held message in the Held column: its room, author and text (as text), why it was held and
 * by which rule, where it stands (hiding, hidden, not hidden, or how its review went), a check
 * box that selects it, and Approve and Deny while it waits; where the room's service can mute or
 * exile, Deny + mute and Deny + exile too.
 */
export const HeldRow = memo(function HeldRow({ eventKey }: HeldRowProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const keys = useKeys();
  const roomKey = roomKeyOfEvent(eventKey);
  const event = useFeed((state) => state.rooms[roomKey]?.byKey.get(eventKey));
  const action = useFeed((state) => state.actions[eventKey]);
  const review = useHeld((state) => state.reviews[eventKey]);
  const selected = useHeld((state) => state.selected.has(eventKey));
  const focused = useDeck(
    (state) => state.focus?.column === HELD_COLUMN && state.focus.key === eventKey,
  );
  const roomName = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const moderatorUserId = useRooms((state) => state.byKey[roomKey]?.moderatorUserId ?? null);
  const confirmingExile = useDeck((state) => state.exileToConfirm === eventKey);
  const rules = useSettings(selectRules);
  const automod = useSettings((state) => state.settings?.automod);
  const state = event ? displayedState(event, action) : 'deleted';
  const young = event !== undefined && state === 'visible' && isHiding(event);
  // While the hide may still be on its way, the row looks again each second until it is late.
  useNow(young);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!focused || !element || element.contains(document.activeElement)) return;
    if (isTypingTarget(document.activeElement)) return;
    element.focus();
  }, [focused]);

  if (!event) {
    return (
      <div className="row row-missing" data-room-key={roomKey}>
        {t('row.missing')}
      </div>
    );
  }

  const holdState = holdStateOf(event, state, review, Date.now());
  const failed = event.held?.failed;
  // A hide whose answer never came may have hidden the message: the row does not say it is visible.
  const stateText =
    holdState === 'notHidden' && failed === ErrorCode.OutcomeUnknown
      ? t('held.states.hideUnknown')
      : holdState === 'notHidden' && failed !== undefined
        ? t('held.states.hideFailed', {
            reason: describeError(t, { code: failed, message: failed }),
          })
        : holdStateText(t, holdState, review);
  const waiting = isHeld(event) && review?.status !== 'pending';
  const user = event.user ? displayName(event.user.name) : t('row.system');
  const author = actionableAuthor(event, moderatorUserId);
  const canDenyMute = waiting && author !== null && capabilities?.mute === true;
  const canDenyExile = waiting && author !== null && capabilities?.exile === true;
  const time = formatters.time.format(event.createdAt);
  const held = event.held;
  const rule = held ? ruleName(t, rules, automod, roomKey, held.ruleId) : '';
  const reason = held ? reasonText(t, held) : '';
  const why = held ? t('held.why', { reason, rule }) : '';
  const label = [roomName, t('row.label', { user, time, text: event.text }), why, stateText]
    .filter((part) => part !== '')
    .join('. ');
  const classes = [
    'row',
    'held-row',
    `row-${state}`,
    focused ? 'row-focused' : '',
    selected ? 'held-selected' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article
      ref={ref}
      className={classes}
      tabIndex={focused ? 0 : -1}
      aria-label={label}
      aria-busy={review?.status === 'pending' || undefined}
      data-room-key={roomKey}
      data-message-id={event.id}
      data-hold-state={holdState}
      data-selected={selected ? 'true' : undefined}
      onFocus={() => useDeck.getState().setFocus({ column: HELD_COLUMN, key: eventKey })}
    >
      <div className="row-line">
        <input
          type="checkbox"
          className="held-select"
          checked={selected}
          tabIndex={focused ? 0 : -1}
          aria-label={t('held.select', { user })}
          onChange={() => useHeld.getState().toggleSelected(eventKey)}
        />
        <time className="row-time" dateTime={new Date(event.createdAt).toISOString()}>
          {time}
        </time>
        <span className="row-room">
          <bdi>{roomName}</bdi>
        </span>
        <bdi className="row-user">{user}</bdi>
        <span className="row-text">
          <MessageText roomKey={roomKey} text={event.text} flags={event.flags} rules={rules} />
        </span>
      </div>
      {held ? (
        <p className="held-why">
          <span className="held-reason">{reason}</span>
          <span className="held-rule">{t('held.rule', { rule })}</span>
        </p>
      ) : null}
      <div className="held-status">
        <span className={`held-state held-state-${holdState}`}>
          {review?.status === 'pending' ? <span className="spinner" aria-hidden="true" /> : null}
          {stateText}
        </span>
        {waiting ? (
          <span className="held-actions">
            <button
              type="button"
              className="small approve"
              aria-keyshortcuts={keys.approve}
              title={t('held.approveHint', { key: keyLabel(keys.approve) })}
              onClick={() => void reviewHeld([eventKey], 'approve')}
            >
              {t('held.approve')}
            </button>
            <button
              type="button"
              className="small delete"
              aria-keyshortcuts={keys.deny}
              title={t('held.denyHint', { key: keyLabel(keys.deny) })}
              onClick={() => void reviewHeld([eventKey], 'deny')}
            >
              {t('held.deny')}
            </button>
            <DenyWithUserButtons
              eventKey={eventKey}
              mute={canDenyMute}
              exile={canDenyExile}
              canDelete={capabilities?.delete === true}
              small
            />
          </span>
        ) : null}
      </div>
      {author && (capabilities?.mute === true || capabilities?.exile === true) ? (
        <DenialStatus eventKey={eventKey} user={author.name} />
      ) : null}
      {confirmingExile && author ? <ExileConfirm eventKey={eventKey} user={author.name} /> : null}
    </article>
  );
});
