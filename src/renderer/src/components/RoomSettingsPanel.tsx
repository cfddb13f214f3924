import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomKey } from '../../../shared/chat';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import type { ErrorInfo } from '../../../shared/contract';
import { useChatRooms } from '../stores/chatRooms';
import { useRooms } from '../stores/rooms';
import { PanelFrame } from './PanelFrame';
import { RoomMuteToggle } from './RoomMuteToggle';
import { RuleEditor } from './RuleEditor';

interface RoomSettingsPanelProps {
  roomKey: RoomKey;
}

/** One room's own settings: its chat room (create or close it), its notifications, its rules. */
export function RoomSettingsPanel({ roomKey }: RoomSettingsPanelProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const name = useRooms((state) => state.byKey[roomKey]?.name ?? roomKey);
  const capabilities = useRooms((state) => state.byKey[roomKey]?.capabilities);
  const chatRoom = useChatRooms((state) => state.byRoom[roomKey]);
  const load = useChatRooms((state) => state.load);
  const create = useChatRooms((state) => state.create);
  const close = useChatRooms((state) => state.close);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ErrorInfo | null>(null);
  const admin = capabilities?.chatRoomAdmin === true;
  const headingId = useId();

  useEffect(() => {
    if (admin) void load(roomKey);
  }, [admin, load, roomKey]);

  async function run(work: () => Promise<{ ok: boolean; error?: ErrorInfo }>): Promise<void> {
    setBusy(true);
    setProblem(null);
    const result = await work();
    setBusy(false);
    if (!result.ok && result.error) setProblem(result.error);
  }

  const info = chatRoom?.info;
  return (
    <PanelFrame
      title={t('roomSettings.title')}
      subtitle={<bdi>{name}</bdi>}
      className="room-settings"
    >
      {admin ? (
        <section aria-labelledby={`${headingId}-chat`} className="panel-section">
          <h3 id={`${headingId}-chat`} className="side-panel-subheading">
            {t('roomSettings.chatRoom')}
          </h3>
          {chatRoom?.status === 'loading' && !info ? (
            <p className="hint">{t('app.loading')}</p>
          ) : null}
          {chatRoom?.status === 'error' && chatRoom.error ? (
            <p className="form-error" role="alert">
              {describeError(t, chatRoom.error)}
            </p>
          ) : null}
          {info ? (
            <dl className="facts">
              <dt>{t('roomSettings.state')}</dt>
              <dd>{info.closed ? t('picker.chat.closed') : t('picker.chat.open')}</dd>
              <dt>{t('roomSettings.messages')}</dt>
              <dd>{formatters.number.format(info.messageCount)}</dd>
              <dt>{t('roomSettings.members')}</dt>
              <dd>{formatters.number.format(info.memberCount)}</dd>
              <dt>{t('roomSettings.created')}</dt>
              <dd>{formatters.dateTime.format(info.createdAt)}</dd>
            </dl>
          ) : null}
          {confirming ? (
            <div
              className="confirm"
              role="group"
              aria-label={t('picker.closeChatConfirm', { name })}
            >
              <span>{t('picker.closeChatConfirm', { name })}</span>
              <button
                type="button"
                className="danger"
                disabled={busy}
                aria-label={t('picker.closeChatNamed', { name })}
                onClick={() => {
                  setConfirming(false);
                  void run(() => close(roomKey));
                }}
              >
                {t('picker.closeChatYes')}
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                {t('row.cancel')}
              </button>
            </div>
          ) : (
            <div className="form-actions">
              {info && !info.closed ? (
                <button
                  type="button"
                  disabled={busy}
                  aria-label={t('picker.closeChatNamed', { name })}
                  onClick={() => setConfirming(true)}
                >
                  {t('picker.closeChat')}
                </button>
              ) : null}
              {info?.closed === true || (!info && chatRoom?.status === 'error') ? (
                <button
                  type="button"
                  disabled={busy}
                  aria-label={t('picker.createChatNamed', { name })}
                  onClick={() => void run(() => create(roomKey))}
                >
                  {t('picker.createChat')}
                </button>
              ) : null}
            </div>
          )}
          {problem ? (
            <p className="form-error" role="alert">
              {describeError(t, problem)}
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby={`${headingId}-notify`} className="panel-section">
        <h3 id={`${headingId}-notify`} className="side-panel-subheading">
          {t('settings.notifications.title')}
        </h3>
        <RoomMuteToggle roomKey={roomKey} name={name} />
      </section>
      <section aria-labelledby={`${headingId}-rules`} className="panel-section">
        <h3 id={`${headingId}-rules`} className="side-panel-subheading">
          {t('roomSettings.rules')}
        </h3>
        <p className="hint">{t('roomSettings.rulesHint')}</p>
        <RuleEditor scope={roomKey} />
      </section>
    </PanelFrame>
  );
}
