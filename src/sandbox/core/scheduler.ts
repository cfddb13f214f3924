/**
 * Paces every room's chatter with one timer for the whole sandbox. Each tick gives each source
 * credit for the time that passed at its rate and lets it produce that many events, so a rate of
 * 2,000 per second costs 40 events per 20 ms tick rather than 2,000 timers.
 */
import { performance } from 'node:perf_hooks';

export interface ChatterSource {
  /** Events per second wanted now; 0 (or a closed room) keeps the source silent. */
  ratePerSecond(): number;
  /**
   * Produces the next event. Answers false when that event was extra to the rate (part of a
   * burst), so the scheduler asks again without spending credit.
   */
  step(): boolean;
}

interface Pacing {
  rate: number;
  credit: number;
}

const DEFAULT_TICK_MS = 20;
/** A source that fell behind by more than a second of events skips the rest rather than flood. */
const MAX_BACKLOG_SECONDS = 1;
/** Guards against a source that only ever answers "extra". */
const MAX_EXTRA_PER_STEP = 1000;

export class ChatterScheduler {
  private readonly sources = new Map<ChatterSource, Pacing>();
  private timer: NodeJS.Timeout | null = null;
  private lastTick = 0;

  constructor(private readonly tickMs = DEFAULT_TICK_MS) {}

  add(source: ChatterSource): void {
    this.sources.set(source, { rate: source.ratePerSecond(), credit: 0 });
  }

  remove(source: ChatterSource): void {
    this.sources.delete(source);
  }

  clear(): void {
    this.sources.clear();
  }

  start(): void {
    if (this.timer !== null) return;
    this.lastTick = performance.now();
    this.timer = setInterval(() => this.tick(), this.tickMs);
  }

  stop(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
  }

  private tick(): void {
    const now = performance.now();
    const elapsedSeconds = (now - this.lastTick) / 1000;
    this.lastTick = now;
    for (const [source, pacing] of this.sources) {
      const rate = source.ratePerSecond();
      if (rate !== pacing.rate) {
        // A new rate starts from now, without credit earned at the old one.
        pacing.rate = rate;
        pacing.credit = 0;
        continue;
      }
      if (rate <= 0) continue;
      pacing.credit = Math.min(
        pacing.credit + elapsedSeconds * rate,
        Math.max(rate * MAX_BACKLOG_SECONDS, 1),
      );
      let due = Math.floor(pacing.credit);
      pacing.credit -= due;
      while (due > 0) {
        let extra = 0;
        while (!source.step() && extra < MAX_EXTRA_PER_STEP) extra += 1;
        due -= 1;
      }
    }
  }
}
