import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { onTestFinished, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startSandbox } from '../../src/sandbox';
import type { Host } from '../e2e/host';
import { startHost } from '../e2e/host';
import { useFakeFlipFlop } from '../support/fakeFlipFlop';
import { control } from '../support/sandbox';

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

interface HostFrame {
  id?: number;
  result?: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
  event?: string;
  payload?: unknown;
}

/**
 * One socket to the host's bridge from its own page's origin: raw frames out, requests by id, and
 * every frame that came back, as text and read.
 */
async function openBridge(host: Host) {
  const socket = new WebSocket(`${host.url.replace('http', 'ws')}__host/bridge`, {
    origin: host.url.replace(/\/$/, ''),
  });
  onTestFinished(() => socket.terminate());
  const texts: string[] = [];
  const checks = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    texts.push(data.toString('utf8'));
    for (const check of [...checks]) check();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await once(socket, 'open');
  const frames = () => texts.map((text) => JSON.parse(text) as HostFrame);
  const waitFor = (predicate: (frame: HostFrame) => boolean) =>
    new Promise<HostFrame>((resolve) => {
      const check = () => {
        const found = frames().find(predicate);
        if (found === undefined) return;
        checks.delete(check);
        resolve(found);
      };
      checks.add(check);
      check();
    });
  let nextId = 1000;
  return {
    texts,
    closed,
    waitFor,
    send: (data: string | Buffer, options: { binary?: boolean } = {}) => socket.send(data, options),
    async request(channel: unknown, input?: unknown) {
      const id = (nextId += 1);
      socket.send(JSON.stringify({ id, channel, input }));
      return (await waitFor((frame) => frame.id === id)).result;
    },
  };
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
  it('answers every frame with an id, closes the socket on one it cannot answer, and keeps serving', async () => {
    const host = await startHost({ port: 0, seed: 10, sandboxOptions: { ratePerRoom: 0 } });
    onTestFinished(() => host.close());
    const bridge = await openBridge(host);

    // `String()` of this channel throws: its toString is not a function.
    expect(await bridge.request({ toString: 1 })).toEqual({
      ok: false,
      error: {
        code: 'UNKNOWN_CHANNEL',
        message: 'A ModDeck request is named by a string, not by an object.',
      },
    });
    expect(await bridge.request(['app.info'])).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL' },
    });
    expect(await bridge.request('x'.repeat(5000))).toMatchObject({
      ok: false,
      error: { message: `"${'x'.repeat(100)}…" is not a ModDeck request.` },
    });
    expect(await bridge.request('accounts.save', null)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await bridge.request('app.info')).toMatchObject({ ok: true });

    const unanswerable: Array<[string, string | Buffer, { binary?: boolean }, number, string]> = [
      ['null', 'null', {}, 1008, 'a frame must be a JSON object'],
      ['not JSON', 'hello?', {}, 1007, 'a frame must be JSON'],
      ['a list', '[1,"app.info"]', {}, 1008, 'a frame must be a JSON object'],
      ['no id', '{"channel":"app.info"}', {}, 1008, 'a request needs a numeric id'],
      ['a text id', '{"id":"7","channel":"app.info"}', {}, 1008, 'a request needs a numeric id'],
      ['binary, not JSON', Buffer.from([0, 1, 2]), { binary: true }, 1007, 'a frame must be JSON'],
      // `ws` refuses a text frame that is not UTF-8 before the host sees it.
      ['text, not UTF-8', Buffer.from([0xff, 0xfe, 0xfd]), { binary: false }, 1007, ''],
    ];
    for (const [what, frame, options, code, reason] of unanswerable) {
      const socket = await openBridge(host);
      socket.send(frame, options);
      const closed = await socket.closed;
      expect({ what, code: closed.code }).toEqual({ what, code });
      if (reason !== '') expect(closed.reason).toBe(reason);
      expect(socket.texts.filter((text) => text.includes('"id"'))).toEqual([]);
    }
    // The first socket, and the host, are still there.
    expect(await bridge.request('app.info')).toMatchObject({ ok: true });
    expect((await openBridge(host)).texts).toEqual([]);
  });

  it("sends the window a chat-token refusal that echoes the account's credentials redacted", async () => {
    const secret = 'sk_live_host_4b8e2d6f';
    const fake = await useFakeFlipFlop((authorization) => ({
      status: 403,
      body: {
        errorCode: 'CHAT_TOKEN_REFUSED',
        errorMessage: `${authorization.replace('Basic ', '')} / ${secret} refused`,
      },
    }));
    const host = await startHost({ port: 0, seed: 11, sandboxOptions: { ratePerRoom: 0 } });
    onTestFinished(() => host.close());
    const bridge = await openBridge(host);
    const saved = await bridge.request('accounts.save', {
      provider: 'flipflop',
      name: 'Echoing service',
      baseUrl: fake.baseUrl,
      appApiKey: 'echo-key',
      moderator: { appUserId: 'moderator1' },
      secret,
    });
    const accountId = (saved?.value as { id: string }).id;
    expect(await bridge.request('rooms.open', { accountId, roomId: '1001' })).toMatchObject({
      ok: true,
    });
    const refusal = await bridge.waitFor(
      (frame) =>
        frame.event === 'feed.status' && JSON.stringify(frame).includes('CHAT_TOKEN_REFUSED'),
    );
    expect(refusal.payload).toMatchObject({
      statuses: [{ error: { message: '[redacted] / [redacted] refused' } }],
    });
    const basic = Buffer.from(`echo-key:${secret}`).toString('base64');
    expect(fake.authorizations).toContain(`Basic ${basic}`);
    for (const text of bridge.texts) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(basic);
    }
  });

  it('hears from its page whether the window has the focus, and holds flagged-message notices while it has', async () => {
    const host = await startHost({ port: 0, seed: 12, sandboxOptions: { ratePerRoom: 0 } });
    onTestFinished(() => host.close());
    const sandbox = control({ ...host.sandbox, close: () => Promise.resolve() });
    const account = (await host.core.accounts.list()).find((candidate) => candidate.sandbox);
    const bridge = await openBridge(host);
    bridge.send(JSON.stringify({ focused: true }));
    expect(
      await bridge.request('rooms.open', { accountId: account?.id, roomId: '1001' }),
    ).toMatchObject({
      ok: true,
    });
    await bridge.waitFor(
      (frame) => frame.event === 'feed.status' && JSON.stringify(frame).includes('"live"'),
    );
    const flagged = async (text: string) => {
      const { messageId } = await sandbox.say('1001', {
        userId: 'troll1',
        userName: 'Troll',
        message: text,
      });
      await bridge.waitFor(
        (frame) =>
          frame.event === 'feed.batch' &&
          JSON.stringify(frame).includes(`"messageId":"${messageId}"`),
      );
    };

    await flagged('this is a scam');
    expect(host.notices).toEqual([]);
    bridge.send(JSON.stringify({ focused: false }));
    await flagged('another scam');
    expect(host.notices.map((notice) => notice.title)).toEqual([
      expect.stringMatching(/^Flagged message in /) as string,
    ]);
    // The frame gets no answer, and the socket stays open for requests.
    expect(bridge.texts.filter((text) => !text.includes('"event"')).length).toBe(1);
    expect(await bridge.request('app.info')).toMatchObject({ ok: true });
  });
});
