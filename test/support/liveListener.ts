import type { LiveListener } from '../../src/main/providers/types';
import type { ConnectionState } from '../../src/shared/chat';

/**
 * A live feed's listener for tests: it notes the gaps reported, and `reaches(state)` waits for the
 * next status report of that state (ask before it can happen).
 */
export function recordingListener() {
  const gaps: Array<{ from: number; to: number }> = [];
  const waiting: Array<{ state: ConnectionState; resolve: () => void }> = [];
  const listener: LiveListener = {
    frame: () => undefined,
    status: (state) => {
      for (const waiter of waiting.filter((entry) => entry.state === state)) waiter.resolve();
    },
    gap: (from, to) => gaps.push({ from, to }),
  };
  const reaches = (state: ConnectionState) =>
    new Promise<void>((resolve) => waiting.push({ state, resolve }));
  return { listener, gaps, reaches };
}
