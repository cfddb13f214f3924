/**
 * FlipFlop answers no well-behaved service gives: a chat-token refusal that echoes the account's
 * credentials, and chat server addresses ModDeck must not connect to. The window hears of them in
 * words, without the secret, and the feed goes on.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, recordFeeds, valueOf } from '../../support/core';
import { useFakeFlipFlop } from '../../support/fakeFlipFlop';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const APP_KEY = 'echo-app-key';
const SECRET = 'sk_live_9d3f1a7c5e2b';
const BASIC = Buffer.from(`${APP_KEY}:${SECRET}`).toString('base64');

describe('a FlipFlop answer that echoes the credentials', () => {
  it('reaches the window redacted, in the room status events and in the answers that carry it', async () => {
    // The refusal quotes the secret and the Basic value bare, where no `name: value` rule sees them.
    const fake = await useFakeFlipFlop((authorization) => ({
      status: 403,
      body: {
        errorCode: 'CHAT_TOKEN_REFUSED',
        errorMessage: `app ${APP_KEY} sent ${authorization.replace('Basic ', '')} (${SECRET}); refused`,
      },
    }));
    const { core } = await buildTestCore(await useTempDir(), {
      live: { reconnect: { baseDelayMs: 50, maxDelayMs: 200 } },
    });
    onTestFinished(() => core.dispose());
    const feeds = recordFeeds(core);
    const account = valueOf(
      await call(core, 'accounts.save', {
        provider: 'flipflop',
        name: 'Echoing service',
        baseUrl: fake.baseUrl,
        appApiKey: APP_KEY,
        moderator: { appUserId: 'moderator1' },
        secret: SECRET,
      }),
    );
    const roomKey = `${account.id}/1001`;
    valueOf(await call(core, 'rooms.open', { accountId: account.id, roomId: '1001' }));
    await until(
      core.events,
      () => feeds.statuses.some((status) => status.error?.code === 'CHAT_TOKEN_REFUSED'),
      'the refusal in a room status',
    );
    expect(fake.authorizations).toContain(`Basic ${BASIC}`);

    const refused = feeds.statuses.filter((status) => status.error !== undefined);
    for (const status of refused) {
      expect(status).toMatchObject({ roomKey, state: 'reconnecting' });
      expect(status.error?.message).toBe(`app ${APP_KEY} sent [redacted] ([redacted]); refused`);
    }
    // The room keeps its status: opening another room of the account, and the room's snapshot,
    // answer with it.
    const other = valueOf(
      await call(core, 'rooms.open', { accountId: account.id, roomId: '1002' }),
    );
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey }));
    for (const text of [
      JSON.stringify(feeds.statuses),
      JSON.stringify(other.status),
      JSON.stringify(snapshot.room.status),
    ]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(BASIC);
    }
    expect(snapshot.room.status.error?.code).toBe('CHAT_TOKEN_REFUSED');
  });
});
