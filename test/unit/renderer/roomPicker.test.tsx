import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RoomSummary } from '../../../src/shared/chat';
import type { Account } from '../../../src/shared/model';
import {
  chatEvent,
  column,
  fakeDeck,
  findRow,
  openRoomOf,
  renderDeck,
  resetStores,
} from './deckHarness';

const flipflop: Account = {
  id: 'ff',
  provider: 'flipflop',
  name: 'Evening show',
  baseUrl: 'https://api.flipflop.example',
  appApiKey: 'key',
  hasSecret: true,
};

const vchat: Account = {
  id: 'vc',
  provider: 'vchatcloud',
  name: 'Square',
  baseUrl: 'https://vchatcloud.example',
  eventbusUrl: 'wss://vchatcloud.example/eventbus/websocket',
  moderator: { clientKey: 'mod', nickName: 'Mod' },
  hasSecret: true,
};

function summary(
  accountId: string,
  roomId: string,
  name: string,
  chat: RoomSummary['chat'],
  provider: RoomSummary['provider'] = 'flipflop',
): RoomSummary {
  return { accountId, roomId, provider, name, chat, state: 'LIVE', participants: 12 };
}

function picker() {
  const fakeRooms = [
    {
      accountId: 'ff',
      roomId: 'live1',
      name: 'Live one',
      events: [chatEvent('ff/live1', { id: 'l1' })],
    },
  ];
  const catalog = new Map<string, RoomSummary[]>([
    [
      'ff',
      [summary('ff', 'live1', 'Live one', 'open'), summary('ff', 'later', 'Later show', 'none')],
    ],
    ['vc', [summary('vc', 'sq1', 'Town square', 'open', 'vchatcloud')]],
  ]);
  const deck = fakeDeck([], {
    'accounts.list': () => ({ ok: true, value: [flipflop, vchat] }),
    'rooms.list': ({ accountId }) => ({ ok: true, value: catalog.get(accountId) ?? [] }),
    'rooms.open': ({ accountId, roomId }) => {
      const room = fakeRooms.find(
        (entry) => entry.accountId === accountId && entry.roomId === roomId,
      );
      return room
        ? { ok: true, value: openRoomOf(room) }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'no room' } };
    },
    'feed.snapshot': ({ roomKey }) => {
      const room = fakeRooms.find((entry) => `${entry.accountId}/${entry.roomId}` === roomKey);
      return room
        ? { ok: true, value: { room: openRoomOf(room), events: room.events } }
        : { ok: false, error: { code: 'NOT_FOUND', message: 'no room' } };
    },
    'chatRoom.create': ({ roomId }) => {
      const list = catalog.get('ff') ?? [];
      catalog.set(
        'ff',
        list.map((room) => (room.roomId === roomId ? { ...room, chat: 'open' } : room)),
      );
      return {
        ok: true,
        value: {
          roomId,
          channelKey: 'ck',
          closed: false,
          messageCount: 0,
          memberCount: 0,
          createdAt: 0,
        },
      };
    },
    'chatRoom.close': ({ roomId }) => {
      const list = catalog.get('ff') ?? [];
      catalog.set(
        'ff',
        list.map((room) => (room.roomId === roomId ? { ...room, chat: 'closed' } : room)),
      );
      return {
        ok: true,
        value: {
          roomId,
          channelKey: 'ck',
          closed: true,
          messageCount: 0,
          memberCount: 0,
          createdAt: 0,
        },
      };
    },
  });
  return deck;
}

function roomItem(roomId: string): HTMLElement {
  const item = document.querySelector<HTMLElement>(`li[data-room-id="${roomId}"]`);
  if (!item) throw new Error(`no picker entry for ${roomId}`);
  return item;
}

describe('the room picker', () => {
  beforeEach(resetStores);

  it("lists each account's rooms and opens one as a column", async () => {
    const { bridge } = picker();
    const user = userEvent.setup();
    renderDeck();

    await user.click(
      await within(await screen.findByRole('banner')).findByRole('button', { name: 'Open room' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Open a room' });
    await within(dialog).findByText('Live one');
    expect(within(dialog).getByText('Town square')).toBeInTheDocument();
    expect(within(roomItem('live1')).getByText('Chat open')).toBeInTheDocument();
    expect(within(roomItem('later')).getByText('No chat room')).toBeInTheDocument();
    expect(
      within(roomItem('later')).getByRole('button', { name: 'Open Later show' }),
    ).toBeDisabled();

    await user.click(within(roomItem('live1')).getByRole('button', { name: 'Open Live one' }));
    expect(await findRow('l1', 'ff/live1')).toBeInTheDocument();
    expect(screen.queryByRole('dialog', { name: 'Open a room' })).not.toBeInTheDocument();
    expect(column('ff/live1')).toHaveAccessibleName('Room Live one');
    await waitFor(() =>
      expect(
        bridge.calls.filter((call) => call.channel === 'settings.set').map((call) => call.input),
      ).toEqual([{ layout: { columns: [{ accountId: 'ff', roomId: 'live1' }] } }]),
    );
    expect(bridge.calls.some((call) => call.channel === 'feed.snapshot')).toBe(true);

    // An open room is shown in the deck instead of opened again.
    await user.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Open room' }));
    const show = await within(roomItem('live1')).findByRole('button', {
      name: 'Show in the deck: Live one',
    });
    expect(within(roomItem('live1')).queryByRole('button', { name: 'Open Live one' })).toBeNull();
    await user.click(show);
    expect(screen.queryByRole('dialog', { name: 'Open a room' })).not.toBeInTheDocument();
    expect(bridge.calls.filter((call) => call.channel === 'rooms.open')).toHaveLength(1);
  });

  it('creates a chat room where the provider allows it, and offers none for VChatCloud', async () => {
    const { bridge } = picker();
    const user = userEvent.setup();
    renderDeck();
    await user.click(
      await within(await screen.findByRole('banner')).findByRole('button', { name: 'Open room' }),
    );
    await screen.findByText('Later show');

    expect(
      within(roomItem('sq1')).queryByRole('button', { name: /chat room/ }),
    ).not.toBeInTheDocument();
    await user.click(
      within(roomItem('later')).getByRole('button', { name: 'Create chat room for Later show' }),
    );
    expect(await within(roomItem('later')).findByText('Chat open')).toBeInTheDocument();
    expect(
      bridge.calls.filter((call) => call.channel === 'chatRoom.create').map((call) => call.input),
    ).toEqual([{ accountId: 'ff', roomId: 'later' }]);
  });

  it('asks before closing a chat room, with buttons that name the room', async () => {
    const { bridge } = picker();
    const user = userEvent.setup();
    renderDeck();
    await user.click(
      await within(await screen.findByRole('banner')).findByRole('button', { name: 'Open room' }),
    );
    await screen.findByText('Live one');

    await user.click(
      within(roomItem('live1')).getByRole('button', { name: 'Close chat room of Live one' }),
    );
    const confirm = within(roomItem('live1')).getByRole('group', {
      name: 'Close the chat room of Live one? Everyone in it is disconnected.',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(bridge.calls.some((call) => call.channel === 'chatRoom.close')).toBe(false);

    await user.click(
      within(roomItem('live1')).getByRole('button', { name: 'Close chat room of Live one' }),
    );
    await user.click(
      within(roomItem('live1')).getByRole('button', { name: 'Close chat room of Live one' }),
    );
    expect(await within(roomItem('live1')).findByText('Chat closed')).toBeInTheDocument();
    expect(
      bridge.calls.filter((call) => call.channel === 'chatRoom.close').map((call) => call.input),
    ).toEqual([{ accountId: 'ff', roomId: 'live1' }]);
  });

  it('names each room’s state in the window’s language, and shows one it does not know as it came', async () => {
    const rooms: RoomSummary[] = [
      { ...summary('ff', 'a', 'On air', 'open'), state: 'LIVE' },
      { ...summary('ff', 'b', 'Tomorrow', 'none'), state: 'SCHEDULED' },
      { ...summary('ff', 'c', 'Odd one', 'open'), state: 'STARTED' },
      { ...summary('vc', 'd', 'Square', 'open', 'vchatcloud'), state: 'active' },
      { ...summary('vc', 'e', 'Lobby', 'open', 'vchatcloud'), state: 'pending' },
    ];
    fakeDeck(
      [],
      {
        'accounts.list': () => ({ ok: true, value: [flipflop, vchat] }),
        'rooms.list': ({ accountId }) => ({
          ok: true,
          value: rooms.filter((room) => room.accountId === accountId),
        }),
      },
      { language: 'ko' },
    );
    const user = userEvent.setup();
    renderDeck();
    await user.click(
      await within(await screen.findByRole('banner')).findByRole('button', { name: '방 열기' }),
    );
    await screen.findByText('Lobby');
    const states = ['a', 'b', 'c', 'd', 'e'].map(
      (roomId) => roomItem(roomId).querySelector('[data-state]')?.textContent,
    );
    expect(states).toEqual(['방송 중', '예정', 'STARTED', '열림', '일시 정지']);
  });
});
