import { memo, useEffect, useRef, useState } from 'react';
import { isAutomodFlag, isHeld, isPinned, type ChatEvent } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { MAX_SCANNED_UNITS, OVER_LONG_RULE_ID } from '../../../shared/wordfilter';
import { useDeckText } from '../hooks/useDeckText';
import { keyLabel } from '../hooks/useKeys';
import { EXILED, MUTED, useStanding } from '../hooks/useStanding';
import { actionableAuthor } from '../lib/author';
import { describeError } from '../lib/errors';
import { heldRaidOf } from '../lib/repeats';
import { FLAGGED_COLUMN, roomKeyOfEvent, type ColumnKey, type EventKey } from '../lib/eventKey';
import { takesMessageActions } from '../lib/messageActions';
import { NAME_SLOT, withName } from '../lib/names';
import { reasonText } from '../lib/ruleReasons';
import { isTypingTarget } from '../lib/typing';
import { useDeck, type DeckState } from '../stores/deck';
import { useDeckCommands } from '../stores/deckCommands';
import { isDeleteAskedOn } from '../stores/confirmations';
import { dismissAction, displayedState, isQueued, useFeed } from '../stores/feed';
import { openUserCard } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { ruleNameIn, selectRules, useSettings } from '../stores/settings';
import { DeleteConfirm } from './DeleteConfirm';
import { DenialStatus } from './DenialStatus';
import { ExileConfirm } from './ExileConfirm';
import { GapDivider } from './GapDivider';
import { MessageText } from './MessageText';
import { NamedSentence } from './NamedSentence';
import { RowActions } from './RowActions';

interface MessageRowProps {
  column: ColumnKey;
  eventKey: EventKey;
  /** The run of repeated messages this row is the first copy of, every copy (see `repeats.ts`). */
  run?: readonly EventKey[] | undefined;
  /** The run shows copy by copy below this row; otherwise this row stands for every copy. */
  runOpen?: boolean;
}

/** Messages longer than this are clamped to a few lines until expanded. */
const LONG_TEXT = 400;

/** Provider events about a user (VChatCloud's kick, mute and their lifting), said in words. */
const USER_EVENTS: ReadonlySet<string> = new Set([
  'exile',
  'unexile',
  'mute',
  'unmute',
  'duplicate',
]);

function userEventOf(event: ChatEvent): string | null {
  if (event.kind !== 'system' || event.user === null || event.customType === undefined) return null;
  return USER_EVENTS.has(event.customType) ? event.customType : null;
}

function kindBadge(event: ChatEvent, userEvent: string | null): string | null {
  if (event.toModerator) return 'toYou';
  if (event.fromModerator) return 'fromYou';
  if (event.kind === 'message' || event.kind === 'join' || event.kind === 'leave') return null;
  if (userEvent !== null) return null;
  return event.kind;
}

const FOCUSED = 1;
const CONFIRMING_DELETE = 2;
const CONFIRMING_EXILE = 4;

/**
 * What the interface's state says about one row, as bits: one store subscription instead of three.
 * A busy deck mounts over a thousand rows a second, and each subscription a row holds is work and
 * garbage on every mount and unmount.
 */
function rowUi(state: DeckState, column: ColumnKey, key: EventKey): number {
  return (
    (state.focus?.column === column && state.focus.key === key ? FOCUSED : 0) |
    (isDeleteAskedOn(state.deleteToConfirm, column, key) ? CONFIRMING_DELETE : 0) |
    (state.exileToConfirm === key ? CONFIRMING_EXILE : 0)
  );
}

/**
 * One event, wherever it is shown (its room's column or the Flagged column): both views read the
 * same store entry, so an action taken in one shows in the other. Re-renders only when its own
 * event, action, focus or confirmation changes.
 */
export const MessageRow = memo(function MessageRow({
  column,
  eventKey,
  run,
  runOpen = false,
}: MessageRowProps) {
  const { t, formatters, rows, keys } = useDeckText();
  const roomKey = roomKeyOfEvent(eventKey);
  const event = useFeed((state) => state.rooms[roomKey]?.byKey.get(eventKey));
  const action = useFeed((state) => state.actions[eventKey]);
  const ui = useDeck((state) => rowUi(state, column, eventKey));
  const room = useRooms((state) => state.byKey[roomKey]);
  const rules = useSettings(selectRules);
  const standing = useStanding(roomKey, event?.user?.id);
  const focused = (ui & FOCUSED) !== 0;
  const confirming = (ui & CONFIRMING_DELETE) !== 0;
  const confirmingExile = (ui & CONFIRMING_EXILE) !== 0;
  const capabilities = room?.capabilities;
  const moderatorUserId = room?.moderatorUserId ?? null;
  const roomName = column === FLAGGED_COLUMN ? (room?.name ?? roomKey) : undefined;
  // The Flagged column mixes services, and what a row can take differs by service: it names each.
  const providerName =
    roomName !== undefined && room ? t(`accountForm.providers.${room.provider}`) : undefined;
  const [showDeleted, setShowDeleted] = useState(false);
  const [expanded, setExpanded] = useState(false);
  /**
   * Whether the pointer has been over the row. Its buttons are made only once it has, when it has
   * the cursor, or when one stays in sight (a hidden message's Unhide): a busy deck mounts hundreds
   * of rows a second, and their buttons, shown only on hover or focus, were a third of each row's
   * elements. They stay once made (the style hides them again), so that nothing is taken from under
   * the pointer.
   */
  const [pointed, setPointed] = useState(false);
  const ref = useRef<HTMLElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!focused || !element || element.contains(document.activeElement)) return;
    if (isTypingTarget(document.activeElement)) return;
    element.focus({ preventScroll: true });
  }, [focused]);

  if (!event) {
    return (
      <div className="row row-missing" data-room-key={roomKey}>
        {t('row.missing')}
      </div>
    );
  }
  if (event.kind === 'gap') {
    return <GapDivider event={event} focused={focused} />;
  }

  const state = displayedState(event, action);
  const pending = action?.status === 'pending';
  const failed = action?.status === 'failed' ? action : undefined;
  const unknown = action?.status === 'unknown' ? action : undefined;
  /** A failed action with its reason, or one of unknown outcome: both can be tried again. */
  const retryable = failed?.error ? failed : unknown;
  const time = formatters.time.format(event.createdAt);
  const user = event.user ? displayName(event.user.name) : t('row.system');
  const userEvent = userEventOf(event);
  const badge = kindBadge(event, userEvent);
  const presence = event.kind === 'join' || event.kind === 'leave' ? event.kind : null;
  const presenceSentence =
    presence !== null
      ? rows.presence(presence, NAME_SLOT)
      : userEvent !== null
        ? t(`row.userEvents.${userEvent}`, { user: NAME_SLOT })
        : null;
  const presenceText = presenceSentence === null ? null : withName(presenceSentence, user);
  const author = actionableAuthor(event, moderatorUserId);
  // Where the author stands now in this room, beside what they wrote (not on a sentence about them).
  const muted = author !== null && presenceSentence === null && (standing & MUTED) !== 0;
  const exiled = author !== null && presenceSentence === null && (standing & EXILED) !== 0;
  const receivers =
    event.fromModerator && event.receivers && event.receivers.length > 0
      ? event.receivers.join(', ')
      : undefined;
  const long = event.text.length > LONG_TEXT;
  // Word rules by name; automod's verdicts by their reasons, in a marker of their own.
  const ruleIds = [
    ...new Set(event.flags.filter((flag) => !isAutomodFlag(flag)).map((flag) => flag.ruleId)),
  ];
  const verdicts = event.flags
    .filter(isAutomodFlag)
    .map((flag) => ({ flag, reason: reasonText(t, flag) }));
  const ruleNames = ruleIds.map((ruleId) =>
    ruleId === OVER_LONG_RULE_ID ? rows.overLong : ruleNameIn(rules, roomKey, ruleId),
  );
  const overLong = ruleIds.includes(OVER_LONG_RULE_ID);
  // Dealt with while it stays visible (looks fine, or its author muted): the row says so.
  const handled = isPinned(event) && event.handled === true && state === 'visible';
  // Waiting in the Held column for review: the room's own row says so (the review is there).
  const held = isHeld(event);

  const copies = run?.length ?? 0;
  const label = [
    roomName,
    providerName,
    presenceText !== null
      ? rows.presenceLabel(time, presenceText)
      : rows.label(user, time, event.text),
    copies > 1
      ? t(heldRaidOf(event) === undefined ? 'row.repeats.label' : 'row.repeats.raidLabel', {
          count: copies,
        })
      : undefined,
    badge ? t(`row.kinds.${badge}`) : undefined,
    muted ? rows.muted : undefined,
    exiled ? rows.exiled : undefined,
    receivers ? t('row.sentToLabel', { receivers }) : undefined,
    state !== 'visible' ? t(`row.states.${state}`) : undefined,
    handled ? t('row.handled') : undefined,
    held ? t('row.held') : undefined,
    event.first ? t('row.firstLabel') : undefined,
    pending ? t('row.pending') : undefined,
    failed?.error ? t('row.failed', { reason: describeError(t, failed.error) }) : undefined,
    unknown ? t(`row.unknownAction.${unknown.kind}`) : undefined,
    ruleNames.length > 0 ? rows.flaggedBy(ruleNames.join(', ')) : undefined,
    ...verdicts.map(({ reason }) => rows.automod(reason)),
  ]
    .filter((part) => part !== undefined)
    .join('. ');

  const classes = [
    'row',
    `row-${event.kind}`,
    `row-${state}`,
    event.flags.length > 0 ? 'row-flagged' : '',
    handled ? 'row-handled' : '',
    focused ? 'row-focused' : '',
    pending ? 'row-pending' : '',
    failed ? 'row-failed' : '',
    unknown ? 'row-unknown' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article
      ref={ref}
      className={classes}
      tabIndex={focused ? 0 : -1}
      aria-label={label}
      aria-busy={pending || undefined}
      data-room-key={roomKey}
      data-message-id={event.id}
      data-kind={event.kind}
      data-custom-type={event.customType}
      data-state={state}
      data-pending={pending ? 'true' : undefined}
      data-outcome={unknown ? 'unknown' : undefined}
      data-flagged={event.flags.length > 0 ? 'true' : undefined}
      data-handled={handled ? 'true' : undefined}
      data-held={held ? 'true' : undefined}
      data-first={event.first}
      onFocus={() => useDeck.getState().setFocus({ column, key: eventKey })}
      onMouseEnter={pointed ? undefined : () => setPointed(true)}
    >
      <div className="row-line">
        <time className="row-time" dateTime={new Date(event.createdAt).toISOString()}>
          {time}
        </time>
        {roomName !== undefined ? (
          <span className="row-room">
            <bdi>{roomName}</bdi>
          </span>
        ) : null}
        {providerName !== undefined && room ? (
          <span className={`row-provider provider-${room.provider}`}>{providerName}</span>
        ) : null}
        {state === 'hidden' ? <span className="state-badge">{t('row.states.hidden')}</span> : null}
        {handled ? <span className="state-badge state-handled">{t('row.handled')}</span> : null}
        {held ? <span className="state-badge state-held">{t('row.held')}</span> : null}
        {badge ? (
          <span className={`row-kind row-kind-${badge}`}>{t(`row.kinds.${badge}`)}</span>
        ) : null}
        {overLong ? (
          <span
            className="row-kind row-kind-overLong"
            title={t('row.overLongHint', {
              formatted: formatters.number.format(MAX_SCANNED_UNITS),
            })}
          >
            {rows.overLong}
          </span>
        ) : null}
        {verdicts.map(({ flag, reason }) => (
          <span
            key={flag.ruleId}
            role="note"
            aria-label={rows.automod(reason)}
            className={`row-automod row-automod-${flag.severity ?? 'medium'}`}
            data-rule-id={flag.ruleId}
          >
            <span aria-hidden="true">⚑ </span>
            {reason}
          </span>
        ))}
        {presenceSentence !== null ? (
          <span className="row-presence">
            <NamedSentence sentence={presenceSentence} name={user} />
          </span>
        ) : (
          <>
            {event.user && !event.fromModerator ? (
              <button
                type="button"
                className="row-user-button"
                tabIndex={focused ? 0 : -1}
                title={rows.openUser(user)}
                onClick={() => openUserCard(eventKey)}
              >
                <bdi className="row-user">{user}</bdi>
              </button>
            ) : (
              // The moderator's own message, or the service's: a badge no chatter's name can mimic.
              <bdi className="row-user row-official">{user}</bdi>
            )}
            {/* After the name, so the name keeps its place left of the row's buttons. */}
            {event.first ? (
              <span className="row-kind row-kind-first" title={t('row.firstHint')}>
                <span aria-hidden="true">✦ </span>
                {t('row.first')}
              </span>
            ) : null}
            {muted ? (
              <span className="row-standing row-standing-muted">
                <span aria-hidden="true">⊘ </span>
                {rows.muted}
              </span>
            ) : null}
            {exiled ? (
              <span className="row-standing row-standing-exiled">
                <span aria-hidden="true">⊘ </span>
                {rows.exiled}
              </span>
            ) : null}
            {copies > 1 ? (
              <button
                type="button"
                className="row-repeats"
                tabIndex={focused ? 0 : -1}
                aria-expanded={runOpen}
                aria-label={
                  runOpen
                    ? t('row.repeats.collapse', { count: copies })
                    : t('row.repeats.expand', { count: copies })
                }
                title={
                  runOpen
                    ? t('row.repeats.collapse', { count: copies })
                    : t('row.repeats.expand', { count: copies })
                }
                onClick={() => useDeckCommands.getState().toggleRun(eventKey)}
              >
                {t('row.repeats.count', { formatted: formatters.number.format(copies) })}
              </button>
            ) : null}
            {receivers ? (
              <span className="row-receivers">{t('row.sentTo', { receivers })}</span>
            ) : null}
            {state === 'deleted' && !showDeleted ? (
              <span className="row-deleted">
                {t('row.states.deleted')}
                {event.text !== '' ? (
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => setShowDeleted(true)}
                  >
                    {t('row.showText')}
                  </button>
                ) : null}
              </span>
            ) : (
              <span className={long && !expanded ? 'row-text row-text-clamped' : 'row-text'}>
                <MessageText
                  roomKey={roomKey}
                  text={event.text}
                  flags={event.flags}
                  rules={rules}
                />
              </span>
            )}
          </>
        )}
      </div>
      {long && state !== 'deleted' ? (
        <button
          type="button"
          className="link-button"
          onClick={() => setExpanded((value) => !value)}
        >
          {expanded
            ? t('row.showLess')
            : t('row.showMore', { formatted: formatters.number.format(event.text.length) })}
        </button>
      ) : null}
      {pending || failed || unknown || (state === 'deleted' && showDeleted) ? (
        <div className="row-status">
          {state === 'deleted' && showDeleted ? (
            <span className="state-badge">{t('row.states.deleted')}</span>
          ) : null}
          {pending ? (
            <span className="pending">
              <span className="spinner" aria-hidden="true" />
              {t('row.pending')}
            </span>
          ) : null}
          {retryable ? (
            <>
              {failed?.error ? (
                <span className="row-error">
                  {t(`row.failedAction.${failed.kind}`, {
                    reason: describeError(t, failed.error),
                  })}
                </span>
              ) : (
                <span className="row-unknown-text">{t(`row.unknownAction.${retryable.kind}`)}</span>
              )}
              <button
                type="button"
                className="small"
                {...(unknown
                  ? {
                      'aria-keyshortcuts': keys[unknown.kind],
                      title: t('row.actionHint', {
                        action: t('row.retry'),
                        key: keyLabel(keys[unknown.kind]),
                      }),
                    }
                  : {})}
                onClick={() => void useDeckCommands.getState().retry(eventKey)}
              >
                {t('row.retry')}
              </button>
              <button type="button" className="small" onClick={() => dismissAction(eventKey)}>
                {t('row.dismiss')}
              </button>
            </>
          ) : null}
        </div>
      ) : null}
      {confirming ? <DeleteConfirm eventKey={eventKey} column={column} /> : null}
      {confirmingExile && author ? <ExileConfirm eventKey={eventKey} user={author.name} /> : null}
      {capabilities && (focused || pointed || state === 'hidden') ? (
        <RowActions
          column={column}
          eventKey={eventKey}
          state={state}
          capabilities={capabilities}
          busy={pending}
          message={takesMessageActions(event)}
          author={author !== null}
          waiting={isQueued(event)}
          review={held || (event.flags.length > 0 && isQueued(event))}
          unhideOnly={!focused && !pointed}
        />
      ) : null}
      {/* Only flagged rows can have been denied with their author: the others hold no subscription. */}
      {author && (capabilities?.mute || capabilities?.exile) && event.flags.length > 0 ? (
        <DenialStatus eventKey={eventKey} user={author.name} />
      ) : null}
    </article>
  );
});
