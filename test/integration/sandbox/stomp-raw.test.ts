/**
 * The Gossip server at the byte level, with no STOMP library: framing, header escaping, receipts,
 * heart-beats, versions and the ERROR-then-close rule (STOMP 1.2 specification).
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  control,
  frameText,
  memberToken,
  RawStompClient,
  seededRooms,
  useSandbox,
  type ChatTokenAnswer,
} from './support';

function connectHeaders(token: ChatTokenAnswer): Record<string, string> {
  return {
    'accept-version': '1.2',
    host: '127.0.0.1',
    token: token.chatToken,
    appid: token.appId,
    userid: token.userId,
    username: token.userName ?? token.userId,
  };
}

/** Waits for `promise`, failing at once instead if the server closes the client's connection. */
function whileOpen<T>(client: RawStompClient, promise: Promise<T>): Promise<T> {
  const closed = client.closed.then(({ code, reason }): never => {
    throw new Error(`the server closed the connection: ${code} ${reason}`);
  });
  return Promise.race([promise, closed]);
}

describe('Gossip STOMP frames', () => {
  it('answers CONNECT with CONNECTED, negotiating version and heart-beats', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, heartbeatMs: 30 });
    const token = await memberToken(sandbox);
    const client = await RawStompClient.open(token.chatServerWebSocketUrl);
    expect(client.socket.protocol).toBe('v12.stomp');
    client.send(
      frameText('CONNECT', {
        ...connectHeaders(token),
        'accept-version': '1.0,1.1,1.2',
        'heart-beat': '0,10',
      }),
    );
    const connected = await client.next();
    expect(connected.command).toBe('CONNECTED');
    expect(connected.headers['version']).toBe('1.2');
    expect(connected.headers['heart-beat']).toBe('30,30');
    expect(connected.headers['session']).toMatch(/^c\d+$/);
    // The client asked for beats every 10 ms, the server offers 30: it beats every max = 30 ms.
    await client.heartbeats(3);
    expect(client.parser.heartbeats).toBeGreaterThanOrEqual(3);
  });

  it('sends no heart-beats to a client that offers 0,0 and does not close it for its silence', async () => {
    const heartbeatMs = 30;
    const sandbox = await useSandbox({ ratePerRoom: 0, heartbeatMs });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client, connected } = await RawStompClient.connect(token, { 'heart-beat': '0,0' });
    // CONNECTED states what the server can do (its own sx,sy); the client's 0,0 turns both off.
    expect(connected.headers['heart-beat']).toBe(`${heartbeatMs},${heartbeatMs}`);

    // A second client that asks for beats is the clock. The server beats it at most every half
    // period, so its twelfth beat comes six periods on: three times the silence the server
    // tolerates from a client it expects beats from.
    const { client: paced } = await RawStompClient.connect(token, {
      'heart-beat': `0,${heartbeatMs}`,
    });
    await whileOpen(paced, paced.heartbeats(12));

    // The receipt is the barrier: anything the server sent the silent client before it is here.
    await whileOpen(
      client,
      client.withReceipt('SUBSCRIBE', {
        id: 'mine',
        destination: `/topic/dm/${live.channelKey}/user/${token.userId}`,
      }),
    );
    expect(client.parser.heartbeats).toBe(0);
    expect(client.received.map((frame) => frame.command)).toEqual(['CONNECTED', 'RECEIPT']);
  });

  it('accepts the STOMP command, the 1.1 subprotocol, and a 1.0 client without accept-version', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);

    const stomp = await RawStompClient.open(token.chatServerWebSocketUrl, ['v11.stomp']);
    expect(stomp.socket.protocol).toBe('v11.stomp');
    stomp.send(frameText('STOMP', { ...connectHeaders(token), 'accept-version': '1.1,1.2' }));
    // The subprotocol caps the version: v11.stomp speaks 1.1 even though 1.2 was offered.
    expect((await stomp.next()).headers['version']).toBe('1.1');

    const old = await RawStompClient.open(token.chatServerWebSocketUrl, ['v10.stomp']);
    const { 'accept-version': _ignored, ...withoutVersion } = connectHeaders(token);
    old.send(frameText('CONNECT', withoutVersion));
    const connected = await old.next();
    expect(connected.command).toBe('CONNECTED');
    expect(connected.headers['version']).toBe('1.0');
  });

  it('refuses a version it does not speak with ERROR and closes', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    const client = await RawStompClient.open(token.chatServerWebSocketUrl, []);
    client.send(frameText('CONNECT', { ...connectHeaders(token), 'accept-version': '2.0' }));
    const error = await client.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers['version']).toBe('1.2,1.1,1.0');
    await client.closed;
  });

  it('parses several frames in one WebSocket message, a frame split over three, CR LF lines and content-length bodies', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const client = await RawStompClient.open(token.chatServerWebSocketUrl);
    // CONNECT with CR LF line endings and a heart-beat (a lone EOL) in front of it.
    const connect = frameText('CONNECT', connectHeaders(token)).replace(/\n/g, '\r\n');
    client.send(`\r\n${connect}`);
    expect((await client.next()).command).toBe('CONNECTED');

    // Two frames in one message.
    client.send(
      frameText('SUBSCRIBE', { id: 'room', destination: `/topic/chat/${live.channelKey}` }) +
        frameText('SUBSCRIBE', {
          id: 'mine',
          destination: `/topic/dm/${live.channelKey}/user/${token.userId}`,
          receipt: 'both',
        }),
    );
    expect((await client.next((frame) => frame.command === 'RECEIPT')).headers['receipt-id']).toBe(
      'both',
    );

    // One SEND split over three WebSocket messages, with a body sized by content-length.
    const body = JSON.stringify({
      channel_key: live.channelKey,
      user: { id: token.userId },
      message_type: 'MESSAGE',
      message: '한국어 and English',
    });
    const send = Buffer.from(
      `SEND\ndestination:/app/chat\ncontent-type:application/json\ncontent-length:${Buffer.byteLength(body)}\nreceipt:sent\n\n${body}\0`,
    );
    client.send(send.subarray(0, 10));
    client.send(send.subarray(10, 60));
    client.send(send.subarray(60));
    await client.next(
      (frame) => frame.command === 'RECEIPT' && frame.headers['receipt-id'] === 'sent',
    );
    const message = await client.next(
      (frame) => frame.command === 'MESSAGE' && frame.body.includes('한국어'),
    );
    expect(message.headers['subscription']).toBe('room');
    expect(message.headers['destination']).toBe(`/topic/chat/${live.channelKey}`);
    expect(Number(message.headers['content-length'])).toBe(Buffer.byteLength(message.body));
    expect(JSON.parse(message.body)).toMatchObject({ message: '한국어 and English' });
  });

  it('escapes and unescapes header values as STOMP 1.2 says', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    // A subscription id with a colon, a backslash, a line feed and a carriage return, escaped.
    const escapedId = 'a\\cb\\\\c\\nd\\re';
    client.send(
      `SUBSCRIBE\nid:${escapedId}\ndestination:/topic/chat/${live.channelKey}\nreceipt:x\\cy\n\n\0`,
    );
    const receipt = await client.next((frame) => frame.command === 'RECEIPT');
    expect(receipt.headers['receipt-id']).toBe('x:y');
    expect(receipt.rawHeaders).toContain('receipt-id:x\\cy');
    const message = await client.next((frame) => frame.command === 'MESSAGE');
    expect(message.headers['subscription']).toBe('a:b\\c\nd\re');
    expect(message.rawHeaders).toContain(`subscription:${escapedId}`);

    // An escape STOMP 1.2 does not define is a fatal error.
    client.send(`SUBSCRIBE\nid:bad\\t\ndestination:/topic/chat/${live.channelKey}\n\n\0`);
    const error = await client.next((frame) => frame.command === 'ERROR');
    expect(error.headers['message']).toMatch(/escape/i);
    await client.closed;
  });

  it('sends receipts for SUBSCRIBE, SEND, UNSUBSCRIBE, BEGIN/COMMIT and DISCONNECT, then closes', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const { live } = await seededRooms(sandbox);
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    const destination = `/topic/chat/${live.channelKey}`;
    await client.withReceipt('SUBSCRIBE', { id: 's1', destination });
    const chat = (message: string) =>
      JSON.stringify({
        channel_key: live.channelKey,
        user: { id: token.userId },
        message_type: 'MESSAGE',
        message,
      });
    await client.withReceipt('BEGIN', { transaction: 't1' });
    await client.withReceipt(
      'SEND',
      { destination: '/app/chat', transaction: 't1' },
      chat('in a transaction'),
    );
    await client.withReceipt('SEND', { destination: '/app/chat' }, chat('outside'));
    await client.withReceipt('COMMIT', { transaction: 't1' });
    const texts = (await client.messages('s1', 3)).map(
      (frame) => JSON.parse(frame.body) as { message: string },
    );
    // JOIN first, then the plain SEND, then the committed one: a transaction holds its sends.
    expect(texts.map((item) => item.message)).toEqual(['', 'outside', 'in a transaction']);

    await client.withReceipt('UNSUBSCRIBE', { id: 's1' });
    const [connection] = (
      await control<{ userId: string; subscriptions: unknown[] }[]>(sandbox, 'GET', '/connections')
    ).json;
    expect(connection?.subscriptions).toEqual([]);

    client.send(frameText('DISCONNECT', { receipt: 'bye' }));
    expect((await client.next()).headers['receipt-id']).toBe('bye');
    expect((await client.closed).code).toBe(1000);
  });

  it('answers a bad chat token with ERROR and closes the socket', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    const client = await RawStompClient.open(token.chatServerWebSocketUrl);
    client.send(frameText('CONNECT', { ...connectHeaders(token), token: 'not-a-token' }));
    const error = await client.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers['message']).toBe('Invalid chat token');
    expect(error.headers['content-type']).toBe('text/plain');
    expect(error.body.length).toBe(Number(error.headers['content-length']));
    expect((await client.closed).code).toBe(1008);
  });

  it('refuses a CONNECT without the documented headers, a mismatched userid, and frames before CONNECT', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);

    const missing = await RawStompClient.open(token.chatServerWebSocketUrl);
    const { username: _username, appid: _appid, ...partial } = connectHeaders(token);
    missing.send(frameText('CONNECT', partial));
    const error = await missing.next();
    expect(error.command).toBe('ERROR');
    expect(error.body).toMatch(/appid, username/);
    await missing.closed;

    const impostor = await RawStompClient.open(token.chatServerWebSocketUrl);
    impostor.send(frameText('CONNECT', { ...connectHeaders(token), userid: 'someoneElse' }));
    expect((await impostor.next()).headers['message']).toMatch(/userid/);
    await impostor.closed;

    const early = await RawStompClient.open(token.chatServerWebSocketUrl);
    early.send(frameText('SUBSCRIBE', { id: '1', destination: '/topic/chat/x' }));
    expect((await early.next()).headers['message']).toBe('Not connected');
    await early.closed;
  });

  it('closes a client whose heart-beats stop, and keeps one that beats', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0, heartbeatMs: 40 });
    const token = await memberToken(sandbox);
    // Promises to beat every 20 ms (the server expects max(20, 40) = 40 ms), then never does.
    const { client: silent } = await RawStompClient.connect(token, { 'heart-beat': '20,0' });
    const { client: alive } = await RawStompClient.connect(token, { 'heart-beat': '20,0' });
    // The live client beats well inside the limit; the test waits on the silent one's close.
    const beating = setInterval(() => alive.send('\n'), 5);
    await silent.closed;
    clearInterval(beating);
    const connections = (
      await control<{ id: string; open: boolean; closeReason: string | null }[]>(
        sandbox,
        'GET',
        '/connections',
      )
    ).json;
    expect(connections.map((item) => [item.open, item.closeReason])).toEqual([
      [false, 'heartbeat'],
      [true, null],
    ]);
  });

  it('refuses SUBSCRIBE to unknown destinations and SEND to unknown ones with ERROR', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const token = await memberToken(sandbox);
    const { client } = await RawStompClient.connect(token);
    client.send(frameText('SUBSCRIBE', { id: '1', destination: '/queue/elsewhere', receipt: 'r' }));
    const error = await client.next();
    expect(error.command).toBe('ERROR');
    expect(error.headers['message']).toBe('Unknown destination');
    expect(error.headers['receipt-id']).toBe('r');
    await client.closed;

    const { client: sender } = await RawStompClient.connect(token);
    sender.send(frameText('SEND', { destination: '/app/chat' }, 'not json'));
    expect((await sender.next()).headers['message']).toBe('The body is not JSON');
    await sender.closed;
  });

  it('does not upgrade paths other than /gossip', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const socket = new WebSocket(`${sandbox.flipflop.baseUrl.replace('http:', 'ws:')}/elsewhere`);
    const status = await new Promise<number>((resolve) => {
      socket.on('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      socket.on('error', () => undefined);
    });
    expect(status).toBe(404);
  });
});
