/** Messages per second over the last ten seconds, in one-second buckets. */
const BUCKETS = 10;

export class RateMeter {
  private readonly counts = new Array<number>(BUCKETS).fill(0);
  private currentSecond = 0;

  count(nowMs: number, amount = 1): void {
    this.advance(nowMs);
    const slot = this.currentSecond % BUCKETS;
    this.counts[slot] = (this.counts[slot] ?? 0) + amount;
  }

  rate(nowMs: number): number {
    this.advance(nowMs);
    let total = 0;
    for (const count of this.counts) total += count;
    return total / BUCKETS;
  }

  private advance(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second <= this.currentSecond) return;
    const steps = Math.min(second - this.currentSecond, BUCKETS);
    for (let step = 1; step <= steps; step += 1) {
      this.counts[(this.currentSecond + step) % BUCKETS] = 0;
    }
    this.currentSecond = second;
  }
}
