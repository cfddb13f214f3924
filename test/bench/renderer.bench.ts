/**
 * `npm run bench -- renderer`: the production renderer in Chromium through the browser host, with
 * 12 room columns at 100 messages/s each for 60 s while a script moves the focus (j, k, h, l) and
 * types. Reports frame times (requestAnimationFrame deltas), long tasks (PerformanceObserver)
 * after the first 2 s, the JS heap after a collection at 30 s and 60 s, the DOM node count, and the
 * CPU Chromium's renderer processes used (Linux).
 *
 * The reference, in the same run and the same page: frame times and CPU of the idle deck (no
 * traffic).
 *
 * By default main's room buffers are filled before the page opens (the sandbox runs at 500/s per
 * room until each holds its 5,000 scrollback), so the page starts from full snapshots and the
 * 30 s → 60 s heap comparison is made with the feeds at their bound. `--prefill false` starts from
 * empty feeds instead; at 100/s a 5,000-line feed then fills only at 50 s.
 *
 * Typing goes into the admin-message composer, opened from the first room's menu before the
 * measurement; should the deck have no text field, the script presses arrow keys in a column menu
 * instead, and says so.
 *
 * The forced collections for the heap readings pause the page; frames and long tasks that overlap
 * them are left out (they are the measurement's, not the app's), and the window ends where the last
 * reading begins.
 *
 * Options: --seconds N (60), --rooms N (12), --rate N per room (100), --prefill true|false,
 * --profile FILE (writes the page's CPU profile of the flood window, a `.cpuprofile` that Chromium's
 * DevTools open, and prints where the main thread's time went), --trace FILE (writes a Chromium
 * trace of the flood window and prints what each task over 50 ms held, see `traceSummary.ts`).
 */
import type { Page } from 'playwright-core';
import {
  CHROMIUM,
  nodeNow,
  openDeck,
  rendererCpuBetween,
  rendererCpuSeconds,
  showEveryColumn,
  waitForRows,
  type DeckSession,
} from './browserBench';
import { writeFile } from 'node:fs/promises';
import { profileSummary, type CpuProfile } from './cpuProfile';
import { summariseTrace, traceLines, TRACE_CATEGORIES } from './traceSummary';
import { quantile, sleep, sorted, whole } from './stats';
import type { BenchContext, BenchResult, Benchmark } from './types';

/** Chromium reports times in steps of 0.1 ms, and vsync jitters: an idle page reads 16.6–16.8. */
const FRAME_TARGET_MS = 17;
const SCROLLBACK = 5_000;

const TEXT_FIELD =
  '.deck textarea, .deck input[type="text"], .deck input[type="search"], .deck input:not([type])';
const COLUMN_MENU = 'section.column[data-room-key] .column-menu button[aria-haspopup="menu"]';

interface PageSample {
  /** Page time around the forced collection. */
  gcStart: number;
  gcEnd: number;
  heapBefore: number;
  heapAfter: number;
  domNodes: number;
  /** Columns not showing their newest: the cursor, the pointer or a scroll holds them. */
  pausedColumns: number;
  columns: number;
}

const SAMPLE_SCRIPT = `(() => {
  const heapBefore = performance.memory.usedJSHeapSize;
  const gcStart = performance.now();
  gc();
  const gcEnd = performance.now();
  return {
    gcStart,
    gcEnd,
    heapBefore,
    heapAfter: performance.memory.usedJSHeapSize,
    domNodes: document.getElementsByTagName('*').length,
    pausedColumns: document.querySelectorAll('section.column .feed[data-paused="true"]').length,
    columns: document.querySelectorAll('section.column').length,
  };
})()`;

/** Starts timing the renderer's CPU; the function it gives ends it, in cores (null without /proc). */
async function cpuWindow(): Promise<() => Promise<number | null>> {
  const startCpu = await rendererCpuSeconds();
  const start = nodeNow();
  return async () => {
    const endCpu = await rendererCpuSeconds();
    if (startCpu === null || endCpu === null) return null;
    return rendererCpuBetween(startCpu, endCpu) / ((nodeNow() - start) / 1000);
  };
}

function pageNow(page: Page): Promise<number> {
  return page.evaluate<number>('performance.now()');
}

/** Frame deltas between `from` and `to` (page time), leaving out those that overlap `pauses`. */
function frameDeltas(
  frames: readonly number[],
  from: number,
  to: number,
  pauses: ReadonlyArray<[number, number]>,
): Float64Array {
  const deltas: number[] = [];
  for (let index = 1; index < frames.length; index += 1) {
    const start = frames[index - 1] as number;
    const end = frames[index] as number;
    if (start < from || end > to) continue;
    if (pauses.some(([pauseStart, pauseEnd]) => start < pauseEnd && end > pauseStart)) continue;
    deltas.push(end - start);
  }
  return sorted(deltas);
}

/** Opens the admin-message composer from the first room's menu, so there is a field to type in. */
async function openComposer(page: Page, log: (line: string) => void): Promise<void> {
  const menu = await page.$(COLUMN_MENU);
  if (!menu) return;
  await menu.click();
  const item = page.getByRole('menuitem', { name: 'Broadcast…' });
  if ((await item.count()) === 0) {
    log('the column menu has no Broadcast item');
    await page.keyboard.press('Escape');
    return;
  }
  await item.click();
  await page.getByRole('dialog', { name: 'Admin message' }).waitFor();
}

/** Moves the focus and types until `until` (this process's clock). */
async function interact(page: Page, until: number, log: (line: string) => void): Promise<void> {
  const field = (await page.$(TEXT_FIELD)) !== null;
  log(
    field
      ? 'typing into the deck’s text field'
      : 'the deck has no text field yet: typing goes to a column menu (arrow keys) instead',
  );
  const moves = ['j', 'j', 'k', 'j', 'l', 'j', 'k', 'k', 'h', 'j', 'l', 'j'];
  const words = 'watching the flood, all good here ';
  let step = 0;
  let column = 0;
  while (nodeNow() < until) {
    for (let index = 0; index < 12 && nodeNow() < until; index += 1) {
      await page.keyboard.press(moves[step % moves.length] as string);
      step += 1;
      await sleep(150);
    }
    if (nodeNow() >= until) break;
    if (field) {
      await page.click(TEXT_FIELD);
      for (const character of words) {
        if (nodeNow() >= until) break;
        await page.keyboard.type(character);
        await sleep(60);
      }
      await page.evaluate('document.activeElement && document.activeElement.blur()');
    } else {
      const menus = await page.$$(COLUMN_MENU);
      const menu = menus[column % Math.max(1, menus.length)];
      column += 1;
      if (menu) {
        await menu.click();
        for (let index = 0; index < 24 && nodeNow() < until; index += 1) {
          await page.keyboard.press(index % 6 < 3 ? 'ArrowDown' : 'ArrowUp');
          await sleep(80);
        }
        await page.keyboard.press('Escape');
      }
    }
    // Out of the columns: a pointer over a column pauses it.
    await page.mouse.move(960, 4);
  }
}

/** Events main's buffers hold for the deck's rooms (the renderer holds the same bound). */
function eventsHeld(deck: DeckSession): number {
  let total = 0;
  for (const roomKey of deck.roomKeys)
    total += deck.host.core.feeds.snapshot(roomKey).events.length;
  return total;
}

async function run(context: BenchContext): Promise<BenchResult[]> {
  const option = (name: string, normal: number, smoke: number) =>
    Number(context.options[name] ?? (context.smoke ? smoke : normal));
  const seconds = option('seconds', 60, 3);
  const rooms = option('rooms', 12, 2);
  const rate = option('rate', 100, 20);
  const referenceSeconds = context.smoke ? 1 : 5;
  const prefill = (context.options['prefill'] ?? (context.smoke ? 'false' : 'true')) === 'true';

  const deck = await openDeck({
    rooms,
    ratePerRoom: prefill ? 0 : rate,
    ...(prefill ? { prefill: { ratePerRoom: 500, seconds: Math.ceil(SCROLLBACK / 450) + 1 } } : {}),
    log: context.log,
  });
  try {
    const { page } = deck;
    context.machine({ chromium: deck.browser.version() });
    await waitForRows(page, 1);
    await showEveryColumn(page);
    await openComposer(page, context.log);
    await deck.rate(0);
    await sleep(1000);
    context.log(`${rooms} columns open, ${whole(eventsHeld(deck))} events held; idle reference`);

    await page.evaluate('window.__bench.recording = true');
    const referenceStart = await pageNow(page);
    const referenceCpu = await cpuWindow();
    await sleep(referenceSeconds * 1000);
    const idleCores = await referenceCpu();
    const referenceEnd = await pageNow(page);

    const profileFile = context.options['profile'];
    const cdp = profileFile ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
      await cdp.send('Profiler.start');
    }
    const traceFile = context.options['trace'];
    if (traceFile) await deck.browser.startTracing(page, { categories: TRACE_CATEGORIES });
    await deck.rate(rate);
    const floodCpu = await cpuWindow();
    const windowStart = await pageNow(page);
    const started = nodeNow();
    context.log(`${rooms} rooms × ${rate}/s for ${seconds} s`);
    const samples: Array<PageSample & { at: number; held: number }> = [];
    const sampler = (async () => {
      for (const at of [seconds / 2, seconds]) {
        await sleep(Math.max(0, started + at * 1000 - nodeNow()));
        const sample = await page.evaluate<PageSample>(SAMPLE_SCRIPT);
        samples.push({ ...sample, at, held: eventsHeld(deck) });
        context.log(
          `${at} s: heap ${(sample.heapAfter / 1048576).toFixed(1)} MB after a collection ` +
            `(${(sample.heapBefore / 1048576).toFixed(1)} MB before), ${whole(sample.domNodes)} DOM ` +
            `nodes, ${whole(samples[samples.length - 1]?.held ?? 0)} events held; the collection ` +
            `began at ${((sample.gcStart - windowStart) / 1000).toFixed(1)} s and took ` +
            `${(sample.gcEnd - sample.gcStart).toFixed(0)} ms; ${sample.pausedColumns} of ` +
            `${sample.columns} columns paused`,
        );
      }
    })();
    await Promise.all([interact(page, started + seconds * 1000, context.log), sampler]);
    // The flood's window ends where its last heap reading begins: what comes after that forced
    // collection (the page catching up on the batches that waited through it) is the reading's.
    const windowEnd = Math.min(
      await pageNow(page),
      samples[samples.length - 1]?.gcStart ?? Number.POSITIVE_INFINITY,
    );
    const floodCores = await floodCpu();
    if (cdp && profileFile) {
      const { profile } = (await cdp.send('Profiler.stop')) as { profile: CpuProfile };
      await writeFile(profileFile, JSON.stringify(profile));
      for (const line of profileSummary(profile)) context.log(line);
      context.log(`CPU profile written to ${profileFile}`);
    }
    if (traceFile) {
      const trace = (await deck.browser.stopTracing()).toString();
      await writeFile(traceFile, trace);
      const summary = summariseTrace(trace, 50, 2000);
      for (const line of summary ? traceLines(summary) : ['trace: no page main thread in it']) {
        context.log(line);
      }
      context.log(`trace written to ${traceFile}`);
    }
    await deck.rate(0);

    const probe = await page.evaluate<{ frames: number[]; longTasks: Array<[number, number]> }>(
      '({ frames: window.__bench.frames, longTasks: window.__bench.longTasks })',
    );
    const pauses = samples.map((sample): [number, number] => [sample.gcStart, sample.gcEnd]);
    const flood = frameDeltas(probe.frames, windowStart, windowEnd, pauses);
    const idle = frameDeltas(probe.frames, referenceStart, referenceEnd, []);
    const late = flood.filter((delta) => delta > FRAME_TARGET_MS).length;
    const longTasks = probe.longTasks.filter(
      ([start, duration]) =>
        start >= windowStart + 2000 &&
        start < windowEnd &&
        !pauses.some(([pauseStart, pauseEnd]) => start < pauseEnd && start + duration > pauseStart),
    );
    const longest = Math.max(0, ...longTasks.map(([, duration]) => duration));
    const first = samples[0] as (typeof samples)[number];
    const last = samples[samples.length - 1] as (typeof samples)[number];
    const p50 = quantile(flood, 0.5);
    const p95 = quantile(flood, 0.95);
    const idleP95 = quantile(idle, 0.95);
    context.log(
      `frames: ${flood.length} under flood (p50 ${p50.toFixed(1)}, p95 ${p95.toFixed(1)} ms, ` +
        `${late} over ${FRAME_TARGET_MS} ms), ${idle.length} idle (p95 ${idleP95.toFixed(1)} ms); ` +
        `long tasks after 2 s: ${
          longTasks
            .map(
              ([start, duration]) =>
                `${duration.toFixed(0)} ms at ${((start - windowStart) / 1000).toFixed(1)} s`,
            )
            .join(', ') || 'none'
        }`,
    );

    const heapGrowth = last.heapAfter / first.heapAfter;
    const cpu: BenchResult[] =
      floodCores !== null && idleCores !== null
        ? [
            {
              metric: 'CPU of Chromium’s renderer processes under flood',
              value: floodCores,
              unit: 'cores',
              reference: { metric: 'idle deck', value: idleCores },
            },
          ]
        : [];
    return [
      {
        metric: 'frame time p50 (rAF delta)',
        value: p50,
        unit: 'ms',
        reference: { metric: 'idle deck', value: quantile(idle, 0.5) },
        ratio: p50 / quantile(idle, 0.5),
      },
      {
        metric: 'frame time p95 (rAF delta)',
        value: p95,
        unit: 'ms',
        reference: { metric: 'idle deck', value: idleP95 },
        ratio: p95 / idleP95,
        target: `≤ 16.7 ms (one 60 Hz frame; judged at ${FRAME_TARGET_MS} for 0.1 ms timer steps)`,
        met: p95 <= FRAME_TARGET_MS,
      },
      {
        metric: `frames over ${FRAME_TARGET_MS} ms (a dropped or late frame)`,
        value: (100 * late) / Math.max(1, flood.length),
        unit: '%',
      },
      {
        metric: 'long tasks over 50 ms after the first 2 s',
        value: longTasks.length,
        unit: 'tasks',
        target: '0',
        met: longTasks.length === 0,
      },
      { metric: 'longest task after the first 2 s', value: longest, unit: 'ms' },
      ...cpu,
      {
        metric: `JS heap at ${last.at} s (after a collection)`,
        value: last.heapAfter / 1048576,
        unit: 'MB',
        reference: { metric: `heap at ${first.at} s`, value: first.heapAfter / 1048576 },
        ratio: heapGrowth,
        target: '≤ 1.10×',
        met: heapGrowth <= 1.1,
      },
      {
        metric: `DOM nodes at ${last.at} s`,
        value: last.domNodes,
        unit: 'nodes',
        reference: {
          metric: `events held (${whole(first.domNodes)} nodes at ${first.at} s)`,
          value: last.held,
        },
        ratio: last.domNodes / Math.max(1, last.held),
        target: 'bounded: not growing with scrollback',
        met: last.domNodes <= first.domNodes * 1.1,
      },
    ];
  } finally {
    await deck.close();
  }
}

const benchmark: Benchmark = {
  name: 'renderer',
  description:
    'frame times, long tasks, heap and DOM size of the deck in Chromium with 12 rooms at 100 msg/s for 60 s',
  requires: CHROMIUM,
  run,
};

export default benchmark;
