/**
 * `npm run bench -- action-latency`: in the browser host, the time from the moderator pressing `x`
 * on a focused message to the hide request reaching the sandbox, over 200 hides while 8 rooms
 * stream at 50 messages/s each. The path: keydown in Chromium → the deck's store → the bridge
 * (the host's stand-in for Electron IPC) → the core's handler → the FlipFlop REST client → the
 * sandbox, whose request log (`GET /__sandbox/requests`) says when each request arrived.
 *
 * The key press is timed by the page (`event.timeStamp`), the arrival by the sandbox process; both
 * clocks are put on this process's clock by the round trip with least delay, and the uncertainty
 * of that is logged. The reference, in the same run: the same hide asked of the core directly (no
 * renderer, no bridge), timed from the call to the arrival at the sandbox.
 *
 * Options: --hides N (200), --rooms N (8), --rate N per room (50).
 */
import {
  CHROMIUM,
  clockOffset,
  focusHideable,
  nodeNow,
  openDeck,
  pageClock,
  waitForRows,
  type DeckSession,
} from './browserBench';
import { json } from './sandboxProcess';
import { quantile, sleep, sorted } from './stats';
import type { BenchContext, BenchResult, Benchmark } from './types';

interface RequestLog {
  now: number;
  requests: Array<{ method: string; path: string; receivedAt: number }>;
}

interface KeyPress {
  /** When the browser took the key (the event's time stamp), page clock. */
  at: number;
  /** When the page began handling it (the first keydown listener), page clock. */
  handled: number;
  id: string | null;
}

const HIDE_PATH = /\/messages\/([^/]+)\/hide$/;

function requestLog(deck: DeckSession): Promise<RequestLog> {
  return json<RequestLog>(`${deck.sandbox.ready.control.baseUrl}/__sandbox/requests`);
}

/** Arrival times of hide requests by message id, on the sandbox's clock. */
async function hideArrivals(deck: DeckSession): Promise<Map<string, number>> {
  const arrivals = new Map<string, number>();
  for (const request of (await requestLog(deck)).requests) {
    const id = HIDE_PATH.exec(request.path)?.[1];
    if (request.method === 'POST' && id !== undefined && !arrivals.has(id)) {
      arrivals.set(id, request.receivedAt);
    }
  }
  return arrivals;
}

async function run(context: BenchContext): Promise<BenchResult[]> {
  const option = (name: string, normal: number, smoke: number) =>
    Number(context.options[name] ?? (context.smoke ? smoke : normal));
  const hides = option('hides', 200, 5);
  const rooms = option('rooms', 8, 2);
  const rate = option('rate', 50, 20);
  const referenceHides = context.smoke ? 3 : 50;

  const deck = await openDeck({ rooms, ratePerRoom: rate, log: context.log });
  try {
    const { page } = deck;
    context.machine({ chromium: deck.browser.version() });
    await waitForRows(page, 5);
    // History for the cursor to walk up through: it passes one or two events (joins and leaves,
    // already hidden ones) for each hide, and the first room freezes when the cursor enters it.
    const firstRoom = deck.roomKeys[0] as string;
    const history = hides * 3;
    const deadline = nodeNow() + 60_000;
    while (deck.host.core.feeds.snapshot(firstRoom).events.length < history) {
      if (nodeNow() > deadline) throw new Error(`the first room did not reach ${history} events`);
      await sleep(100);
    }
    const pageOffset = await pageClock(page);
    const sandboxOffset = await clockOffset(async () => (await requestLog(deck)).now);
    context.log(
      `${rooms} rooms × ${rate}/s; clock offsets: page ${pageOffset.toNode.toFixed(2)} ± ` +
        `${pageOffset.uncertainty.toFixed(2)} ms, sandbox ${sandboxOffset.toNode.toFixed(2)} ± ` +
        `${sandboxOffset.uncertainty.toFixed(2)} ms`,
    );

    // The cursor starts on the newest message of the first room column; that column then holds
    // still (a focused column is paused) while the others keep streaming.
    await page.keyboard.press('j');
    const hidden: string[] = [];
    for (let index = 0; index < hides; index += 1) {
      const id = (await focusHideable(page)) as string;
      await page.keyboard.press('x');
      hidden.push(id);
      // Wait for the answer (the row settles as hidden) before the next one, as a person would.
      const deadline = nodeNow() + 10_000;
      while (
        !(await page.evaluate<boolean>(
          `!!document.querySelector('article[data-message-id="${id}"][data-state="hidden"]:not([data-pending])')`,
        ))
      ) {
        if (nodeNow() > deadline) throw new Error(`message ${id} did not settle as hidden`);
        await sleep(5);
      }
      await sleep(context.smoke ? 20 : 100);
      await page.keyboard.press('k');
    }

    const presses = await page.evaluate<KeyPress[]>('window.__bench.keys');
    const arrivals = await hideArrivals(deck);
    const latencies: number[] = [];
    // The same latency in two parts: waiting for the page's main thread, and the rest.
    const waited: number[] = [];
    const onward: number[] = [];
    for (const press of presses) {
      const arrived = press.id === null ? undefined : arrivals.get(press.id);
      if (arrived === undefined) continue;
      latencies.push(arrived + sandboxOffset.toNode - (press.at + pageOffset.toNode));
      waited.push(press.handled - press.at);
      onward.push(arrived + sandboxOffset.toNode - (press.handled + pageOffset.toNode));
    }
    if (latencies.length < hidden.length) {
      throw new Error(`matched ${latencies.length} of ${hidden.length} hides to their requests`);
    }

    // The reference: the same action asked of the core directly.
    const direct: number[] = [];
    const roomKey = deck.roomKeys[deck.roomKeys.length - 1] as string;
    const candidates = deck.host.core.feeds
      .snapshot(roomKey)
      .events.filter((event) => event.kind === 'message' && event.state === 'visible')
      .slice(-referenceHides);
    for (const event of candidates) {
      const asked = nodeNow();
      const result = await deck.host.core.dispatch('messages.hide', {
        roomKey,
        messageId: event.messageId,
      });
      if (!result.ok) throw new Error(`direct hide failed: ${result.error.message}`);
      const arrived = (await hideArrivals(deck)).get(event.messageId ?? '');
      if (arrived !== undefined) direct.push(arrived + sandboxOffset.toNode - asked);
      await sleep(context.smoke ? 20 : 100);
    }

    const keyed = sorted(latencies);
    const reference = sorted(direct);
    const queued = sorted(waited);
    const rest = sorted(onward);
    const p50 = quantile(keyed, 0.5);
    const p99 = quantile(keyed, 0.99);
    context.log(
      `${keyed.length} hides: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms, max ` +
        `${quantile(keyed, 1).toFixed(1)} ms; core alone (${reference.length}): p50 ` +
        `${quantile(reference, 0.5).toFixed(1)} ms, p99 ${quantile(reference, 0.99).toFixed(1)} ms`,
    );
    context.log(
      `  of which waiting for the page's main thread: p50 ${quantile(queued, 0.5).toFixed(1)} ms, ` +
        `p99 ${quantile(queued, 0.99).toFixed(1)} ms; from the page's handler on: p50 ` +
        `${quantile(rest, 0.5).toFixed(1)} ms, p99 ${quantile(rest, 0.99).toFixed(1)} ms`,
    );
    return [
      {
        metric: `x → hide request at the sandbox, p50 (${keyed.length} hides)`,
        value: p50,
        unit: 'ms',
        reference: { metric: 'core alone, p50', value: quantile(reference, 0.5) },
        ratio: p50 / quantile(reference, 0.5),
      },
      {
        metric: `x → hide request at the sandbox, p99 (${keyed.length} hides)`,
        value: p99,
        unit: 'ms',
        reference: { metric: 'core alone, p99', value: quantile(reference, 0.99) },
        ratio: p99 / quantile(reference, 0.99),
        target: '≤ 50 ms',
        met: p99 <= 50,
      },
      {
        metric: 'of which waiting for the page’s main thread, p99',
        value: quantile(queued, 0.99),
        unit: 'ms',
      },
      {
        metric: 'of which from the page’s key handler to the sandbox, p99',
        value: quantile(rest, 0.99),
        unit: 'ms',
      },
      {
        metric: 'clock alignment uncertainty (page + sandbox)',
        value: pageOffset.uncertainty + sandboxOffset.uncertainty,
        unit: 'ms',
      },
    ];
  } finally {
    await deck.close();
  }
}

const benchmark: Benchmark = {
  name: 'action-latency',
  description:
    'x pressed in the deck → the hide request reaching the sandbox, over 200 hides with 8 rooms at 50 msg/s',
  requires: CHROMIUM,
  run,
};

export default benchmark;
