import { describe, expect, it } from 'vitest';
import { largestRise } from './soak.bench';
import type { SoakSample } from './soakWorker';

/** Samples 10 s apart with the given RSS in MB (the rest of the figures do not matter here). */
function samples(rss: number[]): SoakSample[] {
  return rss.map((megabytes, index) => ({
    seconds: (index + 1) * 10,
    rssBytes: megabytes * 1024 * 1024,
    heapUsedBytes: 0,
    heapTotalBytes: 0,
    youngBytes: 0,
    oldBytes: 0,
    oldUsedBytes: 0,
    largeObjectBytes: 0,
    externalBytes: 0,
    majorCollections: 0,
    events: 0,
    buffered: 0,
    pinned: 0,
  }));
}

const rss = (sample: SoakSample) => sample.rssBytes;

describe('the soak’s growth', () => {
  it('is the largest rise from a sample to a later one, not the last against the first', () => {
    // Starts on a transient high, falls, then climbs by 20 % and ends a little lower.
    const rise = largestRise(samples([400, 300, 250, 260, 300, 290]), rss);
    expect(rise.from.seconds).toBe(30);
    expect(rise.to.seconds).toBe(50);
    expect(rise.ratio).toBeCloseTo(1.2);
  });

  it('is 1× when nothing rises', () => {
    const rise = largestRise(samples([300, 280, 280, 250]), rss);
    expect(rise.ratio).toBe(1);
  });
});
