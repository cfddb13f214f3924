import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/shared/chat';
import { defaultSettings, type Settings } from '../../src/shared/model';
import { NotificationService } from '../../src/main/services/notifications';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/notifier';

let sequence = 0;
function chat(roomKey: string, options: Partial<ChatEvent> = {}): ChatEvent {
  sequence += 1;
  return {
    roomKey,
    id: `m${sequence}`,
    messageId: `m${sequence}`,
    kind: 'message',
    user: { id: 'u1', name: 'Mina' },
    text: 'you are a scammer',
    createdAt: 0,
    receivedAt: 0,
    state: 'visible',
    flags: [{ ruleId: 'scam', start: 10, end: 14 }],
    ...options,
  };
}

function setup(settings: Partial<Settings> = {}, language = 'en-US') {
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const opened: Array<{ roomKey: string; id: string }> = [];
  let current: Settings = { ...defaultSettings(), ...settings };
  const service = new NotificationService({
    notifier,
    clock,
    settings: () => current,
    systemLanguage: () => language,
    open: (roomKey, id) => opened.push({ roomKey, id }),
  });
  return {
    clock,
    notifier,
    opened,
    service,
    change: (next: Partial<Settings>) => (current = { ...current, ...next }),
  };
}

describe('notifications', () => {
  it('shows the first flagged message of a room at once', () => {
    const { service, notifier } = setup();
    service.consider(chat('acc/1'), 'Room A');
    expect(notifier.shown.map(({ title, body, silent }) => ({ title, body, silent }))).toEqual([
      { title: 'Flagged message in Room A', body: 'Mina: you are a scammer', silent: false },
    ]);
  });

  it('sums up what follows within 10 s in one notification when the 10 s are over', () => {
    const { service, notifier, clock } = setup();
    service.consider(chat('acc/1'), 'Room A');
    clock.advance(2000);
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/1', { kind: 'dm', toModerator: true, flags: [] }), 'Room A');
    clock.advance(7999);
    expect(notifier.shown).toHaveLength(1);
    clock.advance(1);
    expect(notifier.shown.map((notice) => notice.title)).toEqual([
      'Flagged message in Room A',
      '2 flagged messages and 1 direct message in Room A',
    ]);
    clock.advance(60_000);
    expect(notifier.shown).toHaveLength(2);
  });

  it('coalesces each room on its own', () => {
    const { service, notifier } = setup();
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/2'), 'Room B');
    service.consider(chat('acc/1'), 'Room A');
    expect(notifier.shown.map((notice) => notice.title)).toEqual([
      'Flagged message in Room A',
      'Flagged message in Room B',
    ]);
  });

  it('shows a direct message to the moderator with its sender', () => {
    const { service, notifier } = setup();
    service.consider(
      chat('acc/1', { kind: 'dm', toModerator: true, flags: [], text: 'can you help?' }),
      'Room A',
    );
    expect(notifier.shown[0]).toMatchObject({
      title: 'Direct message from Mina in Room A',
      body: 'can you help?',
    });
  });

  it('shows a sender’s name without the bidi controls that would make it read as another', () => {
    const { service, notifier } = setup();
    const spoofer = { id: 'u9', name: '\u202Enimda\u202C' };
    service.consider(
      chat('acc/1', { kind: 'dm', toModerator: true, flags: [], user: spoofer, text: 'hi' }),
      'Room A',
    );
    service.consider(chat('acc/2', { user: spoofer }), 'Room B');
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Direct message from nimda in Room A', body: 'hi' },
      { title: 'Flagged message in Room B', body: 'nimda: you are a scammer' },
    ]);
  });

  it('stays silent for ordinary messages and for what the moderator sent', () => {
    const { service, notifier } = setup();
    service.consider(chat('acc/1', { flags: [] }), 'Room A');
    service.consider(chat('acc/1', { fromModerator: true }), 'Room A');
    service.consider(
      chat('acc/1', { kind: 'dm', toModerator: true, fromModerator: true, flags: [] }),
      'Room A',
    );
    expect(notifier.shown).toEqual([]);
  });

  it('respects muted rooms, do-not-disturb and the sound setting', () => {
    const { service, notifier, change, clock } = setup({
      notifications: { doNotDisturb: false, sound: false, mutedRooms: ['acc/2'] },
    });
    service.consider(chat('acc/2'), 'Muted room');
    expect(notifier.shown).toEqual([]);
    service.consider(chat('acc/1'), 'Room A');
    expect(notifier.shown[0]?.silent).toBe(true);
    change({ notifications: { doNotDisturb: true, sound: true, mutedRooms: [] } });
    clock.advance(20_000);
    service.consider(chat('acc/1'), 'Room A');
    expect(notifier.shown).toHaveLength(1);
  });

  it('asks the deck to show the message when clicked', () => {
    const { service, notifier, opened } = setup();
    const event = chat('acc/1');
    service.consider(event, 'Room A');
    notifier.shown[0]?.onClick();
    expect(opened).toEqual([{ roomKey: 'acc/1', id: event.id }]);
  });

  it('speaks Korean when the OS or the settings ask for it', () => {
    const { service, notifier } = setup({ language: 'system' }, 'ko-KR');
    service.consider(chat('acc/1'), '방 A');
    expect(notifier.shown[0]?.title).toBe('방 A에서 금칙어가 포함된 메시지');
  });
});
