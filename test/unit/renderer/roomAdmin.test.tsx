import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AdminRoom, RoomSummary } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import type { Account } from '../../../src/shared/model';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

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
  name: 'Village',
  baseUrl: 'https://vchatcloud.example',
  eventbusUrl: 'wss://vchatcloud.example/eventbus/websocket',
  moderator: { clientKey: 'mod', nickName: 'Mod' },
  hasSecret: true,
};

const SQ = 'vc/sq1';

function adminRoom(overrides: Partial<AdminRoom> = {}): AdminRoom {
  return {
    roomId: 'sq1',
    roomName: 'Town square',
    maxUser: 300,
    roomType: '01',
    roomStatus: 'active',
    open: true,
    webrtcStat: 'N',
    webrtc: 0,
    resolution: null,
    gTransStat: 'N',
    hasGApiKey: false,
    template: null,
    isPossibleDup: false,
    startDt: Date.UTC(2026, 0, 1),
    endDt: Date.UTC(9999, 11, 31),
    messageCount: 12,
    joinCount: 20,
    currentUserCount: 5,
    ...overrides,
  };
}

function summaryOf(room: AdminRoom): RoomSummary {
  return {
    accountId: 'vc',
    roomId: room.roomId,
    provider: 'vchatcloud',
    name: room.roomName,
    chat: room.open ? 'open' : 'closed',
    state: room.roomStatus,
  };
}

/** A FlipFlop and a VChatCloud account; the VChatCloud room sq1 is open as a column. */
function picker() {
  const rooms = new Map<string, AdminRoom>([
    ['sq1', adminRoom()],
    [
      'old1',
      adminRoom({
        roomId: 'old1',
        roomName: 'Last year',
        open: false,
        endDt: Date.UTC(2025, 0, 1),
      }),
    ],
  ]);
  const requests = {
    create: [] as RequestInput<'roomAdmin.create'>[],
    modify: [] as RequestInput<'roomAdmin.modify'>[],
    destroy: [] as RequestInput<'roomAdmin.destroy'>[],
  };
  let refuseCreate = false;
  const deck = fakeDeck(
    [
      {
        accountId: 'vc',
        roomId: 'sq1',
        name: 'Town square',
        provider: 'vchatcloud',
        events: [chatEvent(SQ, { id: 's1', text: 'hello' })],
      },
    ],
    {
      'accounts.list': () => ({ ok: true, value: [flipflop, vchat] }),
      'rooms.list': ({ accountId }) => ({
        ok: true,
        value:
          accountId === 'vc'
            ? [...rooms.values()].map(summaryOf)
            : [
                {
                  accountId: 'ff',
                  roomId: 'live1',
                  provider: 'flipflop',
                  name: 'Live one',
                  chat: 'open',
                },
              ],
      }),
      'roomAdmin.get': ({ roomId }) => {
        const room = rooms.get(roomId);
        return room
          ? { ok: true, value: room }
          : { ok: false, error: { code: '10102', message: 'CHANNEL_NOT_EXISTED' } };
      },
      'roomAdmin.create': (input) => {
        requests.create.push(input);
        if (refuseCreate) {
          return {
            ok: false,
            error: { code: '10902', message: 'INVALID_PARAM: the service refused maxUser' },
          };
        }
        const room = adminRoom({
          roomId: 'new1',
          roomName: input.settings.roomName,
          maxUser: input.settings.maxUser,
          roomType: input.settings.roomType,
          webrtcStat: input.settings.rtcStat,
          gTransStat: input.settings.gTransStat,
        });
        rooms.set(room.roomId, room);
        return { ok: true, value: room };
      },
      'roomAdmin.modify': (input) => {
        requests.modify.push(input);
        const { changes } = input;
        const room = adminRoom({
          roomId: input.roomId,
          roomName: changes.roomName,
          maxUser: changes.maxUser,
          roomType: changes.roomType,
          webrtcStat: changes.rtcStat,
          gTransStat: changes.gTransStat,
          roomStatus: changes.roomStatus === 'pending' ? 'pending' : 'active',
          open: changes.roomStatus !== 'pending',
        });
        rooms.set(room.roomId, room);
        return { ok: true, value: room };
      },
      'roomAdmin.destroy': (input) => {
        requests.destroy.push(input);
        rooms.delete(input.roomId);
        return { ok: true, value: input };
      },
    },
  );
  return {
    ...deck,
    requests,
    refuseCreate: () => {
      refuseCreate = true;
    },
  };
}

async function openPicker(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('s1', SQ);
  await user.click(within(screen.getByRole('banner')).getByRole('button', { name: 'Open room' }));
  const dialog = await screen.findByRole('dialog', { name: 'Open a room' });
  await within(dialog).findByText('Live one');
  await within(dialog).findByText('Town square');
  return dialog;
}

function account(dialog: HTMLElement, name: string): HTMLElement {
  return within(dialog).getByRole('region', { name });
}

function roomItem(roomId: string): HTMLElement {
  const item = document.querySelector<HTMLElement>(`li[data-room-id="${roomId}"]`);
  if (!item) throw new Error(`no picker entry for ${roomId}`);
  return item;
}

describe('managing VChatCloud rooms from the room picker', () => {
  beforeEach(resetStores);

  it('offers creating, changing and deleting rooms on VChatCloud accounts only', async () => {
    picker();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);

    const ff = account(dialog, 'Evening show');
    expect(within(ff).queryByRole('button', { name: /New room/ })).not.toBeInTheDocument();
    expect(within(ff).queryByRole('button', { name: /^(Edit|Delete) / })).not.toBeInTheDocument();

    const vc = account(dialog, 'Village');
    expect(within(vc).getByRole('button', { name: 'New room in Village' })).toBeInTheDocument();
    expect(
      within(roomItem('sq1')).getByRole('button', { name: 'Edit Town square' }),
    ).toBeInTheDocument();
    expect(
      within(roomItem('sq1')).getByRole('button', { name: 'Delete room Town square' }),
    ).toBeInTheDocument();
    // VChatCloud has no separate chat room to create or close.
    expect(
      within(roomItem('sq1')).queryByRole('button', { name: /chat room/ }),
    ).not.toBeInTheDocument();
  });

  it('creates a room, refusing a name that is empty or longer than 50 characters', async () => {
    const { requests } = picker();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);
    await user.click(
      within(account(dialog, 'Village')).getByRole('button', { name: 'New room in Village' }),
    );
    const form = within(dialog).getByRole('form', { name: 'New room' });
    const name = within(form).getByRole('textbox', { name: 'Room name' });

    await user.click(within(form).getByRole('button', { name: 'Create room' }));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(within(form).getByText('At most 50 characters.')).toHaveClass('form-error');
    await user.type(name, '가'.repeat(51));
    await user.click(within(form).getByRole('button', { name: 'Create room' }));
    expect(name).toHaveAttribute('aria-invalid', 'true');
    expect(requests.create).toEqual([]);

    await user.clear(name);
    await user.type(name, 'Evening talk');
    expect(name).toHaveAttribute('aria-invalid', 'false');
    const max = within(form).getByRole('spinbutton', { name: 'Most people at once' });
    await user.clear(max);
    await user.type(max, '250');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'Video');
    await user.click(
      within(form).getByRole('checkbox', { name: 'Video and voice calls (webRTC)' }),
    );
    expect(within(form).queryByRole('combobox', { name: 'Status' })).not.toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Create room' }));

    await waitFor(() =>
      expect(within(dialog).queryByRole('form', { name: 'New room' })).not.toBeInTheDocument(),
    );
    expect(requests.create).toEqual([
      {
        accountId: 'vc',
        settings: {
          roomName: 'Evening talk',
          maxUser: 250,
          roomType: '02',
          rtcStat: 'Y',
          gTransStat: 'N',
        },
      },
    ]);
    expect(await within(dialog).findByText('Evening talk')).toBeInTheDocument();
  });

  it('says in words why a room was not created, and keeps the form', async () => {
    const deck = picker();
    deck.refuseCreate();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);
    await user.click(within(dialog).getByRole('button', { name: 'New room in Village' }));
    const form = within(dialog).getByRole('form', { name: 'New room' });
    await user.type(within(form).getByRole('textbox', { name: 'Room name' }), 'Big hall');
    await user.click(within(form).getByRole('button', { name: 'Create room' }));
    expect(await within(form).findByRole('alert')).toHaveTextContent(
      'Not saved: INVALID_PARAM: the service refused maxUser (code 10902)',
    );
  });

  it('changes a room’s name, size, type, webRTC, translation and status, and the deck follows', async () => {
    const { requests, bridge } = picker();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);

    await user.click(within(roomItem('sq1')).getByRole('button', { name: 'Edit Town square' }));
    const form = await within(dialog).findByRole('form', { name: 'Edit Town square' });
    expect(bridge.calls.filter((call) => call.channel === 'roomAdmin.get')).toEqual([
      { channel: 'roomAdmin.get', input: { accountId: 'vc', roomId: 'sq1' } },
    ]);
    const name = within(form).getByRole('textbox', { name: 'Room name' });
    expect(name).toHaveValue('Town square');
    expect(within(form).getByRole('spinbutton', { name: 'Most people at once' })).toHaveValue(300);
    expect(within(form).getByRole('combobox', { name: 'Type' })).toHaveValue('01');
    const rtc = within(form).getByRole('checkbox', { name: 'Video and voice calls (webRTC)' });
    const translation = within(form).getByRole('checkbox', { name: 'Translate messages (Google)' });
    expect(rtc).not.toBeChecked();
    expect(translation).not.toBeChecked();
    const status = within(form).getByRole('combobox', { name: 'Status' });
    expect(status).toHaveValue('active');

    // Ending a room is said to be for good before it is saved.
    await user.selectOptions(status, 'Ended');
    expect(
      within(form).getByText('Ending the room closes it now; it cannot be opened again.'),
    ).toBeInTheDocument();

    await user.clear(name);
    await user.type(name, 'Town hall');
    const max = within(form).getByRole('spinbutton', { name: 'Most people at once' });
    await user.clear(max);
    await user.type(max, '500');
    await user.selectOptions(within(form).getByRole('combobox', { name: 'Type' }), 'Metaverse');
    await user.click(rtc);
    await user.click(translation);
    await user.selectOptions(status, 'Paused: nobody new can join');
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(requests.modify).toHaveLength(1));
    expect(requests.modify[0]).toEqual({
      accountId: 'vc',
      roomId: 'sq1',
      changes: {
        roomName: 'Town hall',
        maxUser: 500,
        roomType: '03',
        rtcStat: 'Y',
        gTransStat: 'Y',
        roomStatus: 'pending',
      },
    });
    expect(await within(dialog).findByText('Town hall')).toBeInTheDocument();
    expect(within(roomItem('sq1')).getByText('Paused')).toBeInTheDocument();
    // The open column takes the new name.
    await waitFor(() => expect(column(SQ)).toHaveAccessibleName('Room Town hall'));
  });

  it('keeps the status when it was not changed, and cannot resume an ended room', async () => {
    const { requests } = picker();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);
    await user.click(within(roomItem('sq1')).getByRole('button', { name: 'Edit Town square' }));
    let form = await within(dialog).findByRole('form', { name: 'Edit Town square' });
    await user.click(within(form).getByRole('button', { name: 'Save changes' }));
    await waitFor(() => expect(requests.modify).toHaveLength(1));
    expect(requests.modify[0]?.changes).not.toHaveProperty('roomStatus');

    await user.click(within(roomItem('old1')).getByRole('button', { name: 'Edit Last year' }));
    form = await within(dialog).findByRole('form', { name: 'Edit Last year' });
    const status = within(form).getByRole('combobox', { name: 'Status' });
    expect(status).toHaveValue('ended');
    expect(status).toBeDisabled();
    expect(
      within(form).getByText('This room has ended and cannot be opened again.'),
    ).toBeInTheDocument();
    await user.click(within(form).getByRole('button', { name: 'Cancel' }));
    expect(within(dialog).queryByRole('form')).not.toBeInTheDocument();
    expect(requests.modify).toHaveLength(1);
  });

  it('deletes a room only after a confirmation, and closes its column', async () => {
    const { requests } = picker();
    const user = userEvent.setup();
    renderDeck();
    const dialog = await openPicker(user);

    await user.click(
      within(roomItem('sq1')).getByRole('button', { name: 'Delete room Town square' }),
    );
    const question =
      'Delete the room Town square for good? Everyone in it is removed, and it cannot be brought back.';
    let confirm = within(roomItem('sq1')).getByRole('group', { name: question });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(requests.destroy).toEqual([]);

    await user.click(
      within(roomItem('sq1')).getByRole('button', { name: 'Delete room Town square' }),
    );
    confirm = within(roomItem('sq1')).getByRole('group', { name: question });
    await user.click(within(confirm).getByRole('button', { name: 'Delete room' }));
    await waitFor(() => expect(within(dialog).queryByText('Town square')).not.toBeInTheDocument());
    expect(requests.destroy).toEqual([{ accountId: 'vc', roomId: 'sq1' }]);
    expect(document.querySelector(`section[data-room-key="${SQ}"]`)).toBeNull();
  });
});
