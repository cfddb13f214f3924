import { useTranslation } from 'react-i18next';
import type { Settings } from '../../../shared/model';
import { useOpenRooms } from '../hooks/useOpenRooms';
import { useSettings } from '../stores/settings';
import { RoomMuteToggle } from './RoomMuteToggle';

/** Do-not-disturb, sounds, flags while the window is in front, and which rooms may notify. */
export function NotificationSettings() {
  const { t } = useTranslation();
  const notifications = useSettings((state) => state.settings?.notifications);
  const update = useSettings((state) => state.update);
  const rooms = useOpenRooms();
  if (!notifications) return null;
  // Muted rooms that are not open now stay listed, so they can be unmuted.
  const closedMuted = notifications.mutedRooms.filter(
    (roomKey) => !rooms.some((room) => room.roomKey === roomKey),
  );

  function set(change: Partial<Settings['notifications']>): void {
    if (notifications) void update({ notifications: { ...notifications, ...change } });
  }

  return (
    <div className="settings-section">
      <label className="check">
        <input
          type="checkbox"
          checked={notifications.doNotDisturb}
          onChange={(event) => set({ doNotDisturb: event.target.checked })}
        />
        {t('settings.notifications.doNotDisturb')}
      </label>
      <p className="hint">{t('settings.notifications.doNotDisturbHint')}</p>
      <p className="hint">{t('settings.notifications.how')}</p>
      <label className="check">
        <input
          type="checkbox"
          checked={notifications.sound}
          onChange={(event) => set({ sound: event.target.checked })}
        />
        {t('settings.notifications.sound')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={notifications.flagSound}
          onChange={(event) => set({ flagSound: event.target.checked })}
        />
        {t('settings.notifications.flagSound')}
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={notifications.flagsWhileFocused}
          onChange={(event) => set({ flagsWhileFocused: event.target.checked })}
        />
        {t('settings.notifications.flagsWhileFocused')}
      </label>
      <fieldset className="choice-group">
        <legend>{t('settings.notifications.rooms')}</legend>
        {rooms.length === 0 && closedMuted.length === 0 ? (
          <p className="hint">{t('settings.notifications.noRooms')}</p>
        ) : null}
        {rooms.map((room) => (
          <RoomMuteToggle key={room.roomKey} roomKey={room.roomKey} name={room.name} />
        ))}
        {closedMuted.map((roomKey) => (
          <RoomMuteToggle key={roomKey} roomKey={roomKey} name={roomKey} />
        ))}
      </fieldset>
    </div>
  );
}
