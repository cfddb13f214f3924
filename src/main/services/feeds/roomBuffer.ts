/**
 * A room's scrollback: the last `capacity` unflagged events in a ring, plus every flagged event
 * pinned beside it, so a flood of ordinary chat never pushes a flagged message out. Events keep
 * their arrival order across both lists.
 *
 * A dozen busy rooms keep about 180,000 events, and every object they are made of is visited by
 * each full collection of the heap; those collections held the feed up for 100–300 ms under a
 * flood (the pipeline benchmark). So an event is kept as itself, with its arrival number in a
 * parallel array rather than in a wrapper, and a pinned event's word-filter spans (an array, its
 * elements and an object per span: three objects or more) as one JSON string beside it.
 */
import {
  isHandled,
  isHeld,
  isPinned,
  PINNED_PER_ROOM,
  type ChatEvent,
  type FlagSpan,
  type Held,
  type MessageState,
} from '../../../shared/chat';
import { NO_FLAGS } from '../../providers/types';

/**
 * Whether the moderator is done with a pinned event: handled (`isHandled`), and not a hidden
 * message waiting in the Held queue for review, which is kept like one still waiting.
 */
function isDone(event: ChatEvent): boolean {
  return isHandled(event) && !isHeld(event);
}

export class RoomBuffer {
  private ring: (ChatEvent | undefined)[];
  private ringSequence: Float64Array;
  private head = 0;
  private size = 0;
  /**
   * Pinned events in arrival order, without their flags (`NO_FLAGS`; their JSON is in
   * `pinnedFlags`), with their arrival numbers. Those before `pinnedHead`, and the empty slots of
   * events let go past the limit, are gone; they are dropped from the lists at the next
   * compaction.
   */
  private pinned: (ChatEvent | undefined)[] = [];
  private pinnedFlags: string[] = [];
  private pinnedSequence: number[] = [];
  private pinnedHead = 0;
  private pinnedCount = 0;
  /**
   * Arrival numbers of pinned events the moderator is done with (`isDone`), oldest first: a binary
   * heap. Events unhidden without being handled, or let go since, are skipped when they come up.
   * Releasing at the limit used to search and splice the whole pinned list for every new flagged
   * event, which at 10,000 pinned events per room took the pipeline from 24,000 msg/s to under
   * 1,000.
   */
  private handled: number[] = [];
  private sequence = 0;
  /**
   * The arrival number of every buffered event by id. Finding an event used to search the ring
   * and then the pinned list: cheap for the moderator's clicks, but automod names the earlier
   * copies of every raid and flood it recognises, most of them gone from a busy room's ring, and
   * the two full searches for each took 5 % of main's time at 20,000 msg/s. With the number, the
   * ring and the pinned list are searched by halves.
   */
  private ids = new Map<string, number>();

  constructor(private capacity: number) {
    this.ring = new Array<ChatEvent | undefined>(capacity);
    this.ringSequence = new Float64Array(capacity);
  }

  get length(): number {
    return this.size + this.pinnedCount;
  }

  has(id: string): boolean {
    return this.ringSlotOf(id) !== -1 || this.pinnedIndexOfId(id) !== -1;
  }

  /**
   * The buffered event with this id: the object itself for an unflagged one, a copy with its
   * flags for a pinned one.
   */
  get(id: string): ChatEvent | undefined {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) return this.ring[slot];
    const index = this.pinnedIndexOfId(id);
    return index === -1 ? undefined : this.pinnedEvent(index);
  }

  /**
   * Who wrote the buffered event with this id and what it says, read in place: `get` copies a
   * pinned event with its flags, which a hide that needs only these (a thousand a second in a
   * raid) does not.
   */
  authorAndText(id: string): Readonly<Pick<ChatEvent, 'user' | 'text'>> | undefined {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) return this.ring[slot];
    const index = this.pinnedIndexOfId(id);
    return index === -1 ? undefined : this.pinned[index];
  }

  /**
   * Keeps an event. A pinned one (flagged, or a DM to the moderator) is kept as a copy without
   * its flags, so the event itself (on its way to the window in a batch) is not changed.
   */
  add(event: ChatEvent): void {
    const sequence = (this.sequence += 1);
    this.ids.set(event.id, sequence);
    if (isPinned(event)) {
      this.pinned.push({ ...event, flags: NO_FLAGS });
      this.pinnedFlags.push(JSON.stringify(event.flags));
      this.pinnedSequence.push(sequence);
      this.pinnedCount += 1;
      // Already handled (kept again by resize): let go of it first, as before.
      if (isDone(event)) this.pushHandled(sequence);
      if (this.pinnedCount > PINNED_PER_ROOM) this.releasePinned();
      return;
    }
    let slot: number;
    if (this.size === this.capacity) {
      slot = this.head;
      this.head = (this.head + 1) % this.capacity;
      this.forget(this.ring[slot], this.ringSequence[slot] as number);
    } else {
      slot = (this.head + this.size) % this.capacity;
      this.size += 1;
    }
    this.ring[slot] = event;
    this.ringSequence[slot] = sequence;
  }

  /** Changes an event's state in place; answers whether the event is buffered. */
  setState(id: string, state: MessageState): boolean {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) {
      (this.ring[slot] as ChatEvent).state = state;
      return true;
    }
    const index = this.pinnedIndexOfId(id);
    if (index === -1) return false;
    const pinned = this.pinned[index] as ChatEvent;
    const wasHandled = isDone(pinned);
    pinned.state = state;
    if (!wasHandled && isDone(pinned)) this.pushHandled(this.pinnedSequence[index] as number);
    return true;
  }

  /**
   * Adds flags to a buffered event (automod recognising a raid or a flood after its first messages
   * came), and the hold of a `hold` rule among them. An unflagged event moves from the ring to the
   * pinned events, in its arrival place, so the flood that follows does not push it out. Returns
   * the event with every flag (a new object), or undefined if it is not buffered.
   */
  addFlags(id: string, added: readonly FlagSpan[], held?: Held): ChatEvent | undefined {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) {
      const kept = this.ring[slot] as ChatEvent;
      const sequence = this.ringSequence[slot] as number;
      this.remove(id);
      const flagged: ChatEvent = {
        ...kept,
        flags: [...kept.flags, ...added],
        ...(held === undefined ? {} : { held }),
      };
      this.insertPinned(flagged, sequence);
      return flagged;
    }
    const index = this.pinnedIndexOfId(id);
    if (index === -1) return undefined;
    const flags = JSON.parse(this.pinnedFlags[index] as string) as FlagSpan[];
    this.pinnedFlags[index] = JSON.stringify([...flags, ...added]);
    if (held !== undefined) this.pinned[index] = { ...(this.pinned[index] as ChatEvent), held };
    return this.pinnedEvent(index);
  }

  /**
   * Marks an event handled in place (see `ChatEvent.handled`); returns the event, or undefined if
   * it is not buffered.
   */
  markHandled(id: string): ChatEvent | undefined {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) {
      const kept = this.ring[slot] as ChatEvent;
      kept.handled = true;
      return kept;
    }
    const index = this.pinnedIndexOfId(id);
    if (index === -1) return undefined;
    const pinned = this.pinned[index] as ChatEvent;
    if (!isDone(pinned)) this.pushHandled(this.pinnedSequence[index] as number);
    pinned.handled = true;
    return this.pinnedEvent(index);
  }

  /**
   * The ids of the flagged events and DMs to the moderator by this user that are not handled yet,
   * and of their held messages waiting for review.
   * A walk over the room's events: asked only when the moderator mutes or exiles someone.
   */
  unhandledBy(userId: string): string[] {
    const ids: string[] = [];
    for (let index = this.pinnedHead; index < this.pinned.length; index += 1) {
      const event = this.pinned[index];
      if (event && event.user?.id === userId && !isDone(event)) ids.push(event.id);
    }
    return ids;
  }

  /**
   * Lets go of one event (one the window could not take); false when it is not buffered. Newer
   * events in the ring move back a slot: rare, so a linear move is fine.
   */
  remove(id: string): boolean {
    const slot = this.ringSlotOf(id);
    if (slot !== -1) {
      const last = this.size - 1;
      for (
        let index = (slot - this.head + this.capacity) % this.capacity;
        index < last;
        index += 1
      ) {
        const to = (this.head + index) % this.capacity;
        const from = (to + 1) % this.capacity;
        this.ring[to] = this.ring[from];
        this.ringSequence[to] = this.ringSequence[from] as number;
      }
      this.ring[(this.head + last) % this.capacity] = undefined;
      this.size = last;
      this.ids.delete(id);
      return true;
    }
    const index = this.pinnedIndexOfId(id);
    if (index === -1) return false;
    this.pinned[index] = undefined;
    this.pinnedCount -= 1;
    this.ids.delete(id);
    return true;
  }

  /** Every buffered event, oldest first. */
  snapshot(): ChatEvent[] {
    const merged: ChatEvent[] = [];
    let a = 0;
    let b = this.pinnedHead;
    const pinnedEnd = this.pinned.length;
    for (;;) {
      while (b < pinnedEnd && this.pinned[b] === undefined) b += 1;
      const slot = (this.head + a) % this.capacity;
      const fromRing = a < this.size ? this.ring[slot] : undefined;
      if (fromRing === undefined && b >= pinnedEnd) return merged;
      if (
        b >= pinnedEnd ||
        (fromRing !== undefined &&
          (this.ringSequence[slot] as number) < (this.pinnedSequence[b] as number))
      ) {
        merged.push(fromRing as ChatEvent);
        a += 1;
      } else {
        merged.push(this.pinnedEvent(b));
        b += 1;
      }
    }
  }

  /** Changes the scrollback size, keeping the newest unflagged events. */
  resize(capacity: number): void {
    this.refill(capacity, this.snapshot());
  }

  /**
   * Puts older events (a room's stored history, oldest first) before the buffered ones; past the
   * capacity the oldest of them are let go first, as if they had arrived first.
   */
  prepend(older: ChatEvent[]): void {
    this.refill(this.capacity, [...older, ...this.snapshot()]);
  }

  private refill(capacity: number, events: ChatEvent[]): void {
    this.capacity = capacity;
    this.ring = new Array<ChatEvent | undefined>(capacity);
    this.ringSequence = new Float64Array(capacity);
    this.head = 0;
    this.size = 0;
    this.pinned = [];
    this.pinnedFlags = [];
    this.pinnedSequence = [];
    this.pinnedHead = 0;
    this.pinnedCount = 0;
    this.handled = [];
    this.ids = new Map();
    for (const event of events) this.add(event);
  }

  /** A pinned event with its flags, as it was added (a new object each time). */
  private pinnedEvent(index: number): ChatEvent {
    const flags = JSON.parse(this.pinnedFlags[index] as string) as ChatEvent['flags'];
    return { ...(this.pinned[index] as ChatEvent), flags };
  }

  /** Where the event with this id is in the ring, or -1. */
  private ringSlotOf(id: string): number {
    const sequence = this.ids.get(id);
    if (sequence === undefined || this.size === 0) return -1;
    // Arrival numbers grow from the head round the ring.
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const slot = (this.head + middle) % this.capacity;
      const found = this.ringSequence[slot] as number;
      if (found === sequence) return this.ring[slot]?.id === id ? slot : -1;
      if (found < sequence) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  private pinnedIndexOfId(id: string): number {
    const sequence = this.ids.get(id);
    if (sequence === undefined) return -1;
    const index = this.pinnedIndexOf(sequence);
    return index !== -1 && this.pinned[index]?.id === id ? index : -1;
  }

  /** Drops a let-go event's id, unless a newer event with the same id took it over. */
  private forget(event: ChatEvent | undefined, sequence: number): void {
    if (event !== undefined && this.ids.get(event.id) === sequence) this.ids.delete(event.id);
  }

  /** Pins an event that arrived earlier than the newest pinned ones, in its arrival place. */
  private insertPinned(event: ChatEvent, sequence: number): void {
    let low = this.pinnedHead;
    let high = this.pinnedSequence.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((this.pinnedSequence[middle] as number) < sequence) low = middle + 1;
      else high = middle;
    }
    this.pinned.splice(low, 0, { ...event, flags: NO_FLAGS });
    this.pinnedFlags.splice(low, 0, JSON.stringify(event.flags));
    this.pinnedSequence.splice(low, 0, sequence);
    this.pinnedCount += 1;
    this.ids.set(event.id, sequence);
    if (isDone(event)) this.pushHandled(sequence);
    if (this.pinnedCount > PINNED_PER_ROOM) this.releasePinned();
  }

  private releasePinned(): void {
    let index = this.popHandled();
    if (index === -1) {
      while (this.pinnedHead < this.pinned.length && this.pinned[this.pinnedHead] === undefined)
        this.pinnedHead += 1;
      index = this.pinnedHead;
      this.pinnedHead += 1;
    }
    if (this.pinned[index] === undefined) return;
    this.forget(this.pinned[index], this.pinnedSequence[index] as number);
    this.pinned[index] = undefined;
    this.pinnedCount -= 1;
    // Let go of what is gone once it is a sixteenth of what is kept: at most about seventeen
    // slots copied per release, and at most a sixteenth more memory than the pinned events (an
    // eighth let the heap swing by about 8 MB over eight full rooms).
    if (this.pinned.length - this.pinnedCount > (this.pinnedCount >> 4) + 64) this.compactPinned();
  }

  private compactPinned(): void {
    let write = 0;
    for (let read = this.pinnedHead; read < this.pinned.length; read += 1) {
      if (this.pinned[read] === undefined) continue;
      this.pinned[write] = this.pinned[read];
      this.pinnedFlags[write] = this.pinnedFlags[read] as string;
      this.pinnedSequence[write] = this.pinnedSequence[read] as number;
      write += 1;
    }
    this.pinned.length = write;
    this.pinnedFlags.length = write;
    this.pinnedSequence.length = write;
    this.pinnedHead = 0;
  }

  /** Where the pinned event with this arrival number is, or -1 when it is gone. */
  private pinnedIndexOf(sequence: number): number {
    let low = this.pinnedHead;
    let high = this.pinnedSequence.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const found = this.pinnedSequence[middle] as number;
      if (found === sequence) return this.pinned[middle] === undefined ? -1 : middle;
      if (found < sequence) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }

  /**
   * The pinned index of the oldest event still acted on, taken off the heap; -1 when there is
   * none.
   */
  private popHandled(): number {
    const heap = this.handled;
    while (heap.length > 0) {
      const top = heap[0] as number;
      const last = heap.pop() as number;
      if (heap.length > 0) {
        heap[0] = last;
        let index = 0;
        for (;;) {
          const left = 2 * index + 1;
          const right = left + 1;
          let smallest = index;
          if (left < heap.length && (heap[left] as number) < (heap[smallest] as number))
            smallest = left;
          if (right < heap.length && (heap[right] as number) < (heap[smallest] as number))
            smallest = right;
          if (smallest === index) break;
          [heap[index], heap[smallest]] = [heap[smallest] as number, heap[index] as number];
          index = smallest;
        }
      }
      const index = this.pinnedIndexOf(top);
      const pinned = index === -1 ? undefined : this.pinned[index];
      if (pinned && isDone(pinned)) return index;
    }
    return -1;
  }

  private pushHandled(sequence: number): void {
    const heap = this.handled;
    heap.push(sequence);
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if ((heap[parent] as number) <= sequence) break;
      heap[index] = heap[parent] as number;
      index = parent;
    }
    heap[index] = sequence;
  }
}
