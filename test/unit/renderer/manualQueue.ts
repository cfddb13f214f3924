/**
 * Frames and timers for scheduler tests: what a scheduler asks for waits in a queue until the test
 * takes it out and runs it.
 */
export function manualQueue<Item>() {
  let items: Item[] = [];
  return {
    /** Queues one item; the function returned cancels it. */
    add(item: Item): () => void {
      items.push(item);
      return () => {
        items = items.filter((pending) => pending !== item);
      };
    },
    /** Every item waiting now, leaving the queue empty (items added while they run wait again). */
    take(): Item[] {
      const due = items;
      items = [];
      return due;
    },
    waiting(): readonly Item[] {
      return items;
    },
  };
}
