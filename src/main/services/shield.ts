/**
 * Shield mode (issue #28): one switch against a raid, in a room or in every room. While it is on,
 * the feeds hold every copy of a raid automod recognises and every message from a chatter first
 * seen in the room lately (`FeedService.setShield`, the `shield` settings); where the service
 * cannot hide, they mute the sender instead if the settings ask. Turning it on or off is audited
 * and announced (`shield.changed`); it lasts until turned off or ModDeck closes.
 */
import { parseRoomKey } from '../../shared/chat';
import type { ShieldState } from '../../shared/model';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { AuditLog } from './audit';

export interface ShieldDeps {
  clock: Clock;
  events: EventBus;
  audit: Pick<AuditLog, 'append'>;
}

/** The audit log's account for a switch of every room at once. */
const EVERY_ACCOUNT = '*';

export class ShieldService {
  private all: number | null = null;
  private readonly rooms = new Map<string, number>();

  constructor(private readonly deps: ShieldDeps) {}

  state(): ShieldState {
    return {
      all: this.all,
      rooms: [...this.rooms].map(([roomKey, since]) => ({ roomKey, since })),
    };
  }

  /** Whether shield mode is on in the room, by itself or for every room. */
  isOn(roomKey: string): boolean {
    return this.all !== null || this.rooms.has(roomKey);
  }

  /**
   * Turns shield mode on or off in a room, or (`roomKey` null) in every room. Off for every room
   * turns it off in each room too; a room's switch does not change the switch of every room.
   */
  async set(roomKey: string | null, on: boolean): Promise<ShieldState> {
    const now = this.deps.clock.now();
    const since = roomKey === null ? this.all : (this.rooms.get(roomKey) ?? null);
    if (on === (since !== null) && (on || roomKey !== null || this.rooms.size === 0)) {
      return this.state();
    }
    if (roomKey === null) {
      this.all = on ? now : null;
      if (!on) this.rooms.clear();
    } else if (on) this.rooms.set(roomKey, now);
    else this.rooms.delete(roomKey);
    const detail = [
      roomKey === null ? 'every room' : undefined,
      on || since === null ? undefined : `on for ${Math.round((now - since) / 1000)} s`,
    ].filter((part) => part !== undefined);
    await this.deps.audit.append({
      account: roomKey === null ? EVERY_ACCOUNT : parseRoomKey(roomKey).accountId,
      ...(roomKey === null ? {} : { room: roomKey }),
      action: on ? 'shield.on' : 'shield.off',
      result: 'ok',
      ...(detail.length > 0 ? { detail: detail.join(', ') } : {}),
    });
    const state = this.state();
    this.deps.events.emit('shield.changed', state);
    return state;
  }
}
