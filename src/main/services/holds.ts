/**
 * The hold queue's work in main (issue #28). What `hold` and `hide` rules match is hidden the
 * moment it comes (`FeedService.setAutoHide` hands it here): a bounded number of hides at a time
 * per account, the rest waiting in arrival order, so a raid of a thousand copies a second neither
 * overruns the service nor holds up the feed. A held message nobody reviewed within the time the
 * settings give is approved or denied, as they say. Where shield mode would hold but the service
 * cannot hide, the sender is muted once instead, if the settings ask.
 */
import { isHeld } from '../../shared/chat';
import type { HoldSettings } from '../../shared/model';
import { parseRoomKey } from '../../shared/chat';
import { toErrorInfo } from '../errors';
import type { Clock, TimerHandle } from '../clock';
import type { Logger } from '../logger';
import type { AutoHideRequest, AutoMuteRequest, FeedService } from './feeds/feeds';
import { AUTOMATIC, MESSAGE_GONE, type ModerationService } from './moderation';
import type { SettingsService } from './profile/settings';

/**
 * Hides in flight per account at most. At the sandbox's 20 ms a call that is about 800 a second,
 * more than a raid sends; a service that answers slower makes the rest wait their turn.
 */
export const HIDES_IN_FLIGHT = 16;
/** How often held messages are looked at for going stale, while some wait and a time is set. */
export const STALE_CHECK_MS = 15_000;
/** Senders muted by shield mode remembered at most; past it they are forgotten together. */
const MUTES_REMEMBERED = 10_000;

export interface HoldDeps {
  moderation: Pick<ModerationService, 'automatic' | 'message' | 'user'>;
  feeds: Pick<FeedService, 'find' | 'applyState' | 'holdFailed'>;
  settings: SettingsService;
  clock: Clock;
  log: Logger;
}

interface Kept {
  roomKey: string;
  messageId: string;
  at: number;
}

export class HoldService {
  private readonly waiting = new Map<string, AutoHideRequest[]>();
  private readonly inFlight = new Map<string, number>();
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

  /** Hides a message a rule asked to hide; its turn comes after the account's earlier ones. */
  hide(request: AutoHideRequest): void {
    const { accountId } = parseRoomKey(request.roomKey);
    if (request.mode === 'hold') {
      this.holds.set(keyOf(request.roomKey, request.messageId), {
        roomKey: request.roomKey,
        messageId: request.messageId,
        at: this.deps.clock.now(),
      });
      this.schedule();
    }
    const queue = this.waiting.get(accountId);
    if (queue) queue.push(request);
    else this.waiting.set(accountId, [request]);
    this.pump(accountId);
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
      .user('mute', request.roomKey, request.userId, reason, AUTOMATIC)
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
    for (const queue of this.waiting.values()) count += queue.length;
    for (const inFlight of this.inFlight.values()) count += inFlight;
    return count;
  }

  dispose(): void {
    this.stopWatchingSettings();
    if (this.timer) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private pump(accountId: string): void {
    const queue = this.waiting.get(accountId);
    let inFlight = this.inFlight.get(accountId) ?? 0;
    while (queue && queue.length > 0 && inFlight < HIDES_IN_FLIGHT) {
      const request = queue.shift()!;
      // One reviewed while it waited its turn is not hidden: `automatic` knows what was acted on.
      inFlight += 1;
      void this.deps.moderation
        .automatic(request)
        .catch((error: unknown) => this.failed(request, error))
        .finally(() => {
          this.inFlight.set(accountId, (this.inFlight.get(accountId) ?? 1) - 1);
          this.pump(accountId);
        });
    }
    this.inFlight.set(accountId, inFlight);
    if (queue?.length === 0) this.waiting.delete(accountId);
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

function keyOf(roomKey: string, messageId: string): string {
  return `${roomKey}\n${messageId}`;
}
