import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
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
const V = 'vcc/square';
const flag = [{ ruleId: 'r1', start: 0, end: 3 }];

function flagged(roomKey: string, id: string): ChatEvent {
  return chatEvent(roomKey, { id, text: 'bad words', flags: flag });
}

/** A FlipFlop room and a VChatCloud room, a flagged message and a plain one in each. */
function twoProviders(handlers: Parameters<typeof fakeDeck>[1] = {}, settings = {}) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [flagged(A, 'a1'), chatEvent(A, { id: 'a2' })],
      },
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [flagged(V, 'v1'), chatEvent(V, { id: 'v2' })],
      },
    ],
    handlers,
    settings,
  );
}

async function ready(): Promise<void> {
  await findRow('a2', A);
  await findRow('v2', V);
  await waitFor(() => row('v1', flaggedColumn()));
}

function count(): Element | null {
  return flaggedColumn().querySelector('.column-count');
}

describe('the Flagged column', () => {
  beforeEach(resetStores);

  it('takes a message out of the queue with its "Looks fine" button; a plain message has none', async () => {
    const { bridge } = twoProviders();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    expect(count()).toHaveTextContent('2');
    expect(
      within(row('a2', column(A))).queryByRole('button', { name: 'Looks fine' }),
    ).not.toBeInTheDocument();

    const button = within(row('v1', flaggedColumn())).getByRole('button', { name: 'Looks fine' });
    expect(button).toHaveAttribute('aria-keyshortcuts', 'e');
    expect(button).toHaveAttribute('title', 'Looks fine: mark as handled (e)');
    await user.click(button);
    expect(count()).toHaveTextContent('1');
    expect(bridge.calls.filter((call) => call.channel === 'flagged.markHandled')).toEqual([
      { channel: 'flagged.markHandled', input: { roomKey: V, id: 'v1' } },
    ]);
    // Handled in every view: the room's own row says so and offers the button no more.
    expect(row('v1', column(V))).toHaveAttribute('data-handled', 'true');
    expect(
      within(row('v1', column(V))).queryByRole('button', { name: 'Looks fine' }),
    ).not.toBeInTheDocument();
  });

  it('says why a message could not be marked handled, and it waits in the queue again', async () => {
    twoProviders({
      'flagged.markHandled': () => ({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'That message is no longer kept for its room.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(
      within(row('a1', flaggedColumn())).getByRole('button', { name: 'Looks fine' }),
    );
    expect(await screen.findByText(/^Could not mark it as handled: /)).toBeInTheDocument();
    expect(count()).toHaveTextContent('2');
    expect(row('a1', flaggedColumn())).not.toHaveAttribute('data-handled');
  });
});
