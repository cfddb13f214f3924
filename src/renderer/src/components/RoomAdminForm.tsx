import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AdminRoom, AdminRoomChanges, AdminRoomSettings } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import { useFormatters } from '../hooks/useFormatters';
import { describeError } from '../lib/errors';
import { useRoomAdmin } from '../stores/roomAdmin';

interface RoomAdminFormProps {
  accountId: string;
  /** The room to change; a new room when absent. */
  room?: AdminRoom;
  onDone: () => void;
  onCancel: () => void;
}

type RoomType = AdminRoomSettings['roomType'];
type RoomStatus = NonNullable<AdminRoomChanges['roomStatus']>;

const ROOM_TYPES: readonly RoomType[] = ['01', '02', '03'];
const STATUSES: readonly RoomStatus[] = ['active', 'pending', 'ended'];
/** The seed's limits: "within 50 characters", and a whole number of users. */
const NAME_LIMIT = 50;
const MAX_USERS = 100_000;

/** Where the room stands: an ended room (its end date passed) cannot be resumed. */
function statusOf(room: AdminRoom, now: number): RoomStatus {
  if (room.endDt !== null && room.endDt <= now) return 'ended';
  return room.roomStatus === 'pending' ? 'pending' : 'active';
}

function roomTypeOf(value: string): RoomType {
  return (ROOM_TYPES as readonly string[]).includes(value) ? (value as RoomType) : '01';
}

/**
 * A VChatCloud room's settings, to create one or change one: name, the most people at once,
 * type, webRTC, translation, and (when changing) whether it is open, paused or ended.
 */
export function RoomAdminForm({ accountId, room, onDone, onCancel }: RoomAdminFormProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const formId = useId();
  const create = useRoomAdmin((state) => state.create);
  const modify = useRoomAdmin((state) => state.modify);
  const [initialStatus] = useState<RoomStatus | null>(() =>
    room ? statusOf(room, Date.now()) : null,
  );
  const [name, setName] = useState(room?.roomName ?? '');
  const [maxUser, setMaxUser] = useState(String(room?.maxUser ?? 100));
  const [roomType, setRoomType] = useState<RoomType>(roomTypeOf(room?.roomType ?? '01'));
  const [rtc, setRtc] = useState(room?.webrtcStat === 'Y');
  const [translation, setTranslation] = useState(room?.gTransStat === 'Y');
  const [status, setStatus] = useState<RoomStatus | null>(initialStatus);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ErrorInfo | null>(null);
  const [tried, setTried] = useState(false);

  const trimmed = name.trim();
  const nameOk = trimmed !== '' && [...trimmed].length <= NAME_LIMIT;
  const users = /^\d+$/.test(maxUser.trim()) ? Number(maxUser.trim()) : NaN;
  const usersOk = Number.isInteger(users) && users >= 1 && users <= MAX_USERS;
  const id = (field: string) => `${formId}-${field}`;
  const title = room ? t('roomAdmin.editTitle', { name: room.roomName }) : t('roomAdmin.newTitle');

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setTried(true);
    if (!nameOk || !usersOk || busy) return;
    const settings: AdminRoomSettings = {
      roomName: trimmed,
      maxUser: users,
      roomType,
      rtcStat: rtc ? 'Y' : 'N',
      gTransStat: translation ? 'Y' : 'N',
    };
    setBusy(true);
    setProblem(null);
    const result = room
      ? await modify(accountId, room.roomId, {
          ...settings,
          ...(status !== null && status !== initialStatus ? { roomStatus: status } : {}),
        })
      : await create(accountId, settings);
    setBusy(false);
    if (result.ok) onDone();
    else setProblem(result.error);
  }

  return (
    <form className="room-admin-form" aria-label={title} onSubmit={(event) => void submit(event)}>
      <h4 className="room-admin-title">{title}</h4>
      <div className="field">
        <label htmlFor={id('name')}>{t('roomAdmin.name')}</label>
        <input
          id={id('name')}
          type="text"
          value={name}
          autoComplete="off"
          aria-invalid={tried && !nameOk}
          aria-describedby={id('name-hint')}
          onChange={(event) => setName(event.target.value)}
        />
        <span id={id('name-hint')} className={tried && !nameOk ? 'form-error' : 'hint'}>
          {t('roomAdmin.nameHint', { max: formatters.number.format(NAME_LIMIT) })}
        </span>
      </div>
      <div className="field field-narrow">
        <label htmlFor={id('max')}>{t('roomAdmin.maxUser')}</label>
        <input
          id={id('max')}
          type="number"
          inputMode="numeric"
          min={1}
          max={MAX_USERS}
          step={1}
          value={maxUser}
          aria-invalid={tried && !usersOk}
          aria-describedby={id('max-hint')}
          onChange={(event) => setMaxUser(event.target.value)}
        />
        <span id={id('max-hint')} className={tried && !usersOk ? 'form-error' : 'hint'}>
          {t('roomAdmin.maxUserHint', {
            min: formatters.number.format(1),
            max: formatters.number.format(MAX_USERS),
          })}
        </span>
      </div>
      <div className="field field-narrow">
        <label htmlFor={id('type')}>{t('roomAdmin.type')}</label>
        <select
          id={id('type')}
          value={roomType}
          onChange={(event) => setRoomType(roomTypeOf(event.target.value))}
        >
          {ROOM_TYPES.map((value) => (
            <option key={value} value={value}>
              {t(`roomAdmin.types.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <label className="check">
        <input type="checkbox" checked={rtc} onChange={(event) => setRtc(event.target.checked)} />
        {t('roomAdmin.rtc')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={translation}
          onChange={(event) => setTranslation(event.target.checked)}
        />
        {t('roomAdmin.translation')}
      </label>
      {status !== null ? (
        <div className="field field-narrow">
          <label htmlFor={id('status')}>{t('roomAdmin.status')}</label>
          <select
            id={id('status')}
            value={status}
            disabled={initialStatus === 'ended'}
            aria-describedby={status === 'ended' ? id('status-hint') : undefined}
            onChange={(event) =>
              setStatus(
                STATUSES.find((value) => value === event.target.value) ?? initialStatus ?? null,
              )
            }
          >
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {t(`roomAdmin.statuses.${value}`)}
              </option>
            ))}
          </select>
          {status === 'ended' ? (
            <span id={id('status-hint')} className="hint">
              {initialStatus === 'ended' ? t('roomAdmin.hasEnded') : t('roomAdmin.endWarning')}
            </span>
          ) : null}
        </div>
      ) : null}
      {problem ? (
        <p className="form-error" role="alert">
          {t('roomAdmin.failed', { reason: describeError(t, problem) })}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy}>
          {room ? t('roomAdmin.save') : t('roomAdmin.create')}
        </button>
        <button type="button" disabled={busy} onClick={onCancel}>
          {t('row.cancel')}
        </button>
      </div>
    </form>
  );
}
