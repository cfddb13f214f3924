import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  chatEvent,
  column,
  fakeDeck,
  findRow,
  flaggedColumn,
  renderDeck,
  resetStores,
  row,
} from './deckHarness';

const A = 'acc/alpha';

describe('a first-time chatter in the deck', () => {
  beforeEach(resetStores);

  it('shows a mark with words, named for screen readers, on the first message only', async () => {
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'f1', text: 'hi, new here', first: 'marked' }),
          chatEvent(A, { id: 'p1', text: 'hello again' }),
        ],
      },
    ]);
    renderDeck();
    const first = await findRow('f1', A);
    expect(within(first).getByText('First message')).toBeVisible();
    expect(first).toHaveAccessibleName(expect.stringContaining('First message in this room'));
    expect(first).toHaveAttribute('data-first', 'marked');
    const plain = await findRow('p1', A);
    expect(within(plain).queryByText('First message')).toBeNull();
    expect(plain).not.toHaveAccessibleName(expect.stringContaining('First message'));
    // Marked only: it does not wait in the Flagged queue.
    expect(flaggedColumn().querySelector('article[data-message-id="f1"]')).toBeNull();
  });

  it('lists a raised first message in the Flagged column, where it can be marked handled', async () => {
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [chatEvent(A, { id: 'f1', text: 'hi, new here', first: 'raised' })],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('f1', A);
    await waitFor(() => row('f1', flaggedColumn()));
    const raised = row('f1', flaggedColumn());
    expect(raised).toHaveAccessibleName(expect.stringContaining('First message in this room'));
    await user.hover(raised);
    await user.click(within(raised).getByRole('button', { name: 'Looks fine' }));
    await waitFor(() => expect(row('f1', column(A))).toHaveAttribute('data-handled', 'true'));
  });
});

describe('is:first in the live deck', () => {
  beforeEach(resetStores);

  it('finds the messages main marked as first, marked or raised, and nothing else', async () => {
    fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          events: [
            chatEvent(A, { id: 'f1', text: 'hi, new here', first: 'marked' }),
            chatEvent(A, { id: 'p1', text: 'hello again' }),
            chatEvent(A, { id: 'f2', text: 'me too', first: 'raised' }),
          ],
        },
      ],
      {
        'history.search': () => ({
          ok: false,
          error: { code: 'UNSUPPORTED', message: 'This ModDeck keeps no message history.' },
        }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('p1', A);
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    const panel = await screen.findByRole('dialog', { name: 'Search' });
    await user.type(
      within(panel).getByRole('searchbox', { name: 'Search messages' }),
      'is:first{Enter}',
    );
    await waitFor(() => {
      const options = within(within(panel).getByRole('listbox', { name: 'Results' })).getAllByRole(
        'option',
      );
      expect(options.map((option) => option.dataset.resultKey?.split('#')[1])).toEqual([
        'f2',
        'f1',
      ]);
    });
  });
});

describe('Settings: what is kept and what a first-time chatter gets', () => {
  beforeEach(resetStores);

  async function openHistory(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
    await findRow('a1', A);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Message history' }));
    return screen.findByRole('tabpanel', { name: 'Message history' });
  }

  function deck() {
    return fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'history.size': () => ({
          ok: true,
          value: { bytes: 4096, usedBytes: 4096, events: 1, actions: 0 },
        }),
      },
    );
  }

  it('changes the days and gigabytes kept when applied, and refuses what is out of bounds', async () => {
    const { settings } = deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openHistory(user);
    const days = within(panel).getByRole('spinbutton', { name: 'Days to keep (1–3,650)' });
    const size = within(panel).getByRole('spinbutton', { name: 'Largest size in GB (0.1–100)' });
    expect(days).toHaveValue(30);
    expect(size).toHaveValue(2);

    await user.clear(days);
    await user.type(days, '0');
    await user.click(within(panel).getByRole('button', { name: 'Apply' }));
    expect(within(panel).getByRole('alert')).toHaveTextContent(/Days must be a whole number/);
    expect(settings.history.keepDays).toBe(30);

    await user.clear(days);
    await user.type(days, '7');
    await user.clear(size);
    await user.type(size, '0.5');
    await user.click(within(panel).getByRole('button', { name: 'Apply' }));
    await waitFor(() => expect(settings.history).toMatchObject({ keepDays: 7, maxGigabytes: 0.5 }));
    expect(await within(panel).findByText('Kept for 7 days, at most 0.5 GB.')).toBeVisible();
  });

  it('switches first-time chatters between a mark only and the Flagged queue with a notice', async () => {
    const { settings } = deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openHistory(user);
    const group = within(panel).getByRole('group', { name: 'First-time chatters' });
    expect(within(group).getByRole('radio', { name: 'Mark only' })).toBeChecked();
    await user.click(within(group).getByRole('radio', { name: 'Also put in Flagged and notify' }));
    await waitFor(() => expect(settings.history.firstChatters).toBe('flag'));
    expect(
      within(group).getByRole('radio', { name: 'Also put in Flagged and notify' }),
    ).toBeChecked();
  });
});
