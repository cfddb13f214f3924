import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
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
    const [first] = (await once(lines, 'line')) as [string];
    const ready = JSON.parse(first) as {
      url: string;
      sandbox: { flipflop: { baseUrl: string } };
      notifications: string;
    };
    expect(ready.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(ready.notifications).toBe(`${ready.url}__host/notifications`);
    const page = await (await fetch(ready.url)).text();
    expect(page).toContain('<script src="/__host/bridge.js"></script>');
    expect(await (await fetch(ready.notifications)).json()).toEqual([]);

    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
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
});
