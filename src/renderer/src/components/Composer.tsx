import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { ChatUser, OpenRoom, RoomKey } from '../../../shared/chat';
import { displayName } from '../../../shared/displayName';
import { useFormatters, type Formatters } from '../hooks/useFormatters';
import { useOpenRooms } from '../hooks/useOpenRooms';
import { describeError } from '../lib/errors';
import { broadcastLength, broadcastMisfit, MESSAGE_LIMITS } from '../lib/messageLimits';
import { useKeptDraft } from '../hooks/useKeptDraft';
import { useAdmin, type BroadcastDraft } from '../stores/admin';
import { keptDraft } from '../stores/keptDrafts';
import type { ComposerMode } from '../stores/panels';
import { BroadcastResults } from './BroadcastResults';
import { KeyValueEditor, keyValueData, type KeyValue } from './KeyValueEditor';
import { PanelFrame } from './PanelFrame';
import { ReceiverPicker } from './ReceiverPicker';
import { Segmented } from './Segmented';

/** Where a draft of the composer is kept (see `useKeptDraft`). */
const COMPOSER_DRAFT = 'composer';

/** What the composer keeps of a draft: what was written, not where it was going. */
interface ComposerDraft {
  messageType: 'MESSAGE' | 'COMMAND';
  customType: string;
  message: string;
  data: KeyValue[];
}

interface ComposerProps {
  mode: ComposerMode;
  /** Rooms chosen when it opened. */
  roomKeys: RoomKey[];
  /** Receivers of a direct message, chosen when it opened. */
  receivers: ChatUser[];
}

/**
 * What a broadcast leaves out of the rooms ticked, one sentence per provider and reason: which rooms,
 * and what about the message keeps it from them.
 */
function leftOutSentences(
  t: TFunction,
  formatters: Formatters,
  ticked: readonly OpenRoom[],
  misfit: (provider: OpenRoom['provider']) => ReturnType<typeof broadcastMisfit>,
  length: number,
): string[] {
  const groups = new Map<
    string,
    { provider: OpenRoom['provider']; why: string; names: string[] }
  >();
  for (const room of ticked) {
    const why = misfit(room.provider);
    if (why === null) continue;
    const key = `${room.provider} ${why}`;
    const group = groups.get(key) ?? { provider: room.provider, why, names: [] };
    group.names.push(room.name);
    groups.set(key, group);
  }
  return [...groups.values()].map(({ provider, why, names }) =>
    t(why === 'tooLong' ? 'composer.leftOutLong' : 'composer.leftOutRich', {
      rooms: names.join(', '),
      provider: t(`accountForm.providers.${provider}`),
      max: formatters.number.format(MESSAGE_LIMITS[provider].broadcastMax ?? 0),
      length: formatters.number.format(length),
    }),
  );
}

/**
 * Admin messages. A broadcast (MESSAGE or COMMAND, with a custom type and key–value data) goes to
 * every room ticked, each answering for itself; a direct message goes to one or more users of one
 * room. What the moderator sends comes back into the feed marked as theirs.
 */
export function Composer({
  mode: initialMode,
  roomKeys,
  receivers: initialReceivers,
}: ComposerProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const formId = useId();
  const openRooms = useOpenRooms();
  const broadcastRooms = openRooms.filter((room) => room.capabilities.broadcast);
  const directRooms = openRooms.filter((room) => room.capabilities.directMessage);
  const sendBroadcast = useAdmin((state) => state.sendBroadcast);
  const sendDirect = useAdmin((state) => state.sendDirect);
  const clear = useAdmin((state) => state.clear);
  const broadcastRun = useAdmin((state) => state.broadcast);
  const direct = useAdmin((state) => state.direct);

  // What was written before the panel last closed without being sent or discarded.
  const [kept] = useState(() => keptDraft<ComposerDraft>(COMPOSER_DRAFT));
  const [mode, setMode] = useState<ComposerMode>(initialMode);
  const [messageType, setMessageType] = useState<'MESSAGE' | 'COMMAND'>(
    kept?.messageType ?? 'MESSAGE',
  );
  const [customType, setCustomType] = useState(kept?.customType ?? '');
  const [message, setMessage] = useState(kept?.message ?? '');
  const [data, setData] = useState<KeyValue[]>(kept?.data ?? []);
  const [targets, setTargets] = useState<RoomKey[]>(roomKeys);
  const [directRoom, setDirectRoom] = useState<RoomKey>(roomKeys[0] ?? '');
  const [receivers, setReceivers] = useState<ChatUser[]>(initialReceivers);
  /** Who the last direct message went to, as the moderator chose them. */
  const [sentTo, setSentTo] = useState<ChatUser[]>([]);

  useEffect(() => {
    clear();
  }, [clear]);

  const fields = keyValueData(data);
  // More than text: what a text-only provider (a VChatCloud notice or whisper) cannot carry.
  const rich =
    messageType === 'COMMAND' ||
    customType.trim() !== '' ||
    (fields !== null && Object.keys(fields).length > 0);
  const misfit = (provider: OpenRoom['provider']) => broadcastMisfit(provider, rich, message);
  const ticked = broadcastRooms.filter((choice) => targets.includes(choice.roomKey));
  const chosen = ticked
    .filter((choice) => misfit(choice.provider) === null)
    .map((choice) => choice.roomKey);
  const length = broadcastLength(message);
  // Rooms the moderator ticked that this message cannot go to: they stay ticked, and are named.
  const leftOut = leftOutSentences(t, formatters, ticked, misfit, length);
  const room = directRooms.some((choice) => choice.roomKey === directRoom)
    ? directRoom
    : (directRooms[0]?.roomKey ?? '');
  const directChoice = directRooms.find((choice) => choice.roomKey === room);
  const directProvider = directChoice?.provider;
  const directTextOnly =
    directProvider !== undefined && MESSAGE_LIMITS[directProvider].textOnly && rich;
  const hasContent = message.trim() !== '' || (fields !== null && Object.keys(fields).length > 0);
  const limited = broadcastRooms.find(
    (choice) => MESSAGE_LIMITS[choice.provider].broadcastMax !== undefined,
  );
  const draftKey = JSON.stringify([customType.trim(), message, data]);
  const [sentKey, setSentKey] = useState<string | null>(null);
  // Written and not yet sent as it stands: leaving the panel asks first.
  const unsaved = (hasContent || customType.trim() !== '') && draftKey !== sentKey;
  const draft = useMemo<ComposerDraft>(
    () => ({ messageType, customType, message, data }),
    [messageType, customType, message, data],
  );
  const discard = useKeptDraft(COMPOSER_DRAFT, draft, unsaved);
  const sendingBroadcast = Object.values(broadcastRun?.results ?? {}).some(
    (delivery) => delivery.status === 'sending',
  );
  const canSend =
    fields !== null &&
    hasContent &&
    (mode === 'broadcast'
      ? chosen.length > 0 && !sendingBroadcast
      : room !== '' && receivers.length > 0 && !directTextOnly && direct?.status !== 'sending');

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!canSend || fields === null) return;
    setSentKey(draftKey);
    const common = {
      ...(customType.trim() === '' ? {} : { customType: customType.trim() }),
      ...(message === '' ? {} : { message }),
      ...(Object.keys(fields).length === 0 ? {} : { data: fields }),
    };
    if (mode === 'broadcast') {
      const draft: BroadcastDraft = { messageType, ...common };
      void sendBroadcast(chosen, draft);
    } else {
      setSentTo(receivers);
      void sendDirect(room, {
        messageType: messageType === 'MESSAGE' ? 'DM' : 'COMMAND',
        ...common,
        appUserIds: receivers.map((receiver) => receiver.id),
      }).then((delivery) => {
        // Those it reached are not chosen any more: sending again goes to the others alone. An
        // answer for a message sent before the one shown now leaves the choice as it is.
        const { undelivered } = delivery;
        if (undelivered === undefined || useAdmin.getState().direct !== delivery) return;
        const missed = new Set(undelivered.map(({ userId }) => userId));
        setReceivers(receivers.filter((receiver) => missed.has(receiver.id)));
      });
    }
  }

  const id = (name: string) => `${formId}-${name}`;
  const missed = direct?.undelivered ?? [];

  return (
    <PanelFrame
      title={t('composer.title')}
      className="composer"
      unsaved={unsaved}
      onDiscard={discard}
    >
      <form className="composer-form" onSubmit={submit} aria-label={t('composer.title')}>
        <Segmented
          legend={t('composer.mode')}
          name={id('mode')}
          options={['broadcast', 'direct'] as const}
          value={mode}
          onChange={setMode}
          label={(value) => t(`composer.modes.${value}`)}
        />

        {mode === 'broadcast' ? (
          <fieldset className="composer-rooms">
            <legend>{t('composer.rooms')}</legend>
            {broadcastRooms.length === 0 ? <p className="hint">{t('composer.noRooms')}</p> : null}
            {broadcastRooms.map((choice) => (
              <label key={choice.roomKey} className="check">
                <input
                  type="checkbox"
                  checked={targets.includes(choice.roomKey)}
                  onChange={(event) =>
                    setTargets(
                      event.target.checked
                        ? [...targets, choice.roomKey]
                        : targets.filter((key) => key !== choice.roomKey),
                    )
                  }
                />
                <bdi>{choice.name}</bdi>
                {MESSAGE_LIMITS[choice.provider].textOnly ? (
                  <span className="hint">
                    {t('composer.textOnly', {
                      provider: t(`accountForm.providers.${choice.provider}`),
                      max: MESSAGE_LIMITS[choice.provider].broadcastMax ?? '',
                    })}
                  </span>
                ) : null}
                {targets.includes(choice.roomKey) && misfit(choice.provider) !== null ? (
                  <span className="form-error">{t('composer.leftOutMark')}</span>
                ) : null}
              </label>
            ))}
          </fieldset>
        ) : (
          <>
            <div className="field">
              <label htmlFor={id('room')}>{t('composer.room')}</label>
              <select
                id={id('room')}
                value={room}
                onChange={(event) => setDirectRoom(event.target.value)}
              >
                {directRooms.map((choice) => (
                  <option key={choice.roomKey} value={choice.roomKey}>
                    {choice.name}
                  </option>
                ))}
              </select>
            </div>
            <fieldset className="composer-receivers">
              <legend>{t('composer.receivers')}</legend>
              <ul className="chips">
                {receivers.map((receiver) => (
                  <li key={receiver.id} className="chip">
                    <bdi>{displayName(receiver.name)}</bdi>
                    {receiver.name !== receiver.id ? (
                      <span className="hint"> ({receiver.id})</span>
                    ) : null}
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('composer.removeReceiver', {
                        name: displayName(receiver.name),
                      })}
                      onClick={() =>
                        setReceivers(receivers.filter((other) => other.id !== receiver.id))
                      }
                    >
                      <span aria-hidden="true">✕</span>
                    </button>
                  </li>
                ))}
              </ul>
              {room === '' ? null : (
                <ReceiverPicker
                  roomKey={room}
                  roomName={directChoice?.name ?? room}
                  listable={directChoice?.capabilities.members === true}
                  chosen={receivers}
                  onPick={(user) => setReceivers([...receivers, user])}
                />
              )}
            </fieldset>
          </>
        )}

        <Segmented
          legend={t('composer.messageType')}
          name={id('type')}
          options={['MESSAGE', 'COMMAND'] as const}
          value={messageType}
          onChange={setMessageType}
          label={(value) => t(`composer.types.${value}`)}
        />
        <div className="field">
          <label htmlFor={id('customType')}>
            {t('composer.customType')}
            <span className="field-optional"> ({t('accountForm.optional')})</span>
          </label>
          <input
            id={id('customType')}
            type="text"
            value={customType}
            maxLength={100}
            autoComplete="off"
            spellCheck={false}
            onChange={(event) => setCustomType(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={id('message')}>{t('composer.message')}</label>
          <textarea
            id={id('message')}
            rows={3}
            value={message}
            maxLength={5000}
            aria-describedby={id('count')}
            onChange={(event) => setMessage(event.target.value)}
          />
          <span id={id('count')} className="hint">
            {t('composer.count', { count: length, formatted: formatters.number.format(length) })}
            {mode === 'broadcast' && limited
              ? ` ${t('composer.countLimit', {
                  provider: t(`accountForm.providers.${limited.provider}`),
                  max: formatters.number.format(MESSAGE_LIMITS[limited.provider].broadcastMax ?? 0),
                })}`
              : null}
          </span>
        </div>
        <KeyValueEditor legend={t('composer.data')} rows={data} onChange={setData} />
        {mode === 'broadcast' ? (
          <div className="left-out" role="status" aria-label={t('composer.leftOut')}>
            {leftOut.map((sentence) => (
              <p key={sentence} className="form-error">
                {sentence}
              </p>
            ))}
          </div>
        ) : null}
        {mode === 'direct' && directTextOnly && directProvider ? (
          <p className="hint" role="status">
            {t('composer.directTextOnly', {
              provider: t(`accountForm.providers.${directProvider}`),
            })}
          </p>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!canSend}>
            {mode === 'broadcast'
              ? t('composer.sendBroadcast', { count: chosen.length })
              : t('composer.sendDirect', { count: receivers.length })}
          </button>
        </div>
      </form>
      {mode === 'broadcast' && broadcastRun ? <BroadcastResults run={broadcastRun} /> : null}
      {mode === 'direct' && direct ? (
        <p
          className={direct.status === 'failed' || missed.length > 0 ? 'form-error' : 'hint'}
          role={direct.status === 'failed' || missed.length > 0 ? 'alert' : 'status'}
        >
          {direct.status === 'sending' ? t('composer.sending') : null}
          {direct.status === 'sent'
            ? t('composer.directSent', {
                names: sentTo
                  .filter((receiver) => !missed.some(({ userId }) => userId === receiver.id))
                  .map((receiver) => displayName(receiver.name))
                  .join(', '),
              })
            : null}
          {missed.map(({ userId, error }) => (
            <span key={userId}>
              {' '}
              {t('composer.directMissed', {
                name: displayName(
                  sentTo.find((receiver) => receiver.id === userId)?.name ?? userId,
                ),
                reason: describeError(t, error),
              })}
            </span>
          ))}
          {direct.status === 'failed' && direct.error
            ? t('composer.directFailed', { reason: describeError(t, direct.error) })
            : null}
        </p>
      ) : null}
    </PanelFrame>
  );
}
