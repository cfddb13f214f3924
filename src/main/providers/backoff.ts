/**
 * How long to wait before trying again: the REST retries (`RetryPolicy` in http.ts) and the live
 * connections' reconnects (`ReconnectPolicy`) share one backoff.
 */

/** The first wait and the longest one; each failure in a row doubles the wait up to the longest. */
export interface BackoffPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

/** How a live connection waits between tries to come back; every provider uses the same. */
export type ReconnectPolicy = BackoffPolicy;

/** 1 s, doubling to 30 s, with jitter (`backoffDelay`). */
export const DEFAULT_RECONNECT: ReconnectPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Exponential backoff with "equal jitter": half fixed, half random, capped. */
export function backoffDelay(
  policy: BackoffPolicy,
  failures: number,
  random: () => number,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failures - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}
