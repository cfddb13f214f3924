import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CAPABILITIES, roomKeyOf, type RoomSummary } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import type { Account } from '../../../shared/model';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import { roomStateLabel } from '../lib/roomStates';
import { useDeck } from '../stores/deck';
import { useRoomAdmin } from '../stores/roomAdmin';
import { useRooms } from '../stores/rooms';
import { useView } from '../stores/view';
import { RoomAdminForm } from './RoomAdminForm';

interface AccountRoomsProps {
  account: Account;
}

/**
 * One account's rooms in the picker, with their chat-room state and what can be done: open one,
 * create or close its chat room (FlipFlop), or create, change and destroy rooms (VChatCloud).
 */
export function AccountRooms({ account }: AccountRoomsProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const catalog = useRooms((state) => state.catalogs[account.id]);
  const columns = useRooms((state) => state.columns);
  const loadCatalog = useRooms((state) => state.loadCatalog);
  const open = useRooms((state) => state.open);
  const createChatRoom = useRooms((state) => state.createChatRoom);
  const closeChatRoom = useRooms((state) => state.closeChatRoom);
  const setPicker = useView((state) => state.setPicker);
  const showColumn = useDeck((state) => state.showColumn);
  const adminRooms = useRoomAdmin((state) => state.byRoom);
  const loadAdminRoom = useRoomAdmin((state) => state.load);
  const destroyRoom = useRoomAdmin((state) => state.destroy);
  const [confirmClose, setConfirmClose] = useState<string | null>(null);
  const [confirmDestroy, setConfirmDestroy] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ roomId: string; error: ErrorInfo } | null>(null);
  const capabilities = CAPABILITIES[account.provider];
  const headingId = `picker-${account.id}`;

  useEffect(() => {
    void loadCatalog(account.id);
  }, [account.id, loadCatalog]);

  async function attempt(roomId: string, work: () => Promise<{ ok: boolean; error?: ErrorInfo }>) {
    setBusy(roomId);
    setProblem(null);
    const result = await work();
    setBusy(null);
    if (!result.ok && result.error) setProblem({ roomId, error: result.error });
    return result.ok;
  }

  async function openRoom(room: RoomSummary): Promise<void> {
    const opened = await attempt(room.roomId, () => open(account.id, room.roomId));
    if (!opened) return;
    setPicker(false);
    // A new column goes at the right end, often past the window's edge.
    showColumn(roomKeyOf(account.id, room.roomId));
  }

  function showRoom(room: RoomSummary): void {
    setPicker(false);
    showColumn(roomKeyOf(account.id, room.roomId));
  }

  async function editRoom(room: RoomSummary): Promise<void> {
    const loaded = await attempt(room.roomId, () => loadAdminRoom(account.id, room.roomId));
    if (loaded) setEditing(room.roomId);
  }

  return (
    <section className="picker-account" aria-labelledby={headingId}>
      <div className="picker-account-header">
        <h3 id={headingId}>
          <bdi>{account.name}</bdi>
        </h3>
        <span className={`provider-badge provider-${account.provider}`}>
          {t(`accountForm.providers.${account.provider}`)}
        </span>
        <button type="button" className="link-button" onClick={() => void loadCatalog(account.id)}>
          {t('picker.refresh')}
        </button>
        {capabilities.roomAdmin && !creating ? (
          <button
            type="button"
            aria-label={t('roomAdmin.newNamed', { account: account.name })}
            onClick={() => setCreating(true)}
          >
            {t('roomAdmin.new')}
          </button>
        ) : null}
      </div>
      {creating ? (
        <RoomAdminForm
          accountId={account.id}
          onDone={() => setCreating(false)}
          onCancel={() => setCreating(false)}
        />
      ) : null}
      {catalog?.status === 'loading' && catalog.rooms.length === 0 ? (
        <p className="hint">{t('app.loading')}</p>
      ) : null}
      {catalog?.status === 'error' && catalog.error ? (
        <p className="form-error" role="alert">
          {t('picker.listFailed', { reason: describeError(t, catalog.error) })}
        </p>
      ) : null}
      {catalog?.status === 'ready' && catalog.rooms.length === 0 ? (
        <p className="hint">{t('picker.noRooms')}</p>
      ) : null}
      <ul className="picker-rooms">
        {catalog?.rooms.map((room) => {
          const roomKey = roomKeyOf(account.id, room.roomId);
          const isOpen = columns.some((column) => column.roomKey === roomKey);
          const adminRoom = adminRooms[roomKey]?.room;
          return (
            <li key={room.roomId} className="picker-room" data-room-id={room.roomId}>
              <div className="picker-room-summary">
                <span className="picker-room-name">
                  <bdi>{room.name}</bdi>
                </span>
                {room.state ? (
                  <span className="badge" data-state={room.state}>
                    {roomStateLabel(t, room.state)}
                  </span>
                ) : null}
                <span className={`badge chat-${room.chat}`}>{t(`picker.chat.${room.chat}`)}</span>
                {room.participants !== undefined ? (
                  <span className="hint">
                    {t('column.participants', {
                      count: room.participants,
                      formatted: formatters.number.format(room.participants),
                    })}
                  </span>
                ) : null}
              </div>
              {editing === room.roomId && adminRoom ? (
                <RoomAdminForm
                  accountId={account.id}
                  room={adminRoom}
                  onDone={() => setEditing(null)}
                  onCancel={() => setEditing(null)}
                />
              ) : confirmDestroy === room.roomId ? (
                <div
                  className="confirm"
                  role="group"
                  aria-label={t('roomAdmin.destroyConfirm', { name: room.name })}
                >
                  <span>{t('roomAdmin.destroyConfirm', { name: room.name })}</span>
                  <button
                    type="button"
                    className="danger"
                    disabled={busy !== null}
                    onClick={() => {
                      setConfirmDestroy(null);
                      void attempt(room.roomId, () => destroyRoom(account.id, room.roomId));
                    }}
                  >
                    {t('roomAdmin.destroyYes')}
                  </button>
                  <button type="button" onClick={() => setConfirmDestroy(null)}>
                    {t('row.cancel')}
                  </button>
                </div>
              ) : confirmClose === room.roomId ? (
                <div
                  className="confirm"
                  role="group"
                  aria-label={t('picker.closeChatConfirm', { name: room.name })}
                >
                  <span>{t('picker.closeChatConfirm', { name: room.name })}</span>
                  <button
                    type="button"
                    className="danger"
                    disabled={busy !== null}
                    aria-label={t('picker.closeChatNamed', { name: room.name })}
                    onClick={() => {
                      setConfirmClose(null);
                      void attempt(room.roomId, () => closeChatRoom(account.id, room.roomId));
                    }}
                  >
                    {t('picker.closeChatYes')}
                  </button>
                  <button type="button" onClick={() => setConfirmClose(null)}>
                    {t('row.cancel')}
                  </button>
                </div>
              ) : (
                <div className="picker-room-actions">
                  {capabilities.chatRoomAdmin && room.chat !== 'open' ? (
                    <button
                      type="button"
                      disabled={busy !== null}
                      aria-label={t('picker.createChatNamed', { name: room.name })}
                      onClick={() =>
                        void attempt(room.roomId, () => createChatRoom(account.id, room.roomId))
                      }
                    >
                      {t('picker.createChat')}
                    </button>
                  ) : null}
                  {capabilities.chatRoomAdmin && room.chat === 'open' ? (
                    <button
                      type="button"
                      disabled={busy !== null}
                      aria-label={t('picker.closeChatNamed', { name: room.name })}
                      onClick={() => setConfirmClose(room.roomId)}
                    >
                      {t('picker.closeChat')}
                    </button>
                  ) : null}
                  {capabilities.roomAdmin ? (
                    <>
                      <button
                        type="button"
                        disabled={busy !== null}
                        aria-label={t('roomAdmin.editNamed', { name: room.name })}
                        onClick={() => void editRoom(room)}
                      >
                        {t('roomAdmin.edit')}
                      </button>
                      <button
                        type="button"
                        disabled={busy !== null}
                        aria-label={t('roomAdmin.destroyNamed', { name: room.name })}
                        onClick={() => setConfirmDestroy(room.roomId)}
                      >
                        {t('roomAdmin.destroy')}
                      </button>
                    </>
                  ) : null}
                  {isOpen ? (
                    <button
                      type="button"
                      aria-label={t('picker.showNamed', { name: room.name })}
                      onClick={() => showRoom(room)}
                    >
                      {t('picker.show')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="primary"
                      disabled={room.chat !== 'open' || busy !== null}
                      aria-label={t('picker.openNamed', { name: room.name })}
                      onClick={() => void openRoom(room)}
                    >
                      {t('picker.open')}
                    </button>
                  )}
                </div>
              )}
              {problem?.roomId === room.roomId ? (
                <p className="form-error" role="alert">
                  {describeError(t, problem.error)}
                </p>
              ) : null}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
