import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BroadcastResult } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import { useAdmin } from '../../../src/renderer/src/stores/admin';
import {
  batchOf,
  chatEvent,
  column,
  fakeDeck,
  findRow,
  renderDeck,
  resetStores,
} from './deckHarness';

const A = 'acc/alpha';
const B = 'acc/beta';
const C = 'acc/gamma';

function threeRooms(handlers: Parameters<typeof fakeDeck>[1]) {
  return fakeDeck(
    [
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: [chatEvent(B, { id: 'b1' })] },
      { accountId: 'acc', roomId: 'gamma', name: 'Gamma', events: [chatEvent(C, { id: 'c1' })] },
    ],
    handlers,
  );
}

const BETA_MEMBERS = [
  { id: 'u-ann', name: 'Ann' },
  { id: 'u-bob', name: 'Bob' },
  { id: 'u-kim1', name: 'Kim' },
  { id: 'u-kim2', name: 'kim' },
];

function deliveries(panel: HTMLElement): Record<string, string> {
  const results = within(panel).getByRole('region', { name: 'Last broadcast' });
  return Object.fromEntries(
    within(results)
      .getAllByRole('listitem')
      .map((item) => [
        item.querySelector('.delivery-room')?.textContent ?? '',
        item.querySelector('.delivery-status')?.textContent ?? '',
      ]),
  );
}

describe('the admin-message composer', () => {
  beforeEach(resetStores);

  it('broadcasts to several rooms, shows each room’s result, and retries a failed room only when asked', async () => {
    const sent: RequestInput<'admin.broadcast'>[] = [];
    let betaFails = true;
    const { bridge } = threeRooms({
      'admin.broadcast': (input): { ok: true; value: BroadcastResult } => {
        sent.push(input);
        return {
          ok: true,
          value: {
            results: input.roomKeys.map((roomKey) =>
              roomKey === B && betaFails
                ? {
                    roomKey,
                    ok: false as const,
                    error: { code: 'CHAT_ROOM_NOT_FOUND', message: 'no chat room' },
                  }
                : { roomKey, ok: true as const, messageId: `sent-${roomKey}` },
            ),
          },
        };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);

    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    await user.click(screen.getByRole('menuitem', { name: 'Broadcast…' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    // Opened from Alpha: Alpha is ticked; the moderator adds Beta.
    expect(within(panel).getByRole('checkbox', { name: 'Alpha' })).toBeChecked();
    expect(within(panel).getByRole('checkbox', { name: 'Gamma' })).not.toBeChecked();
    await user.click(within(panel).getByRole('checkbox', { name: 'Beta' }));
    await user.click(within(panel).getByRole('radio', { name: 'Command' }));
    await user.type(within(panel).getByLabelText(/Custom type/), 'poll');
    await user.type(within(panel).getByLabelText('Text'), 'Vote now');
    await user.click(within(panel).getByRole('button', { name: 'Add field' }));
    await user.type(within(panel).getByRole('textbox', { name: 'Key 1' }), 'question');
    await user.type(within(panel).getByRole('textbox', { name: 'Value 1' }), 'best song?');
    await user.click(within(panel).getByRole('button', { name: 'Send to 2 rooms' }));

    await waitFor(() =>
      expect(deliveries(panel)).toEqual({
        Alpha: '✓ Sent',
        Beta: 'Failed: This chat room no longer exists',
      }),
    );
    const draft = {
      messageType: 'COMMAND',
      customType: 'poll',
      message: 'Vote now',
      data: { question: 'best song?' },
    };
    expect(sent).toEqual([{ ...draft, roomKeys: [A, B] }]);
    // Nothing is retried by itself.
    expect(bridge.calls.filter((call) => call.channel === 'admin.broadcast')).toHaveLength(1);

    betaFails = false;
    await user.click(within(panel).getByRole('button', { name: 'Retry Beta' }));
    await waitFor(() => expect(deliveries(panel)).toEqual({ Alpha: '✓ Sent', Beta: '✓ Sent' }));
    expect(sent[1]).toEqual({ ...draft, roomKeys: [B] });
    expect(sent).toHaveLength(2);
    expect(within(panel).queryByRole('button', { name: /^Retry/ })).not.toBeInTheDocument();
  });

  it('marks every room failed when the request as a whole fails', async () => {
    threeRooms({
      'admin.broadcast': () => ({ ok: false, error: { code: 'NETWORK', message: 'down' } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    expect(within(panel).getByRole('button', { name: 'Send to 0 rooms' })).toBeDisabled();
    await user.click(within(panel).getByRole('checkbox', { name: 'Gamma' }));
    await user.type(within(panel).getByLabelText('Text'), 'hello');
    await user.click(within(panel).getByRole('button', { name: 'Send to 1 room' }));
    await waitFor(() =>
      expect(deliveries(panel)).toEqual({ Gamma: 'Failed: The service could not be reached' }),
    );
    expect(within(panel).getByRole('button', { name: 'Retry Gamma' })).toBeInTheDocument();
  });

  it('sends a direct message to several users picked by name, and shows it in the feed as the moderator’s', async () => {
    const sent: RequestInput<'admin.direct'>[] = [];
    const { bridge } = threeRooms({
      'admin.direct': (input) => {
        sent.push(input);
        return { ok: true, value: { messageId: 'dm-1' } };
      },
      'members.list': () => ({ ok: true, value: { members: BETA_MEMBERS, nextCursor: null } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(within(column(B)).getByRole('button', { name: 'Menu for Beta' }));
    await user.click(screen.getByRole('menuitem', { name: 'Direct message…' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });

    const find = within(panel).getByRole('searchbox', { name: 'Find a member by name or user ID' });
    // A suggestion, picked from the list; then a whole name, with Enter.
    await user.type(find, 'an');
    await user.click(await within(panel).findByRole('button', { name: 'Add Ann (u-ann)' }));
    await user.type(find, 'bob{Enter}');
    expect(
      within(panel)
        .getAllByRole('listitem')
        .filter((item) => item.classList.contains('chip'))
        .map((item) => item.textContent),
    ).toEqual(['Ann (u-ann)✕', 'Bob (u-bob)✕']);
    await user.type(within(panel).getByLabelText('Text'), 'Please keep it friendly');
    await user.click(within(panel).getByRole('button', { name: 'Send to 2 users' }));

    expect(await within(panel).findByText('Direct message sent to Ann, Bob.')).toBeInTheDocument();
    expect(sent).toEqual([
      {
        roomKey: B,
        messageType: 'DM',
        message: 'Please keep it friendly',
        appUserIds: ['u-ann', 'u-bob'],
      },
    ]);

    // Main records what the moderator sent; it arrives in the feed marked as theirs.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(B, {
            id: 'dm-1',
            kind: 'dm',
            user: { id: 'moderator', name: 'Moderator' },
            text: 'Please keep it friendly',
            fromModerator: true,
            receivers: ['u-ann', 'u-bob'],
          }),
        ]),
      ),
    );
    const mine = await findRow('dm-1', B);
    expect(within(mine).getByText('You')).toBeInTheDocument();
    expect(within(mine).getByText('to u-ann, u-bob')).toBeInTheDocument();
    expect(mine).toHaveAccessibleName(
      /^Moderator, \d\d:\d\d:\d\d: Please keep it friendly\. You\. Sent to u-ann, u-bob$/,
    );
  });

  it('says who a direct message missed, and keeps only them chosen so that sending again reaches no one twice', async () => {
    const sent: RequestInput<'admin.direct'>[] = [];
    threeRooms({
      'admin.direct': (input) => {
        sent.push(input);
        return sent.length === 1
          ? {
              ok: true,
              value: {
                messageId: 'dm-1',
                undelivered: [
                  { userId: 'u-bob', error: { code: '10107', message: 'not in the room' } },
                ],
              },
            }
          : { ok: true, value: { messageId: 'dm-2' } };
      },
      'members.list': () => ({ ok: true, value: { members: BETA_MEMBERS, nextCursor: null } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(within(column(B)).getByRole('button', { name: 'Menu for Beta' }));
    await user.click(screen.getByRole('menuitem', { name: 'Direct message…' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    const find = within(panel).getByRole('searchbox', { name: 'Find a member by name or user ID' });
    await user.type(find, 'ann{Enter}');
    await user.type(find, 'bob{Enter}');
    await user.type(within(panel).getByLabelText('Text'), 'Please keep it friendly');
    await user.click(within(panel).getByRole('button', { name: 'Send to 2 users' }));

    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'Direct message sent to Ann. Not sent to Bob: This user is not in the room',
    );
    const chips = () =>
      within(panel)
        .getAllByRole('listitem')
        .filter((item) => item.classList.contains('chip'))
        .map((item) => item.textContent);
    expect(chips()).toEqual(['Bob (u-bob)✕']);

    await user.click(within(panel).getByRole('button', { name: 'Send to 1 user' }));
    expect(await within(panel).findByText('Direct message sent to Bob.')).toBeInTheDocument();
    expect(sent.map((input) => input.appUserIds)).toEqual([['u-ann', 'u-bob'], ['u-bob']]);
  });

  it('adds only receivers it finds in the room, and never sends to a typed name', async () => {
    const sent: RequestInput<'admin.direct'>[] = [];
    const { bridge } = threeRooms({
      'admin.direct': (input) => {
        sent.push(input);
        return { ok: true, value: { messageId: 'dm-2' } };
      },
      'members.list': () => ({ ok: true, value: { members: BETA_MEMBERS, nextCursor: null } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    // Zed wrote in Beta but is not among its listed members (he left the list's page, say).
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([chatEvent(B, { id: 'b2', user: { id: 'u-zed', name: 'Zed' }, text: 'hi' })]),
      ),
    );
    await findRow('b2', B);
    await user.click(within(column(B)).getByRole('button', { name: 'Menu for Beta' }));
    await user.click(screen.getByRole('menuitem', { name: 'Direct message…' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    const find = within(panel).getByRole('searchbox', { name: 'Find a member by name or user ID' });
    const chips = () =>
      within(panel)
        .queryAllByRole('listitem')
        .filter((item) => item.classList.contains('chip'))
        .map((item) => item.textContent);

    await user.type(find, 'carol{Enter}');
    expect(within(panel).getByRole('alert')).toHaveTextContent(
      'Nobody in Beta is named “carol” or has it as user ID, among the members loaded and the users seen writing there. Nothing was added.',
    );
    expect(chips()).toEqual([]);
    expect(within(panel).getByRole('button', { name: 'Send to 0 users' })).toBeDisabled();

    await user.clear(find);
    await user.type(find, 'Kim{Enter}');
    expect(within(panel).getByRole('alert')).toHaveTextContent(
      'Several people in Beta match “Kim”: pick one from the list.',
    );
    await user.click(within(panel).getByRole('button', { name: 'Add kim (u-kim2)' }));
    await user.type(find, 'u-zed{Enter}');
    expect(chips()).toEqual(['kim (u-kim2)✕', 'Zed (u-zed)✕']);

    await user.type(within(panel).getByLabelText('Text'), 'hello');
    await user.click(within(panel).getByRole('button', { name: 'Send to 2 users' }));
    expect(await within(panel).findByText('Direct message sent to kim, Zed.')).toBeInTheDocument();
    expect(sent.map((input) => input.appUserIds)).toEqual([['u-kim2', 'u-zed']]);
  });

  it('keeps a broadcast the moderator left from answering for the one sent after it', async () => {
    let answerFirst: (result: {
      ok: false;
      error: { code: string; message: string };
    }) => void = () => undefined;
    let calls = 0;
    threeRooms({
      'admin.broadcast': (input) => {
        calls += 1;
        if (calls === 1) return new Promise((resolve) => (answerFirst = resolve));
        return {
          ok: true,
          value: {
            results: input.roomKeys.map((roomKey) => ({
              roomKey,
              ok: true as const,
              messageId: `sent-${roomKey}`,
            })),
          },
        };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    let panel = await screen.findByRole('dialog', { name: 'Admin message' });
    await user.click(within(panel).getByRole('checkbox', { name: 'Gamma' }));
    await user.type(within(panel).getByLabelText('Text'), 'Stream starts soon');
    await user.click(within(panel).getByRole('button', { name: 'Send to 1 room' }));
    expect(deliveries(panel)).toEqual({ Gamma: 'Sending…' });

    // The service is slow; the moderator closes the panel and sends the message again.
    await user.click(within(panel).getByRole('button', { name: 'Close the panel' }));
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    panel = await screen.findByRole('dialog', { name: 'Admin message' });
    await user.click(within(panel).getByRole('checkbox', { name: 'Gamma' }));
    const text = within(panel).getByLabelText('Text');
    await user.clear(text);
    await user.type(text, 'Stream starts soon');
    await user.click(within(panel).getByRole('button', { name: 'Send to 1 room' }));
    await waitFor(() => expect(deliveries(panel)).toEqual({ Gamma: '✓ Sent' }));

    // The first one's late answer belongs to a broadcast nobody shows any more.
    await act(async () => {
      answerFirst({ ok: false, error: { code: 'TIMEOUT', message: 'late' } });
      await Promise.resolve();
    });
    expect(deliveries(panel)).toEqual({ Gamma: '✓ Sent' });
    expect(within(panel).queryByRole('button', { name: 'Retry Gamma' })).not.toBeInTheDocument();
  });

  it('keeps a direct message or notice sent since from a late answer for an earlier one', async () => {
    const late: Array<(result: { ok: false; error: { code: string; message: string } }) => void> =
      [];
    let directs = 0;
    let notices = 0;
    threeRooms({
      'admin.direct': () => {
        directs += 1;
        if (directs === 1) return new Promise((resolve) => late.push(resolve));
        return { ok: true, value: { messageId: 'dm-2' } };
      },
      'admin.broadcast': (input) => {
        notices += 1;
        if (notices === 1) return new Promise((resolve) => late.push(resolve));
        return {
          ok: true,
          value: {
            results: input.roomKeys.map((roomKey) => ({
              roomKey,
              ok: true as const,
              messageId: `notice-${roomKey}`,
            })),
          },
        };
      },
    });
    const admin = () => useAdmin.getState();
    const draft = { messageType: 'DM' as const, message: 'hello', appUserIds: ['u-ann'] };
    const firstDirect = admin().sendDirect(B, draft);
    const firstNotice = admin().sendNotice(B, 'Stream starts soon');
    // The moderator starts over and sends both again; these answer at once.
    act(() => admin().clear());
    await act(() => admin().sendDirect(B, draft));
    await act(() => admin().sendNotice(B, 'Stream starts soon'));
    expect(admin().direct).toMatchObject({ status: 'sent', messageId: 'dm-2' });
    expect(admin().roomMessage).toMatchObject({ status: 'sent', messageId: `notice-${B}` });

    await act(async () => {
      for (const answer of late) answer({ ok: false, error: { code: 'TIMEOUT', message: 'late' } });
      await Promise.all([firstDirect, firstNotice]);
    });
    expect(admin().direct).toMatchObject({ status: 'sent', messageId: 'dm-2' });
    expect(admin().roomMessage).toMatchObject({ status: 'sent', messageId: `notice-${B}` });
  });

  it('keeps the draft on Esc in its text field and asks before discarding it', async () => {
    threeRooms({});
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    const text = within(panel).getByLabelText('Text');
    await user.type(text, 'Half-written announcement');

    await user.keyboard('{Escape}');
    const question = within(panel).getByRole('group', {
      name: 'Discard the message you are writing?',
    });
    expect(within(question).getByRole('button', { name: 'Keep writing' })).toHaveFocus();
    expect(text).toHaveValue('Half-written announcement');

    // Esc again keeps writing, where the moderator was.
    await user.keyboard('{Escape}');
    expect(within(panel).queryByRole('group', { name: /^Discard/ })).not.toBeInTheDocument();
    expect(text).toHaveFocus();
    expect(text).toHaveValue('Half-written announcement');

    // The panel's own close button asks too; discarding closes it.
    await user.click(within(panel).getByRole('button', { name: 'Close the panel' }));
    await user.click(within(panel).getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('dialog', { name: 'Admin message' })).not.toBeInTheDocument();

    // With nothing written, Esc closes at once.
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    await screen.findByRole('dialog', { name: 'Admin message' });
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Admin message' })).not.toBeInTheDocument();
  });

  it('keeps the draft when another panel takes its place, and gives it back when it opens again', async () => {
    threeRooms({});
    const user = userEvent.setup();
    renderDeck();
    const row = await findRow('c1', C);
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    let panel = await screen.findByRole('dialog', { name: 'Admin message' });
    await user.type(within(panel).getByLabelText('Text'), 'Half-written announcement');

    // A user's card opens in its place, without a question: nothing is discarded.
    await user.click(within(row).getByTitle(/card/));
    expect(screen.queryByRole('dialog', { name: 'Admin message' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    panel = await screen.findByRole('dialog', { name: 'Admin message' });
    expect(within(panel).getByLabelText('Text')).toHaveValue('Half-written announcement');
  });

  it('carries the draft on to a composer opened in its place', async () => {
    threeRooms({});
    const user = userEvent.setup();
    renderDeck();
    await findRow('c1', C);
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    await user.type(within(panel).getByLabelText('Text'), 'Half-written announcement');

    // Another composer takes its place (from the top bar again), without a question.
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    await waitFor(() => expect(panel).not.toBeInTheDocument());
    const next = screen.getByRole('dialog', { name: 'Admin message' });
    expect(within(next).getByLabelText('Text')).toHaveValue('Half-written announcement');

    // And it is still there once that one gives way too and opens again.
    await user.click(screen.getByRole('button', { name: 'Admin message' }));
    await waitFor(() => expect(next).not.toBeInTheDocument());
    expect(
      within(screen.getByRole('dialog', { name: 'Admin message' })).getByLabelText('Text'),
    ).toHaveValue('Half-written announcement');
  });

  it('counts the characters and says which rooms a long text leaves out and why, keeping them ticked', async () => {
    fakeDeck([
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] },
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [chatEvent('vcc/square', { id: 's1' })],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('s1', 'vcc/square');
    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    await user.click(screen.getByRole('menuitem', { name: 'Broadcast…' }));
    const panel = await screen.findByRole('dialog', { name: 'Admin message' });
    const square = within(panel).getByRole('checkbox', { name: /^Square/ });
    await user.click(square);
    const text = within(panel).getByLabelText('Text');

    await user.click(text);
    await user.paste('x'.repeat(101));
    expect(within(panel).getByText(/^101 characters/)).toBeInTheDocument();
    expect(square).toBeChecked();
    expect(square).toBeEnabled();
    expect(within(panel).getByRole('status', { name: 'Rooms left out' })).toHaveTextContent(
      'Left out: Square. VChatCloud notices take at most 100 characters, and this text has 101.',
    );
    expect(within(panel).getByRole('button', { name: 'Send to 1 room' })).toBeEnabled();

    await user.keyboard('{Backspace}');
    expect(within(panel).getByText(/^100 characters/)).toBeInTheDocument();
    expect(within(panel).getByRole('status', { name: 'Rooms left out' })).toBeEmptyDOMElement();
    expect(within(panel).getByRole('button', { name: 'Send to 2 rooms' })).toBeEnabled();

    // A command is more than a notice can carry: Square is left out for that, and says so.
    await user.click(within(panel).getByRole('radio', { name: 'Command' }));
    expect(within(panel).getByRole('status', { name: 'Rooms left out' })).toHaveTextContent(
      'Left out: Square. VChatCloud notices carry text only: no command, custom type or data.',
    );
    expect(square).toBeChecked();
  });
});
