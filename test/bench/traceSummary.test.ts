import { describe, expect, it } from 'vitest';
import { summariseTrace, traceLines } from './traceSummary';

const MAIN = { pid: 7, tid: 1 };
const OTHER_THREAD = { pid: 7, tid: 2 };

/** A complete event ('X') on the page's main thread, times in ms from the trace's start. */
function span(name: string, atMs: number, durationMs: number, args?: object) {
  return { name, ph: 'X', ts: atMs * 1000, dur: durationMs * 1000, ...MAIN, args };
}

function task(atMs: number, durationMs: number, file: string) {
  return span('ThreadControllerImpl::RunTask', atMs, durationMs, {
    src_file: `third_party/blink/${file}`,
    src_func: 'Run',
  });
}

function trace(events: object[]): string {
  return JSON.stringify({
    traceEvents: [
      { name: 'thread_name', ph: 'M', ts: 0, ...MAIN, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', ts: 0, ...OTHER_THREAD, args: { name: 'Compositor' } },
      ...events,
    ],
  });
}

describe('the trace summary', () => {
  it('names what the long tasks on the page’s main thread held, and how each full collection ran', () => {
    const summary = summariseTrace(
      trace([
        task(0, 10, 'scheduler.cc'),
        // A frame with a full collection inside: V8's own task had waited too long.
        task(3000, 60, 'proxy_impl.cc'),
        span('FireAnimationFrame', 3001, 50),
        span('V8.GCHandleGCRequest', 3010, 30),
        span('V8.GC_MARK_COMPACTOR', 3010, 29.5),
        span('Layout', 3052, 6),
        span('Paint', 3058, 0.5),
        // A full collection in V8's own task: long, but nothing else inside.
        task(4000, 55, 'incremental-marking-job.cc'),
        span('V8.GC_MARK_COMPACTOR', 4001, 53),
        // Within the warm-up the caller skips.
        task(500, 80, 'proxy_impl.cc'),
        // Under the threshold.
        task(5000, 45, 'proxy_impl.cc'),
        // Another thread's work is not the page's.
        { ...task(3100, 200, 'compositor.cc'), ...OTHER_THREAD },
      ]),
      50,
      1000,
    );
    expect(summary).not.toBeNull();
    if (!summary) return;
    expect(summary.longTasks.map((each) => [each.atMs, each.durationMs])).toEqual([
      [3000, 60],
      [4000, 55],
    ]);
    expect(summary.longTasks[0]?.source).toBe('proxy_impl.cc:Run');
    expect(summary.longTasks[0]?.parts).toBe(
      'FireAnimationFrame 50.0, V8.GCHandleGCRequest 30.0, V8.GC_MARK_COMPACTOR 29.5, Layout 6.0',
    );
    expect(summary.longTasks[1]?.parts).toBe('V8.GC_MARK_COMPACTOR 53.0');
    expect(summary.fullCollections).toEqual({ pausesMs: [29.5, 53], insideOtherWork: 1 });
    expect(summary.mainThreadBusyMs).toBe(10 + 60 + 55 + 80 + 45);
    expect(summary.spanMs).toBe(5045);
    expect(traceLines(summary)[0]).toBe(
      'trace: main thread busy 0.3 s of 5.0 s; 2 full collections (pauses 30, 53 ms), 1 of them inside other work',
    );
  });

  it('says so when the trace has no page main thread', () => {
    expect(summariseTrace(JSON.stringify({ traceEvents: [] }))).toBeNull();
  });
});
