import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomKey } from '../../../shared/chat';
import { useFormatters } from '../hooks/useFormatters';
import { useKeptDraft } from '../hooks/useKeptDraft';
import { describeError } from '../lib/errors';
import { useAdmin } from '../stores/admin';
import { keptDraft } from '../stores/keptDrafts';
import type { RoomMessageMode } from '../stores/panels';
import { useRooms } from '../stores/rooms';
import { PanelFrame } from './PanelFrame';
import { Segmented } from './Segmented';

/** What the panel keeps of a draft it closes on (see `useKeptDraft`). */
interface RoomMessageDraft {
  notice: string;
  custom: string;
  sendAt: string;
}

interface RoomMessagePanelProps {
  roomKey: RoomKey;
  mode: RoomMessageMode;
}

/** VChatCloud's limits (api-facts §2): a notice is at most 100 characters, a custom message 5,000. */
export const NOTICE_LIMIT = 100;
export const CUSTOM_LIMIT = 5000;

/** Characters as the service counts them (code points, not UTF-16 units). */
function length(text: string): number {
  return [...text].length;
}

/** `datetime-local` gives local wall-clock time without a zone; the Date reads it as local. */
function sendDateOf(value: string): number | undefined {
  if (value === '') return undefined;
  const at = new Date(value).getTime();
  return Number.isNaN(at) ? undefined : at;
}

/**
 * One room's own message, where its provider has them (VChatCloud): a notice everyone in the room
 * sees (text only, at most 100 characters), or a custom message for the room's own clients, sent
 * now or at a chosen time. Only the kinds the provider offers are offered.
 */
export function RoomMessagePanel({ roomKey, mode: initialMode }: RoomMessagePanelProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const formId = useId();
  const name = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const sendNotice = useAdmin((state) => state.sendNotice);
  const sendCustom = useAdmin((state) => state.sendCustom);
  const clear = useAdmin((state) => state.clear);
  const delivery = useAdmin((state) =>
    state.roomMessage?.roomKey === roomKey ? state.roomMessage : null,
  );
  const draftPanel = `roomMessage:${roomKey}`;
  // What was written before the panel last closed without being sent or discarded.
  const [kept] = useState(() => keptDraft<RoomMessageDraft>(draftPanel));
  const [mode, setMode] = useState<RoomMessageMode>(initialMode);
  const [notice, setNotice] = useState(kept?.notice ?? '');
  const [custom, setCustom] = useState(kept?.custom ?? '');
  const [sendAt, setSendAt] = useState(kept?.sendAt ?? '');
  const unsaved = notice.trim() !== '' || custom.trim() !== '';
  const draft = useMemo(() => ({ notice, custom, sendAt }), [notice, custom, sendAt]);
  const discard = useKeptDraft<RoomMessageDraft>(draftPanel, draft, unsaved);

  useEffect(() => {
    clear();
  }, [clear]);

  const modes = (['notice', 'custom'] as const).filter((value) =>
    value === 'notice' ? capabilities?.notice === true : capabilities?.customMessage === true,
  );
  const noticeLength = length(notice.trim());
  const sending = delivery?.status === 'sending';
  const canSend =
    !sending &&
    (mode === 'notice'
      ? noticeLength > 0 && noticeLength <= NOTICE_LIMIT
      : custom.trim() !== '' && custom.length <= CUSTOM_LIMIT);
  const id = (field: string) => `${formId}-${field}`;

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    if (!canSend) return;
    if (mode === 'notice') {
      if (await sendNotice(roomKey, notice.trim())) setNotice('');
    } else if (await sendCustom(roomKey, custom, sendDateOf(sendAt))) {
      setCustom('');
      setSendAt('');
    }
  }

  const title = t(`roomMessage.titles.${mode}`);
  return (
    <PanelFrame
      title={title}
      subtitle={<bdi>{name}</bdi>}
      className="room-message"
      unsaved={unsaved}
      onDiscard={discard}
    >
      <form className="composer-form" aria-label={title} onSubmit={(event) => void submit(event)}>
        {modes.length > 1 ? (
          <Segmented
            legend={t('roomMessage.kind')}
            name={id('mode')}
            options={modes}
            value={mode}
            onChange={setMode}
            label={(value) => t(`roomMessage.kinds.${value}`)}
          />
        ) : null}
        {mode === 'notice' ? (
          <div className="field">
            <label htmlFor={id('notice')}>{t('roomMessage.noticeText')}</label>
            <textarea
              id={id('notice')}
              rows={3}
              value={notice}
              aria-describedby={id('notice-count')}
              aria-invalid={noticeLength > NOTICE_LIMIT}
              onChange={(event) => setNotice(event.target.value)}
            />
            <span
              id={id('notice-count')}
              className={noticeLength > NOTICE_LIMIT ? 'form-error' : 'hint'}
            >
              {t('roomMessage.count', {
                count: noticeLength,
                formatted: formatters.number.format(noticeLength),
                max: formatters.number.format(NOTICE_LIMIT),
              })}
            </span>
            <span className="hint">{t('roomMessage.noticeHint')}</span>
          </div>
        ) : (
          <>
            <div className="field">
              <label htmlFor={id('custom')}>{t('roomMessage.customText')}</label>
              <textarea
                id={id('custom')}
                rows={4}
                value={custom}
                maxLength={CUSTOM_LIMIT}
                spellCheck={false}
                aria-describedby={id('custom-hint')}
                onChange={(event) => setCustom(event.target.value)}
              />
              <span id={id('custom-hint')} className="hint">
                {t('roomMessage.customHint')}
              </span>
            </div>
            <div className="field field-narrow">
              <label htmlFor={id('at')}>
                {t('roomMessage.sendAt')}
                <span className="field-optional"> ({t('accountForm.optional')})</span>
              </label>
              <input
                id={id('at')}
                type="datetime-local"
                value={sendAt}
                aria-describedby={id('at-hint')}
                onChange={(event) => setSendAt(event.target.value)}
              />
              <span id={id('at-hint')} className="hint">
                {t('roomMessage.sendAtHint')}
              </span>
            </div>
          </>
        )}
        <div className="form-actions">
          <button type="submit" className="primary" disabled={!canSend}>
            {mode === 'notice'
              ? t('roomMessage.sendNotice')
              : sendDateOf(sendAt) === undefined
                ? t('roomMessage.sendCustom')
                : t('roomMessage.scheduleCustom')}
          </button>
        </div>
      </form>
      {delivery ? (
        <p
          className={delivery.status === 'failed' ? 'form-error' : 'hint'}
          role={delivery.status === 'failed' ? 'alert' : 'status'}
        >
          {delivery.status === 'sending' ? t('composer.sending') : null}
          {delivery.status === 'sent' && delivery.kind === 'notice'
            ? t('roomMessage.noticeSent')
            : null}
          {delivery.status === 'sent' && delivery.kind === 'custom'
            ? typeof delivery.sendDate === 'number'
              ? t('roomMessage.customScheduled', {
                  time: formatters.dateTime.format(delivery.sendDate),
                })
              : t('roomMessage.customSent')
            : null}
          {delivery.status === 'failed' && delivery.error
            ? t('roomMessage.failed', { reason: describeError(t, delivery.error) })
            : null}
        </p>
      ) : null}
    </PanelFrame>
  );
}
