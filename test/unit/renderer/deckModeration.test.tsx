import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CAPABILITIES } from '../../../src/shared/chat';
import type { RequestOutput, Result } from '../../../src/shared/contract';
import {
  batchOf,
  chatEvent,
  column,
  fakeDeck,
  findRow,
  flaggedColumn,
  renderDeck,
  resetStores,
  pointedRow,
  row,
} from './deckHarness';

const A = 'acc/alpha';
const V = 'vcc/square';

type HideResult = Result<RequestOutput<'messages.hide'>>;

/** The names of a row's moderation buttons (its user's name is a button too: it opens their card). */
const MODERATION = /^(Hide|Unhide|Delete)$/;

/** A result the test hands out when it wants: the action stays pending until then. */
function deferred(): { promise: Promise<HideResult>; resolve: (result: HideResult) => void } {
  let resolve!: (result: HideResult) => void;
  const promise = new Promise<HideResult>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

function moderationCalls(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls.filter((call) => call.channel.startsWith('messages.'));
}

function alphaRoom() {
  return {
    accountId: 'acc',
    roomId: 'alpha',
    name: 'Alpha',
    events: [
      chatEvent(A, { id: 'a1', text: 'first' }),
      chatEvent(A, { id: 'a2', text: 'second' }),
      chatEvent(A, { id: 'a3', text: 'third' }),
    ],
  };
}

describe('moderating from the deck', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks a hide pending at once and settles it from the result', async () => {
    const answer = deferred();
    const { bridge } = fakeDeck([alphaRoom()], { 'messages.hide': () => answer.promise });
    const user = userEvent.setup();
    renderDeck();
    const target = await findRow('a2', A);

    await user.hover(target);
    await user.click(within(target).getByRole('button', { name: 'Hide' }));
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');
    expect(row('a2', column(A))).toHaveAttribute('data-pending', 'true');
    expect(within(row('a2', column(A))).getByText('Working…')).toBeInTheDocument();
    expect(moderationCalls(bridge)).toEqual([
      { channel: 'messages.hide', input: { roomKey: A, messageId: 'a2' } },
    ]);

    answer.resolve({ ok: true, value: { roomKey: A, messageId: 'a2', state: 'hidden' } });
    await waitFor(() => expect(row('a2', column(A))).not.toHaveAttribute('data-pending'));
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');
    expect(within(row('a2', column(A))).getByText('Hidden')).toBeInTheDocument();
    expect(
      within(pointedRow('a2', column(A))).getByRole('button', { name: 'Unhide' }),
    ).toBeInTheDocument();
  });

  it('rolls a failed hide back, says why in words, and retries on request', async () => {
    const answers = [deferred(), deferred()];
    let call = 0;
    fakeDeck([alphaRoom()], {
      'messages.hide': () => (answers[call++] as ReturnType<typeof deferred>).promise,
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);

    await user.keyboard('jk'); // a2
    await user.keyboard('x');
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');

    answers[0]?.resolve({
      ok: false,
      error: { code: 'CHAT_ROOM_MESSAGE_NOT_FOUND', message: 'Chat room message not found.' },
    });
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'visible'));
    expect(row('a2', column(A))).not.toHaveAttribute('data-pending');
    expect(
      within(row('a2', column(A))).getByText('Could not hide: This message no longer exists'),
    ).toBeInTheDocument();
    expect(
      within(screen.getByRole('status')).getByText(/This message no longer exists/),
    ).toBeInTheDocument();

    await user.click(within(pointedRow('a2', column(A))).getByRole('button', { name: 'Retry' }));
    expect(row('a2', column(A))).toHaveAttribute('data-pending', 'true');
    answers[1]?.resolve({ ok: true, value: { roomKey: A, messageId: 'a2', state: 'hidden' } });
    await waitFor(() => expect(row('a2', column(A))).not.toHaveAttribute('data-pending'));
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');
    expect(within(row('a2', column(A))).queryByText(/Could not hide/)).not.toBeInTheDocument();
  });

  it('says a hide the service did not answer is of unknown outcome, not failed, and a retry confirms it', async () => {
    const answers = [deferred(), deferred()];
    let call = 0;
    fakeDeck([alphaRoom()], {
      'messages.hide': () => (answers[call++] as ReturnType<typeof deferred>).promise,
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    const unknownText =
      'Not known whether it was hidden: the service did not answer. Retrying is safe.';

    await user.keyboard('jkx'); // a2
    answers[0]?.resolve({
      ok: false,
      error: {
        code: 'OUTCOME_UNKNOWN',
        message:
          'The service did not answer within 10 s. Whether it took effect is not known; trying it again is safe.',
      },
    });
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-outcome', 'unknown'));
    const message = row('a2', column(A));
    // Neither claimed hidden nor reported failed: the last state the service confirmed, and why.
    expect(message).toHaveAttribute('data-state', 'visible');
    expect(message).not.toHaveAttribute('data-pending');
    expect(message).not.toHaveClass('row-failed');
    expect(within(message).getByText(unknownText)).toBeInTheDocument();
    expect(within(message).queryByText(/Could not/)).not.toBeInTheDocument();
    expect(message.getAttribute('aria-label')).toContain(unknownText);
    expect(within(screen.getByRole('status')).getByText(unknownText)).toBeInTheDocument();
    const retry = within(message).getByRole('button', { name: 'Retry' });
    expect(retry).toHaveAttribute('aria-keyshortcuts', 'x');
    expect(retry).toHaveAttribute('title', 'Retry (x)');

    await user.click(retry);
    expect(row('a2', column(A))).toHaveAttribute('data-pending', 'true');
    answers[1]?.resolve({ ok: true, value: { roomKey: A, messageId: 'a2', state: 'hidden' } });
    await waitFor(() => expect(row('a2', column(A))).not.toHaveAttribute('data-pending'));
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');
    expect(row('a2', column(A))).not.toHaveAttribute('data-outcome');
    expect(within(row('a2', column(A))).queryByText(unknownText)).not.toBeInTheDocument();
  });

  it('retries a delete of unknown outcome with the same key, without asking again', async () => {
    let call = 0;
    const { bridge } = fakeDeck([alphaRoom()], {
      'messages.delete': ({ roomKey, messageId }) =>
        call++ === 0
          ? {
              ok: false,
              error: { code: 'OUTCOME_UNKNOWN', message: 'The service did not answer.' },
            }
          : { ok: true, value: { roomKey, messageId, state: 'deleted' } },
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('j{Delete}{Delete}');
    expect(
      await within(row('a3', column(A))).findByText(
        'Not known whether it was deleted: the service did not answer. Retrying is safe.',
      ),
    ).toBeInTheDocument();
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible');

    await user.keyboard('{Delete}');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'deleted'));
    expect(moderationCalls(bridge)).toHaveLength(2);
    expect(row('a3', column(A))).not.toHaveAttribute('data-outcome');
  });

  it('settles an action of unknown outcome when the feed shows it done', async () => {
    const { bridge } = fakeDeck([alphaRoom()], {
      'messages.hide': () => ({
        ok: false,
        error: { code: 'OUTCOME_UNKNOWN', message: 'The service did not answer.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    await user.keyboard('jkx');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-outcome', 'unknown'));

    act(() =>
      bridge.emit('feed.batch', {
        events: [],
        updates: [{ roomKey: A, id: 'a2', state: 'hidden' }],
        stats: [],
      }),
    );
    await waitFor(() => expect(row('a2', column(A))).not.toHaveAttribute('data-outcome'));
    expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden');
  });

  it('names an unknown error code instead of hiding it', async () => {
    fakeDeck([alphaRoom()], {
      'messages.delete': () => ({
        ok: false,
        error: { code: 'E_STRANGE_42', message: 'The provider said no.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('j{Delete}{Delete}');
    expect(
      await within(row('a3', column(A))).findByText(
        'Could not delete: The provider said no. (code E_STRANGE_42)',
      ),
    ).toBeInTheDocument();
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible');
  });

  it('offers to undo a hide for 5 seconds', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    renderDeck();
    await findRow('a3', A);
    // Only the clocks: React schedules its own work on setImmediate, which must stay real.
    // (user-event waits on a timer after each call, so keys are sent with fireEvent here.)
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    fireEvent.keyDown(document.body, { key: 'j' });
    await act(async () => {
      fireEvent.keyDown(document.activeElement ?? document.body, { key: 'x' });
      await Promise.resolve();
    });
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'hidden');
    expect(screen.getByText('Message hidden.')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Undo (z)' })).toBeInTheDocument();

    act(() => {
      vi.advanceTimersByTime(4900);
    });
    expect(screen.getByText('Message hidden.')).toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(100);
    });
    expect(screen.queryByText('Message hidden.')).not.toBeInTheDocument();
    expect(moderationCalls(bridge).map((call) => call.channel)).toEqual(['messages.hide']);
  });

  it('undoes the last hide with z, and from the toast', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('jx');
    await waitFor(() => expect(row('a3', column(A))).not.toHaveAttribute('data-pending'));
    await user.keyboard('k'); // the undo does not depend on where the cursor is
    await user.keyboard('z');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible'));
    expect(screen.queryByText('Message hidden.')).not.toBeInTheDocument();

    // Nothing left to undo.
    await user.keyboard('z');
    expect(moderationCalls(bridge).map((call) => call.channel)).toEqual([
      'messages.hide',
      'messages.unhide',
    ]);

    await user.keyboard('x'); // a2
    await user.click(await screen.findByRole('button', { name: 'Undo (z)' }));
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'visible'));
    expect(moderationCalls(bridge).map((call) => call.input)).toEqual([
      { roomKey: A, messageId: 'a3' },
      { roomKey: A, messageId: 'a3' },
      { roomKey: A, messageId: 'a2' },
      { roomKey: A, messageId: 'a2' },
    ]);
  });

  it('asks to confirm a delete and deletes on the second Delete', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('j{Delete}');
    const confirm = within(row('a3', column(A))).getByRole('group', {
      name: 'Delete this message for everyone?',
    });
    expect(confirm).toHaveTextContent('Del or Enter to confirm, Esc to cancel.');
    expect(moderationCalls(bridge)).toEqual([]);
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible');

    await user.keyboard('{Delete}');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'deleted'));
    expect(moderationCalls(bridge)).toEqual([
      { channel: 'messages.delete', input: { roomKey: A, messageId: 'a3' } },
    ]);
    // Collapsed to "deleted"; the text only on demand.
    expect(within(row('a3', column(A))).queryByText('third')).not.toBeInTheDocument();
    await user.click(
      within(pointedRow('a3', column(A))).getByRole('button', { name: 'Show text' }),
    );
    expect(within(row('a3', column(A))).getByText('third')).toBeInTheDocument();
  });

  it('confirms a delete with Enter, and cancels it with Esc or by moving on', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('j{Delete}{Escape}');
    expect(screen.queryByRole('group', { name: /Delete this message/ })).not.toBeInTheDocument();
    expect(row('a3', column(A))).toHaveClass('row-focused'); // Esc cancelled, focus kept

    await user.keyboard('{Delete}k{Delete}');
    expect(within(row('a3', column(A))).queryByRole('group')).not.toBeInTheDocument();
    expect(
      within(row('a2', column(A))).getByRole('group', { name: /Delete this message/ }),
    ).toBeInTheDocument();
    expect(moderationCalls(bridge)).toEqual([]);

    await user.keyboard('{Enter}');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'deleted'));
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible');
    expect(moderationCalls(bridge)).toEqual([
      { channel: 'messages.delete', input: { roomKey: A, messageId: 'a2' } },
    ]);
  });

  it('offers no hide, unhide or delete in a VChatCloud room, by button or by key', async () => {
    const { bridge } = fakeDeck([
      alphaRoom(),
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [chatEvent(V, { id: 'v1', text: 'hello from vchat' })],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    const vchatRow = await findRow('v1', V);
    const flipflopRow = await findRow('a3', A);

    await user.hover(flipflopRow);
    expect(within(flipflopRow).getByRole('button', { name: 'Hide' })).toBeInTheDocument();
    expect(within(flipflopRow).getByRole('button', { name: 'Delete' })).toBeInTheDocument();
    await user.hover(vchatRow);
    expect(within(vchatRow).queryAllByRole('button', { name: MODERATION })).toEqual([]);

    await user.keyboard('jl'); // into the VChatCloud room
    expect(row('v1', column(V))).toHaveClass('row-focused');
    await user.keyboard('xu{Delete}{Delete}');
    expect(within(row('v1', column(V))).queryByRole('group')).not.toBeInTheDocument();
    expect(moderationCalls(bridge)).toEqual([]);
  });

  it('makes a row’s buttons once the pointer or the cursor comes to it, and a hidden one’s Unhide at once', async () => {
    fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);
    const buttonsOf = (id: string) =>
      within(row(id, column(A)))
        .queryAllByRole('button', { name: MODERATION })
        .map((button) => button.textContent);
    expect(['a1', 'a2', 'a3'].map(buttonsOf)).toEqual([[], [], []]);

    await user.hover(row('a2', column(A)));
    expect(['a1', 'a2', 'a3'].map(buttonsOf)).toEqual([[], ['Hide', 'Delete'], []]);
    await user.keyboard('j');
    expect(row('a3', column(A))).toHaveClass('row-focused');
    expect(buttonsOf('a3')).toEqual(['Hide', 'Delete']);
    // Hidden with the key: its Unhide stays in sight whoever points at what.
    await user.keyboard('x');
    await user.unhover(row('a2', column(A)));
    await user.keyboard('k');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'hidden'));
    expect(row('a3', column(A))).not.toHaveClass('row-focused');
    expect(buttonsOf('a3')).toEqual(['Unhide']);
    await user.hover(row('a3', column(A)));
    expect(buttonsOf('a3')).toEqual(['Unhide', 'Delete']);
    expect(buttonsOf('a1')).toEqual([]);
  });

  it('offers hide but not delete in a room that can hide and not delete, by button or by key', async () => {
    const { bridge } = fakeDeck([
      { ...alphaRoom(), capabilities: { ...CAPABILITIES.flipflop, delete: false } },
    ]);
    const user = userEvent.setup();
    renderDeck();
    const target = await findRow('a3', A);
    await user.hover(target);
    expect(within(target).getByRole('button', { name: 'Hide' })).toBeInTheDocument();
    expect(within(target).queryByRole('button', { name: 'Delete' })).not.toBeInTheDocument();

    // No confirmation to answer, and a second Delete confirms nothing.
    await user.keyboard('j{Delete}');
    expect(row('a3', column(A))).toHaveClass('row-focused');
    expect(within(row('a3', column(A))).queryByRole('group')).not.toBeInTheDocument();
    expect(screen.getByText('FlipFlop cannot delete messages.')).toBeInTheDocument();
    await user.keyboard('{Delete}');
    expect(within(row('a3', column(A))).queryByRole('group')).not.toBeInTheDocument();
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'visible');
    expect(moderationCalls(bridge)).toEqual([]);

    await user.keyboard('x');
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'hidden'));
    expect(moderationCalls(bridge)).toEqual([
      { channel: 'messages.hide', input: { roomKey: A, messageId: 'a3' } },
    ]);
    expect(
      within(pointedRow('a3', column(A))).getByRole('button', { name: 'Unhide' }),
    ).toBeInTheDocument();
    expect(
      within(pointedRow('a3', column(A))).queryByRole('button', { name: 'Delete' }),
    ).not.toBeInTheDocument();
  });

  it('offers no hide or delete on a join or leave line, by button or by key, and says why', async () => {
    const { bridge } = fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'a1', text: 'hello' }),
          chatEvent(A, { id: 'left1', kind: 'leave', text: '' }),
          chatEvent(A, { id: 'join1', kind: 'join', text: '' }),
        ],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    const joined = await findRow('join1', A);
    expect(within(joined).queryAllByRole('button', { name: MODERATION })).toEqual([]);
    expect(
      within(pointedRow('left1', column(A))).queryAllByRole('button', { name: MODERATION }),
    ).toEqual([]);
    expect(
      within(pointedRow('a1', column(A))).getByRole('button', { name: 'Hide' }),
    ).toBeInTheDocument();

    await user.keyboard('jx');
    expect(joined).toHaveClass('row-focused');
    expect(
      within(screen.getByRole('status')).getByText(
        'Only chat messages can be hidden or deleted; a join or leave line cannot.',
      ),
    ).toBeInTheDocument();
    await user.keyboard('{Delete}{Delete}');
    expect(within(joined).queryByRole('group')).not.toBeInTheDocument();
    expect(moderationCalls(bridge)).toEqual([]);
  });

  it('says that z cannot undo a delete, and undoes nothing else instead', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('jx'); // hides a3
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'hidden'));
    await user.keyboard('k{Delete}{Delete}'); // then deletes a2
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'deleted'));

    await user.keyboard('z');
    expect(
      within(screen.getByRole('status')).getByText(
        'A delete cannot be undone: the service no longer has the message.',
      ),
    ).toBeInTheDocument();
    expect(moderationCalls(bridge).map((call) => call.channel)).toEqual([
      'messages.hide',
      'messages.delete',
    ]);
  });

  it('says that z cannot bring back a hidden message deleted since, and sends no unhide', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a3', A);

    await user.keyboard('jx'); // hides a3
    await waitFor(() => expect(row('a3', column(A))).not.toHaveAttribute('data-pending'));
    // Another moderator deletes it.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], { updates: [{ roomKey: A, id: 'a3', state: 'deleted' }] }),
      ),
    );
    await waitFor(() => expect(row('a3', column(A))).toHaveAttribute('data-state', 'deleted'));

    await user.keyboard('z');
    expect(
      within(screen.getByRole('status')).getByText(
        'A delete cannot be undone: the service no longer has the message.',
      ),
    ).toBeInTheDocument();
    expect(row('a3', column(A))).toHaveAttribute('data-state', 'deleted');
    expect(moderationCalls(bridge).map((call) => call.channel)).toEqual(['messages.hide']);
  });

  it('offers no action on an event without a provider message id', async () => {
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'sys1', messageId: null, kind: 'system', text: 'room opened' }),
        ],
      },
    ]);
    renderDeck();
    const systemRow = await findRow('sys1', A);
    expect(within(systemRow).queryAllByRole('button', { name: MODERATION })).toEqual([]);
  });

  it('acts on the original from the Flagged column, and both views show it', async () => {
    const { bridge } = fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'a1', text: 'calm' }),
          chatEvent(A, { id: 'a2', text: 'so bad', flags: [{ ruleId: 'r1', start: 3, end: 6 }] }),
        ],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', undefined);
    await waitFor(() => row('a2', flaggedColumn()));
    expect(within(row('a2', flaggedColumn())).getByText('Alpha')).toBeInTheDocument();
    expect(row('a2', flaggedColumn())).toHaveAccessibleName(/^Alpha\. /);

    await user.click(
      within(pointedRow('a2', flaggedColumn())).getByRole('button', { name: 'Hide' }),
    );
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden'));
    expect(row('a2', flaggedColumn())).toHaveAttribute('data-state', 'hidden');
    expect(moderationCalls(bridge)).toEqual([
      { channel: 'messages.hide', input: { roomKey: A, messageId: 'a2' } },
    ]);

    // Hidden, it has left the queue; listed again with the handled ones, h from the room lands on
    // it in the Flagged column and u acts on the original.
    expect(flaggedColumn().querySelector('.column-count')).toHaveAttribute('data-count', '0');
    await user.click(within(flaggedColumn()).getByRole('button', { name: 'Show handled' }));
    await user.keyboard('{Escape}jh');
    expect(row('a2', flaggedColumn())).toHaveClass('row-focused');
    await user.keyboard('u');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'visible'));
    expect(row('a2', flaggedColumn())).toHaveAttribute('data-state', 'visible');
  });

  it('gathers flagged messages and DMs to the moderator, newest first, and follows updates', async () => {
    const { bridge } = fakeDeck([
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [] },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: [] },
    ]);
    renderDeck();
    await waitFor(() => column('acc/beta'));

    act(() => {
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, { id: 'f1', text: 'bad one', flags: [{ ruleId: 'r', start: 0, end: 3 }] }),
          chatEvent(A, { id: 'plain', text: 'nothing to see' }),
          chatEvent('acc/beta', { id: 'dm1', kind: 'dm', text: 'help me', toModerator: true }),
        ]),
      );
    });
    await waitFor(() => row('dm1', flaggedColumn()));
    const ids = [...flaggedColumn().querySelectorAll('article')].map((element) =>
      element.getAttribute('data-message-id'),
    );
    expect(ids).toEqual(['dm1', 'f1']);
    expect(within(row('dm1', flaggedColumn())).getByText('DM to you')).toBeInTheDocument();

    act(() => {
      bridge.emit(
        'feed.batch',
        batchOf([], { updates: [{ roomKey: A, id: 'f1', state: 'deleted' }] }),
      );
    });
    await waitFor(() =>
      expect(row('f1', flaggedColumn())).toHaveAttribute('data-state', 'deleted'),
    );
    expect(await findRow('f1', A)).toHaveAttribute('data-state', 'deleted');
  });
});
