/** OS notifications through Electron. A click brings the window forward, then runs the notice's action. */
import type { Notification as ElectronNotification } from 'electron';
import type { Notice, Notifier } from '../services/notifications';

type NotificationClass = {
  new (options: { title: string; body: string; silent: boolean }): ElectronNotification;
  isSupported(): boolean;
};

export function createElectronNotifier(
  Notification: NotificationClass,
  focusWindow: () => void,
): Notifier {
  // Electron drops a notification's click handler once the object is garbage collected, so each
  // one is held until it is closed or clicked.
  const showing = new Set<ElectronNotification>();
  return {
    show(notice: Notice): void {
      if (!Notification.isSupported()) return;
      const notification = new Notification({
        title: notice.title,
        body: notice.body,
        silent: notice.silent,
      });
      showing.add(notification);
      notification.on('click', () => {
        showing.delete(notification);
        focusWindow();
        notice.onClick();
      });
      notification.on('close', () => showing.delete(notification));
      notification.show();
    },
  };
}
