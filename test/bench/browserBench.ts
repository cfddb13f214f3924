/**
 * What the browser benchmarks share: Chromium launched for measuring, the deck of the browser host
 * (the production renderer with the real core behind it) on a sandbox process, an in-page probe
 * that records frames, long tasks, `x` key presses and the first painted message, and the clock
 * offsets between this process, the page and the sandbox.
 *
 * Scripts that run in the page are plain JavaScript strings: functions compiled here would carry
 * helpers of the TypeScript loader that do not exist in the page.
 */
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, browserProblem, findChromium } from '../e2e/browser';
import { startHost, type Host, type HostOptions } from '../e2e/host';
import { readdir, readFile } from 'node:fs/promises';
import {
  cpuSeconds,
  json,
  setRates,
  startSandboxProcess,
  type SandboxProcess,
} from './sandboxProcess';
import { sleep } from './stats';

export const CHROMIUM: { part: string; problem: () => string | null } = {
  part: 'Chromium',
  problem: browserProblem,
};

/** Epoch ms with a fraction on this process's clock. */
export function nodeNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * CPU seconds used so far by each of Chromium's renderer processes, by pid (the page's main
 * thread, its compositor and raster threads); null where there is no Linux /proc. Only one
 * benchmark browser runs at a time, so every renderer process on the machine is taken to be its.
 */
export async function rendererCpuSeconds(): Promise<Map<number, number> | null> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return null;
  }
  const byPid = new Map<number, number>();
  for (const pid of entries.filter((entry) => /^\d+$/.test(entry))) {
    const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!command.includes('--type=renderer')) continue;
    const seconds = await cpuSeconds(Number(pid));
    if (seconds !== null) byPid.set(Number(pid), seconds);
  }
  return byPid;
}

/**
 * The CPU seconds renderer processes spent between two readings: each process's own difference
 * (one that started meanwhile counts from zero). A process that ended meanwhile takes its time
 * with it; summing the two readings instead made the figure negative when one did.
 */
export function rendererCpuBetween(
  start: ReadonlyMap<number, number>,
  end: ReadonlyMap<number, number>,
): number {
  let total = 0;
  for (const [pid, seconds] of end) total += Math.max(0, seconds - (start.get(pid) ?? 0));
  return total;
}

/**
 * Chromium as the end-to-end suite launches it, plus `gc()` in pages (to read the heap after a
 * collection) and exact `performance.memory` figures.
 */
export async function launchBenchBrowser(): Promise<Browser> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(browserProblem() ?? 'no Chromium');
  return chromium.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'],
  });
}

/**
 * Installed before the app's own script. `window.__bench` keeps rAF timestamps (while
 * `recording`), long tasks as [start, duration], `x` key presses (when the browser took the key
 * and when the page began handling it) with the focused message id,
 * and the time the first chat message was painted (after the frame that showed it).
 */
export const PROBE_SCRIPT = `(() => {
  const probe = {
    recording: false,
    frames: [],
    longTasks: [],
    keys: [],
    firstMessageSeen: null,
    firstMessagePainted: null,
  };
  Object.defineProperty(window, '__bench', { value: probe });
  const onFrame = (time) => {
    if (probe.recording) probe.frames.push(time);
    requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.longTasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  addEventListener('keydown', (event) => {
    if (event.key !== 'x') return;
    const focused = document.activeElement;
    probe.keys.push({
      at: performance.timeOrigin + event.timeStamp,
      handled: performance.timeOrigin + performance.now(),
      id: focused && focused.getAttribute ? focused.getAttribute('data-message-id') : null,
    });
  }, true);
  const watcher = new MutationObserver(() => {
    if (!document.querySelector('article.row-message')) return;
    watcher.disconnect();
    probe.firstMessageSeen = performance.now();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { probe.firstMessagePainted = performance.now(); };
      channel.port2.postMessage(0);
    });
  });
  watcher.observe(document, { childList: true, subtree: true });
})();`;

export interface ClockOffset {
  /** Add to a time on the other clock to get this process's clock. */
  toNode: number;
  /** Half the shortest round trip: how far off the offset may be. */
  uncertainty: number;
}

/** The offset of a clock read through `read` (epoch ms), from the round trip with least delay. */
export async function clockOffset(read: () => Promise<number>, rounds = 15): Promise<ClockOffset> {
  let best: ClockOffset = { toNode: 0, uncertainty: Infinity };
  for (let round = 0; round < rounds; round += 1) {
    const before = nodeNow();
    const other = await read();
    const after = nodeNow();
    const uncertainty = (after - before) / 2;
    if (uncertainty < best.uncertainty)
      best = { toNode: (before + after) / 2 - other, uncertainty };
  }
  return best;
}

export function pageClock(page: Page): Promise<ClockOffset> {
  return clockOffset(() => page.evaluate<number>('performance.timeOrigin + performance.now()'));
}

export interface DeckSession {
  sandbox: SandboxProcess;
  host: Host;
  browser: Browser;
  page: Page;
  accountId: string;
  roomIds: string[];
  roomKeys: string[];
  /** Sets every room's chatter rate. */
  rate(perSecond: number): Promise<void>;
  close(): Promise<void>;
}

export interface DeckOptions {
  rooms: number;
  /** Chatter per room while the page loads (0: silent until `rate()`). */
  ratePerRoom: number;
  /**
   * Fill main's room buffers before the page opens: main opens the rooms and the sandbox runs at
   * this rate per room for `prefillSeconds`, so the page starts from full snapshots.
   */
  prefill?: { ratePerRoom: number; seconds: number };
  viewport?: { width: number; height: number };
  /** More arguments for the sandbox process (after the deck's own, so they win). */
  sandboxArgs?: readonly string[];
  /** The host's options beyond its sandbox (a kept profile, HTTP adapters), made once it runs. */
  hostOptions?: (sandbox: SandboxProcess) => Promise<Omit<HostOptions, 'sandbox'>>;
  log?: (line: string) => void;
}

/**
 * A sandbox process with `rooms` rooms, the browser host on it with those rooms as its deck's
 * columns, and the deck open in Chromium with every column showing messages.
 */
export async function openDeck(options: DeckOptions): Promise<DeckSession> {
  const log = options.log ?? (() => undefined);
  const sandbox = await startSandboxProcess([
    '--port',
    '0',
    '--rooms',
    String(options.rooms),
    '--rate',
    '0',
    '--bursts',
    'false',
    ...(options.sandboxArgs ?? []),
  ]);
  const cleanups: Array<() => Promise<unknown>> = [() => sandbox.stop()];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const host = await startHost({
      ...(await options.hostOptions?.(sandbox)),
      sandbox: sandbox.ready,
    });
    cleanups.push(() => host.close());
    const record = host.core.accounts.records().find((account) => account.sandbox === true);
    if (!record) throw new Error('the host did not add its sandbox account');
    const accountId = record.id;
    const controlRooms = await json<Array<{ videoRoomId: string; chatRoom: { created: boolean } }>>(
      `${sandbox.ready.control.baseUrl}/__sandbox/rooms`,
    );
    const roomIds = controlRooms
      .filter((room) => room.chatRoom.created)
      .slice(0, options.rooms)
      .map((room) => room.videoRoomId);
    const roomKeys = roomIds.map((roomId) => `${accountId}/${roomId}`);
    const controlList = roomIds.map((videoRoomId) => ({
      videoRoomId,
      channelKey: '',
      chatRoom: { created: true, closed: false },
    }));
    const rate = (perSecond: number) => setRates(sandbox.ready, controlList, perSecond);
    await host.core.settings.set({
      layout: { columns: roomIds.map((roomId) => ({ accountId, roomId })) },
    });

    if (options.prefill) {
      for (const roomId of roomIds) {
        const opened = await host.core.dispatch('rooms.open', { accountId, roomId });
        if (!opened.ok) throw new Error(`room ${roomId}: ${opened.error.message}`);
      }
      await rate(options.prefill.ratePerRoom);
      log(
        `filling main's buffers: ${options.prefill.ratePerRoom}/s per room for ${options.prefill.seconds} s`,
      );
      await sleep(options.prefill.seconds * 1000);
    }
    await rate(options.ratePerRoom);

    const browser = await launchBenchBrowser();
    cleanups.push(() => browser.close());
    const context = await browser.newContext({
      viewport: options.viewport ?? { width: 1920, height: 1080 },
    });
    const page = await context.newPage();
    await page.addInitScript({ content: PROBE_SCRIPT });
    await page.goto(host.url);
    await waitInPage(
      page,
      `document.querySelectorAll('section.column[data-room-key]').length >= ${roomIds.length}`,
      'the deck shows its columns',
    );
    return {
      sandbox,
      host,
      browser,
      page,
      accountId,
      roomIds,
      roomKeys,
      rate,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Polls an expression in the page until it is true. (Playwright's own waitForFunction evaluates
 * strings with `eval` inside the page, which the renderer's CSP rightly forbids.)
 */
export async function waitInPage(
  page: Page,
  expression: string,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = nodeNow() + timeoutMs;
  while (!(await page.evaluate<boolean>(expression))) {
    if (nodeNow() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

/**
 * Waits until every room column in the window shows at least `count` message rows (a column
 * scrolled out of the window shows its rows when it comes back into view).
 */
export function waitForRows(page: Page, count: number, timeoutMs = 30_000): Promise<void> {
  return waitInPage(
    page,
    `(() => {
      const inView = [...document.querySelectorAll('section.column[data-room-key]')].filter(
        (column) => column.getBoundingClientRect().left < window.innerWidth);
      return inView.length > 0 && inView.every(
        (column) => column.querySelectorAll('article.row[data-message-id]').length >= ${count});
    })()`,
    `every column in the window shows ${count} rows`,
    timeoutMs,
  );
}

/**
 * Brings every room column into the window in turn until it shows a row, then goes back to the
 * first: a column out of view renders only when it comes back, so a benchmark that compares the
 * page at two moments starts with every column shown once, as a moderator looking over the deck.
 */
export async function showEveryColumn(page: Page, timeoutMs = 30_000): Promise<void> {
  const count = await page.evaluate<number>(
    `document.querySelectorAll('section.column[data-room-key]').length`,
  );
  for (let index = 0; index < count; index += 1) {
    const column = `document.querySelectorAll('section.column[data-room-key]')[${index}]`;
    await page.evaluate(`${column}.scrollIntoView({ block: 'nearest', inline: 'nearest' })`);
    await waitInPage(
      page,
      `${column}.querySelectorAll('article.row[data-message-id]').length > 0`,
      `column ${index + 1} shows its rows`,
      timeoutMs,
    );
  }
  await page.evaluate(
    `document.querySelector('section.column[data-room-key]').scrollIntoView({ block: 'nearest', inline: 'nearest' })`,
  );
}

/** What the focused element is: a visible chat message that can be hidden, or not. */
const FOCUSED_SCRIPT = `(() => {
  const row = document.activeElement;
  if (!row || !row.matches || !row.matches('article.row')) return null;
  return {
    id: row.getAttribute('data-message-id'),
    hideable: row.matches('.row-message, .row-dm') && row.getAttribute('data-state') === 'visible'
      && !row.hasAttribute('data-pending'),
  };
})()`;

/** How long `focusHideable` looks for a message before it says there is none. */
const SEARCH_MS = 30_000;

/**
 * Moves the focus up (then to the next column) until it rests on a message that can be hidden;
 * gives up with null once `until` (this process's clock) has passed.
 */
export async function focusHideable(
  page: Page,
  until = Number.POSITIVE_INFINITY,
): Promise<string | null> {
  // Bounded by time rather than by presses: on a loaded machine the deck may take seconds to show
  // a row that can be hidden, and 200 quick presses gave up first (a smoke run in CI).
  const giveUpAt = nodeNow() + SEARCH_MS;
  for (let attempt = 0; nodeNow() < Math.min(until, giveUpAt); attempt += 1) {
    const focused = await page.evaluate<{ id: string | null; hideable: boolean } | null>(
      FOCUSED_SCRIPT,
    );
    if (focused?.hideable && focused.id) return focused.id;
    // No row has the focus (the one it was on left the column): `j` puts the cursor back on one.
    if (focused === null) await page.keyboard.press('j');
    // Up the column; now and then to the next column, and now and then back to the newest row
    // (rows that can be hidden come in below while the search goes on).
    else if (attempt % 200 === 199) await page.keyboard.press('End');
    else await page.keyboard.press(attempt % 40 === 39 ? 'l' : 'k');
  }
  if (nodeNow() >= until) return null;
  const seen = await page.evaluate<string>(`(() => {
    const row = document.activeElement;
    const describe = (element) => element ? element.tagName + '.' + element.className + ' state=' + element.getAttribute('data-state') + ' pending=' + element.hasAttribute('data-pending') : 'none';
    const columns = [...document.querySelectorAll('section.column[data-room-key]')].map((column) => column.querySelectorAll('article.row').length + '/' + column.querySelectorAll('article.row.row-message[data-state="visible"]').length);
    return 'focused ' + describe(row) + '; rows per column (all/visible messages) ' + columns.join(' ');
  })()`);
  throw new Error(`found no message to hide: ${seen}`);
}
