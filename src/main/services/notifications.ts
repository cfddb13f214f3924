/**
 * OS notifications a moderator can live with (docs/deck.md, "Notifications"):
 *
 * - a direct message to the moderator gets a notice of its own, with its sender and its text; a
 *   sender's further messages within {@link DM_BURST_MS} are one more notice when that time is
 *   over, with the count and the latest text, so one chatter cannot flood the desktop;
 * - a flag of a high-severity rule notifies at once, at most once per room every
 *   {@link URGENT_INTERVAL_MS}; the ones in between go into the room's summary, and the notice
 *   counts as the summary's first, so a raid's next copies do not show a second notice at once;
 * - other flags are summed up per room, at most one notice every {@link SUMMARY_INTERVAL_MS}: the
 *   first shows at once, what follows within the minute is one summary when it is over;
 * - a low-severity rule's flag never notifies (the deck still marks it);
 * - a first-time chatter's message raised to the Flagged queue (settings: history.firstChatters)
 *   is summed up per room like a flag, with words of its own ("First message in …").
 *
 * Flags notify only while the window does not have the focus, unless the settings ask for it
 * (`flagsWhileFocused`): the deck already shows them. Direct messages notify either way. Summaries
 * are silent unless `flagSound` is on; direct messages and high-severity flags follow `sound`.
 * Rooms can be muted and do-not-disturb silences everything. Nothing the moderator sent notifies.
 * Clicking one focuses the window (the adapter's part) and asks the deck to show the message.
 */
import { isAutomodFlag, type ChatEvent, type FlagSpan } from '../../shared/chat';
import { displayName } from '../../shared/displayName';
import type { RuleSeverity, Settings } from '../../shared/model';
import type { Clock, TimerHandle } from '../clock';
import type { EventWatcher } from './feeds/feeds';
import { koreanReason } from './koreanReasons';

/** A room's flagged messages notify at most once in this time. */
export const SUMMARY_INTERVAL_MS = 60_000;
/** A room's high-severity flags notify one by one at most this often. */
export const URGENT_INTERVAL_MS = 10_000;
/** One sender's direct messages within this time of the last one shown are summed up. */
export const DM_BURST_MS = 10_000;
/** Names (of a sender or a room) are cut to this many characters in a notice. */
export const MAX_NAME_CHARS = 40;
/** Message text is cut to this many characters in a notice. */
export const MAX_TEXT_CHARS = 120;

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
  settings: () => Pick<Settings, 'notifications' | 'language' | 'rules'>;
  /** The OS language, used when settings say `system`. */
  systemLanguage: () => string;
  /** Whether the app's window has the focus now. */
  windowFocused: () => boolean;
  /** The moderator clicked a notice about this event. */
  open: (roomKey: string, id: string) => void;
}

/** Notices held back for a while, to be summed up in one when the while is over. */
interface Held {
  roomKey: string;
  roomName: string;
  lastShownAt: number;
  timer: TimerHandle | null;
  count: number;
  latest: ChatEvent | null;
}

export class NotificationService implements EventWatcher {
  /** Flag summaries by room key. */
  private readonly flags = new HeldNotices();
  /** When each room last showed a high-severity flag on its own. */
  private readonly urgentShownAt = new Map<string, number>();
  /** Direct messages by room key and sender. */
  private readonly directs = new HeldNotices();
  /** First-time chatters' messages by room key. */
  private readonly firsts = new HeldNotices();

  /** How many senders and rooms are remembered, for a test of the bound. */
  get remembered(): number {
    return this.flags.size + this.directs.size + this.firsts.size;
  }

  constructor(private readonly deps: NotificationDeps) {}

  consider(event: ChatEvent, roomName: string): void {
    if (event.fromModerator) return;
    if (isRaisedFirst(event)) {
      if (event.state !== 'visible' || this.silenced(event.roomKey) || !this.flagsMayShow()) return;
      const room = this.firsts.of(event.roomKey, event, this.deps.clock.now(), SUMMARY_INTERVAL_MS);
      this.hold(room, event, roomName, SUMMARY_INTERVAL_MS, () => {
        this.show(this.words().firstIn(cut(roomName)), this.line(event), event, 'flag');
      });
      return;
    }
    if (!event.toModerator && (event.flags.length === 0 || event.state !== 'visible')) return;
    if (this.silenced(event.roomKey)) return;
    if (event.toModerator) {
      const sender = this.directs.of(
        `${event.roomKey}/${event.user?.id ?? ''}`,
        event,
        this.deps.clock.now(),
        DM_BURST_MS,
      );
      this.hold(sender, event, roomName, DM_BURST_MS, () => {
        const words = this.words();
        this.show(
          words.dmFrom(this.who(event), cut(roomName)),
          preview(event.text),
          event,
          'direct',
        );
      });
      return;
    }
    const severity = severityOf(this.deps.settings().rules, event);
    if (severity === 'low' || !this.flagsMayShow()) return;
    const now = this.deps.clock.now();
    if (severity === 'high') {
      const last = this.urgentShownAt.get(event.roomKey) ?? Number.NEGATIVE_INFINITY;
      if (now - last >= URGENT_INTERVAL_MS) {
        this.urgentShownAt.set(event.roomKey, now);
        // It counts as the room's notice of the minute too: a raid's next copies, a moment
        // later, are summed up rather than shown again at once.
        const room = this.flags.of(event.roomKey, event, now, SUMMARY_INTERVAL_MS);
        if (room.timer === null) room.lastShownAt = now;
        this.show(this.words().urgentIn(cut(roomName)), this.line(event), event, 'urgent');
        return;
      }
    }
    const room = this.flags.of(event.roomKey, event, now, SUMMARY_INTERVAL_MS);
    this.hold(room, event, roomName, SUMMARY_INTERVAL_MS, () => {
      this.show(this.words().flaggedIn(cut(roomName)), this.line(event), event, 'flag');
    });
  }

  dispose(): void {
    for (const state of [...this.flags.values(), ...this.directs.values(), ...this.firsts.values()])
      if (state.timer) this.deps.clock.clearTimeout(state.timer);
    this.flags.clear();
    this.directs.clear();
    this.firsts.clear();
    this.urgentShownAt.clear();
  }

  /**
   * Shows `event` at once when `state` showed nothing within `intervalMs`; otherwise counts it,
   * and makes sure a summary is due when the interval is over.
   */
  private hold(
    state: Held,
    event: ChatEvent,
    roomName: string,
    intervalMs: number,
    showNow: () => void,
  ): void {
    const now = this.deps.clock.now();
    state.roomName = roomName;
    if (state.timer === null && now - state.lastShownAt >= intervalMs) {
      state.lastShownAt = now;
      showNow();
      return;
    }
    state.count += 1;
    state.latest = event;
    state.timer ??= this.deps.clock.setTimeout(
      () => this.flush(state),
      Math.max(0, state.lastShownAt + intervalMs - now),
    );
  }

  /** The summary of what `state` held back, unless the moderator silenced it meanwhile. */
  private flush(state: Held): void {
    const { count, latest, roomKey } = state;
    state.timer = null;
    state.count = 0;
    state.latest = null;
    if (!latest || count === 0 || this.silenced(roomKey)) return;
    const words = this.words();
    const room = cut(state.roomName);
    if (latest.toModerator) {
      state.lastShownAt = this.deps.clock.now();
      this.show(
        words.dmCount(count, this.who(latest), room),
        preview(latest.text),
        latest,
        'direct',
      );
      return;
    }
    // The moderator came back to the window meanwhile: the deck shows what was held.
    if (!this.flagsMayShow()) return;
    state.lastShownAt = this.deps.clock.now();
    const title = isRaisedFirst(latest)
      ? words.firstCount(count, room)
      : words.flaggedCount(count, room);
    this.show(title, words.latest(this.line(latest)), latest, 'flag');
  }

  private silenced(roomKey: string): boolean {
    const { notifications } = this.deps.settings();
    return notifications.doNotDisturb || notifications.mutedRooms.includes(roomKey);
  }

  private flagsMayShow(): boolean {
    return this.deps.settings().notifications.flagsWhileFocused || !this.deps.windowFocused();
  }

  private show(
    title: string,
    body: string,
    event: ChatEvent,
    kind: 'direct' | 'urgent' | 'flag',
  ): void {
    const { notifications } = this.deps.settings();
    this.deps.notifier.show({
      title,
      body,
      silent: kind === 'flag' ? !notifications.flagSound : !notifications.sound,
      onClick: () => this.deps.open(event.roomKey, event.id),
    });
  }

  // OS notifications have no markup to isolate a name with; without its bidi controls a name
  // can no longer rearrange the words around it (docs/hostile-input.md).
  private who(event: ChatEvent): string {
    return event.user ? cut(event.user.name) : '?';
  }

  /**
   * "Mina: you are a scammer"; flagged by automod, its reason first: "flagged: same message 4
   * times in 20 s — Mina: buy followers". The reason may quote chat (a raid's text): without
   * bidi controls, like a name.
   */
  private line(event: ChatEvent): string {
    const line = `${this.who(event)}: ${preview(event.text)}`;
    const flag = event.flags.find(isAutomodFlag);
    if (flag === undefined) return line;
    const words = this.words();
    return words.automod(displayName(words.reason(flag)), line);
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

/** A first-time chatter's message raised to the Flagged queue, flagged by no word, not a DM. */
function isRaisedFirst(event: ChatEvent): boolean {
  return event.first === 'raised' && event.flags.length === 0 && event.toModerator !== true;
}

/**
 * Past this many senders or rooms remembered, those that hold nothing and would show at once
 * anyway are forgotten: a raid of direct messages from fresh accounts must not grow the map for
 * the rest of the session.
 */
export const HELD_LIMIT = 1_000;

/** Notice states by key (a room, or a room and a sender), forgetting idle ones past a limit. */
class HeldNotices {
  private readonly states = new Map<string, Held>();
  /**
   * The size at which idle states are looked for next. After a look it is twice what is left:
   * while more senders than the limit are active (a busy room's DMs at 20,000 msg/s), looking at
   * every state for every new sender took 6 % of main's time and found nothing to forget. So the
   * map holds at most twice the limit or twice the active senders, and each state is looked at a
   * bounded number of times.
   */
  private pruneAt = HELD_LIMIT;

  get size(): number {
    return this.states.size;
  }

  values(): IterableIterator<Held> {
    return this.states.values();
  }

  clear(): void {
    this.states.clear();
    this.pruneAt = HELD_LIMIT;
  }

  /** The state under `key`, made when there is none. */
  of(key: string, event: ChatEvent, now: number, intervalMs: number): Held {
    const states = this.states;
    let state = states.get(key);
    if (state) return state;
    if (states.size >= this.pruneAt) {
      for (const [other, kept] of states)
        if (kept.timer === null && now - kept.lastShownAt >= intervalMs) states.delete(other);
      this.pruneAt = Math.max(HELD_LIMIT, 2 * states.size);
    }
    state = {
      roomKey: event.roomKey,
      roomName: '',
      lastShownAt: Number.NEGATIVE_INFINITY,
      timer: null,
      count: 0,
      latest: null,
    };
    states.set(key, state);
    return state;
  }
}

/** Rule severities by rule id, global and per room; built once per saved rule lists. */
interface SeverityIndex {
  global: Map<string, RuleSeverity>;
  rooms: Map<string, Map<string, RuleSeverity>>;
}

const severityIndexes = new WeakMap<Settings['rules'], SeverityIndex>();

/** Every rule's severity, absent read as `normal`: a room's copy at `normal` outranks the global one. */
function severities(list: Settings['rules']['global']): Map<string, RuleSeverity> {
  const map = new Map<string, RuleSeverity>();
  for (const rule of list) map.set(rule.id, rule.severity ?? 'normal');
  return map;
}

/**
 * The highest severity among the rules that flagged `event` (a room's own rule first, then the
 * global one of that id); a rule that is gone, or the over-long flag, counts as normal.
 */
function severityOf(rules: Settings['rules'], event: ChatEvent): RuleSeverity {
  let index = severityIndexes.get(rules);
  if (!index) {
    index = {
      global: severities(rules.global),
      rooms: new Map(Object.entries(rules.rooms).map(([key, list]) => [key, severities(list)])),
    };
    severityIndexes.set(rules, index);
  }
  const own = index.rooms.get(event.roomKey);
  let highest: RuleSeverity = 'low';
  for (const flag of event.flags) {
    // An automod verdict carries its rule's severity (`medium` is a word rule's `normal`).
    const severity =
      flag.severity !== undefined
        ? flag.severity === 'medium'
          ? 'normal'
          : flag.severity
        : (own?.get(flag.ruleId) ?? index.global.get(flag.ruleId) ?? 'normal');
    if (severity === 'high') return 'high';
    if (severity === 'normal') highest = 'normal';
  }
  return highest;
}

interface NoticeWords {
  dmFrom: (who: string, room: string) => string;
  dmCount: (count: number, who: string, room: string) => string;
  urgentIn: (room: string) => string;
  flaggedIn: (room: string) => string;
  flaggedCount: (count: number, room: string) => string;
  firstIn: (room: string) => string;
  firstCount: (count: number, room: string) => string;
  latest: (line: string) => string;
  automod: (reason: string, line: string) => string;
  /** An automod flag's reason: from its values when it has them, else its English words. */
  reason: (flag: FlagSpan & { reason: string }) => string;
}

const ENGLISH: NoticeWords = {
  dmFrom: (who, room) => `Direct message from ${who} in ${room}`,
  dmCount: (count, who, room) =>
    count === 1
      ? `1 more direct message from ${who} in ${room}`
      : `${count} more direct messages from ${who} in ${room}`,
  urgentIn: (room) => `High-severity flag in ${room}`,
  flaggedIn: (room) => `Flagged message in ${room}`,
  flaggedCount: (count, room) =>
    count === 1 ? `1 flagged message in ${room}` : `${count} flagged messages in ${room}`,
  firstIn: (room) => `First message in ${room}`,
  firstCount: (count, room) =>
    count === 1
      ? `1 more first-time chatter in ${room}`
      : `${count} more first-time chatters in ${room}`,
  latest: (line) => `The latest: ${line}`,
  automod: (reason, line) => `flagged: ${reason} — ${line}`,
  // The flag's words are English already.
  reason: (flag) => flag.reason,
};

const KOREAN: NoticeWords = {
  dmFrom: (who, room) => `${room}에서 ${who}님의 다이렉트 메시지`,
  dmCount: (count, who, room) => `${room}에서 ${who}님의 다이렉트 메시지 ${count}개 더`,
  urgentIn: (room) => `${room}에서 심각도 높은 금칙어`,
  flaggedIn: (room) => `${room}에서 금칙어가 포함된 메시지`,
  flaggedCount: (count, room) => `${room}: 금칙어 메시지 ${count}개`,
  firstIn: (room) => `${room}에서 처음 쓴 메시지`,
  firstCount: (count, room) => `${room}: 처음 채팅한 사용자 ${count}명 더`,
  latest: (line) => `가장 최근: ${line}`,
  automod: (reason, line) => `자동 검열 플래그: ${reason} — ${line}`,
  reason: (flag) => (flag.why === undefined ? undefined : koreanReason(flag.why)) ?? flag.reason,
};

/** A name without its bidi controls, cut to {@link MAX_NAME_CHARS}. */
function cut(name: string): string {
  return clip(displayName(name).replace(/\s+/g, ' ').trim(), MAX_NAME_CHARS);
}

/** Message text on one line, without bidi controls, cut to {@link MAX_TEXT_CHARS}. */
function preview(text: string): string {
  return clip(displayName(text).replace(/\s+/g, ' ').trim(), MAX_TEXT_CHARS);
}

/** `text` cut to `max` code points, an ellipsis in place of what was left out. */
function clip(text: string, max: number): string {
  const points = [...text];
  return points.length > max ? `${points.slice(0, max - 1).join('')}…` : text;
}
