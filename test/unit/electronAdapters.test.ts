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
    const notifier = createElectronNotifier(
      Notification as unknown as NotificationClass,
      () => order.push('focus'),
      'darwin',
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

  it('shows chat text as typed on Linux, where notification servers read the body as markup', () => {
    const notifier = createElectronNotifier(
      Notification as unknown as NotificationClass,
      () => undefined,
      'linux',
    );
    notifier.show({
      title: 'Direct message from <b>Mina</b>',
      body: 'Mina: <a href="https://evil.example">Sign in again</a> & <b>now</b>',
      silent: false,
      onClick: () => undefined,
    });
    const shown = Notification.shown[0] as unknown as Notification & ElectronNotification;
    expect(shown.options).toMatchObject({
      title: 'Direct message from <b>Mina</b>',
      body: 'Mina: &lt;a href="https://evil.example"&gt;Sign in again&lt;/a&gt; &amp; &lt;b&gt;now&lt;/b&gt;',
    });
  });

  it('leaves the body alone where notifications are plain text (macOS, Windows)', () => {
    const notifier = createElectronNotifier(
      Notification as unknown as NotificationClass,
      () => undefined,
      'win32',
    );
    notifier.show({ title: 't', body: '<b>x</b> & y', silent: false, onClick: () => undefined });
    const shown = Notification.shown[0] as unknown as Notification & ElectronNotification;
    expect(shown.options).toMatchObject({ body: '<b>x</b> & y' });
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
