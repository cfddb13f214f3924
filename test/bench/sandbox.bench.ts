/**
 * How many Gossip MESSAGE frames per second the sandbox delivers to STOMP subscribers. The
 * sandbox runs as its own process through the CLI, as it does when it is the load generator for
 * other benchmarks; subscribers are bare `ws` STOMP clients in this process that only count.
 *
 * Options: --rooms N (default 10), --rate N per room (1000), --connections N (3), --seconds N (10).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { Benchmark, BenchResult } from './types';

const root = join(import.meta.dirname, '..', '..');
const TARGET = 20_000;

interface Ready {
  flipflop: {
    baseUrl: string;
    appApiKey: string;
    appApiSecret: string;
    moderator: { appUserId: string };
  };
  control: { baseUrl: string };
}

interface Room {
  videoRoomId: string;
  channelKey: string;
  chatRoom: { created: boolean; closed: boolean };
}

/** Starts `src/sandbox/cli.ts` in a child process and waits for its JSON line. */
async function startSandboxProcess(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let buffered = '';
  const line = await new Promise<string>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const newline = buffered.indexOf('\n');
      if (newline !== -1) resolve(buffered.slice(0, newline));
    });
    void exited.then(() => reject(new Error('the sandbox exited before it was ready')));
  });
  return {
    ready: JSON.parse(line) as Ready,
    pid: child.pid ?? 0,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU seconds a process has used (Linux /proc; null elsewhere). */
async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function frame(command: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}\n`);
  return `${command}\n${lines.join('')}\n\0`;
}

/** A STOMP subscriber that counts MESSAGE frames and reads nothing else closely. */
class CountingSubscriber {
  messages = 0;
  private pending = '';
  private readonly socket: WebSocket;
  private receipts = new Map<string, () => void>();

  constructor(url: string) {
    this.socket = new WebSocket(url, ['v12.stomp']);
    this.socket.on('message', (data: Buffer) => this.count(data.toString('utf8')));
  }

  async connect(token: {
    chatToken: string;
    appId: string;
    userId: string;
    userName: string | null;
  }) {
    await once(this.socket, 'open');
    const connected = this.receipt('connected');
    this.socket.send(
      frame('CONNECT', {
        'accept-version': '1.2',
        'heart-beat': '0,0',
        token: token.chatToken,
        appid: token.appId,
        userid: token.userId,
        username: token.userName ?? token.userId,
      }),
    );
    await connected;
  }

  subscribe(id: string, destination: string): Promise<void> {
    const done = this.receipt(id);
    this.socket.send(frame('SUBSCRIBE', { id, destination, receipt: id }));
    return done;
  }

  close(): void {
    this.socket.terminate();
  }

  private receipt(id: string): Promise<void> {
    return new Promise((resolve) => this.receipts.set(id, resolve));
  }

  private count(text: string): void {
    let data = this.pending + text;
    let position = 0;
    for (;;) {
      while (data[position] === '\n' || data[position] === '\r') position += 1;
      const end = data.indexOf('\0', position);
      if (end === -1) break;
      if (data.startsWith('MESSAGE\n', position)) this.messages += 1;
      else if (data.startsWith('CONNECTED\n', position)) this.receipts.get('connected')?.();
      else if (data.startsWith('RECEIPT\n', position)) {
        const id = /receipt-id:([^\n]*)/.exec(data.slice(position, end))?.[1] ?? '';
        this.receipts.get(id)?.();
      } else if (data.startsWith('ERROR\n', position)) {
        throw new Error(`STOMP ERROR: ${data.slice(position, end)}`);
      }
      position = end + 1;
    }
    data = data.slice(position);
    this.pending = data;
  }
}

async function json<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const benchmark: Benchmark = {
  name: 'sandbox',
  description:
    'Gossip MESSAGE frames per second the sandbox (one Node process) delivers to STOMP subscribers',
  async run(context): Promise<BenchResult[]> {
    const option = (name: string, normal: number, smoke: number) =>
      Number(context.options[name] ?? (context.smoke ? smoke : normal));
    const roomCount = option('rooms', 10, 4);
    const rate = option('rate', 1000, 100);
    const connections = option('connections', 3, 1);
    const seconds = option('seconds', 10, 2);
    const warmupSeconds = context.smoke ? 0.5 : 2;

    // Bursts would add unrequested messages and blur the kept-up ratio.
    const sandbox = await startSandboxProcess([
      '--port',
      '0',
      '--rooms',
      String(roomCount),
      '--rate',
      '0',
      '--bursts',
      'false',
    ]);
    const subscribers: CountingSubscriber[] = [];
    try {
      const { flipflop, control } = sandbox.ready;
      const authorization = `Basic ${Buffer.from(`${flipflop.appApiKey}:${flipflop.appApiSecret}`).toString('base64')}`;
      const rooms = (await json<Room[]>(`${control.baseUrl}/__sandbox/rooms`)).filter(
        (room) => room.chatRoom.created && !room.chatRoom.closed,
      );
      for (let index = 0; index < connections; index += 1) {
        const token = await json<{
          chatServerWebSocketUrl: string;
          chatToken: string;
          appId: string;
          userId: string;
          userName: string | null;
        }>(`${flipflop.baseUrl}/v2/apps/me/members/${flipflop.moderator.appUserId}/chat-tokens`, {
          method: 'POST',
          headers: { authorization },
        });
        const subscriber = new CountingSubscriber(token.chatServerWebSocketUrl);
        subscribers.push(subscriber);
        await subscriber.connect(token);
        for (const room of rooms) {
          // The room topic and the moderator's DM topic: every chatter event lands on one of them.
          await subscriber.subscribe(`room-${room.videoRoomId}`, `/topic/chat/${room.channelKey}`);
          await subscriber.subscribe(
            `dm-${room.videoRoomId}`,
            `/topic/dm/${room.channelKey}/user/${token.userId}`,
          );
        }
      }
      for (const room of rooms) {
        await json(`${control.baseUrl}/__sandbox/rooms/${room.videoRoomId}/rate`, {
          method: 'PUT',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ perSecond: rate }),
        });
      }
      const total = () => subscribers.reduce((sum, subscriber) => sum + subscriber.messages, 0);
      context.log(`${rooms.length} rooms × ${rate}/s × ${connections} connections; warming up`);
      await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));

      const startCount = total();
      const startCpu = await cpuSeconds(sandbox.pid);
      const started = performance.now();
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const elapsed = (performance.now() - started) / 1000;
      const endCount = total();
      const endCpu = await cpuSeconds(sandbox.pid);

      const delivered = (endCount - startCount) / elapsed;
      const requested = rooms.length * rate * connections;
      const keptUp = delivered / requested;
      context.log(`delivered ${Math.round(delivered)}/s of ${requested}/s requested`);
      const results: BenchResult[] = [
        {
          metric: 'delivered messages/s (all subscribers)',
          value: delivered,
          unit: 'messages/s',
          target: `≥ ${TARGET.toLocaleString('en-US')} messages/s`,
          met: delivered >= TARGET,
        },
        {
          metric: 'kept up (delivered / requested)',
          value: keptUp,
          unit: '×',
          reference: { metric: 'requested messages/s', value: requested },
          ratio: keptUp,
          target: '≥ 0.95',
          met: keptUp >= 0.95,
        },
      ];
      if (startCpu !== null && endCpu !== null && endCpu > startCpu) {
        results.push({
          metric: 'sandbox CPU while measuring (cores)',
          value: (endCpu - startCpu) / elapsed,
          unit: 'cores',
        });
      }
      return results;
    } finally {
      for (const subscriber of subscribers) subscriber.close();
      await sandbox.stop();
    }
  },
};

export default benchmark;
