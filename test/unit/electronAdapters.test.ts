import type { Notification as ElectronNotification } from 'electron';
import { beforeEach, describe, expect, it } from 'vitest';
import { createElectronNotifier } from '../../src/main/adapters/electronNotifier';
import { appPaths } from '../../src/main/adapters/electronPaths';
import { app, Notification, resetElectronStub } from '../stubs/electron';

type NotificationClass = Parameters<typeof createElectronNotifier>[0];

describe('the Electron notifier', () => {
  beforeEach(resetElectronStub);

  it('shows a notification, and a click focuses the window before opening the message', () => {
    const order: string[] = [];
    const notifier = createElectronNotifier(Notification as unknown as NotificationClass, () =>
      order.push('focus'),
    );
    notifier.show({
      title: 'Flagged message in Room A',
      body: 'Mina: scam',
      silent: true,
      onClick: () => order.push('open'),
    });
    expect(Notification.shown).toHaveLength(1);
    const shown = Notification.shown[0] as unknown as Notification & ElectronNotification;
    expect(shown.options).toEqual({
      title: 'Flagged message in Room A',
      body: 'Mina: scam',
      silent: true,
    });
    shown.emit('click');
    expect(order).toEqual(['focus', 'open']);
  });

  it('shows nothing where the OS has no notifications', () => {
    Notification.supported = false;
    const notifier = createElectronNotifier(
      Notification as unknown as NotificationClass,
      () => undefined,
    );
    notifier.show({ title: 't', body: 'b', silent: false, onClick: () => undefined });
    expect(Notification.shown).toEqual([]);
  });
});

describe('app paths', () => {
  it('come from Electron: the user-data folder and the OS language', () => {
    app.paths.set('userData', '/home/mod/.config/ModDeck');
    app.locale = 'ko-KR';
    expect(appPaths(app as never)).toEqual({
      userData: '/home/mod/.config/ModDeck',
      locale: 'ko-KR',
    });
  });
});
