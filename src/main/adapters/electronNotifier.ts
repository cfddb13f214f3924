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
  platform: string = process.platform,
): Notifier {
  // Electron drops a notification's click handler once the object is garbage collected, so each
  // one is held until it is closed or clicked.
  const showing = new Set<ElectronNotification>();
  return {
    show(notice: Notice): void {
      if (!Notification.isSupported()) return;
      const notification = new Notification({
        title: notice.title,
        body: platform === 'linux' ? escapeMarkup(notice.body) : notice.body,
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

/**
 * On Linux, Electron hands the body to libnotify as it is, and the notification servers of GNOME,
 * KDE, Xfce, dunst and mako read it as markup (the freedesktop spec's `body-markup`: `<b>`, `<i>`,
 * `<a href>`, `<img>`), so chat text in it could draw a link or bold words that pass for the
 * app's own. Escaped, it shows as typed. The title is plain text in the spec, so it is left alone.
 */
export function escapeMarkup(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
