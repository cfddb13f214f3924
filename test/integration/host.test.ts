import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSandbox } from '../../src/sandbox';
import { startHost } from '../e2e/host';

const root = new URL('../..', import.meta.url).pathname;

function bridgeCall(url: string, origin: string, message: unknown): Promise<unknown> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}__host/bridge`, { origin });
  return new Promise((resolve, reject) => {
    socket.once('open', () => socket.send(JSON.stringify(message)));
    socket.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString('utf8')) as { id?: number };
      if (parsed.id !== undefined) {
        socket.close();
        resolve(parsed);
      }
    });
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`refused: ${response.statusCode}`)),
    );
  });
}

describe('the browser host', () => {
  it('prints one JSON line when ready and stops cleanly on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'test/e2e/host.ts', '--port', '0', '--seed', '7'],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    onTestFinished(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const lines = createInterface({ input: child.stdout });
    const printed: string[] = [];
    lines.on('line', (line) => printed.push(line));
    const allRead = once(lines, 'close');
    const [first] = (await once(lines, 'line')) as [string];
    const ready = JSON.parse(first) as {
      url: string;
      sandbox: {
        flipflop: { baseUrl: string };
        vchatcloud: { baseUrl: string; eventbusUrl: string };
        control: { baseUrl: string };
      };
      notifications: string;
    };
    expect(Object.keys(ready)).toEqual(['url', 'sandbox', 'notifications']);
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.notifications).toBe(`${ready.url}__host/notifications`);
    expect(ready.sandbox.flipflop.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
    expect(ready.sandbox.vchatcloud.eventbusUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+/);
    const rooms = (await (
      await fetch(`${ready.sandbox.control.baseUrl}/__sandbox/rooms`)
    ).json()) as unknown[];
    expect(rooms.length).toBeGreaterThan(0);
    const page = await (await fetch(ready.url)).text();
    expect(page).toContain('<script src="/__host/bridge.js"></script>');
    expect(await (await fetch(ready.notifications)).json()).toEqual([]);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    // Everything it printed, from start to exit, was that one line.
    await allRead;
    expect(printed).toEqual([first]);
    await expect(fetch(ready.url)).rejects.toThrow();
    await expect(fetch(ready.sandbox.flipflop.baseUrl)).rejects.toThrow();
  });

  it("carries the contract for its own page and refuses any other origin's socket", async () => {
    const host = await startHost({ port: 0, seed: 8, sandboxOptions: { ratePerRoom: 0 } });
    onTestFinished(() => host.close());
    const own = host.url.replace(/\/$/, '');
    expect(await bridgeCall(host.url, own, { id: 1, channel: 'app.info' })).toMatchObject({
      id: 1,
      result: { ok: true, value: { name: 'ModDeck', secretStore: { kind: 'memory' } } },
    });
    expect(
      await bridgeCall(host.url, own, { id: 2, channel: 'shell.exec', input: 'rm' }),
    ).toMatchObject({
      result: { ok: false, error: { code: 'UNKNOWN_CHANNEL' } },
    });
    await expect(
      bridgeCall(host.url, 'https://evil.example', { id: 3, channel: 'accounts.list' }),
    ).rejects.toThrow();
  });

  it('takes a running sandbox, points the Sandbox account at it, and leaves it running', async () => {
    const sandbox = await startSandbox({ port: 0, seed: 9, ratePerRoom: 0 });
    onTestFinished(() => sandbox.close());
    const { close: _close, ...info } = sandbox;
    const host = await startHost({ port: 0, sandbox: info });
    const own = host.url.replace(/\/$/, '');
    expect(host.sandbox).toEqual(info);
    const listed = (await bridgeCall(host.url, own, { id: 1, channel: 'accounts.list' })) as {
      result: { ok: true; value: Array<{ name: string; baseUrl: string }> };
    };
    expect(listed.result.value.map((account) => [account.name, account.baseUrl])).toEqual([
      ['Sandbox', sandbox.flipflop.baseUrl],
      ['Sandbox VChatCloud', sandbox.vchatcloud.baseUrl],
    ]);

    await host.close();
    await expect(fetch(host.url)).rejects.toThrow();
    const stillThere = await fetch(`${sandbox.control.baseUrl}/__sandbox/rooms`);
    expect(stillThere.status).toBe(200);
  });
});
