/**
 * A queue taken from at either end, each step costing the same however long it is.
 * `Array.prototype.shift` moves every element once an array is large (V8 cannot trim the front of
 * an array kept in its large-object space): on a 50,000-element array about 100 µs a shift on the
 * 2-vCPU bench machine, against 0.1 µs on 1,000, and a raid queues tens of thousands of hides.
 */
const COMPACT_AFTER = 1024;

export class Deque<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** The oldest item, left in place; undefined when empty. */
  peek(): T | undefined {
    return this.head < this.items.length ? this.items[this.head] : undefined;
  }

  /** The oldest item, taken off; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head += 1;
    if (this.head === this.items.length) {
      this.clear();
    } else if (this.head >= COMPACT_AFTER && this.head * 2 >= this.items.length) {
      // Copies at most as many items as were taken since the last copy: O(1) a step on average.
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** The newest item, taken off; undefined when empty. */
  pop(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items.pop();
    if (this.head === this.items.length) this.clear();
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
