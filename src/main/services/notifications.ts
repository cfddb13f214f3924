/**
 * OS notifications for a direct message to the moderator and for a newly flagged message, without
 * flooding: per room, the first one shows at once and anything else within 10 s is summed up in
 * one notification when the 10 s are over ("3 flagged messages in Room A"). Rooms can be muted and
 * do-not-disturb silences everything. Nothing the moderator sent notifies. Clicking one focuses the
 * window (the adapter's part) and asks the deck to show the message.
 */
import type { ChatEvent } from '../../shared/chat';
import { displayName } from '../../shared/displayName';
import type { Settings } from '../../shared/model';
import type { Clock, TimerHandle } from '../clock';
import type { EventWatcher } from './feeds';

export const COALESCE_MS = 10_000;

export interface Notice {
  title: string;
  body: string;
  silent: boolean;
  onClick: () => void;
}

/** Shows a notice on the OS; implemented by an Electron adapter and by the browser host. */
export interface Notifier {
  show(notice: Notice): void;
}

export interface NotificationDeps {
  notifier: Notifier;
  clock: Clock;
  settings: () => Pick<Settings, 'notifications' | 'language'>;
  /** The OS language, used when settings say `system`. */
  systemLanguage: () => string;
  /** The moderator clicked a notice about this event. */
  open: (roomKey: string, id: string) => void;
}

type Reason = 'dm' | 'flag';

interface RoomWindow {
  lastShownAt: number;
  timer: TimerHandle | null;
  waiting: { dm: number; flag: number; latest: ChatEvent | null; roomName: string };
}

export class NotificationService implements EventWatcher {
  private readonly rooms = new Map<string, RoomWindow>();

  constructor(private readonly deps: NotificationDeps) {}

  consider(event: ChatEvent, roomName: string): void {
    if (event.fromModerator) return;
    const reason: Reason | null = event.toModerator
      ? 'dm'
      : event.flags.length > 0 && event.state === 'visible'
        ? 'flag'
        : null;
    if (reason === null) return;
    const { notifications } = this.deps.settings();
    if (notifications.doNotDisturb || notifications.mutedRooms.includes(event.roomKey)) return;

    const now = this.deps.clock.now();
    const room = this.rooms.get(event.roomKey) ?? {
      lastShownAt: Number.NEGATIVE_INFINITY,
      timer: null,
      waiting: { dm: 0, flag: 0, latest: null, roomName },
    };
    this.rooms.set(event.roomKey, room);

    if (room.timer === null && now - room.lastShownAt >= COALESCE_MS) {
      room.lastShownAt = now;
      this.show(this.single(reason, event, roomName), event);
      return;
    }
    room.waiting[reason] += 1;
    room.waiting.latest = event;
    room.waiting.roomName = roomName;
    room.timer ??= this.deps.clock.setTimeout(
      () => this.flush(event.roomKey),
      Math.max(0, room.lastShownAt + COALESCE_MS - now),
    );
  }

  dispose(): void {
    for (const room of this.rooms.values())
      if (room.timer) this.deps.clock.clearTimeout(room.timer);
    this.rooms.clear();
  }

  private flush(roomKey: string): void {
    const room = this.rooms.get(roomKey);
    if (!room) return;
    room.timer = null;
    const { dm, flag, latest, roomName } = room.waiting;
    room.waiting = { dm: 0, flag: 0, latest: null, roomName };
    if (!latest || dm + flag === 0) return;
    const { notifications } = this.deps.settings();
    if (notifications.doNotDisturb || notifications.mutedRooms.includes(roomKey)) return;
    room.lastShownAt = this.deps.clock.now();
    this.show(this.summary(dm, flag, roomName), latest);
  }

  private show(text: { title: string; body: string }, event: ChatEvent): void {
    const { notifications } = this.deps.settings();
    this.deps.notifier.show({
      ...text,
      silent: !notifications.sound,
      onClick: () => this.deps.open(event.roomKey, event.id),
    });
  }

  private single(
    reason: Reason,
    event: ChatEvent,
    roomName: string,
  ): { title: string; body: string } {
    const words = this.words();
    // OS notifications have no markup to isolate a name with; without its bidi controls a name
    // can no longer rearrange the words around it (docs/hostile-input.md).
    const who = event.user ? displayName(event.user.name) : '?';
    const body = `${who}: ${preview(event.text)}`;
    return reason === 'dm'
      ? { title: words.dmFrom(who, roomName), body: preview(event.text) }
      : { title: words.flaggedIn(roomName), body };
  }

  private summary(dm: number, flag: number, roomName: string): { title: string; body: string } {
    const words = this.words();
    const parts = [
      ...(flag > 0 ? [words.flaggedCount(flag)] : []),
      ...(dm > 0 ? [words.dmCount(dm)] : []),
    ];
    return { title: words.inRoom(parts.join(words.and), roomName), body: words.open };
  }

  private words(): NoticeWords {
    const { language } = this.deps.settings();
    const chosen: 'en' | 'ko' =
      language === 'system'
        ? this.deps.systemLanguage().startsWith('ko')
          ? 'ko'
          : 'en'
        : language;
    return chosen === 'ko' ? KOREAN : ENGLISH;
  }
}

interface NoticeWords {
  dmFrom: (who: string, room: string) => string;
  flaggedIn: (room: string) => string;
  flaggedCount: (count: number) => string;
  dmCount: (count: number) => string;
  inRoom: (what: string, room: string) => string;
  and: string;
  open: string;
}

const ENGLISH: NoticeWords = {
  dmFrom: (who, room) => `Direct message from ${who} in ${room}`,
  flaggedIn: (room) => `Flagged message in ${room}`,
  flaggedCount: (count) => (count === 1 ? '1 flagged message' : `${count} flagged messages`),
  dmCount: (count) => (count === 1 ? '1 direct message' : `${count} direct messages`),
  inRoom: (what, room) => `${what} in ${room}`,
  and: ' and ',
  open: 'Click to show them in ModDeck.',
};

const KOREAN: NoticeWords = {
  dmFrom: (who, room) => `${room}에서 ${who}님의 다이렉트 메시지`,
  flaggedIn: (room) => `${room}에서 금칙어가 포함된 메시지`,
  flaggedCount: (count) => `금칙어 메시지 ${count}개`,
  dmCount: (count) => `다이렉트 메시지 ${count}개`,
  inRoom: (what, room) => `${room}: ${what}`,
  and: ', ',
  open: '클릭하면 ModDeck에서 보여 줍니다.',
};

function preview(text: string): string {
  const single = text.replace(/\s+/g, ' ').trim();
  return single.length > 120 ? `${single.slice(0, 119)}…` : single;
}
