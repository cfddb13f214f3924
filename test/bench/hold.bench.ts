/**
 * `npm run bench -- hold`: the hold queue's actions on many messages, in parts.
 *
 * clear: messages said in one room of a sandbox process (its own process, as the other
 * benchmarks' load generator; 20 ms added before every emulated REST answer), then deleted by one
 * `messages.bulk` through the core's dispatcher, as IPC would ask it, with the room open in the
 * core (each delete updates its buffer and is audited). Timed from the request to its answer.
 * The reference, in the same run and on the same sandbox: as many other messages deleted with
 * `messages.delete`, one at a time, each after the previous answer (a client without bulk). Both
 * sets are said before the latency is added; a few deletes first warm the path up, untimed.
 *
 * exposure: how long a held message is visible: from the frame's receipt in main to the service's
 * answer that it is hidden, and to the hide request leaving main, over 12 rooms streaming 50 msg/s
 * each with the sandbox's starter words as hold rules, with no latency added and with 100 ms
 * (holdExposure.ts). The reference is the hide call alone, from fetch to its answer.
 *
 * raid: the hold queue under a raid, without Chromium (holdRaid.ts): 12 rooms at 50 msg/s, the
 * first also getting 1,000 and then 200 raid copies a second for 30 s, automod's raid rule set to
 * `hold` and shield mode on; hides answered a second, hold exposure, raid copies visible over
 * 200 ms, hides left waiting, the hide call alone and main's CPU.
 *
 * `--parts clear,exposure` runs some of it. Options: --messages N (500), --latency-ms N (20);
 * for raid, --seconds N (30), --raid-rates N,N (1000,200), --drain-seconds N (30) and
 * --profile PATH (a CPU profile of main's thread during each raid, with its summary).
 */
import { json, startSandboxProcess, type SandboxProcess } from './sandboxProcess';
import { startPipeline, type Pipeline } from './pipelineCore';
import type { BulkResult } from '../../src/shared/contract';
import type { BenchContext, BenchResult, Benchmark } from './types';
import { measureHoldExposure } from './holdExposure';
import { measureHoldRaid } from './holdRaid';

const PARTS = ['clear', 'exposure', 'raid'] as const;
type Part = (typeof PARTS)[number];
const ROOM_ID = '1001';
const WARM_UP = 20;

function readParts(text: string): Part[] {
  const parts = text.split(',').map((part) => part.trim());
  for (const part of parts) {
    if (!(PARTS as readonly string[]).includes(part)) {
      throw new Error(`unknown part "${part}"; the parts are ${PARTS.join(', ')}`);
    }
  }
  return parts as Part[];
}

/** Says `count` messages in the room through the sandbox's control API; their ids, in order. */
async function say(sandbox: SandboxProcess, count: number, label: string): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 50) {
    const said = await Promise.all(
      Array.from({ length: Math.min(50, count - start) }, (_, offset) =>
        json<{ messageId: string }>(
          `${sandbox.ready.control.baseUrl}/__sandbox/rooms/${ROOM_ID}/messages`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              userId: `raider${start + offset}`,
              message: `${label} raid line ${start + offset}`,
            }),
          },
        ),
      ),
    );
    ids.push(...said.map((message) => message.messageId));
  }
  return ids;
}

function faults(sandbox: SandboxProcess, body: Record<string, unknown>): Promise<unknown> {
  return json(`${sandbox.ready.control.baseUrl}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function deleteOneByOne(pipeline: Pipeline, messageIds: readonly string[]): Promise<void> {
  const roomKey = pipeline.roomKeys[0] ?? '';
  for (const messageId of messageIds) {
    const answer = await pipeline.core.dispatch('messages.delete', { roomKey, messageId });
    if (!answer.ok) throw new Error(`delete ${messageId} failed: ${answer.error.message}`);
  }
}

async function clear(context: BenchContext): Promise<BenchResult[]> {
  const option = (name: string, normal: number, smoke: number) =>
    Number(context.options[name] ?? (context.smoke ? smoke : normal));
  const count = option('messages', 500, 20);
  const latencyMs = option('latency-ms', 20, 20);

  const sandbox = await startSandboxProcess(['--port', '0', '--rooms', '1', '--rate', '0']);
  let pipeline: Pipeline | null = null;
  try {
    pipeline = await startPipeline({ ready: sandbox.ready, roomIds: [ROOM_ID], rules: [] });
    const roomKey = pipeline.roomKeys[0] ?? '';
    const warmUp = await say(sandbox, WARM_UP, 'warm-up');
    const bulkIds = await say(sandbox, count, 'bulk');
    const singleIds = await say(sandbox, count, 'single');
    await faults(sandbox, { latencyMs });

    await deleteOneByOne(pipeline, warmUp.slice(0, WARM_UP / 2));
    const warmBulk = await pipeline.core.dispatch('messages.bulk', {
      action: 'delete',
      items: warmUp.slice(WARM_UP / 2).map((messageId) => ({ roomKey, messageId })),
    });
    if (!warmBulk.ok) throw new Error(`warm-up bulk failed: ${warmBulk.error.message}`);

    let started = performance.now();
    const answer = await pipeline.core.dispatch('messages.bulk', {
      action: 'delete',
      items: bulkIds.map((messageId) => ({ roomKey, messageId })),
    });
    const bulkMs = performance.now() - started;
    if (!answer.ok) throw new Error(`bulk delete failed: ${answer.error.message}`);
    const notDone = (answer.value as BulkResult).results.filter((r) => r.outcome !== 'done');
    if (notDone.length > 0) {
      throw new Error(`${notDone.length} of ${count} bulk deletes were not done`);
    }

    started = performance.now();
    await deleteOneByOne(pipeline, singleIds);
    const singleMs = performance.now() - started;

    const bulkRate = count / (bulkMs / 1000);
    const singleRate = count / (singleMs / 1000);
    context.log(
      `clear: ${count} messages, +${latencyMs} ms a call: bulk ${(bulkMs / 1000).toFixed(2)} s ` +
        `(${bulkRate.toFixed(0)}/s), one at a time ${(singleMs / 1000).toFixed(2)} s ` +
        `(${singleRate.toFixed(0)}/s)`,
    );
    return [
      {
        metric: `clear: ${count} messages deleted by messages.bulk, +${latencyMs} ms a call`,
        value: bulkMs,
        unit: 'ms',
        reference: { metric: 'the same count by messages.delete one at a time', value: singleMs },
        ratio: bulkMs / singleMs,
      },
      {
        metric: 'clear: messages deleted per second by messages.bulk',
        value: bulkRate,
        unit: 'messages/s',
        reference: { metric: 'messages.delete one at a time', value: singleRate },
        ratio: bulkRate / singleRate,
      },
    ];
  } finally {
    await pipeline?.close();
    await sandbox.stop();
  }
}

const benchmark: Benchmark = {
  name: 'hold',
  description:
    'hold queue; clear: 500 messages deleted by messages.bulk with 20 ms per call, beside one at a ' +
    'time; exposure: frame receipt to a held message hidden, 12 rooms, +0 and +100 ms per call; ' +
    'raid: 1,000 and 200 raid copies/s in one of 12 rooms with shield mode on, without Chromium',
  async run(context) {
    const parts = readParts(context.options['parts'] ?? PARTS.join(','));
    const results: BenchResult[] = [];
    if (parts.includes('clear')) results.push(...(await clear(context)));
    if (parts.includes('exposure')) {
      results.push(
        ...(await measureHoldExposure({
          rooms: context.smoke ? 2 : 12,
          ratePerRoom: 50,
          seconds: context.smoke ? 2 : 30,
          latencies: context.smoke ? [0] : [0, 100],
          forbiddenShare: 0.05,
          log: context.log,
        })),
      );
    }
    if (parts.includes('raid')) {
      const option = (name: string, normal: number, smoke: number) =>
        Number(context.options[name] ?? (context.smoke ? smoke : normal));
      results.push(
        ...(await measureHoldRaid({
          rooms: option('rooms', 12, 2),
          ratePerRoom: 50,
          raidRates: (context.options['raid-rates'] ?? (context.smoke ? '100' : '1000,200'))
            .split(',')
            .map(Number),
          seconds: option('seconds', 30, 2),
          present: 300,
          drainSeconds: option('drain-seconds', 30, 10),
          ...(context.options['profile'] === undefined
            ? {}
            : { profile: context.options['profile'] }),
          log: context.log,
        })),
      );
    }
    return results;
  },
};

export default benchmark;
