/**
 * Runs `work` on every item, at most `limit` at a time, in the items' order; resolves when every
 * one has settled. Many messages acted on at once (a collapsed run's copies, the Held column's
 * selection) go through it, so the service and the moderator's other actions see a few at a time.
 * `work` is expected to report its own failures: one that throws stops only its own item.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      try {
        await work(item);
      } catch {
        // Reported by `work`; the others go on.
      }
    }
  }
  const workers = Math.min(Math.max(1, limit), items.length);
  await Promise.all(Array.from({ length: workers }, worker));
}
