/**
 * Waiting without sleeping: re-checks a condition every time the core emits an event, and fails
 * with the condition's description if it does not hold within the deadline.
 */
import type { EventBus } from '../../src/main/events';

export function until(
  events: EventBus,
  condition: () => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const stop = events.subscribe(() => {
      if (!condition()) return;
      clearTimeout(timer);
      stop();
      resolve();
    });
  });
}
