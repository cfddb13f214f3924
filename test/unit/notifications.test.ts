import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../src/shared/chat';
import { defaultSettings, type Rule, type Settings } from '../../src/shared/model';
import { koreanReason } from '../../src/main/services/koreanReasons';
import { HELD_LIMIT, NotificationService } from '../../src/main/services/notifications';
import { englishReason, type ReasonData } from '../../src/shared/automod';
import { FakeClock } from '../support/fakeClock';
import { RecordingNotifier } from '../support/notifier';
import { ENGLISH, KOREAN } from '../support/reasonCases';

const SCAM: Rule = { id: 'scam', pattern: 'scam' };
const THREAT: Rule = { id: 'threat', pattern: 'kill', severity: 'high' };
const MILD: Rule = { id: 'mild', pattern: 'dang', severity: 'low' };

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

function dm(roomKey: string, from: string, text: string): ChatEvent {
  return chat(roomKey, {
    kind: 'dm',
    toModerator: true,
    flags: [],
    user: { id: from, name: from },
    text,
  });
}

function threat(roomKey: string): ChatEvent {
  return chat(roomKey, {
    text: 'I will kill you',
    flags: [{ ruleId: 'threat', start: 7, end: 11 }],
  });
}

type NotificationSettings = Settings['notifications'];

function setup(
  options: {
    notifications?: Partial<NotificationSettings>;
    language?: Settings['language'];
    rooms?: Settings['rules']['rooms'];
  } = {},
  systemLanguage = 'en-US',
) {
  const clock = new FakeClock();
  const notifier = new RecordingNotifier();
  const opened: Array<{ roomKey: string; id: string }> = [];
  const defaults = defaultSettings();
  let focused = false;
  let current: Settings = {
    ...defaults,
    language: options.language ?? defaults.language,
    notifications: { ...defaults.notifications, ...options.notifications },
    rules: { global: [SCAM, THREAT, MILD], rooms: options.rooms ?? {} },
  };
  const service = new NotificationService({
    notifier,
    clock,
    settings: () => current,
    systemLanguage: () => systemLanguage,
    windowFocused: () => focused,
    open: (roomKey, id) => opened.push({ roomKey, id }),
  });
  return {
    clock,
    notifier,
    opened,
    service,
    titles: () => notifier.shown.map((notice) => notice.title),
    focus: (value: boolean) => (focused = value),
    notify: (change: Partial<NotificationSettings>) =>
      (current = { ...current, notifications: { ...current.notifications, ...change } }),
  };
}

describe('notifications', () => {
  it('shows the first flagged message of a room at once, without a sound by default', () => {
    const { service, notifier } = setup();
    service.consider(chat('acc/1'), 'Room A');
    expect(notifier.shown.map(({ title, body, silent }) => ({ title, body, silent }))).toEqual([
      { title: 'Flagged message in Room A', body: 'Mina: you are a scammer', silent: true },
    ]);
  });

  it('sums up what a room flags after that in one notice when the minute is over', () => {
    const { service, notifier, clock, titles } = setup();
    service.consider(chat('acc/1'), 'Room A');
    clock.advance(10_000);
    service.consider(chat('acc/1'), 'Room A');
    clock.advance(20_000);
    service.consider(
      chat('acc/1', { user: { id: 'u2', name: 'Jun' }, text: 'scam link' }),
      'Room A',
    );
    clock.advance(29_999);
    expect(titles()).toEqual(['Flagged message in Room A']);
    clock.advance(1);
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Flagged message in Room A', body: 'Mina: you are a scammer' },
      { title: '2 flagged messages in Room A', body: 'The latest: Jun: scam link' },
    ]);
    clock.advance(10 * 60_000);
    expect(notifier.shown).toHaveLength(2);
  });

  it('keeps 20 rooms flagging 10 messages a minute to 20 notices a minute, shows every direct message on its own, and a high-severity flag at once', () => {
    const { service, notifier, clock } = setup();
    const rooms = Array.from({ length: 20 }, (_, index) => `acc/${index + 1}`);
    const shownAt: number[] = [];
    const record = () => {
      while (shownAt.length < notifier.shown.length) shownAt.push(clock.now());
    };
    const start = clock.now();
    let flagged = 0;
    const directTexts: string[] = [];
    // Five minutes: every room flags one message every 6 s; every minute one room's viewer writes
    // to the moderator, and another room's rule of high severity matches.
    for (let tick = 0; tick < 50; tick += 1) {
      for (const roomKey of rooms) {
        service.consider(chat(roomKey), `Room ${roomKey}`);
        flagged += 1;
        record();
      }
      if (tick % 10 === 5) {
        const minute = tick / 10;
        const text = `help in minute ${Math.floor(minute)}`;
        directTexts.push(text);
        const before = notifier.shown.length;
        service.consider(dm(rooms[tick % 20]!, `viewer${tick}`, text), 'Room');
        expect(notifier.shown.length).toBe(before + 1);
        const urgentBefore = notifier.shown.length;
        service.consider(threat(rooms[(tick + 1) % 20]!), 'Room');
        expect(notifier.shown[urgentBefore]?.title).toBe('High-severity flag in Room');
        record();
      }
      clock.advance(6000);
      record();
    }
    clock.advance(60_000);
    record();

    const kinds = notifier.shown.map((notice) =>
      notice.title.startsWith('Direct message')
        ? 'direct'
        : notice.title.startsWith('High-severity')
          ? 'urgent'
          : 'flag',
    );
    const flagTimes = shownAt.filter((_, index) => kinds[index] === 'flag');
    // In any minute, at most one flag notice per room.
    const roomOf = (title: string) => / in (Room \S+)$/.exec(title)?.[1];
    const timesByRoom = new Map<string, number[]>();
    notifier.shown.forEach((notice, index) => {
      if (kinds[index] !== 'flag') return;
      const room = roomOf(notice.title);
      expect(room).toBeDefined();
      timesByRoom.set(room!, [...(timesByRoom.get(room!) ?? []), shownAt[index]!]);
    });
    expect(timesByRoom.size).toBe(20);
    for (const times of timesByRoom.values()) {
      for (const [index, at] of times.entries())
        if (index > 0) expect(at - times[index - 1]!).toBeGreaterThanOrEqual(60_000);
    }
    expect(flagTimes.length).toBeLessThanOrEqual(20 * 6);
    expect(flagTimes.length).toBeGreaterThanOrEqual(20 * 5);
    expect(flagTimes.every((at) => at - start < 6 * 60_000)).toBe(true);
    // Nothing flagged is lost: the notices account for every flagged message.
    const counted = notifier.shown
      .filter((_, index) => kinds[index] === 'flag')
      .reduce((sum, notice) => sum + (Number(/^(\d+) flagged/.exec(notice.title)?.[1]) || 1), 0);
    expect(counted).toBe(flagged);
    // Each direct message on its own, with its text.
    expect(
      notifier.shown.filter((_, index) => kinds[index] === 'direct').map((notice) => notice.body),
    ).toEqual(directTexts);
    expect(kinds.filter((kind) => kind === 'urgent')).toHaveLength(5);
  });

  it('shows a direct message to the moderator on its own, with its sender and text, while a room’s flags wait', () => {
    const { service, notifier, clock } = setup();
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/1'), 'Room A');
    service.consider(dm('acc/1', 'Jun', 'can you help?'), 'Room A');
    service.consider(dm('acc/1', 'Sora', 'someone is posting my address'), 'Room A');
    expect(notifier.shown.map(({ title, body, silent }) => ({ title, body, silent }))).toEqual([
      { title: 'Flagged message in Room A', body: 'Mina: you are a scammer', silent: true },
      { title: 'Direct message from Jun in Room A', body: 'can you help?', silent: false },
      {
        title: 'Direct message from Sora in Room A',
        body: 'someone is posting my address',
        silent: false,
      },
    ]);
    clock.advance(60_000);
    expect(notifier.shown.map((notice) => notice.title).slice(3)).toEqual([
      '1 flagged message in Room A',
    ]);
  });

  it('forgets senders that hold nothing, so a raid of direct messages from new accounts stays bounded', () => {
    const { service, notifier, clock } = setup();
    for (let index = 0; index < 5000; index += 1) {
      service.consider(dm('acc/1', `fresh${index}`, 'hi'), 'Room');
      clock.advance(10);
    }
    expect(notifier.shown).toHaveLength(5000);
    // A thousand senders are within their 10 s burst at any time here; the idle ones are
    // forgotten once the map reaches twice what it kept after the last look.
    expect(service.remembered).toBeLessThanOrEqual(2 * HELD_LIMIT);
    expect(service.remembered).toBeGreaterThanOrEqual(1000);
    // A sender still within their burst is remembered: their next message waits for the summary.
    service.consider(dm('acc/1', 'fresh4999', 'again'), 'Room');
    expect(notifier.shown).toHaveLength(5000);
  });

  it('sums up one sender’s burst of direct messages in one more notice with the latest text', () => {
    const { service, notifier, clock } = setup();
    service.consider(dm('acc/1', 'Jun', 'hi'), 'Room A');
    for (let index = 1; index <= 30; index += 1) {
      clock.advance(100);
      service.consider(dm('acc/1', 'Jun', `spam ${index}`), 'Room A');
    }
    clock.advance(10_000);
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Direct message from Jun in Room A', body: 'hi' },
      { title: '30 more direct messages from Jun in Room A', body: 'spam 30' },
    ]);
    // Ten seconds after the summary, the next one shows at once again.
    clock.advance(10_000);
    service.consider(dm('acc/1', 'Jun', 'sorry'), 'Room A');
    expect(notifier.shown.at(-1)?.title).toBe('Direct message from Jun in Room A');
  });

  it('notifies a high-severity flag at once, even while the room’s summary waits, and never a low one', () => {
    const { service, clock, titles } = setup();
    service.consider(chat('acc/1'), 'Room A');
    clock.advance(1000);
    service.consider(threat('acc/1'), 'Room A');
    service.consider(chat('acc/1', { flags: [{ ruleId: 'mild', start: 0, end: 4 }] }), 'Room A');
    expect(titles()).toEqual(['Flagged message in Room A', 'High-severity flag in Room A']);
    // A second one within 10 s waits for the summary, so a raid cannot flood the desktop.
    service.consider(threat('acc/1'), 'Room A');
    expect(titles()).toHaveLength(2);
    clock.advance(60_000);
    expect(titles()).toEqual([
      'Flagged message in Room A',
      'High-severity flag in Room A',
      '1 flagged message in Room A',
    ]);
    clock.advance(10_000);
    service.consider(threat('acc/1'), 'Room A');
    expect(titles().at(-1)).toBe('High-severity flag in Room A');
  });

  it('takes a high-severity notice as the room’s notice of the minute: a raid’s next copies wait for the summary', () => {
    const { service, clock, titles } = setup();
    service.consider(threat('acc/1'), 'Room A');
    clock.advance(10);
    // The next copies, of any severity, a moment later.
    service.consider(chat('acc/1'), 'Room A');
    service.consider(threat('acc/1'), 'Room A');
    expect(titles()).toEqual(['High-severity flag in Room A']);
    clock.advance(60_000);
    expect(titles()).toEqual(['High-severity flag in Room A', '2 flagged messages in Room A']);
  });

  it('reads a rule’s severity from the room’s own list first, and takes a rule it cannot find as normal', () => {
    const { service, titles } = setup({
      rooms: {
        'acc/1': [{ ...SCAM, severity: 'high' }],
        'acc/2': [{ ...THREAT, severity: 'low' }],
      },
    });
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/3'), 'Room C');
    service.consider(threat('acc/2'), 'Room B');
    service.consider(chat('acc/4', { flags: [{ ruleId: 'gone', start: 0, end: 3 }] }), 'Room D');
    expect(titles()).toEqual([
      'High-severity flag in Room A',
      'Flagged message in Room C',
      'Flagged message in Room D',
    ]);
  });

  it('takes a room’s own copy of a global rule at normal as normal, not as the global rule’s high', () => {
    const { service, titles } = setup({
      rooms: { 'acc/1': [{ id: THREAT.id, pattern: THREAT.pattern }] },
    });
    service.consider(threat('acc/1'), 'Room A');
    service.consider(threat('acc/2'), 'Room B');
    expect(titles()).toEqual(['Flagged message in Room A', 'High-severity flag in Room B']);
  });

  it('holds flagged messages while the window has the focus, unless asked not to; direct messages notify either way', () => {
    const { service, clock, titles, focus, notify } = setup();
    focus(true);
    service.consider(chat('acc/1'), 'Room A');
    service.consider(threat('acc/2'), 'Room B');
    service.consider(dm('acc/1', 'Jun', 'hello'), 'Room A');
    clock.advance(120_000);
    expect(titles()).toEqual(['Direct message from Jun in Room A']);

    // Flags held while away are not summed up when the moderator comes back.
    focus(false);
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/1'), 'Room A');
    focus(true);
    clock.advance(60_000);
    expect(titles()).toEqual(['Direct message from Jun in Room A', 'Flagged message in Room A']);

    notify({ flagsWhileFocused: true });
    clock.advance(60_000);
    service.consider(chat('acc/3'), 'Room C');
    expect(titles().at(-1)).toBe('Flagged message in Room C');
  });

  it('plays a sound for direct messages and high-severity flags, and for summaries only when asked', () => {
    const { service, notifier, clock, notify } = setup();
    service.consider(chat('acc/1'), 'Room A');
    service.consider(threat('acc/2'), 'Room B');
    service.consider(dm('acc/3', 'Jun', 'hi'), 'Room C');
    expect(notifier.shown.map((notice) => notice.silent)).toEqual([true, false, false]);
    notify({ flagSound: true, sound: false });
    clock.advance(60_000);
    service.consider(chat('acc/1'), 'Room A');
    service.consider(dm('acc/4', 'Sora', 'hi'), 'Room D');
    expect(notifier.shown.map((notice) => notice.silent).slice(3)).toEqual([false, true]);
  });

  it('cuts long names and text, and shows names without the bidi controls that would make them read as another', () => {
    const { service, notifier } = setup();
    const spoofer = { id: 'u9', name: '\u202Enimda\u202C' };
    service.consider({ ...dm('acc/1', 'u9', 'hi'), user: spoofer }, 'Room A');
    service.consider(chat('acc/2', { user: spoofer }), 'Room B');
    const long = { id: 'u10', name: 'N'.repeat(300) };
    service.consider(
      { ...dm('acc/3', 'u10', `${'word '.repeat(100)}\n\n\u202Eexe.evil`), user: long },
      'R'.repeat(300),
    );
    expect(notifier.shown.slice(0, 2).map(({ title, body }) => ({ title, body }))).toEqual([
      { title: 'Direct message from nimda in Room A', body: 'hi' },
      { title: 'Flagged message in Room B', body: 'nimda: you are a scammer' },
    ]);
    const cut = notifier.shown[2]!;
    expect(cut.title).toBe(`Direct message from ${'N'.repeat(39)}… in ${'R'.repeat(39)}…`);
    expect([...cut.body]).toHaveLength(120);
    expect(cut.body.endsWith('…')).toBe(true);
    expect(cut.body).not.toMatch(/[\n\u202E]/);
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

  it('respects muted rooms and do-not-disturb, also for what waits to be summed up', () => {
    const { service, notifier, notify, clock } = setup({
      notifications: { mutedRooms: ['acc/2'] },
    });
    service.consider(chat('acc/2'), 'Muted room');
    service.consider(dm('acc/2', 'Jun', 'hi'), 'Muted room');
    expect(notifier.shown).toEqual([]);
    service.consider(chat('acc/1'), 'Room A');
    service.consider(chat('acc/1'), 'Room A');
    notify({ doNotDisturb: true });
    clock.advance(60_000);
    service.consider(dm('acc/1', 'Jun', 'hi'), 'Room A');
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

  it('tells of a first-time chatter raised to the Flagged queue, and sums up the next ones in the room', () => {
    const { service, notifier, clock, focus } = setup();
    const newcomer = (name: string, text: string): ChatEvent =>
      chat('acc/1', { first: 'raised', flags: [], user: { id: name, name }, text });
    service.consider(chat('acc/1', { first: 'marked', flags: [], text: 'only marked' }), 'Room A');
    expect(notifier.shown).toHaveLength(0);
    service.consider(newcomer('Mina', 'hi all'), 'Room A');
    service.consider(newcomer('Jun', 'hello'), 'Room A');
    service.consider(newcomer('Ara', 'hey'), 'Room A');
    clock.advance(60_000);
    expect(notifier.shown.map(({ title, body, silent }) => ({ title, body, silent }))).toEqual([
      { title: 'First message in Room A', body: 'Mina: hi all', silent: true },
      { title: '2 more first-time chatters in Room A', body: 'The latest: Ara: hey', silent: true },
    ]);
    // Like a flag: not while the window has the focus.
    focus(true);
    clock.advance(60_000);
    service.consider(newcomer('Bo', 'yo'), 'Room A');
    expect(notifier.shown).toHaveLength(2);
  });

  it('words a first-time chatter in Korean', () => {
    const { service, notifier } = setup({ language: 'ko' });
    service.consider(chat('acc/1', { first: 'raised', flags: [], text: '안녕하세요' }), '방 A');
    expect(notifier.shown[0]?.title).toBe('방 A에서 처음 쓴 메시지');
  });

  it('says an automod flag’s reason, and takes its rule’s severity from the flag', () => {
    const { service, notifier, clock, titles } = setup();
    const repeats = (severity: 'low' | 'medium' | 'high') =>
      chat('acc/1', {
        text: 'buy followers now',
        flags: [{ ruleId: 'automod-repeats', reason: 'same message 4 times in 20 s', severity }],
      });
    service.consider(repeats('low'), 'Room A');
    expect(titles()).toEqual([]);
    service.consider(repeats('medium'), 'Room A');
    expect(notifier.shown.map(({ title, body }) => ({ title, body }))).toEqual([
      {
        title: 'Flagged message in Room A',
        body: 'flagged: same message 4 times in 20 s — Mina: buy followers now',
      },
    ]);
    clock.advance(1000);
    service.consider(repeats('high'), 'Room A');
    expect(titles().at(-1)).toBe('High-severity flag in Room A');
  });

  it('says an automod flag’s reason in a Korean notice too', () => {
    const { service, notifier } = setup({ language: 'ko' });
    service.consider(
      chat('acc/1', {
        text: 'buy followers now',
        flags: [{ ruleId: 'automod-repeats', reason: 'same message 4 times in 20 s' }],
      }),
      '방 A',
    );
    expect(notifier.shown[0]?.body).toBe(
      '자동 검열 플래그: same message 4 times in 20 s — Mina: buy followers now',
    );
  });

  it('says an automod flag’s reason in Korean from its values, its quoted chat without bidi controls', () => {
    const { service, notifier, clock } = setup({ language: 'ko' });
    const repeats: ReasonData = { kind: 'repeats', exact: true, times: 4, spanMs: 20_000 };
    const raid: ReasonData = {
      kind: 'raid',
      name: 'buy \u202Ewon srewollof',
      people: 6,
      peopleCapped: false,
      spanMs: 4000,
    };
    const flagged = (why: ReasonData) =>
      chat('acc/1', {
        text: 'buy followers now',
        flags: [{ ruleId: `automod-${why.kind}`, reason: englishReason(why), why }],
      });
    service.consider(flagged(repeats), '방 A');
    clock.advance(60_000);
    service.consider(flagged(raid), '방 A');
    expect(notifier.shown.map((notice) => notice.body)).toEqual([
      '자동 검열 플래그: 20초 동안 같은 메시지 4번 — Mina: buy followers now',
      '자동 검열 플래그: 복사-붙여넣기 테러 “buy won srewollof”: 4초 동안 6명 — Mina: buy followers now',
    ]);
  });

  it('words every kind of reason in Korean as the window does, and in English as its words', () => {
    for (const [why, words] of KOREAN) expect(koreanReason(why)).toBe(words);
    const kinds = (cases: Array<[ReasonData, string]>) =>
      [...new Set(cases.map(([why]) => why.kind))].sort();
    expect(kinds(KOREAN)).toEqual(kinds(ENGLISH));
    const { service, notifier } = setup();
    const [why, words] = ENGLISH[0]!;
    service.consider(
      chat('acc/1', { text: 'hi', flags: [{ ruleId: 'automod-repeats', reason: words, why }] }),
      'Room A',
    );
    expect(notifier.shown[0]?.body).toBe(`flagged: ${words} — Mina: hi`);
  });
});
