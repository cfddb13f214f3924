/**
 * The browser host on a user-data folder of its own (`--user-data DIR`): a second host on the same
 * folder finds what the first one's message history kept, through the contract, as the window
 * would ask for it.
 */
import { describe, expect, it } from 'vitest';
import { startHost } from '../e2e/host';
import type { ChatEvent } from '../../src/shared/chat';
import { useTempDir } from '../support/tempDir';
import { until } from '../support/until';

function firstMessage(host: Awaited<ReturnType<typeof startHost>>): ChatEvent | undefined {
  for (const room of host.core.feeds.openRooms()) {
    const found = host.core.feeds
      .snapshot(room.roomKey)
      .events.find((event) => event.kind === 'message' && event.user !== undefined);
    if (found) return found;
  }
  return undefined;
}

describe('the browser host with --user-data', () => {
  it('keeps the profile and the message history across a restart of the host', async () => {
    const dir = await useTempDir();
    const first = await startHost({ seed: 11, userDataDir: dir });
    let message: ChatEvent | undefined;
    try {
      // The window opens the deck's columns; here, the sandbox account's first room with chat.
      const account = first.core.accounts.records().find((record) => record.name === 'Sandbox');
      const rooms = await first.core.dispatch('rooms.list', { accountId: account!.id });
      const room = (rooms as { ok: true; value: { roomId: string; chat: string }[] }).value.find(
        (summary) => summary.chat === 'open',
      );
      await first.core.dispatch('rooms.open', { accountId: account!.id, roomId: room!.roomId });
      await until(
        first.core.events,
        () => (message = firstMessage(first)) !== undefined,
        'a message',
      );
    } finally {
      await first.close();
    }
    const said = message!;

    const second = await startHost({ seed: 12, userDataDir: dir });
    try {
      const accounts = second.core.accounts.records().map((record) => record.name);
      expect(accounts).toContain('Sandbox');
      const answer = await second.core.dispatch('history.search', {
        query: `from:"${said.user!.id}"`,
      });
      expect(answer.ok).toBe(true);
      const { results } = (answer as { ok: true; value: { results: ChatEvent[] } }).value;
      expect(results.map((event) => event.id)).toContain(said.id);
    } finally {
      await second.close();
    }
  });
});
