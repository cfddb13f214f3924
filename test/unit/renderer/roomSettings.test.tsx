import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatRoomInfo } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import { parseRuleList } from '../../../src/shared/wordfilter';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

function info(closed: boolean): ChatRoomInfo {
  return {
    roomId: 'alpha',
    channelKey: 'ch-alpha',
    closed,
    messageCount: 42,
    memberCount: 7,
    createdAt: Date.UTC(2026, 0, 15, 12, 0),
  };
}

function alpha() {
  let closed = false;
  const deck = fakeDeck(
    [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
    {
      'chatRoom.get': () => ({ ok: true, value: info(closed) }),
      'chatRoom.close': () => {
        closed = true;
        return { ok: true, value: info(true) };
      },
      'chatRoom.create': () => {
        closed = false;
        return { ok: true, value: info(false) };
      },
    },
    { rules: { global: parseRuleList('bad\n').rules, rooms: {} } },
  );
  return deck;
}

async function openRoomSettings(user: ReturnType<typeof userEvent.setup>) {
  await findRow('a1', A);
  await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
  await user.click(screen.getByRole('menuitem', { name: 'Room settings' }));
  return screen.findByRole('dialog', { name: 'Room settings' });
}

describe('a room’s settings panel', () => {
  beforeEach(resetStores);

  it('shows the chat room, closes it after a confirmation, and creates it again, each button naming the room', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRoomSettings(user);
    expect(await within(panel).findByText('Chat open')).toBeInTheDocument();
    expect(within(panel).getByText('42')).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Close chat room of Alpha' }));
    const confirm = within(panel).getByRole('group', { name: /^Close the chat room of Alpha\?/ });
    expect(bridge.calls.some((call) => call.channel === 'chatRoom.close')).toBe(false);
    await user.click(within(confirm).getByRole('button', { name: 'Close chat room of Alpha' }));
    expect(await within(panel).findByText('Chat closed')).toBeInTheDocument();
    expect(bridge.calls.filter((call) => call.channel === 'chatRoom.close')).toEqual([
      { channel: 'chatRoom.close', input: { accountId: 'acc', roomId: 'alpha' } },
    ]);

    await user.click(within(panel).getByRole('button', { name: 'Create chat room for Alpha' }));
    expect(await within(panel).findByText('Chat open')).toBeInTheDocument();
  });

  it('edits the room’s own forbidden words and saves them under the room', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRoomSettings(user);
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'spoiler');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    await within(panel).findByText(/The rules are saved/);
    const saved = bridge.calls
      .filter((call) => call.channel === 'settings.set')
      .map((call) => call.input as RequestInput<'settings.set'>)
      .find((patch) => patch.rules !== undefined);
    expect(saved?.rules).toEqual({
      global: parseRuleList('bad\n').rules,
      rooms: { [A]: parseRuleList('spoiler\n').rules },
    });
  });

  it('keeps deck keys out while the focus is in it, and gives the focus back to the deck on Esc', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRoomSettings(user);
    await waitFor(() => expect(panel).toHaveFocus());
    await user.keyboard('jx');
    expect(document.querySelector('article.row-focused')).toBeNull();
    expect(bridge.calls.some((call) => call.channel === 'messages.hide')).toBe(false);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Room settings' })).not.toBeInTheDocument();
    // To the room's column (the cursor is on none of its rows), not to the menu's button.
    expect(column(A)).toHaveFocus();
  });

  it('formats numbers and dates per locale', async () => {
    const createdAt = Date.UTC(2026, 0, 15, 12, 30);
    fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'chatRoom.get': () => ({
          ok: true,
          value: {
            roomId: 'alpha',
            channelKey: 'ch',
            closed: false,
            messageCount: 12345,
            memberCount: 7,
            createdAt,
          },
        }),
      },
      { language: 'ko' },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await user.click(await screen.findByRole('button', { name: 'Alpha 메뉴' }));
    await user.click(screen.getByRole('menuitem', { name: '방 설정' }));
    const panel = await screen.findByRole('dialog', { name: '방 설정' });
    const facts = within(panel).getByRole('definition', {
      name: (_name, element) => element.previousElementSibling?.textContent === '만든 날짜',
    });
    const korean = new Intl.DateTimeFormat('ko', { dateStyle: 'short', timeStyle: 'short' });
    expect(facts).toHaveTextContent(korean.format(createdAt));
    // Year, month, day in Korean order (English would say 1/15/26).
    expect(facts.textContent).toMatch(/^26\. 1\. 15\./);
    expect(within(panel).getByText('12,345')).toBeInTheDocument();
  });
});
