import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import {
  T0,
  batchOf,
  chatEvent,
  fakeDeck,
  findRow,
  openRoomOf,
  renderDeck,
  resetStores,
} from './deckHarness';

const A = 'acc/alpha';
const B = 'acc/beta';
const G = 'other/gamma';
const eve = { id: 'u-eve', name: 'eve' };

function at(seconds: number): Pick<ChatEvent, 'createdAt' | 'receivedAt'> {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

/** Eve writes in two rooms of one account; someone with her id writes in another account's room. */
function threeRooms() {
  return fakeDeck([
    {
      accountId: 'acc',
      roomId: 'alpha',
      name: 'Alpha',
      events: [
        chatEvent(A, { id: 'a1', user: eve, text: 'first from eve', ...at(10) }),
        chatEvent(A, { id: 'a2', user: { id: 'u-bob', name: 'bob' }, text: 'bob here', ...at(15) }),
        chatEvent(A, { id: 'a3', user: eve, text: 'third from eve', ...at(30) }),
      ],
    },
    {
      accountId: 'acc',
      roomId: 'beta',
      name: 'Beta',
      events: [
        chatEvent(B, {
          id: 'b1',
          user: eve,
          text: 'you are bad',
          flags: [{ ruleId: 'r-bad', start: 8, end: 11 }],
          ...at(20),
        }),
        chatEvent(B, { id: 'b2', user: eve, kind: 'join', text: '', ...at(5) }),
      ],
    },
    {
      accountId: 'other',
      roomId: 'gamma',
      name: 'Gamma',
      events: [chatEvent(G, { id: 'g1', user: eve, text: 'another eve entirely', ...at(25) })],
    },
  ]);
}

function historyTexts(card: HTMLElement): string[] {
  const list = within(card).getByRole('list', { name: 'Recent messages' });
  return within(list)
    .getAllByRole('listitem')
    .map((item) => (item.querySelector('.message-text')?.textContent ?? '').replace('⚑', ''));
}

describe('the user card', () => {
  beforeEach(resetStores);

  it('gathers the user’s messages from every open room of the account, newest first', async () => {
    const { bridge } = threeRooms();
    const user = userEvent.setup();
    renderDeck();
    const row = await findRow('a1', A);
    await findRow('g1', G);

    await user.click(within(row).getByRole('button', { name: 'eve' }));
    const card = await screen.findByRole('dialog', { name: 'eve' });

    expect(historyTexts(card)).toEqual(['third from eve', 'you are bad', 'first from eve']);
    expect(within(card).getByText('3 messages in 2 open rooms.')).toBeInTheDocument();
    expect(within(card).getByText('1 flagged')).toBeInTheDocument();
    // The flagged one is marked on its exact characters, in its room.
    const flaggedItem = within(card).getByText('bad', { selector: 'mark' }).closest('li');
    expect(flaggedItem).toHaveTextContent('Beta');

    // A new message from her in any of those rooms joins the top of the card.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([chatEvent(B, { id: 'b3', user: eve, text: 'newest', ...at(40) })]),
      ),
    );
    await waitFor(() => expect(historyTexts(card)[0]).toBe('newest'));
    expect(within(card).getByText('4 messages in 2 open rooms.')).toBeInTheDocument();
  });

  it('lists no entry whose text is blank: a user event, a data-only command, whitespace or invisible characters', async () => {
    const room = 'vcc/square';
    fakeDeck([
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [
          chatEvent(room, { id: 's1', user: eve, text: 'hello there', ...at(10) }),
          chatEvent(room, {
            id: 's2',
            kind: 'system',
            customType: 'mute',
            messageId: null,
            user: eve,
            text: '',
            ...at(11),
          }),
          chatEvent(room, { id: 's3', kind: 'command', user: eve, text: '', ...at(12) }),
          chatEvent(room, { id: 's4', user: eve, text: ' \n\t\n ', ...at(13) }),
          chatEvent(room, { id: 's5', user: eve, text: '\u200b\u3164\u2800', ...at(14) }),
          chatEvent(room, { id: 's6', user: eve, text: 'bye', ...at(15) }),
        ],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    const row = await findRow('s1', room);
    await user.click(within(row).getByRole('button', { name: 'eve' }));
    const card = await screen.findByRole('dialog', { name: 'eve' });

    expect(historyTexts(card)).toEqual(['bye', 'hello there']);
    expect(within(card).getByText('2 messages in 1 open room.')).toBeInTheDocument();
  });

  it('opens from the focused message with the c key', async () => {
    threeRooms();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);
    await user.keyboard('j'); // the newest message of the first room: eve's third
    await user.keyboard('c');
    const card = await screen.findByRole('dialog', { name: 'eve' });
    expect(historyTexts(card)).toHaveLength(3);
  });

  it('offers the actions the provider allows: a FlipFlop user gets a direct message', async () => {
    threeRooms();
    const user = userEvent.setup();
    renderDeck();
    const row = await findRow('a1', A);
    await user.click(within(row).getByRole('button', { name: 'eve' }));
    const card = await screen.findByRole('dialog', { name: 'eve' });

    await user.click(within(card).getByRole('button', { name: 'Direct message' }));
    const composer = await screen.findByRole('dialog', { name: 'Admin message' });
    expect(within(composer).getByRole('radio', { name: 'Direct message to users' })).toBeChecked();
    expect(within(composer).getByRole('listitem')).toHaveTextContent('eve (u-eve)');
    expect(within(composer).getByRole('combobox', { name: 'Room' })).toHaveValue(A);
  });

  it('offers no direct message where the provider has none', async () => {
    const square = {
      accountId: 'vcc',
      roomId: 'square',
      name: 'Square',
      provider: 'vchatcloud' as const,
      events: [chatEvent('vcc/square', { id: 'v1', user: eve, text: 'hi' })],
    };
    const room = { ...openRoomOf(square) };
    room.capabilities = { ...room.capabilities, directMessage: false };
    fakeDeck([square], {
      'rooms.open': () => ({ ok: true, value: room }),
      'feed.snapshot': () => ({ ok: true, value: { room, events: square.events } }),
    });
    const user = userEvent.setup();
    renderDeck();
    const row = await findRow('v1', 'vcc/square');
    await user.click(within(row).getByRole('button', { name: 'eve' }));
    const card = await screen.findByRole('dialog', { name: 'eve' });
    expect(within(card).getByText('1 message in 1 open room.')).toBeInTheDocument();
    expect(within(card).queryByRole('button', { name: 'Direct message' })).not.toBeInTheDocument();
  });
});
