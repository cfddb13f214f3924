import { useTranslation } from 'react-i18next';
import { useSettings } from '../stores/settings';

interface RoomMuteToggleProps {
  roomKey: string;
  name: string;
}

/** Mutes one room's notifications (flags and DMs still reach the Flagged column). */
export function RoomMuteToggle({ roomKey, name }: RoomMuteToggleProps) {
  const { t } = useTranslation();
  const muted = useSettings(
    (state) => state.settings?.notifications.mutedRooms.includes(roomKey) ?? false,
  );
  const ready = useSettings((state) => state.settings !== null);
  const setRoomMuted = useSettings((state) => state.setRoomMuted);
  return (
    <label className="check">
      <input
        type="checkbox"
        checked={muted}
        disabled={!ready}
        onChange={(event) => void setRoomMuted(roomKey, event.target.checked)}
      />
      {t('settings.notifications.muteRoom', { name })}
    </label>
  );
}
