/**
 * How long a held message is visible to the room: from the frame's receipt in main to the
 * provider's answer that it is hidden (the hold's exposure), and from receipt to the hide request
 * leaving main. The pipeline's core on a sandbox process, 12 rooms streaming, the sandbox's starter
 * words as `hold` rules (its chatters use them in a share of their lines, plainly and disguised),
 * with the sandbox adding no latency to REST calls and then `latencyMs`.
 *
 * Receipt is the event's `receivedAt` (main's clock as the frame was read, whole milliseconds); the
 * request's start and its answer are taken around the HTTP client's sender, the last step in main
 * before the socket.
 */
import { sendWithUndici, type HttpSend } from '../../src/main/providers/http';
import type { ChatEvent } from '../../src/shared/chat';
import type { Rule } from '../../src/shared/model';
import { benchRules, startPipeline } from './pipelineCore';
import { json, liveRooms, setRates, type SandboxReady } from './sandboxProcess';
import { startPipelineSandbox } from './pipelineWindow';
import { quantile, sleep, sorted } from './stats';
import type { BenchResult } from './types';

export interface ExposureOptions {
  rooms: number;
  /** Messages a second per room. */
  ratePerRoom: number;
  seconds: number;
  /** Milliseconds the sandbox adds to each REST call, one run each. */
  latencies: readonly number[];
  /** Share of chat lines with a forbidden word (held). */
  forbiddenShare: number;
  log: (line: string) => void;
}

interface Timed {
  receivedAt?: number;
  sentAt?: number;
  answeredAt?: number;
}

const HIDE_PATH = /\/messages\/([^/]+)\/hide$/;

function now(): number {
  return performance.timeOrigin + performance.now();
}

/** The starter rules, every one holding what it matches. */
function holdRules(): Rule[] {
  return benchRules(0).map((rule) => ({ ...rule, action: 'hold' as const }));
}

async function oneRun(
  ready: SandboxReady,
  options: ExposureOptions,
  latencyMs: number,
): Promise<BenchResult[]> {
  const timed = new Map<string, Timed>();
  const entry = (messageId: string): Timed => {
    let found = timed.get(messageId);
    if (!found) {
      found = {};
      timed.set(messageId, found);
    }
    return found;
  };
  const measuring = { on: false };
  const sendWithTimes: HttpSend = async (request, signal) => {
    const hide = request.method === 'POST' ? HIDE_PATH.exec(new URL(request.url).pathname) : null;
    if (!hide || !measuring.on) return sendWithUndici(request, signal);
    const times = entry(hide[1]!);
    times.sentAt = now();
    const answer = await sendWithUndici(request, signal);
    times.answeredAt = now();
    return answer;
  };
  const rooms = (await liveRooms(ready)).slice(0, options.rooms);
  const pipeline = await startPipeline({
    ready,
    roomIds: rooms.map((room) => room.videoRoomId),
    rules: holdRules(),
    http: { send: sendWithTimes },
  });
  try {
    pipeline.onBatch = (events: readonly ChatEvent[]) => {
      if (!measuring.on) return;
      for (const event of events) {
        if (event.held !== undefined && event.messageId !== null) {
          entry(event.messageId).receivedAt = event.receivedAt;
        }
      }
    };
    await json(`${ready.control.baseUrl}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ latencyMs }),
    });
    await setRates(ready, rooms, options.ratePerRoom);
    await sleep(1000);
    measuring.on = true;
    await sleep(options.seconds * 1000);
    measuring.on = false;
    await setRates(ready, rooms, 0);
    // The last hides answer.
    await sleep(500 + latencyMs * 4);
  } finally {
    await pipeline.close();
    await json(`${ready.control.baseUrl}/__sandbox/faults`, { method: 'DELETE' }).catch(
      () => undefined,
    );
  }
  const exposure: number[] = [];
  const leaving: number[] = [];
  const calls: number[] = [];
  let unanswered = 0;
  for (const times of timed.values()) {
    if (times.receivedAt === undefined || times.sentAt === undefined) continue;
    leaving.push(times.sentAt - times.receivedAt);
    if (times.answeredAt === undefined) unanswered += 1;
    else {
      exposure.push(times.answeredAt - times.receivedAt);
      calls.push(times.answeredAt - times.sentAt);
    }
  }
  const exposed = sorted(exposure);
  const left = sorted(leaving);
  const call = quantile(sorted(calls), 0.5);
  const label = latencyMs === 0 ? 'no added latency' : `+${latencyMs} ms a call`;
  options.log(
    `  exposure, ${label}: ${exposed.length} holds (${unanswered} unanswered), ` +
      `p50 ${quantile(exposed, 0.5).toFixed(1)} ms, p99 ${quantile(exposed, 0.99).toFixed(1)} ms; ` +
      `request left after p50 ${quantile(left, 0.5).toFixed(1)} ms, p99 ${quantile(left, 0.99).toFixed(1)} ms`,
  );
  const rows: BenchResult[] = [
    {
      metric: `hold exposure p50, ${label} (frame receipt → hide answered)`,
      value: quantile(exposed, 0.5),
      unit: 'ms',
      // What the service takes: the hide call alone, from its sending to its answer.
      reference: { metric: 'the hide call alone, p50', value: call },
    },
    {
      metric: `hold exposure p99, ${label}`,
      value: quantile(exposed, 0.99),
      unit: 'ms',
      ...(latencyMs === 0 ? { target: '≤ 100', met: quantile(exposed, 0.99) <= 100 } : {}),
    },
    {
      metric: `hide request leaves main p99, ${label} (frame receipt → request sent)`,
      value: quantile(left, 0.99),
      unit: 'ms',
      target: '≤ 10',
      met: quantile(left, 0.99) <= 10,
    },
    { metric: `holds measured, ${label}`, value: exposed.length, unit: 'messages' },
  ];
  return rows;
}

/** One run per added latency, on one sandbox process. */
export async function measureHoldExposure(options: ExposureOptions): Promise<BenchResult[]> {
  const sandbox = await startPipelineSandbox(options.rooms, [
    '--forbidden-share',
    String(options.forbiddenShare),
  ]);
  try {
    const results: BenchResult[] = [];
    for (const latencyMs of options.latencies) {
      results.push(...(await oneRun(sandbox.ready, options, latencyMs)));
    }
    return results;
  } finally {
    await sandbox.stop();
  }
}
