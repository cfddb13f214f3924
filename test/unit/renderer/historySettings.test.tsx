import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';
const ROOMS = [
  { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] },
];

async function openHistory(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a1', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: 'Message history' }));
  return screen.findByRole('tabpanel', { name: 'Message history' });
}

describe('Settings: the message history', () => {
  beforeEach(resetStores);

  it('shows what is kept, and clears it only once the second question is answered', async () => {
    let size = { bytes: 3 * 1_048_576, usedBytes: 3 * 1_048_576, events: 12_345, actions: 6 };
    const cleared: number[] = [];
    fakeDeck(ROOMS, {
      'history.size': () => ({ ok: true, value: size }),
      'history.clear': () => {
        cleared.push(size.events);
        size = { bytes: 4096, usedBytes: 4096, events: 0, actions: 0 };
        return { ok: true, value: size };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openHistory(user);

    expect(await within(panel).findByRole('status')).toHaveTextContent(
      '12,345 messages and 6 actions kept, 3 MB on disk.',
    );
    await user.click(within(panel).getByRole('button', { name: 'Clear history…' }));
    const question = within(panel).getByRole('group', {
      name: 'Forget every stored message and action? This cannot be undone.',
    });
    await user.click(within(question).getByRole('button', { name: 'Keep it' }));
    expect(cleared).toEqual([]);

    await user.click(within(panel).getByRole('button', { name: 'Clear history…' }));
    await user.click(within(panel).getByRole('button', { name: 'Clear history' }));
    expect(await within(panel).findByText(/^History cleared: 0 messages/)).toHaveTextContent(
      'History cleared: 0 messages and 0 actions kept, 0 MB on disk.',
    );
    expect(cleared).toEqual([12_345]);
  });

  it('says so when this ModDeck keeps no history, and offers nothing to clear', async () => {
    fakeDeck(ROOMS, {
      'history.size': () => ({
        ok: false,
        error: { code: 'UNSUPPORTED', message: 'This ModDeck keeps no message history.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openHistory(user);
    expect(await within(panel).findByText('This ModDeck keeps no message history.')).toBeVisible();
    expect(within(panel).queryByRole('button', { name: 'Clear history…' })).toBeNull();
  });
});
