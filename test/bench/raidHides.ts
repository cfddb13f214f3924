/**
 * What the raid benchmarks (`raid`, and `hold --parts raid`) share: the sandbox's chat around the
 * raid, the core's HTTP sender timing each message's hide, and the sandbox's record of the raid copies
 * it delivered.
 */
import { sendWithUndici, type HttpSend } from '../../src/main/providers/http';
import { json } from './sandboxProcess';

/**
 * The sandbox's options around a raid, `present` chatters in each room. With a spam share its
 * ordinary chat says a sentence at most twice among a room's recent lines; without one its fixed
 * lines are copy-paste raids to automod, which the raid rule would hold. One in 10,000 chat lines
 * starts a spam episode. No forbidden words: their few templates, said by five people within a
 * minute, are raids too. Raid copies wait for their hides, so the sandbox keeps messages for
 * minutes, and its delivery log every frame of a run.
 */
export function raidSandboxArgs(present: number): string[] {
  return [
    '--spam',
    '0.0001',
    '--forbidden-share',
    '0',
    '--present',
    String(present),
    '--messages-per-room',
    '200000',
    '--delivery-log-limit',
    '1000000',
  ];
}

const HIDE_PATH = /\/messages\/([^/]+)\/hide$/;

export interface HideTimes {
  /** When main's HTTP client sent the hide (this process's clock, epoch ms). */
  sentAt: number;
  answeredAt?: number;
  ok?: boolean;
}

/** Epoch ms with a fraction on this process's clock. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The core's HTTP sender: a hide request's start and its answer are timed (the first one for
 * each message), everything else passes through.
 */
export class HideLog {
  readonly hides = new Map<string, HideTimes>();
  inFlight = 0;

  readonly send: HttpSend = async (request, signal) => {
    const hide = request.method === 'POST' ? HIDE_PATH.exec(new URL(request.url).pathname) : null;
    if (!hide) return sendWithUndici(request, signal);
    const times: HideTimes = { sentAt: now() };
    const messageId = hide[1] ?? '';
    if (!this.hides.has(messageId)) this.hides.set(messageId, times);
    this.inFlight += 1;
    try {
      const answer = await sendWithUndici(request, signal);
      times.answeredAt = now();
      times.ok = answer.status >= 200 && answer.status < 300;
      return answer;
    } finally {
      this.inFlight -= 1;
    }
  };
}

/**
 * Message ids of the raid copies the sandbox (its control address `controlUrl`) delivered in the
 * room of `channelKey`, from its delivery log; `openOnly` reads only connections still open.
 */
export async function raidDeliveries(
  controlUrl: string,
  channelKey: string,
  openOnly: boolean,
): Promise<string[]> {
  const base = `${controlUrl}/__sandbox`;
  const connections = await json<Array<{ id: string; open: boolean }>>(`${base}/connections`);
  const ids: string[] = [];
  for (const connection of connections) {
    if (openOnly && !connection.open) continue;
    const deliveries = await json<Array<{ destination: string; messageId: string; spam: unknown }>>(
      `${base}/connections/${connection.id}/deliveries`,
    );
    for (const delivery of deliveries) {
      if (delivery.spam === 'raid' && delivery.destination.endsWith(channelKey)) {
        ids.push(delivery.messageId);
      }
    }
  }
  return ids;
}
