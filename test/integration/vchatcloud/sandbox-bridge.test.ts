/**
 * The sandbox's event bus against the Vert.x bridge's own rules, frame by frame with bare `ws`
 * sockets: only `ping` keeps a socket alive and an idle one is closed with 1001 "Session expired";
 * `register`/`unregister` and delivery to registered addresses; a failed `send` without a reply
 * address says nothing; the bridge's error names; 400 for a plain GET on the WebSocket paths; and
 * the same bridge under SockJS framing at `/eventbus/{server}/{session}/websocket`.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { useSandbox } from '../../support/sandbox';
import type { SandboxOptions } from '../../support/sandbox';
import { BusClient, bodyOf, vcontrol } from './support';

async function setup(options: SandboxOptions = {}) {
  const sandbox = await useSandbox({ ratePerRoom: 0, ...options });
  const api = vcontrol(sandbox);
  const { open } = await api.seeded();
  const connect = () => BusClient.open(sandbox.vchatcloud.eventbusUrl);
  return { sandbox, api, open, connect };
}

/** The frames a socket received before the reply to one more request: what came, in order. */
async function receivedBefore(client: BusClient, roomId: string) {
  const reply = await client.request('c2s.clientlist', { roomId });
  return client.received.slice(0, client.received.indexOf(reply));
}

describe('keeping a socket alive', () => {
  it('keeps a socket that pings and closes one that only sends other frames with 1001 "Session expired"', async () => {
    // The sandbox has no clock of its own: the timeout is made short instead.
    const { api, open, connect } = await setup({ eventbusPingTimeoutMs: 300 });
    const pinging = await connect();
    const busy = await connect();
    const timer = setInterval(() => {
      pinging.ping();
      busy.send('c2s.clientlist', { roomId: open.roomId }, 'busy-reply');
    }, 50);
    onTestFinished(() => clearInterval(timer));

    expect(await busy.closed).toEqual({ code: 1001, reason: 'Session expired' });
    expect(busy.received.length).toBeGreaterThan(0);
    expect(pinging.socket.readyState).toBe(WebSocket.OPEN);
    const views = await api.connections();
    expect(views.map((view) => [view.open, view.closeReason])).toEqual([
      [true, null],
      [false, 'ping timeout'],
    ]);
  });
});

describe('registering addresses', () => {
  it('delivers a publish to every socket registered at its address, the publisher too, and stops after unregister', async () => {
    const { api, open, connect } = await setup();
    const first = await connect();
    const second = await connect();
    const bystander = await connect();
    for (const client of [first, second]) {
      client.sendRaw(JSON.stringify({ type: 'register', address: 'sandbox.news' }));
    }
    second.send('sandbox.news', { headline: 'one' }, undefined, 'publish');
    for (const client of [first, second]) {
      expect(await client.next()).toEqual({
        type: 'rec',
        address: 'sandbox.news',
        headers: {},
        body: { headline: 'one' },
        binary: true,
      });
    }

    first.sendRaw(JSON.stringify({ type: 'unregister', address: 'sandbox.news' }));
    bystander.send('sandbox.news', { headline: 'two' }, undefined, 'publish');
    expect(bodyOf(await second.next())).toEqual({ headline: 'two' });
    expect(await receivedBefore(first, open.roomId)).toHaveLength(1);
    expect(await receivedBefore(bystander, open.roomId)).toEqual([]);
    expect((await api.connections()).map((view) => view.registered)).toEqual([
      [],
      ['sandbox.news'],
      [],
    ]);
  });

  it('gives a send to one registered socket at a time, and its reply to the sender', async () => {
    const { connect } = await setup();
    const workers = [await connect(), await connect()];
    for (const worker of workers) {
      worker.sendRaw(JSON.stringify({ type: 'register', address: 'sandbox.work' }));
    }
    const sender = await connect();
    sender.send('sandbox.work', { job: 1 });
    sender.send('sandbox.work', { job: 2 }, 'job-3-reply');
    const jobs = [await workers[0]?.next(), await workers[1]?.next()];
    expect(jobs.map((frame) => frame?.body)).toEqual([{ job: 1 }, { job: 2 }]);
    const asked = jobs[1] as { replyAddress?: unknown };
    expect(asked.replyAddress).toEqual(expect.stringMatching(/^[0-9a-f-]{36}$/));

    workers[1]?.send(String(asked.replyAddress), { done: 2 });
    expect(await sender.next()).toMatchObject({
      type: 'rec',
      address: 'job-3-reply',
      body: { done: 2 },
    });
  });

  it('answers a send to an address nobody handles or registered with NO_HANDLERS', async () => {
    const { connect } = await setup();
    const client = await connect();
    client.sendRaw(JSON.stringify({ type: 'register', address: 'sandbox.elsewhere' }));
    const answer = await client.request('sandbox.nobody', {});
    expect(answer).toMatchObject({ type: 'err', failureCode: -1, failureType: 'NO_HANDLERS' });
  });

  it("pushes a room's events to a joined socket that never registered, as VChatCloud does", async () => {
    const { api, open, connect } = await setup();
    const client = await connect();
    await client.join({ roomId: open.roomId, clientKey: 'unregistered', nickName: 'U' });
    await api.say(open.roomId, { clientKey: 'uAlice', message: 'hello' });
    expect(bodyOf(await client.push(`s2c.notify.message/${open.roomId}`))).toMatchObject({
      message: 'hello',
    });
  });
});

describe('failures', () => {
  it('says nothing about a failed send or publish without a reply address', async () => {
    const { open, connect } = await setup();
    const client = await connect();
    const refused = { roomId: open.roomId, clientKey: 'notJoined', nickName: 'N', message: 'hi' };
    client.send('c2s.send.message', refused);
    client.send('c2s.send.message', refused, undefined, 'publish');
    client.send('c2s.nothing', {});
    expect(await receivedBefore(client, open.roomId)).toEqual([]);
    // With a reply address the same refusal is answered.
    expect(await client.request('c2s.send.message', refused)).toMatchObject({
      type: 'err',
      failureCode: 10107,
    });
  });

  it("answers malformed frames with the bridge's error names and keeps serving", async () => {
    const { open, connect } = await setup();
    const client = await connect();
    const errorFor = async (frame: string) => {
      client.sendRaw(frame);
      return (await client.next()).body;
    };
    expect(await errorFor('{"type":')).toBe('invalid_json');
    expect(await errorFor('["send"]')).toBe('invalid_json');
    expect(await errorFor(JSON.stringify({ address: 'c2s.clientlist' }))).toBe('missing_type');
    expect(await errorFor(JSON.stringify({ type: 'shout', address: 'x' }))).toBe('invalid_type');
    expect(await errorFor(JSON.stringify({ type: 7, address: 'x' }))).toBe('invalid_type');
    expect(await errorFor(JSON.stringify({ type: 'send', body: {} }))).toBe('missing_address');
    expect(await errorFor(JSON.stringify({ type: 'register' }))).toBe('missing_address');
    const tooLong = 'r'.repeat(37);
    const send = { type: 'send', address: 'c2s.clientlist', body: { roomId: open.roomId } };
    expect(await errorFor(JSON.stringify({ ...send, replyAddress: tooLong }))).toBe(
      'invalid_reply_address',
    );
    expect(await errorFor(JSON.stringify({ ...send, replyAddress: 36 }))).toBe(
      'invalid_reply_address',
    );
    client.sendRaw(JSON.stringify({ ...send, replyAddress: 'r'.repeat(36) }));
    expect(await client.next()).toMatchObject({ type: 'rec', address: 'r'.repeat(36) });
  });
});

describe('HTTP on the WebSocket paths', () => {
  it('answers a plain GET on a WebSocket path with 400, and serves the SockJS greeting and info', async () => {
    const { sandbox } = await setup();
    const base = sandbox.vchatcloud.sockJsUrl;
    for (const path of ['/websocket', '/000/session1/websocket']) {
      const response = await fetch(`${base}${path}`);
      expect([response.status, await response.text()]).toEqual([
        400,
        'Can "Upgrade" only to "WebSocket".',
      ]);
    }
    const greeting = await fetch(base);
    expect(await greeting.text()).toBe('Welcome to SockJS!\n');
    const info = await fetch(`${base}/info`);
    expect(info.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await info.json()).toEqual({
      websocket: true,
      cookie_needed: false,
      origins: ['*:*'],
      entropy: expect.any(Number) as number,
    });
    expect((await fetch(`${base}/000/session1/xhr_streaming`, { method: 'POST' })).status).toBe(
      404,
    );
  });
});

/** A bare SockJS websocket session: the raw SockJS frames it received, and the close. */
async function openSockJs(url: string) {
  const socket = new WebSocket(url);
  onTestFinished(() => socket.terminate());
  const frames: string[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (data: Buffer) => {
    frames.push(data.toString('utf8'));
    waiters.splice(0).forEach((wake) => wake());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  /** The next SockJS frame not taken yet. */
  async function next(): Promise<string> {
    while (frames.length === 0) await new Promise<void>((wake) => waiters.push(wake));
    return frames.shift() as string;
  }
  return { socket, next, closed };
}

describe('SockJS framing', () => {
  it('opens with o, carries bridge frames inside a[…] both ways, and closes an idle session with c[1001,"Session expired"]', async () => {
    const { sandbox, open } = await setup({ eventbusPingTimeoutMs: 300 });
    const url = `${sandbox.vchatcloud.sockJsUrl.replace('http:', 'ws:')}/000/session1/websocket`;
    const session = await openSockJs(url);
    expect(await session.next()).toBe('o');

    const request = {
      type: 'send',
      address: 'c2s.clientlist',
      headers: {},
      body: { roomId: open.roomId },
      replyAddress: 'list-reply',
    };
    session.socket.send(
      JSON.stringify([JSON.stringify({ type: 'ping' }), JSON.stringify(request)]),
    );
    const reply = await session.next();
    expect(reply.startsWith('a[')).toBe(true);
    const [inner] = JSON.parse(reply.slice(1)) as string[];
    expect(JSON.parse(inner ?? '')).toMatchObject({ type: 'rec', address: 'list-reply' });

    // One JSON string is a message too; the bridge's own errors come framed the same way.
    session.socket.send(JSON.stringify('not a bridge frame'));
    expect(await session.next()).toBe(
      `a${JSON.stringify(['{"type":"err","body":"invalid_json"}'])}`,
    );

    expect(await session.next()).toBe('c[1001,"Session expired"]');
    expect(await session.closed).toEqual({ code: 1001, reason: 'Session expired' });
  });

  it('ends a session whose SockJS framing is broken with c[1002,"Broken framing."]', async () => {
    const { sandbox, api } = await setup();
    const url = `${sandbox.vchatcloud.sockJsUrl.replace('http:', 'ws:')}/000/session2/websocket`;
    const session = await openSockJs(url);
    expect(await session.next()).toBe('o');
    session.socket.send('{"type":"ping"}');
    expect(await session.next()).toBe('c[1002,"Broken framing."]');
    await session.closed;
    expect((await api.connections()).map((view) => view.closeReason)).toEqual(['broken framing']);
  });
});
