/**
 * A detector rule's backtest over the stored history as well as the buffered messages: the button
 * beside the buffered result, its answer listed latest first, and the button off (with the reason)
 * when this ModDeck has no history to read.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestOutput, Result, StoredDetectorHit } from '../../../src/shared/contract';
import { T0, chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';
import type { FakeHandlers } from './fakeBridge';

const A = 'acc/alpha';

const SIZE = { ok: true as const, value: { bytes: 4096, usedBytes: 4096, events: 3, actions: 0 } };

function hit(seconds: number, text: string, roomName: string | null): StoredDetectorHit {
  return {
    seq: seconds,
    roomKey: A,
    roomName,
    eventId: `stored-${seconds}`,
    userId: 'spammer',
    userName: 'Spammer',
    text,
    reason: 'same message 3 times in 12 s',
    at: T0 - 3_600_000 + seconds * 1000,
  };
}

function deck(handlers: FakeHandlers) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, {
            id: 'a1',
            text: 'hello',
            user: { id: 'fan', name: 'Fan' },
            createdAt: T0,
            receivedAt: T0,
          }),
        ],
      },
    ],
    handlers,
  );
}

/** Opens the repeats rule's details in Settings → Automod and runs the buffered backtest. */
async function bufferedBacktest(user: ReturnType<typeof userEvent.setup>) {
  await findRow('a1', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: 'Automod' }));
  const panel = await screen.findByRole('tabpanel', { name: 'Automod' });
  const details = panel.querySelector('details[data-rule-id="automod-repeats"]') as HTMLElement;
  await user.click(within(details).getByText('Repeated messages: parameters'));
  await user.click(within(details).getByRole('button', { name: 'Backtest Repeated messages' }));
  within(details).getByRole('region', { name: 'What Repeated messages would flag' });
  return details;
}

describe('a detector backtest over the stored history', () => {
  beforeEach(resetStores);

  it('replays the stored history on request and lists what it flags, latest first', async () => {
    let answer!: (result: Result<RequestOutput<'history.backtestDetector'>>) => void;
    const { bridge } = deck({
      'history.size': () => SIZE,
      'history.backtestDetector': () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const user = userEvent.setup();
    renderDeck();
    const details = await bufferedBacktest(user);
    const stored = within(details).getByRole('button', {
      name: 'Test Repeated messages against the stored history',
    });
    await waitFor(() => expect(stored).toBeEnabled());
    expect(stored).toHaveAccessibleDescription(
      'The message history on this computer can be replayed too: the last 24 hours, at most the latest 200,000 messages.',
    );
    await user.click(stored);
    expect(stored).toBeDisabled();
    expect(within(details).getByText('Replaying the stored history…')).toBeInTheDocument();
    const call = bridge.calls.find((entry) => entry.channel === 'history.backtestDetector');
    expect(call?.input).toMatchObject({
      rule: { id: 'automod-repeats', kind: 'repeats', params: { count: 3 } },
      hours: 24,
      maxMessages: 200_000,
    });

    answer({
      ok: true,
      value: {
        scanned: 12_345,
        flagged: 60,
        // The store never heard the first one's room named: the open room's name stands in.
        hits: [hit(1, 'first <b>spam</b>', null), hit(2, 'second spam', 'Alpha yesterday')],
        from: T0 - 3_600_000,
        to: T0 - 60_000,
        hours: 24,
        maxMessages: 200_000,
      },
    });
    const result = await within(details).findByRole('region', {
      name: 'What Repeated messages would flag in the stored history',
    });
    expect(within(result).getByRole('status').textContent).toMatch(
      /^Replayed 12,345 stored messages from .+ to .+: 60 flagged, the latest first\.$/,
    );
    const rows = within(result).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-event-id'))).toEqual([
      'stored-2',
      'stored-1',
      null,
    ]);
    expect(rows[0]?.querySelector('.row-room')?.textContent).toBe('Alpha yesterday');
    expect(rows[1]?.querySelector('.row-room')?.textContent).toBe('Alpha');
    expect(rows[0]?.textContent).toContain('Spammer: same message 3 times in 12 s');
    // Chat text stays text.
    expect(rows[1]?.textContent).toContain('first <b>spam</b>');
    expect(rows[1]?.querySelector('b')).toBeNull();
    expect(rows[2]?.textContent).toBe('and 58 more');
    expect(stored).toBeEnabled();
  });

  it('keeps the button off and says why when this ModDeck keeps no history', async () => {
    const { bridge } = deck({
      'history.size': () => ({
        ok: false,
        error: { code: 'UNSUPPORTED', message: 'This ModDeck keeps no message history.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const details = await bufferedBacktest(user);
    const stored = within(details).getByRole('button', {
      name: 'Test Repeated messages against the stored history',
    });
    await waitFor(() =>
      expect(stored).toHaveAccessibleDescription(
        'This ModDeck keeps no message history, so there is none to test.',
      ),
    );
    expect(stored).toBeDisabled();
    await user.click(stored);
    expect(bridge.calls.some((entry) => entry.channel === 'history.backtestDetector')).toBe(false);
  });

  it('keeps the button off when the history cannot be read, and says a failed replay', async () => {
    let readable = false;
    deck({
      'history.size': () =>
        readable ? SIZE : { ok: false, error: { code: 'INTERNAL', message: 'the store stopped' } },
      'history.backtestDetector': () => ({
        ok: false,
        error: { code: 'STORAGE', message: 'disk I/O error' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const details = await bufferedBacktest(user);
    const stored = within(details).getByRole('button', {
      name: 'Test Repeated messages against the stored history',
    });
    await waitFor(() =>
      expect(stored).toHaveAccessibleDescription(
        'The message history cannot be read now: ModDeck hit an unexpected problem',
      ),
    );
    expect(stored).toBeDisabled();

    // Another rule's details ask again; this time the history answers, but the replay fails.
    readable = true;
    const caps = details.parentElement?.querySelector(
      'details[data-rule-id="automod-caps"]',
    ) as HTMLElement;
    await user.click(within(caps).getByText('Capitals: parameters'));
    await user.click(within(caps).getByRole('button', { name: 'Backtest Capitals' }));
    const capsStored = within(caps).getByRole('button', {
      name: 'Test Capitals against the stored history',
    });
    await waitFor(() => expect(capsStored).toBeEnabled());
    await user.click(capsStored);
    expect((await within(caps).findByRole('alert')).textContent).toMatch(
      /^The stored history could not be tested: /,
    );
  });
});
