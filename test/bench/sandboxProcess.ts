/**
 * The sandbox as the benchmarks' load generator: `src/sandbox/cli.ts` in a process of its own (so
 * generating and sending frames does not share a core with what is measured), its control API,
 * and a bare `ws` STOMP subscriber that only counts frames, the transport's reference.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Sandbox } from '../../src/sandbox/index';

const root = join(import.meta.dirname, '..', '..');

/** The JSON line the sandbox CLI prints when it is ready. */
export type SandboxReady = Omit<Sandbox, 'close'>;

export interface ControlRoom {
  videoRoomId: string;
  channelKey: string;
  chatRoom: { created: boolean; closed: boolean };
}

export interface SandboxProcess {
  ready: SandboxReady;
  pid: number;
  stop(): Promise<void>;
}

/**
 * What a load generator does not need to remember: at 30,000 messages/s the sandbox's defaults
 * (50,000 messages per room, a million deliveries per connection) grow it past 500 MB within a
 * minute, and its collector then slows the chatter it is meant to pace.
 */
const LOAD_GENERATOR_ARGS = ['--messages-per-room', '5000', '--delivery-log-limit', '10000'];

/**
 * Starts `src/sandbox/cli.ts` in a child process, as a load generator, and waits for its JSON
 * line.
 */
export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/sandbox/cli.ts', ...LOAD_GENERATOR_ARGS, ...args],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
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
    ready: JSON.parse(line) as SandboxReady,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU seconds a process has used (Linux /proc; null elsewhere). */
export async function cpuSeconds(pid: number): Promise<number | null> {
  try {
    const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 per second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export async function json<T>(url: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch {
    // A kept-alive connection the sandbox closed just then; one more try on a new one.
    response = await fetch(url, init);
  }
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** The sandbox's rooms with an open chat room. */
export async function liveRooms(ready: SandboxReady): Promise<ControlRoom[]> {
  return (await json<ControlRoom[]>(`${ready.control.baseUrl}/__sandbox/rooms`)).filter(
    (room) => room.chatRoom.created && !room.chatRoom.closed,
  );
}

/** Sets every listed room's chatter rate (events per second). */
export async function setRates(
  ready: SandboxReady,
  rooms: readonly ControlRoom[],
  perSecond: number,
): Promise<void> {
  await Promise.all(
    rooms.map((room) =>
      json(`${ready.control.baseUrl}/__sandbox/rooms/${room.videoRoomId}/rate`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ perSecond }),
      }),
    ),
  );
}

export interface SandboxStats {
  messagesPublished: number;
  framesDelivered: number;
  sendsDropped: number;
  openConnections: number;
}

export function sandboxStats(ready: SandboxReady): Promise<SandboxStats> {
  return json<SandboxStats>(`${ready.control.baseUrl}/__sandbox/stats`);
}

export interface ChatToken {
  chatServerWebSocketUrl: string;
  chatToken: string;
  appId: string;
  userId: string;
  userName: string | null;
}

/** A member chat token for the moderator, as the app asks for one. */
export function moderatorToken(ready: SandboxReady): Promise<ChatToken> {
  const { flipflop } = ready;
  const authorization = `Basic ${Buffer.from(`${flipflop.appApiKey}:${flipflop.appApiSecret}`).toString('base64')}`;
  return json<ChatToken>(
    `${flipflop.baseUrl}/v2/apps/me/members/${flipflop.moderator.appUserId}/chat-tokens`,
    { method: 'POST', headers: { authorization } },
  );
}

function frame(command: string, headers: Record<string, string>): string {
  const lines = Object.entries(headers).map(([name, value]) => `${name}:${value}\n`);
  return `${command}\n${lines.join('')}\n\0`;
}

/** A STOMP subscriber that counts MESSAGE frames and reads nothing else closely. */
export class CountingSubscriber {
  messages = 0;
  private pending = '';
  private readonly socket: WebSocket;
  private receipts = new Map<string, () => void>();

  constructor(url: string) {
    this.socket = new WebSocket(url, ['v12.stomp']);
    this.socket.on('message', (data: Buffer) => this.count(data.toString('utf8')));
  }

  async connect(token: ChatToken): Promise<void> {
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

  /** The room topic and the moderator's DM topic of each room: every chatter event lands on one. */
  async subscribeRooms(rooms: readonly ControlRoom[], userId: string): Promise<void> {
    for (const room of rooms) {
      await this.subscribe(`room-${room.videoRoomId}`, `/topic/chat/${room.channelKey}`);
      await this.subscribe(`dm-${room.videoRoomId}`, `/topic/dm/${room.channelKey}/user/${userId}`);
    }
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
