/**
 * How the sandbox starts and stops: the CLI prints one JSON line and ends cleanly on SIGTERM and
 * SIGINT; `close()` in-process leaves no listener, timer or socket behind.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../../../src/sandbox/index';
import { control, memberToken, RawStompClient, rest } from './support';
import { BusClient, vcontrol } from '../vchatcloud/support';
import type { Sandbox } from '../../../src/sandbox/index';

const root = join(import.meta.dirname, '..', '..', '..');

function startCli(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/sandbox/cli.ts', ...args], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const firstLine = new Promise<string>((resolve, reject) => {
    const check = () => {
      const newline = stdout.indexOf('\n');
      if (newline !== -1) resolve(stdout.slice(0, newline));
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`exited before ready: ${stderr}`)));
  });
  // Tests that expect an early exit never read the line.
  firstLine.catch(() => undefined);
  return { child, exited, firstLine, output: () => ({ stdout, stderr }) };
}

/** Resolves true if something accepts TCP connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('the CLI', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`prints one JSON line when ready and exits with 0 on ${signal}, releasing the port`, async () => {
      const cli = startCli(['--port', '0', '--seed', '42', '--rooms', '2', '--rate', '5']);
      const ready = JSON.parse(await cli.firstLine) as Omit<Sandbox, 'close'>;
      expect(Object.keys(ready).sort()).toEqual(['control', 'flipflop', 'vchatcloud']);
      expect(ready.flipflop).toEqual({
        baseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as string,
        appApiKey: expect.any(String) as string,
        appApiSecret: expect.any(String) as string,
        moderator: {
          appUserId: expect.any(String) as string,
          appUserName: expect.any(String) as string,
        },
      });
      expect(ready.vchatcloud).toEqual({
        baseUrl: ready.flipflop.baseUrl,
        apiKey: expect.any(String) as string,
        eventbusUrl: `${ready.flipflop.baseUrl.replace('http:', 'ws:')}/eventbus/websocket`,
        sockJsUrl: `${ready.flipflop.baseUrl}/eventbus`,
        moderator: {
          clientKey: expect.any(String) as string,
          nickName: expect.any(String) as string,
        },
      });
      expect(ready.control.baseUrl).toBe(ready.flipflop.baseUrl);
      const port = Number(new URL(ready.flipflop.baseUrl).port);

      // It is really serving: REST, and a live Gossip connection that the shutdown must end.
      const sandbox = { ...ready, close: () => Promise.resolve() };
      const list = await rest(sandbox, 'GET', '/v2/apps/me/video-rooms');
      expect((list.json as { totalElements: number }).totalElements).toBe(3);
      const { client } = await RawStompClient.connect(await memberToken(sandbox));

      cli.child.kill(signal);
      const [code, killedBy] = await cli.exited;
      expect({ code, killedBy }).toEqual({ code: 0, killedBy: null });
      expect(
        cli
          .output()
          .stdout.split('\n')
          .filter((line) => line !== ''),
      ).toHaveLength(1);
      await client.closed;
      expect(await listening(port)).toBe(false);
    });
  }

  it('keeps as few messages and deliveries as asked, for use as a load generator', async () => {
    const cli = startCli([
      '--port',
      '0',
      '--rooms',
      '1',
      '--rate',
      '0',
      '--messages-per-room',
      '2',
      '--delivery-log-limit',
      '4',
    ]);
    try {
      const sandbox = {
        ...(JSON.parse(await cli.firstLine) as Omit<Sandbox, 'close'>),
        close: () => Promise.resolve(),
      };
      const [room] = (
        await control<Array<{ videoRoomId: string; channelKey: string }>>(sandbox, 'GET', '/rooms')
      ).json;
      const { client } = await RawStompClient.connect(await memberToken(sandbox));
      await client.withReceipt('SUBSCRIBE', {
        id: 'room',
        destination: `/topic/chat/${room?.channelKey ?? ''}`,
      });
      const ids: string[] = [];
      for (let index = 0; index < 6; index += 1) {
        const said = await control<{ messageId: string }>(
          sandbox,
          'POST',
          `/rooms/${room?.videoRoomId ?? ''}/messages`,
          { userId: 'chatter1', message: `hello ${index}` },
        );
        ids.push(said.json.messageId);
      }
      await client.messages('room', 6);
      const status = async (messageId: string | undefined) =>
        (
          await control(
            sandbox,
            'GET',
            `/rooms/${room?.videoRoomId ?? ''}/messages/${messageId ?? ''}`,
          )
        ).status;
      expect(await status(ids[3])).toBe(404);
      expect(await status(ids[4])).toBe(200);
      const [connection] = (
        await control<Array<{ id: string; deliveriesForgotten: number }>>(
          sandbox,
          'GET',
          '/connections',
        )
      ).json;
      const log = await control<unknown[]>(
        sandbox,
        'GET',
        `/connections/${connection?.id ?? ''}/deliveries`,
      );
      expect(log.json.length).toBeLessThanOrEqual(4);
      expect(connection?.deliveriesForgotten).toBeGreaterThan(0);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });

  it('refuses bad options with exit code 2 and the usage', async () => {
    const cli = startCli(['--casing', 'kebab']);
    const [code] = await cli.exited;
    expect(code).toBe(2);
    expect(cli.output().stderr).toMatch(/--casing must be snake or camel[\s\S]*usage:/);
    expect(cli.output().stdout).toBe('');
  });

  it('starts rooms with --present chatters present, and refuses a count outside 5–50000', async () => {
    for (const present of ['4', '50001', '2.5', 'many']) {
      const refused = startCli(['--present', present]);
      const [code] = await refused.exited;
      expect(code, present).toBe(2);
      expect(refused.output().stderr).toMatch(/--present must be [\s\S]*usage:/);
    }
    const cli = startCli(['--port', '0', '--rooms', '1', '--rate', '0', '--present', '300']);
    try {
      const sandbox = {
        ...(JSON.parse(await cli.firstLine) as Omit<Sandbox, 'close'>),
        close: () => Promise.resolve(),
      };
      const list = await control<Array<{ memberCount: number }>>(sandbox, 'GET', '/rooms');
      expect(list.json.map((room) => room.memberCount)).toEqual([300, 0]);
    } finally {
      cli.child.kill('SIGTERM');
      await cli.exited;
    }
  });
});

describe('startSandbox / close', () => {
  it('leaves no listener, timer or socket behind', async () => {
    const count = () => {
      const tally = new Map<string, number>();
      for (const name of process.getActiveResourcesInfo())
        tally.set(name, (tally.get(name) ?? 0) + 1);
      return tally;
    };
    const before = count();
    const sandbox = await startSandbox({ port: 0, ratePerRoom: 50, heartbeatMs: 1000 });
    const port = Number(new URL(sandbox.flipflop.baseUrl).port);
    const [room] = (await (await fetch(`${sandbox.control.baseUrl}/__sandbox/rooms`)).json()) as {
      channelKey: string;
    }[];
    // A live subscriber with heart-beats both ways: timers and sockets the close must end.
    const { client: held } = await RawStompClient.connect(await memberToken(sandbox), {
      'heart-beat': '1000,1000',
    });
    await held.withReceipt('SUBSCRIBE', {
      id: 'x',
      destination: `/topic/chat/${room?.channelKey ?? ''}`,
    });
    await held.messages('x', 2);
    // An event-bus socket in a room with chatter: its ping-timeout timer must end too.
    const bus = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    const [vchatRoom] = await vcontrol(sandbox).rooms();
    await bus.join({ roomId: vchatRoom?.roomId ?? '', clientKey: 'k', nickName: 'K' });
    await bus.push(`s2c.notify.message/${vchatRoom?.roomId ?? ''}`);
    expect(count().get('Timeout') ?? 0).toBeGreaterThan(before.get('Timeout') ?? 0);

    await sandbox.close();
    await held.closed;
    await bus.closed;
    await sandbox.close(); // a second close is harmless
    expect(await listening(port)).toBe(false);
    // fetch keeps its own pooled sockets in this process, and its one shared timer may end while
    // the test runs: only the sandbox's resources count, and one left behind would show as more.
    const after = count();
    expect(after.get('TCPServerWrap') ?? 0).toBe(before.get('TCPServerWrap') ?? 0);
    expect(after.get('Timeout') ?? 0).toBeLessThanOrEqual(before.get('Timeout') ?? 0);
  });
});
