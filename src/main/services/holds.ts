/**
 * The hold queue's work in main (issue #28). What `hold` and `hide` rules match is hidden the
 * moment it comes (`FeedService.setAutoHide` hands it here): a bounded number of hides at a time
 * per account, learnt from the service's answers (`AdaptiveLimit`), so a raid of a thousand copies
 * a second neither overruns the service nor holds up the feed. The rest wait their turn, room by
 * room in rotation, so a raid in one room does not keep another room's hold waiting; within a room
 * oldest first, or newest first while the room's hides are behind (`BEHIND_AFTER_MS`). A held
 * message nobody reviewed within the time the
 * settings give is approved or denied, as they say. Where shield mode would hold but the service
 * cannot hide, the sender is muted once instead, if the settings ask.
 */
import { isHeld, type ChatEvent } from '../../shared/chat';
import type { HoldSettings } from '../../shared/model';
import { parseRoomKey } from '../../shared/chat';
import { toErrorInfo } from '../errors';
import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../logger';
import type { AnswerWatcher } from '../providers/types';
import { AdaptiveLimit, type LimitBounds } from './adaptiveLimit';
import type { AutoHideRequest, AutoMuteRequest, FeedService } from './feeds/feeds';
import { Deque } from './deque';
import { AUTOMATIC, MESSAGE_GONE, type ModerationService } from './moderation';
import type { SettingsService } from './profile/settings';

/**
 * Hides in flight per account at first. The limit then follows the service's answers
 * (`AdaptiveLimit`): it grows while hides wait their turn and calls answer about as fast as they
 * did (at 20 ms a call, 16 are 800 a second, less than a raid of 1,000 copies a second asks), comes
 * back towards 16 when they slow down, and halves on a 429 or a 5xx, down to
 * `HIDES_IN_FLIGHT_MIN`, which also stops new hides for what a `Retry-After` asked.
 */
export const HIDES_IN_FLIGHT = 16;
/**
 * The most hides in flight per account: 64 at 20–40 ms a call answer 1,600–3,200 a second, and no
 * more sockets to one service than a browser opens to a few sites.
 */
export const HIDES_IN_FLIGHT_MAX = 64;
/** The fewest: a service that refuses or slows down still gets this many at a time. */
export const HIDES_IN_FLIGHT_MIN = 2;
/** How often held messages are looked at for going stale, while some wait and a time is set. */
export const STALE_CHECK_MS = 15_000;
/**
 * How long a room's oldest waiting hide may have waited before the room's hides count as behind.
 * From then on its newest waiting hide goes first: that copy is what viewers have on screen now,
 * and it can still be hidden within the 200 ms a raid copy may be seen, where the older ones have
 * missed that already and, in a room busy enough for its hides to fall behind, have scrolled out of
 * view. They go once the room's hides catch up. Half of those 200 ms, so that a hide that starts
 * within it still has time for the call.
 */
export const BEHIND_AFTER_MS = 100;
/** Senders muted by shield mode remembered at most; past it they are forgotten together. */
const MUTES_REMEMBERED = 10_000;

export interface HoldDeps {
  moderation: Pick<ModerationService, 'automatic' | 'message' | 'user' | 'actedOn'>;
  feeds: Pick<FeedService, 'find' | 'applyState' | 'holdFailed'>;
  settings: SettingsService;
  clock: Clock;
  log: Logger;
  /** Hides in flight per account (default: from `HIDES_IN_FLIGHT` within its min and max). */
  inFlight?: LimitBounds;
}

/** A hide waiting its turn, and since when. */
interface Waiting {
  request: AutoHideRequest;
  at: number;
}

/** One account's hides: those waiting their turn, those in flight, and how many may be. */
interface Lane {
  /**
   * Hides waiting, by room, the rooms in the order their turns come: the room that had the last
   * turn goes to the back.
   */
  rooms: Map<string, Deque<Waiting>>;
  /** Hides waiting in all its rooms. */
  waiting: number;
  inFlight: number;
  limit: AdaptiveLimit;
  /** Set while a `Retry-After` keeps new hides back. */
  resume: TimerHandle | null;
}

interface Kept {
  roomKey: string;
  messageId: string;
  at: number;
}

export class HoldService {
  private readonly lanes = new Map<string, Lane>();
  /** Held messages to look at for going stale, by room key and message id. */
  private readonly holds = new Map<string, Kept>();
  /** Senders shield mode muted (room key and user id). */
  private readonly muted = new Set<string>();
  private settings: HoldSettings;
  private timer: TimerHandle | null = null;
  private readonly stopWatchingSettings: () => void;

  constructor(private readonly deps: HoldDeps) {
    this.settings = deps.settings.get().hold;
    this.stopWatchingSettings = deps.settings.onChange((next) => {
      this.settings = next.hold;
      this.schedule();
    });
  }

  /** Hides a message a rule asked to hide, when its turn comes (`next`). */
  hide(request: AutoHideRequest): void {
    const { accountId } = parseRoomKey(request.roomKey);
    const at = this.deps.clock.now();
    if (request.mode === 'hold') {
      this.holds.set(keyOf(request.roomKey, request.messageId), {
        roomKey: request.roomKey,
        messageId: request.messageId,
        at,
      });
      this.schedule();
    }
    const lane = this.lane(accountId);
    let room = lane.rooms.get(request.roomKey);
    if (!room) {
      room = new Deque();
      lane.rooms.set(request.roomKey, room);
    }
    room.push({ request, at });
    lane.waiting += 1;
    this.pump(accountId);
  }

  /**
   * Holds a room's stored history brought back (held in an earlier run or before the room was
   * closed, and not reviewed): they go stale from when they were held, like those of this run.
   */
  adopt(roomKey: string, events: readonly ChatEvent[]): void {
    for (const event of events) {
      if (event.messageId === null || event.held === undefined) continue;
      const key = keyOf(roomKey, event.messageId);
      if (!this.holds.has(key))
        this.holds.set(key, { roomKey, messageId: event.messageId, at: event.held.at });
    }
    this.schedule();
  }

  /**
   * Mutes a sender shield mode would hold where the service cannot hide, once: a second message
   * of theirs finds them muted already.
   */
  mute(request: AutoMuteRequest): void {
    const key = keyOf(request.roomKey, request.userId);
    if (this.muted.has(key)) return;
    if (this.muted.size >= MUTES_REMEMBERED) this.muted.clear();
    this.muted.add(key);
    const reason = request.reason.slice(0, 200);
    void this.deps.moderation
      .user('mute', request.roomKey, request.userId, reason, {
        detail: AUTOMATIC,
        why: request.why,
      })
      .catch((error: unknown) => {
        // Audited already; the next message of theirs tries again.
        this.muted.delete(key);
        this.deps.log.warn('shield mode could not mute a sender', {
          roomKey: request.roomKey,
          code: toErrorInfo(error).code,
        });
      });
  }

  /** Hides waiting or in flight, for every account. */
  pending(): number {
    let count = 0;
    for (const lane of this.lanes.values()) count += lane.waiting + lane.inFlight;
    return count;
  }

  /** Hides an account may have in flight now (for diagnostics and tests). */
  limit(accountId: string): number {
    return this.lane(accountId).limit.current;
  }

  dispose(): void {
    this.stopWatchingSettings();
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    for (const lane of this.lanes.values()) {
      if (lane.resume) this.deps.clock.clearTimeout(lane.resume);
      lane.resume = null;
      lane.rooms.clear();
      lane.waiting = 0;
    }
  }

  /** The account's lane; made on first use and kept, with what its limit learnt. */
  private lane(accountId: string): Lane {
    let lane = this.lanes.get(accountId);
    if (!lane) {
      lane = {
        rooms: new Map(),
        waiting: 0,
        inFlight: 0,
        limit: new AdaptiveLimit(
          this.deps.inFlight ?? {
            initial: HIDES_IN_FLIGHT,
            min: HIDES_IN_FLIGHT_MIN,
            max: HIDES_IN_FLIGHT_MAX,
          },
        ),
        resume: null,
      };
      this.lanes.set(accountId, lane);
    }
    return lane;
  }

  /** Starts waiting hides, each when its turn comes (`next`), while the account's limit allows. */
  private pump(accountId: string): void {
    const lane = this.lanes.get(accountId);
    if (!lane || lane.resume) return;
    const { clock } = this.deps;
    const wait = lane.limit.pausedUntil - clock.now();
    if (wait > 0) {
      // The service asked to be left alone (Retry-After): hides in flight finish, none start.
      lane.resume = clock.setTimeout(() => {
        lane.resume = null;
        this.pump(accountId);
      }, wait);
      return;
    }
    const watch: AnswerWatcher = ({ status, retryAfterMs }) => {
      if (status === 429 || status >= 500) lane.limit.strained(clock.now(), retryAfterMs);
    };
    while (lane.waiting > 0 && lane.inFlight < lane.limit.current) {
      const request = next(lane, clock.now());
      lane.inFlight += 1;
      const startedAt = clock.now();
      // One reviewed while it waited its turn is not hidden: `automatic` knows what was acted on.
      // Its place is free once the service answered; the audit line is written meanwhile.
      void this.deps.moderation
        .automatic(request, watch)
        .then((sent) => {
          if (sent) lane.limit.answered(clock.now() - startedAt, lane.waiting > 0);
        })
        .catch((error: unknown) => this.failed(request, error))
        .finally(() => {
          lane.inFlight -= 1;
          this.pump(accountId);
        });
    }
  }

  /** A hide that did not happen: audited already; a message gone meanwhile leaves the queue. */
  private failed(request: AutoHideRequest, error: unknown): void {
    const { code } = toErrorInfo(error);
    if (code === MESSAGE_GONE) {
      this.deps.feeds.applyState(request.roomKey, request.messageId, 'deleted');
      this.holds.delete(keyOf(request.roomKey, request.messageId));
      return;
    }
    if (request.mode === 'hold')
      this.deps.feeds.holdFailed(request.roomKey, request.messageId, code);
    this.deps.log.warn('a rule asked to hide a message and it could not be hidden', {
      roomKey: request.roomKey,
      ruleId: request.ruleId,
      code,
    });
  }

  /** Keeps a timer running while holds wait and a stale time is set. */
  private schedule(): void {
    const wanted = this.settings.staleAfterMinutes !== null && this.holds.size > 0;
    if (!wanted) {
      if (this.timer) this.deps.clock.clearTimeout(this.timer);
      this.timer = null;
      return;
    }
    this.timer ??= this.deps.clock.setTimeout(() => {
      this.timer = null;
      void this.reviewStale().finally(() => this.schedule());
    }, STALE_CHECK_MS);
  }

  /**
   * Approves or denies, as the settings say, each hold older than their time that still waits;
   * forgets the holds someone reviewed or that left the room's buffer.
   */
  async reviewStale(): Promise<void> {
    const minutes = this.settings.staleAfterMinutes;
    const now = this.deps.clock.now();
    const stale: Kept[] = [];
    for (const [key, kept] of this.holds) {
      const event = this.deps.feeds.find(kept.roomKey, kept.messageId);
      if (!event || !isHeld(event)) {
        this.holds.delete(key);
        continue;
      }
      if (minutes !== null && now - kept.at >= minutes * 60_000) stale.push(kept);
    }
    if (minutes === null) return;
    const action = this.settings.staleAction === 'approve' ? 'unhide' : 'delete';
    const reason = `not reviewed within ${minutes} min`;
    for (const kept of stale) {
      this.holds.delete(keyOf(kept.roomKey, kept.messageId));
      // Reviewed while the ones before it were: the moderator's decision stands.
      if (this.deps.moderation.actedOn(kept.roomKey, kept.messageId)) continue;
      const event = this.deps.feeds.find(kept.roomKey, kept.messageId);
      if (!event || !isHeld(event)) continue;
      try {
        await this.deps.moderation.message(action, kept.roomKey, kept.messageId, reason, AUTOMATIC);
      } catch (error) {
        // A message deleted elsewhere meanwhile is no failure (`message` answers `gone`).
        this.deps.log.warn('a stale hold could not be reviewed', {
          roomKey: kept.roomKey,
          code: toErrorInfo(error).code,
        });
      }
    }
  }
}

/**
 * The hide whose turn it is: from the room first in turn, which then goes to the back; its oldest,
 * or its newest while its oldest has waited longer than `BEHIND_AFTER_MS`.
 */
function next(lane: Lane, now: number): AutoHideRequest {
  const [roomKey, room] = lane.rooms.entries().next().value!;
  const behind = now - room.peek()!.at > BEHIND_AFTER_MS;
  const { request } = behind ? room.pop()! : room.shift()!;
  lane.rooms.delete(roomKey);
  if (room.length > 0) lane.rooms.set(roomKey, room);
  lane.waiting -= 1;
  return request;
}

function keyOf(roomKey: string, messageId: string): string {
  return `${roomKey}\n${messageId}`;
}
