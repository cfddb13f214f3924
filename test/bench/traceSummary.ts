/**
 * What a page's long tasks were made of, from a Chromium trace (the JSON `browser.stopTracing()`
 * gives): each task over a threshold on the page's main thread, with the work inside it that took
 * longest (a frame's animation callbacks, layout, paint, garbage collection), and how each full
 * collection of the trace was started: from V8's own task, or inside whatever script ran when its
 * task had waited too long (`V8.GCHandleGCRequest`).
 */

/** The categories `summariseTrace` reads. */
export const TRACE_CATEGORIES = [
  'toplevel',
  'v8',
  'v8.gc',
  'disabled-by-default-v8.gc',
  'devtools.timeline',
];

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; src_file?: string; src_func?: string };
}

/** Work inside a task worth naming: what a frame, a script or a collection spent. */
const PARTS = new Set([
  'FireAnimationFrame',
  'EventDispatch',
  'FunctionCall',
  'TimerFire',
  'Layout',
  'UpdateLayoutTree',
  'Paint',
  'PrePaint',
  'Layerize',
  'V8.GC_MARK_COMPACTOR',
  'V8.GC_SCAVENGER',
  'V8.GCIncrementalMarking',
  'V8.GCHandleGCRequest',
]);

export interface TraceSummary {
  /** Tasks over the threshold: when (ms from the trace's first task), how long, what inside. */
  longTasks: Array<{ atMs: number; durationMs: number; source: string; parts: string }>;
  /** Full collections: their pauses in ms, and how many ran inside other work (stack guard). */
  fullCollections: { pausesMs: number[]; insideOtherWork: number };
  mainThreadBusyMs: number;
  spanMs: number;
}

function taskSource(task: TraceEvent): string {
  const file = task.args?.src_file?.split('/').pop() ?? '?';
  return `${file}:${task.args?.src_func ?? ''}`;
}

/**
 * `fromMs` skips the trace's first milliseconds (a benchmark's warm-up) when listing long tasks.
 */
export function summariseTrace(
  traceJson: string,
  thresholdMs = 50,
  fromMs = 0,
): TraceSummary | null {
  const { traceEvents } = JSON.parse(traceJson) as { traceEvents: TraceEvent[] };
  const thread = traceEvents.find(
    (event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain',
  );
  if (!thread) return null;
  const events = traceEvents
    .filter(
      (event) =>
        event.pid === thread.pid &&
        event.tid === thread.tid &&
        event.ph === 'X' &&
        event.dur !== undefined,
    )
    .sort((a, b) => a.ts - b.ts);
  const tasks = events.filter((event) => event.name === 'ThreadControllerImpl::RunTask');
  const first = tasks[0];
  const last = tasks[tasks.length - 1];
  if (!first || !last) return null;
  const origin = first.ts;

  const longTasks: TraceSummary['longTasks'] = [];
  let cursor = 0;
  for (const task of tasks) {
    const duration = (task.dur ?? 0) / 1000;
    if (duration <= thresholdMs || (task.ts - origin) / 1000 < fromMs) continue;
    const end = task.ts + (task.dur ?? 0);
    while (cursor < events.length && (events[cursor] as TraceEvent).ts < task.ts) cursor += 1;
    const parts = new Map<string, number>();
    for (let index = cursor; index < events.length; index += 1) {
      const event = events[index] as TraceEvent;
      if (event.ts >= end) break;
      if (!PARTS.has(event.name)) continue;
      parts.set(event.name, (parts.get(event.name) ?? 0) + (event.dur ?? 0) / 1000);
    }
    longTasks.push({
      atMs: (task.ts - origin) / 1000,
      durationMs: duration,
      source: taskSource(task),
      parts: [...parts]
        .filter(([, ms]) => ms >= 1)
        .sort((a, b) => b[1] - a[1])
        .map(([name, ms]) => `${name} ${ms.toFixed(1)}`)
        .join(', '),
    });
  }

  return {
    longTasks,
    fullCollections: {
      pausesMs: events
        .filter((event) => event.name === 'V8.GC_MARK_COMPACTOR')
        .map((event) => (event.dur ?? 0) / 1000),
      insideOtherWork: events.filter((event) => event.name === 'V8.GCHandleGCRequest').length,
    },
    mainThreadBusyMs: tasks.reduce((sum, task) => sum + (task.dur ?? 0), 0) / 1000,
    spanMs: (last.ts + (last.dur ?? 0) - origin) / 1000,
  };
}

/** Lines for a human. */
export function traceLines(summary: TraceSummary): string[] {
  const { pausesMs, insideOtherWork } = summary.fullCollections;
  const lines = [
    `trace: main thread busy ${(summary.mainThreadBusyMs / 1000).toFixed(1)} s of ` +
      `${(summary.spanMs / 1000).toFixed(1)} s; ${pausesMs.length} full collections ` +
      `(pauses ${pausesMs.map((ms) => ms.toFixed(0)).join(', ') || '–'} ms), ` +
      `${insideOtherWork} of them inside other work`,
  ];
  for (const task of summary.longTasks) {
    lines.push(
      `  ${task.durationMs.toFixed(0)} ms task at ${(task.atMs / 1000).toFixed(1)} s ` +
        `(${task.source}): ${task.parts || 'nothing named inside'}`,
    );
  }
  return lines;
}
