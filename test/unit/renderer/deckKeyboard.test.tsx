import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BINDING_NAMES, KEYMAP } from '../../../src/renderer/src/keymap';
import type { ChatEvent } from '../../../src/shared/chat';
import {
  T0,
  batchOf,
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
const B = 'acc/beta';

function at(seconds: number): Pick<ChatEvent, 'createdAt' | 'receivedAt'> {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

/** Two rooms whose messages interleave in time; one flagged message in each. */
function twoRooms(settingsPatch = {}) {
  const alpha = [
    chatEvent(A, { id: 'a1', ...at(10) }),
    chatEvent(A, {
      id: 'a2',
      text: 'you are bad',
      flags: [{ ruleId: 'r1', start: 8, end: 11 }],
      ...at(30),
    }),
    chatEvent(A, { id: 'a3', ...at(50) }),
  ];
  const beta = [
    chatEvent(B, {
      id: 'b1',
      text: 'bad start',
      flags: [{ ruleId: 'r1', start: 0, end: 3 }],
      ...at(20),
    }),
    chatEvent(B, { id: 'b2', ...at(41) }),
    chatEvent(B, { id: 'b3', ...at(70) }),
  ];
  const deck = fakeDeck(
    [
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: alpha },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: beta },
    ],
    {},
    settingsPatch,
  );
  return deck;
}

function focused(): { column: string | null; id: string | null } {
  const element = document.querySelector<HTMLElement>('article.row-focused');
  if (!element) return { column: null, id: null };
  const section = element.closest('section');
  return {
    column: section?.getAttribute('data-room-key') ?? section?.getAttribute('data-column') ?? null,
    id: element.getAttribute('data-message-id'),
  };
}

async function ready(): Promise<void> {
  await findRow('a3', A);
  await findRow('b3', B);
}

describe('the deck keyboard', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('moves within a room with j and k, and with ↓ and ↑', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('j');
    expect(focused()).toEqual({ column: A, id: 'a3' });
    expect(document.activeElement).toBe(row('a3', column(A)));

    await user.keyboard('k');
    expect(focused()).toEqual({ column: A, id: 'a2' });
    await user.keyboard('{ArrowUp}');
    expect(focused()).toEqual({ column: A, id: 'a1' });
    await user.keyboard('k');
    expect(focused()).toEqual({ column: A, id: 'a1' });
    await user.keyboard('{ArrowDown}');
    expect(focused()).toEqual({ column: A, id: 'a2' });
    await user.keyboard('j');
    expect(focused()).toEqual({ column: A, id: 'a3' });
    expect(document.activeElement).toBe(row('a3', column(A)));
  });

  it('moves between rooms with h and l, and with ← and →, to the message nearest in time', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk'); // a2, at 30 s
    await user.keyboard('l');
    expect(focused()).toEqual({ column: B, id: 'b1' }); // 20 s is nearest to 30 s
    await user.keyboard('j');
    expect(focused()).toEqual({ column: B, id: 'b2' }); // 41 s
    await user.keyboard('{ArrowLeft}');
    expect(focused()).toEqual({ column: A, id: 'a3' }); // 50 s is nearest to 41 s
    await user.keyboard('{ArrowRight}');
    expect(focused()).toEqual({ column: B, id: 'b2' });
    expect(document.activeElement).toBe(row('b2', column(B)));

    // Left of the first room is the Flagged column, right of the last room is nothing.
    await user.keyboard('l');
    expect(focused()).toEqual({ column: B, id: 'b2' });
    await user.keyboard('hh');
    expect(focused().column).toBe('flagged');
    expect(flaggedColumn().contains(document.activeElement)).toBe(true);
  });

  it('takes n to the flagged message waiting longest, in the Flagged column, and e marks it handled', async () => {
    // A minute after the last message: every flagged one is of the last five minutes.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(T0 + 130_000);
    const { bridge } = twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    const count = () => flaggedColumn().querySelector('.column-count');
    expect(count()).toHaveTextContent('2');
    expect(count()).toHaveAccessibleName('2 flagged messages and DMs waiting');

    // Oldest first (b1 at 20 s, then a2 at 30 s), in the Flagged column: no room column moves.
    await user.keyboard('n');
    expect(focused()).toEqual({ column: 'flagged', id: 'b1' });
    expect(document.activeElement).toBe(row('b1', flaggedColumn()));
    expect(column(A).querySelector('.feed')).not.toHaveAttribute('data-paused');
    expect(column(B).querySelector('.feed')).not.toHaveAttribute('data-paused');
    await user.keyboard('n');
    expect(focused()).toEqual({ column: 'flagged', id: 'a2' });
    await user.keyboard('n');
    expect(focused()).toEqual({ column: 'flagged', id: 'b1' });

    await user.keyboard('e');
    expect(count()).toHaveTextContent('1');
    expect(bridge.calls.filter((call) => call.channel === 'flagged.markHandled')).toEqual([
      { channel: 'flagged.markHandled', input: { roomKey: B, id: 'b1' } },
    ]);
    // It stays where the cursor is while the column is paused, saying it is handled.
    expect(row('b1', flaggedColumn())).toHaveAttribute('data-handled', 'true');
    expect(within(row('b1', flaggedColumn())).getByText('Handled')).toBeInTheDocument();
    // e on a message that waits for nothing keeps its usual meaning: nothing happens.
    await user.keyboard('n');
    expect(focused()).toEqual({ column: 'flagged', id: 'a2' });
    await user.keyboard('lj');
    expect(focused()).toEqual({ column: A, id: 'a3' });
    await user.keyboard('e');
    expect(bridge.calls.filter((call) => call.channel === 'flagged.markHandled')).toHaveLength(1);

    // Back to live, the queue lists what waits; the filter lists the handled one again.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(flaggedColumn().querySelector('[data-message-id="b1"]')).toBeNull());
    expect(row('a2', flaggedColumn())).toBeInTheDocument();
    await user.click(within(flaggedColumn()).getByRole('button', { name: 'Show handled' }));
    expect(within(flaggedColumn()).getByRole('button', { name: 'Show handled' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    await waitFor(() => expect(row('b1', flaggedColumn())).toHaveAttribute('data-handled', 'true'));
    expect(count()).toHaveTextContent('1');
  });

  it('clears the focus with Esc', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('j');
    expect(focused().id).toBe('a3');
    await user.keyboard('{Escape}');
    expect(focused()).toEqual({ column: null, id: null });
    expect(column(A).getAttribute('data-paused')).toBeNull();
  });

  it('jumps to the newest message of the focused room with End and with G', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jkk');
    expect(focused()).toEqual({ column: A, id: 'a1' });
    await user.keyboard('{End}');
    expect(focused()).toEqual({ column: A, id: 'a3' });
    await user.keyboard('lk');
    expect(focused()).toEqual({ column: B, id: 'b1' });
    await user.keyboard('{Shift>}G{/Shift}');
    expect(focused()).toEqual({ column: B, id: 'b3' });
    expect(document.activeElement).toBe(row('b3', column(B)));
  });

  it('says in each header whether the room is live or paused, and keeps a room paused with p', async () => {
    const { bridge } = twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    const header = (roomKey: string) =>
      column(roomKey).querySelector('.column-header [data-column-state]');

    expect(header(A)).toHaveTextContent(/^Live$/);
    await user.keyboard('j');
    expect(header(A)).toHaveTextContent(/^Paused$/);
    act(() => bridge.emit('feed.batch', batchOf([chatEvent(A, { id: 'a4' })])));
    expect(header(A)).toHaveTextContent(/^Paused · 1 new$/);

    // The cursor leaving the room ends its pause; p keeps the next one.
    await user.keyboard('l');
    expect(header(A)).toHaveTextContent(/^Live$/);
    expect(header(B)).toHaveTextContent(/^Paused$/);
    await user.keyboard('ph');
    expect(header(B)).toHaveTextContent(/^Paused$/);
    await user.click(within(column(B)).getByRole('button', { name: 'Paused' }));
    expect(header(B)).toHaveTextContent(/^Live$/);
  });

  it('keeps Tab inside the ? overlay', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    await waitFor(() => expect(dialog).toHaveFocus());
    for (const keys of ['{Tab}', '{Tab}', '{Shift>}{Tab}{/Shift}', '{Tab}{Tab}{Tab}']) {
      await user.keyboard(keys);
      expect(dialog.contains(document.activeElement)).toBe(true);
    }
  });

  it('hides the focused message with x and unhides it with u', async () => {
    const { bridge } = twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk'); // a2
    await user.keyboard('x');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden'));
    await user.keyboard('u');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'visible'));
    expect(
      bridge.calls.filter((call) => call.channel.startsWith('messages.')).map((call) => call),
    ).toEqual([
      { channel: 'messages.hide', input: { roomKey: A, messageId: 'a2' } },
      { channel: 'messages.unhide', input: { roomKey: A, messageId: 'a2' } },
    ]);
  });

  it('shows every binding in the ? overlay and closes it with Esc', async () => {
    twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('?');
    const dialog = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const keysShown = within(dialog)
      .getAllByText((_, element) => element?.tagName === 'KBD')
      .map((element) => element.textContent);
    expect(keysShown).toEqual([
      'j',
      '↓',
      'k',
      '↑',
      'h',
      '←',
      'l',
      '→',
      'n',
      'e',
      'End',
      'Shift+G',
      'p',
      'Esc',
      'x',
      'u',
      'Del',
      'Enter',
      'z',
      'm',
      'Shift+K',
      'c',
      'Ctrl+f',
      'Ctrl+Shift+F',
      '?',
      'Ctrl',
      'a',
      'd',
      'Shift+A',
      'Shift+D',
      'Shift+J',
      'Shift+K',
      'Shift+S',
    ]);
    expect(keysShown).toHaveLength(BINDING_NAMES.length);
    for (const command of new Set(Object.values(KEYMAP).map((binding) => binding.command))) {
      expect(dialog.querySelector(`tr[data-command="${command}"]`)).not.toBeNull();
    }
    expect(within(dialog).getByText('Undo the last hide')).toBeInTheDocument();

    // While the overlay is open the deck keys do nothing.
    await user.keyboard('j');
    expect(focused().id).toBeNull();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Keyboard shortcuts' })).not.toBeInTheDocument();
  });

  it('uses the keys from settings.keymap instead of the defaults', async () => {
    const { bridge } = twoRooms({ keymap: { hide: 'y', moveDown: 'Ctrl+j' } });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('{Control>}j{/Control}');
    expect(focused().id).toBe('a3');
    await user.keyboard('x');
    expect(bridge.calls.some((call) => call.channel === 'messages.hide')).toBe(false);
    await user.keyboard('y');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'hidden'));
  });

  it.each([
    ['an input', () => Object.assign(document.createElement('input'), { type: 'text' })],
    ['a textarea', () => document.createElement('textarea')],
    [
      'a select',
      () => {
        const select = document.createElement('select');
        select.append(new Option('one'), new Option('two'));
        return select;
      },
    ],
    [
      'a contenteditable element',
      () => {
        const div = document.createElement('div');
        div.setAttribute('contenteditable', 'true');
        div.tabIndex = 0;
        return div;
      },
    ],
  ])('does nothing while the moderator types in %s', async (_name, make) => {
    const { bridge } = twoRooms();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    const field = make();
    document.body.append(field);

    // With a message focused first, so that x would have something to hide.
    await user.keyboard('j');
    expect(focused().id).toBe('a3');
    field.focus();
    await user.keyboard('kjlhnxu?z{Delete}{Delete}');
    expect(focused().id).toBe('a3');
    expect(document.activeElement).toBe(field);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(bridge.calls.some((call) => call.channel.startsWith('messages.'))).toBe(false);
    field.remove();
  });
});
