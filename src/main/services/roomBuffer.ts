/**
 * A room's scrollback: the last `capacity` unflagged events in a ring, plus every flagged event
 * pinned beside it, so a flood of ordinary chat never pushes a flagged message out. Events keep
 * their arrival order across both lists.
 */
import type { ChatEvent, MessageState } from '../../shared/chat';

interface Entry {
  event: ChatEvent;
  sequence: number;
}

/** Pinned events beyond this many per room release the oldest already acted on, then the oldest. */
export const PINNED_LIMIT = 10_000;

export class RoomBuffer {
  private ring: (Entry | undefined)[];
  private head = 0;
  private size = 0;
  private pinned: Entry[] = [];
  private readonly byId = new Map<string, Entry>();
  private sequence = 0;

  constructor(private capacity: number) {
    this.ring = new Array<Entry | undefined>(capacity);
  }

  get length(): number {
    return this.size + this.pinned.length;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  get(id: string): ChatEvent | undefined {
    return this.byId.get(id)?.event;
  }

  add(event: ChatEvent): void {
    const entry: Entry = { event, sequence: (this.sequence += 1) };
    this.byId.set(event.id, entry);
    if (event.flags.length > 0) {
      this.pinned.push(entry);
      if (this.pinned.length > PINNED_LIMIT) this.releasePinned();
      return;
    }
    if (this.size === this.capacity) {
      const oldest = this.ring[this.head];
      if (oldest) this.byId.delete(oldest.event.id);
      this.ring[this.head] = entry;
      this.head = (this.head + 1) % this.capacity;
      return;
    }
    this.ring[(this.head + this.size) % this.capacity] = entry;
    this.size += 1;
  }

  /** Changes an event's state in place; returns the event, or undefined if it is not buffered. */
  setState(id: string, state: MessageState): ChatEvent | undefined {
    const entry = this.byId.get(id);
    if (!entry) return undefined;
    entry.event = { ...entry.event, state };
    return entry.event;
  }

  /** Every buffered event, oldest first. */
  snapshot(): ChatEvent[] {
    const ringEntries: Entry[] = [];
    for (let index = 0; index < this.size; index += 1) {
      const entry = this.ring[(this.head + index) % this.capacity];
      if (entry) ringEntries.push(entry);
    }
    const merged: ChatEvent[] = [];
    let a = 0;
    let b = 0;
    while (a < ringEntries.length || b < this.pinned.length) {
      const fromRing = ringEntries[a];
      const fromPinned = this.pinned[b];
      if (
        fromPinned === undefined ||
        (fromRing !== undefined && fromRing.sequence < fromPinned.sequence)
      ) {
        if (fromRing) merged.push(fromRing.event);
        a += 1;
      } else {
        merged.push(fromPinned.event);
        b += 1;
      }
    }
    return merged;
  }

  /** Changes the scrollback size, keeping the newest unflagged events. */
  resize(capacity: number): void {
    const events = this.snapshot();
    this.capacity = capacity;
    this.ring = new Array<Entry | undefined>(capacity);
    this.head = 0;
    this.size = 0;
    this.pinned = [];
    this.byId.clear();
    for (const event of events) this.add(event);
  }

  private releasePinned(): void {
    const handled = this.pinned.findIndex((entry) => entry.event.state !== 'visible');
    const [released] = this.pinned.splice(handled === -1 ? 0 : handled, 1);
    if (released) this.byId.delete(released.event.id);
  }
}
