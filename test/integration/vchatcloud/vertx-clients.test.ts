/**
 * Vert.x's two official event-bus bridge clients, unchanged, against the sandbox: over SockJS at
 * `/eventbus` (what VChatCloud's JavaScript SDK uses) and over the raw `/eventbus/websocket`. Each
 * registers a handler, joins a room with a reply, hears the room's pushes and another socket's
 * publishes.
 *
 * Both clients are browser scripts that `require('sockjs-client')`. Over SockJS they run as they
 * are: sockjs-client has Node transports of its own, so no `window` or `XMLHttpRequest` is needed.
 * For the raw path the client's own file is loaded with `sockjs-client` swapped for the smallest
 * stand-in: a `ws` WebSocket with SockJS's `onopen`/`onmessage`/`onclose`/`send`/`close`, which
 * reads the raw path's binary frames as UTF-8 text (as VChatCloud's Flutter SDK does).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInThisContext } from 'node:vm';
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { useSandbox } from '../../support/sandbox';
import { vcontrol } from './support';

/** The part of a bridge client these tests use (both packages have the same API). */
interface BridgeClient {
  onopen: (() => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: (error: unknown) => void;
  state: number;
  send(address: string, body: unknown, callback?: ReplyCallback): void;
  publish(address: string, body: unknown): void;
  registerHandler(address: string, callback: ReplyCallback): void;
  unregisterHandler(address: string, callback: ReplyCallback): void;
  close(): void;
}
type BridgeFrame = { address: string; body: Record<string, unknown>; replyAddress?: string };
type ReplyCallback = (error: unknown, message: BridgeFrame) => void;
type BridgeClientClass = new (url: string, options?: Record<string, unknown>) => BridgeClient;

const CLIENT_PACKAGES = ['@vertx/eventbus-bridge-client.js', 'vertx3-eventbus-client'];
const requireHere = createRequire(import.meta.url);

/** The stand-in for sockjs-client on the raw path: a WebSocket with SockJS's callback names. */
class RawWebSocketAsSockJs {
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;
  private readonly socket: WebSocket;

  constructor(url: string) {
    this.socket = new WebSocket(url);
    onTestFinished(() => this.socket.terminate());
    this.socket.on('open', () => this.onopen?.());
    this.socket.on('message', (data: Buffer) => this.onmessage?.({ data: data.toString('utf8') }));
    this.socket.on('close', (code, reason) => this.onclose?.({ code, reason: reason.toString() }));
  }

  send(text: string): void {
    this.socket.send(text);
  }

  close(): void {
    this.socket.close(1000);
  }
}

/** The package's own file, run with `sockjs-client` as given. */
function loadClient(packageName: string, sockJs: unknown): BridgeClientClass {
  const file = requireHere.resolve(packageName);
  const wrapped = runInThisContext(
    `(function (require, module, exports) {${readFileSync(file, 'utf8')}\n})`,
    { filename: file },
  ) as (require: (name: string) => unknown, module: { exports: unknown }, exports: unknown) => void;
  const module = { exports: {} as unknown };
  wrapped(
    (name) => (name === 'sockjs-client' ? sockJs : requireHere(name)),
    module,
    module.exports,
  );
  return module.exports as BridgeClientClass;
}

const transports = [
  {
    name: 'SockJS',
    kind: 'sockjs',
    load: (packageName: string) => loadClient(packageName, requireHere('sockjs-client')),
    url: (sandbox: Awaited<ReturnType<typeof useSandbox>>) => sandbox.vchatcloud.sockJsUrl,
  },
  {
    name: 'the raw WebSocket',
    kind: 'websocket',
    load: (packageName: string) => loadClient(packageName, RawWebSocketAsSockJs),
    url: (sandbox: Awaited<ReturnType<typeof useSandbox>>) => sandbox.vchatcloud.eventbusUrl,
  },
];

async function connect(Client: BridgeClientClass, url: string): Promise<BridgeClient> {
  const client = new Client(url);
  onTestFinished(() => {
    if (client.state !== 3) client.close();
  });
  await new Promise<void>((resolve, reject) => {
    client.onopen = resolve;
    client.onclose = reject;
  });
  client.onclose = null;
  return client;
}

/** The next message a handler registered with `registerHandler` gets at `address`. */
function nextAt(client: BridgeClient, address: string): Promise<BridgeFrame> {
  return new Promise((resolve, reject) => {
    const handler: ReplyCallback = (error, message) => {
      client.unregisterHandler(address, handler);
      if (error === null || error === undefined) resolve(message);
      else reject(new Error(`err frame at ${address}: ${JSON.stringify(error)}`));
    };
    client.registerHandler(address, handler);
  });
}

function request(client: BridgeClient, address: string, body: unknown): Promise<BridgeFrame> {
  return new Promise((resolve, reject) => {
    client.send(address, body, (error, reply) => {
      if (error === null || error === undefined) resolve(reply);
      else reject(new Error(`${address} refused: ${JSON.stringify(error)}`));
    });
  });
}

describe.each(CLIENT_PACKAGES)('%s', (packageName) => {
  describe.each(transports)('over $name', (transport) => {
    it("joins a room with a reply, hears the room's messages on a registered handler, and gets another socket's publishes", async () => {
      const sandbox = await useSandbox({ ratePerRoom: 0 });
      const api = vcontrol(sandbox);
      const { open } = await api.seeded();
      const Client = transport.load(packageName);
      const client = await connect(Client, transport.url(sandbox));

      // The join pushes come to the joined socket unasked; a handler takes them off the log.
      const joinPushed = nextAt(client, `s2c.notify.join.user/${open.roomId}`);
      const joined = await request(client, 'c2s.join', {
        roomId: open.roomId,
        clientKey: 'vertxClient',
        nickName: 'Vert.x',
      });
      expect(joined.body['roomName']).toBe(open.roomName);
      expect((await joinPushed).body['clientKey']).toBe('vertxClient');

      const messagePushed = nextAt(client, `s2c.notify.message/${open.roomId}`);
      await api.say(open.roomId, { clientKey: 'uAlice', nickName: 'Alice', message: 'hello' });
      expect((await messagePushed).body).toMatchObject({ clientKey: 'uAlice', message: 'hello' });

      const news = nextAt(client, 'sandbox.news');
      // The handler's register frame has gone out before the publisher's frames are sent.
      await request(client, 'c2s.clientlist', { roomId: open.roomId });
      const publisher = await connect(Client, transport.url(sandbox));
      publisher.publish('sandbox.news', { headline: 'registered handlers hear publishes' });
      expect((await news).body).toEqual({ headline: 'registered handlers hear publishes' });

      const views = await api.connections();
      expect(views.map((view) => [view.open, view.transport])).toEqual([
        [true, transport.kind],
        [true, transport.kind],
      ]);
      expect(views[0]?.pings).toBeGreaterThanOrEqual(1);
    });
  });
});
