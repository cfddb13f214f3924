/**
 * How many calls to keep in flight at once to one service, learnt from its answers (the hold
 * queue's hides, one REST call each), as TCP learns its window. While calls wait their turn and
 * the service answers about as fast as it ever did, it grows: by one for each answer until it first
 * had to shrink (it doubles a round of calls, so a raid's first second is not spent at the first
 * guess), then by about one a round. It shrinks by a tenth a round while answers slow down, though
 * not below where it started, and by half on a 429 or a 5xx, down to min, which also stops new
 * calls for what a `Retry-After` asked. Slower answers alone are as often main's own thread, busy
 * or waiting for a CPU, as the service: on the 2-vCPU bench machine under a load of 9–13 the
 * limit, cut by latency alone, fell to 8–12 at 200 raid copies a second and left 1,100 hides
 * waiting, where 16 had kept up. Always within [min, max].
 */

export interface LimitBounds {
  initial: number;
  min: number;
  max: number;
}

/**
 * Answers slower than twice the fastest lately, plus this, count as the service slowing down. The
 * slack keeps a fast service's jitter, and main's own event loop delay under a raid (p99 about
 * 55 ms on the 2-vCPU bench machine), from reading as strain.
 */
export const LATENCY_SLACK_MS = 50;
/** Weight of each answer in the recent latency (an exponential moving average). */
const RECENT_WEIGHT = 0.1;
/** How far the fastest time drifts towards each slower answer, so a service slower for good resets it. */
const BASELINE_DRIFT = 0.002;

export class AdaptiveLimit {
  private value: number;
  private baselineMs = Number.POSITIVE_INFINITY;
  private recentMs: number | null = null;
  /** Answers since the limit last went down. */
  private sinceCut = Number.POSITIVE_INFINITY;
  /**
   * The calls in flight when it last went down: until as many answered, answers speak for the old
   * limit, so it neither goes down again nor up.
   */
  private round = 0;
  private resumeAt = 0;
  /** Until the first cut: growing by one an answer rather than one a round. */
  private starting = true;

  constructor(private readonly bounds: LimitBounds) {
    if (!(bounds.min >= 1 && bounds.min <= bounds.initial && bounds.initial <= bounds.max)) {
      throw new RangeError('the bounds must hold 1 ≤ min ≤ initial ≤ max');
    }
    this.value = bounds.initial;
  }

  /** Calls that may be in flight now. */
  get current(): number {
    return Math.floor(this.value);
  }

  /** Until when (epoch ms) no new call should start, as a `Retry-After` asked; 0 when none. */
  get pausedUntil(): number {
    return this.resumeAt;
  }

  /**
   * A call answered in `latencyMs` (its retries included). `waiting`: other calls were waiting
   * for a place, so a higher limit would have sent them sooner.
   */
  answered(latencyMs: number, waiting: boolean): void {
    this.sinceCut += 1;
    this.baselineMs =
      latencyMs < this.baselineMs
        ? latencyMs
        : this.baselineMs + (latencyMs - this.baselineMs) * BASELINE_DRIFT;
    this.recentMs =
      this.recentMs === null
        ? latencyMs
        : this.recentMs + (latencyMs - this.recentMs) * RECENT_WEIGHT;
    if (this.recentMs > this.baselineMs * 2 + LATENCY_SLACK_MS) {
      this.cut(0.9, this.bounds.initial);
      return;
    }
    if (waiting && this.sinceCut >= this.round) {
      this.value = Math.min(this.bounds.max, this.value + (this.starting ? 1 : 1 / this.current));
    }
  }

  /**
   * The service refused a call for now (429) or failed it (5xx), at `now` (epoch ms), perhaps
   * asking to be left alone for `retryAfterMs`.
   */
  strained(now: number, retryAfterMs?: number): void {
    this.sinceCut += 1;
    this.cut(0.5, this.bounds.min);
    if (retryAfterMs !== undefined) this.resumeAt = Math.max(this.resumeAt, now + retryAfterMs);
  }

  /**
   * Lowers the limit by `factor`, not below `floor`, once a round: calls already in flight answer
   * for the old one.
   */
  private cut(factor: number, floor: number): void {
    if (this.sinceCut < this.round || this.value <= floor) return;
    this.round = this.current;
    this.value = Math.max(floor, this.value * factor);
    this.sinceCut = 0;
    this.starting = false;
  }
}
