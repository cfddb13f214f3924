import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { RequestInput, RequestOutput, Result } from '../../../src/shared/contract';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { RUN_CONCURRENCY } from '../../../src/renderer/src/stores/deckCommands';
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
  pointedRow,
  row,
  rowsIn,
} from './deckHarness';

const A = 'acc/alpha';
const SPAMMER = { id: 'spam', name: 'spammer' };

type HideResult = Result<RequestOutput<'messages.hide'>>;

/**
 * Room Alpha: `b1` from another user, then the spammer's four copies `r1`–`r4` (in changing case
 * and spacing, a few seconds apart) with another user's `o1` between them, and `b2` last.
 */
function alphaRoom() {
  const copy = (id: string, text: string, seconds: number): ChatEvent =>
    chatEvent(A, { id, text, user: SPAMMER, ...at(seconds) });
  return alpha([
    chatEvent(A, { id: 'b1', text: 'hello', ...at(0) }),
    copy('r1', 'Buy followers at example', 1),
    copy('r2', 'buy followers at example', 2),
    chatEvent(A, { id: 'o1', text: 'stop it', ...at(3) }),
    copy('r3', '  BUY followers  at example', 4),
    copy('r4', 'buy followers at example', 5),
    chatEvent(A, { id: 'b2', text: 'bye', ...at(6) }),
  ]);
}

/** Sent and received `seconds` after `T0`. */
function at(seconds: number): { createdAt: number; receivedAt: number } {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

/** Room Alpha with `events`. */
function alpha(events: ChatEvent[]) {
  return { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events };
}

function shownIds(): string[] {
  return rowsIn(column(A)).map((element) => element.dataset.messageId ?? '');
}

function hideCalls(bridge: { calls: Array<{ channel: string; input: unknown }> }): string[] {
  return bridge.calls
    .filter((call) => call.channel === 'messages.hide')
    .map((call) => (call.input as RequestInput<'messages.hide'>).messageId);
}

function unhideCalls(bridge: { calls: Array<{ channel: string; input: unknown }> }): string[] {
  return bridge.calls
    .filter((call) => call.channel === 'messages.unhide')
    .map((call) => (call.input as RequestInput<'messages.unhide'>).messageId);
}

function deleteCalls(bridge: { calls: Array<{ channel: string; input: unknown }> }): string[] {
  return bridge.calls
    .filter((call) => call.channel === 'messages.delete')
    .map((call) => (call.input as RequestInput<'messages.delete'>).messageId);
}

/**
 * Deletes the four copies row `first` stands for, from its Delete button and the one confirmation;
 * the messages deleted, sorted, once the toast says all four were.
 */
async function deleteFourFromRow(
  user: ReturnType<typeof userEvent.setup>,
  bridge: { calls: Array<{ channel: string; input: unknown }> },
  first: string,
): Promise<string[]> {
  await user.click(within(pointedRow(first, column(A))).getByRole('button', { name: 'Delete' }));
  const confirm = within(row(first, column(A))).getByRole('group', {
    name: 'Delete all 4 copies for everyone?',
  });
  await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
  await screen.findByText('4 of 4 deleted.');
  return bridge.calls
    .filter((call) => call.channel === 'messages.delete')
    .map((call) => (call.input as RequestInput<'messages.delete'>).messageId)
    .sort();
}

function hidden(input: RequestInput<'messages.hide'>): HideResult {
  return {
    ok: true,
    value: { roomKey: input.roomKey, messageId: input.messageId, state: 'hidden' },
  };
}

describe('repeated messages in a room column', () => {
  beforeEach(resetStores);

  it('shows a run of four identical messages as one row "×4", and every copy once expanded', async () => {
    fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    expect(shownIds()).toEqual(['b1', 'r1', 'o1', 'b2']);
    const first = row('r1', column(A));
    expect(first.getAttribute('aria-label')).toContain('4 times');
    const toggle = within(first).getByRole('button', { name: 'Show all 4 copies' });
    expect(toggle).toHaveTextContent('×4');
    expect(toggle).toHaveAttribute('aria-expanded', 'false');

    await user.click(toggle);
    expect(shownIds()).toEqual(['b1', 'r1', 'r2', 'o1', 'r3', 'r4', 'b2']);
    expect(
      within(row('r1', column(A))).getByRole('button', {
        name: 'Show the 4 copies as one row',
      }),
    ).toHaveAttribute('aria-expanded', 'true');

    await user.click(
      within(row('r1', column(A))).getByRole('button', {
        name: 'Show the 4 copies as one row',
      }),
    );
    expect(shownIds()).toEqual(['b1', 'r1', 'o1', 'b2']);
  });

  it('lets the cursor stop once on a collapsed run', async () => {
    fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    const focusedId = () => useDeck.getState().focus?.key.split('#')[1];
    await user.keyboard('j');
    expect(focusedId()).toBe('b2');
    await user.keyboard('k');
    expect(focusedId()).toBe('o1');
    await user.keyboard('k');
    expect(focusedId()).toBe('r1');
    await user.keyboard('k');
    expect(focusedId()).toBe('b1');
    await user.keyboard('j');
    await user.keyboard('j');
    expect(focusedId()).toBe('o1');
  });

  it('hides every copy from the collapsed row, a few at a time, with one result for each', async () => {
    const answers: Array<{ input: RequestInput<'messages.hide'>; resolve: () => void }> = [];
    const { bridge } = fakeDeck([alphaRoom()], {
      'messages.hide': (input) =>
        new Promise<HideResult>((resolve) => {
          answers.push({ input, resolve: () => resolve(hidden(input)) });
        }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    await user.click(within(pointedRow('r1', column(A))).getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(answers).toHaveLength(RUN_CONCURRENCY));
    expect(RUN_CONCURRENCY).toBeLessThan(4);
    expect(await screen.findByText('Hiding 4 copies…')).toBeInTheDocument();
    // The fourth waits for one of the first to be answered.
    expect(hideCalls(bridge)).toHaveLength(RUN_CONCURRENCY);
    for (const answer of answers.slice()) answer.resolve();
    await waitFor(() => expect(hideCalls(bridge)).toEqual(['r1', 'r2', 'r3', 'r4']));
    answers[RUN_CONCURRENCY]?.resolve();

    expect(await screen.findByText('4 of 4 hidden.')).toBeInTheDocument();
    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show all 4 copies' }),
    );
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      expect(row(id, column(A))).toHaveAttribute('data-state', 'hidden');
    }
    expect(row('o1', column(A))).toHaveAttribute('data-state', 'visible');
  });

  it('says which copies failed while the others are hidden, and the failed row says why', async () => {
    const { bridge } = fakeDeck([alphaRoom()], {
      'messages.hide': (input) =>
        input.messageId === 'r3'
          ? { ok: false, error: { code: 'CHAT_ROOM_MESSAGE_NOT_FOUND', message: 'not found' } }
          : hidden(input),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    // The hide key on the collapsed row, reached with the cursor.
    await user.keyboard('jkkx');
    expect(useDeck.getState().focus?.key).toBe(`${A}#r1`);
    await waitFor(() => expect(hideCalls(bridge)).toHaveLength(4));
    const toast = await screen.findByText(/^3 of 4 hidden\. 1 failed: /);
    expect(toast).toBeInTheDocument();

    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show all 4 copies' }),
    );
    expect(row('r3', column(A))).toHaveAttribute('data-state', 'visible');
    expect(within(row('r3', column(A))).getByText(/^Could not hide/)).toBeInTheDocument();
    for (const id of ['r1', 'r2', 'r4']) {
      expect(row(id, column(A))).toHaveAttribute('data-state', 'hidden');
    }
  });

  it('undoes the hide of every copy at once', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    await user.click(within(pointedRow('r1', column(A))).getByRole('button', { name: 'Hide' }));
    await screen.findByText('4 of 4 hidden.');
    await user.click(screen.getByRole('button', { name: /^Undo/ }));

    await waitFor(() => expect(unhideCalls(bridge).sort()).toEqual(['r1', 'r2', 'r3', 'r4']));
    expect(await screen.findByText('4 of 4 unhidden.')).toBeInTheDocument();
    expect(row('r1', column(A))).toHaveAttribute('data-state', 'visible');
  });

  it("hides only the message of an expanded run's row", async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show all 4 copies' }),
    );
    await user.click(within(pointedRow('r2', column(A))).getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(row('r2', column(A))).toHaveAttribute('data-state', 'hidden'));
    expect(hideCalls(bridge)).toEqual(['r2']);
  });

  it('asks once to delete every copy, and deletes them all', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    expect(await deleteFourFromRow(user, bridge, 'r1')).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it('acts on the first copy alone from its own buttons while the cursor on a later copy shows the run', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);

    // The cursor sent to a later copy (as a search result does): the run shows copy by copy.
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#r3` }));
    await waitFor(() => expect(shownIds()).toEqual(['b1', 'r1', 'r2', 'o1', 'r3', 'r4', 'b2']));
    await user.click(within(pointedRow('r1', column(A))).getByRole('button', { name: 'Hide' }));
    await waitFor(() => expect(hideCalls(bridge)).toHaveLength(1));
    expect(hideCalls(bridge)).toEqual(['r1']);

    await user.click(within(pointedRow('r2', column(A))).getByRole('button', { name: 'Delete' }));
    const confirm = within(row('r2', column(A))).getByRole('group', {
      name: 'Delete this message for everyone?',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Delete' }));
    await waitFor(() => expect(deleteCalls(bridge)).toHaveLength(1));
    expect(deleteCalls(bridge)).toEqual(['r2']);
  });

  it('shows every copy as its own row when collapsing is turned off', async () => {
    fakeDeck([alphaRoom()], {}, { collapseRepeats: false });
    renderDeck();
    await findRow('b2', A);
    await waitFor(() => expect(shownIds()).toEqual(['b1', 'r1', 'r2', 'o1', 'r3', 'r4', 'b2']));
    expect(within(row('r1', column(A))).queryByRole('button', { name: /copies/ })).toBeNull();
  });

  it('lists a flagged copy in the Flagged column on its own row while the room shows the run as one', async () => {
    const room = alphaRoom();
    room.events = room.events.map((event) =>
      event.id === 'r3'
        ? {
            ...event,
            flags: [{ ruleId: 'automod-repeats', reason: 'same message 3 times in 3 s' }],
          }
        : event,
    );
    fakeDeck([room]);
    renderDeck();
    await findRow('b2', A);

    expect(shownIds()).toEqual(['b1', 'r1', 'o1', 'b2']);
    const flagged = await waitFor(() => row('r3', flaggedColumn()));
    expect(within(flagged).queryByRole('button', { name: /copies/ })).toBeNull();
    expect(rowsIn(flaggedColumn()).map((element) => element.dataset.messageId)).toEqual(['r3']);
  });

  it('counts a copy that arrives later on the live row, and a copy past the minute starts anew', async () => {
    const { bridge } = fakeDeck([alphaRoom()]);
    renderDeck();
    await findRow('b2', A);

    const copy = (id: string, seconds: number) =>
      chatEvent(A, {
        id,
        text: 'buy followers at example',
        user: SPAMMER,
        ...at(seconds),
      });
    act(() => bridge.emit('feed.batch', batchOf([copy('r5', 20)])));
    await waitFor(() =>
      expect(
        within(row('r1', column(A))).getByRole('button', { name: 'Show all 5 copies' }),
      ).toHaveTextContent('×5'),
    );
    expect(shownIds()).toEqual(['b1', 'r1', 'o1', 'b2']);

    act(() => bridge.emit('feed.batch', batchOf([copy('r6', 90), copy('r7', 91)])));
    await findRow('r6', A);
    expect(shownIds()).toEqual(['b1', 'r1', 'o1', 'b2', 'r6']);
    expect(
      within(row('r6', column(A))).getByRole('button', { name: 'Show all 2 copies' }),
    ).toBeInTheDocument();
  });
});

describe("a run's delete question", () => {
  beforeEach(resetStores);

  /** Room Alpha with four copies `r1`–`r4` in a row; `flagged`: each is flagged too. */
  function runRoom(flagged: boolean) {
    const flags = flagged ? [{ ruleId: 'r1', start: 0, end: 3 }] : [];
    const copy = (id: string, seconds: number): ChatEvent =>
      chatEvent(A, { id, text: 'buy followers', user: SPAMMER, flags, ...at(seconds) });
    return alpha([
      chatEvent(A, { id: 'b1', text: 'hello', ...at(0) }),
      copy('r1', 1),
      copy('r2', 2),
      copy('r3', 3),
      copy('r4', 4),
      chatEvent(A, { id: 'b2', text: 'bye', ...at(6) }),
    ]);
  }

  function question(id: string, where: HTMLElement): string | null {
    return row(id, where).querySelector('.delete-confirm')?.getAttribute('aria-label') ?? null;
  }

  it('is dropped when the run is shown copy by copy; asked again, it deletes that message alone', async () => {
    const { bridge } = fakeDeck([runRoom(false)]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#r1` }));
    await user.keyboard('{Delete}');
    expect(question('r1', column(A))).toBe('Delete all 4 copies for everyone?');

    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show all 4 copies' }),
    );
    expect(question('r1', column(A))).toBeNull();
    expect(useDeck.getState().deleteToConfirm).toBeNull();
    await user.keyboard('{Delete}');
    expect(question('r1', column(A))).toBe('Delete this message for everyone?');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(deleteCalls(bridge)).toHaveLength(1));
    expect(deleteCalls(bridge)).toEqual(['r1']);
  });

  it('about one copy is dropped when the run is folded; asked again, it deletes every copy', async () => {
    const { bridge } = fakeDeck([runRoom(false)]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);
    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show all 4 copies' }),
    );
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#r1` }));
    await user.keyboard('{Delete}');
    expect(question('r1', column(A))).toBe('Delete this message for everyone?');

    await user.click(
      within(row('r1', column(A))).getByRole('button', { name: 'Show the 4 copies as one row' }),
    );
    expect(question('r1', column(A))).toBeNull();
    expect(useDeck.getState().deleteToConfirm).toBeNull();
    await user.keyboard('{Delete}');
    expect(question('r1', column(A))).toBe('Delete all 4 copies for everyone?');
    await user.keyboard('{Enter}');
    await screen.findByText('4 of 4 deleted.');
    expect(deleteCalls(bridge).sort()).toEqual(['r1', 'r2', 'r3', 'r4']);
  });

  it("stays in its column: the same message's row in the Flagged column asks on its own", async () => {
    const { bridge } = fakeDeck([runRoom(true)]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('b2', A);
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#r1` }));
    await user.keyboard('{Delete}');
    expect(question('r1', column(A))).toBe('Delete all 4 copies for everyone?');

    // h: to the Flagged column, onto the same message (nearest in time).
    await user.keyboard('h');
    expect(useDeck.getState().focus).toEqual({ column: 'flagged', key: `${A}#r1` });
    expect(question('r1', flaggedColumn())).toBeNull();
    expect(question('r1', column(A))).toBeNull();
    // Enter confirms nothing: no question waits on this row.
    await user.keyboard('{Enter}');
    await user.keyboard('{Delete}');
    expect(question('r1', flaggedColumn())).toBe('Delete this message for everyone?');
    await user.keyboard('{Enter}');
    await waitFor(() => expect(deleteCalls(bridge)).toHaveLength(1));
    expect(deleteCalls(bridge)).toEqual(['r1']);
  });
});

describe("a raid's held copies in a room column", () => {
  beforeEach(resetStores);

  /** A copy of raid "free skins" from new account `user`, held and hidden when it came. */
  function heldCopy(id: string, user: string, seconds: number): ChatEvent {
    const reason = 'copy-paste raid “free skins”: 5 people in 2 s';
    return chatEvent(A, {
      id,
      text: `${user} free skins at example`,
      user: { id: user, name: user },
      state: 'hidden',
      ...at(seconds),
      flags: [{ ruleId: 'automod-raid', reason, severity: 'high' }],
      held: {
        ruleId: 'automod-raid',
        reason,
        why: {
          kind: 'raid',
          name: 'free skins at example',
          people: 5,
          peopleCapped: false,
          spanMs: 2000,
        },
        at: T0 + seconds * 1000,
      },
    });
  }

  function raidRoom() {
    return alpha([
      chatEvent(A, { id: 'c1', text: 'nice run', ...at(0) }),
      heldCopy('h1', 'n1', 1),
      heldCopy('h2', 'n2', 1.2),
      chatEvent(A, { id: 'c2', text: 'what is happening', ...at(1.3) }),
      heldCopy('h3', 'n3', 1.4),
      heldCopy('h4', 'n4', 1.6),
      chatEvent(A, { id: 'c3', text: 'mods?', ...at(2) }),
    ]);
  }

  it('shows them as one row, keeps the chat between them, and lists each in the Held column', async () => {
    const { bridge } = fakeDeck([raidRoom()]);
    renderDeck();
    await findRow('c3', A);

    expect(shownIds()).toEqual(['c1', 'h1', 'c2', 'c3']);
    const first = row('h1', column(A));
    expect(first.getAttribute('aria-label')).toContain('4 held copies of a raid');
    expect(within(first).getByRole('button', { name: 'Show all 4 copies' })).toHaveTextContent(
      '×4',
    );
    const held = document.querySelector<HTMLElement>('section[data-column="held"]');
    expect(
      [...(held?.querySelectorAll('article[data-message-id]') ?? [])].map((element) =>
        element.getAttribute('data-message-id'),
      ),
    ).toEqual(['h1', 'h2', 'h3', 'h4']);

    // A copy that comes later joins the row; the room's chat goes on below it.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([heldCopy('h5', 'n5', 3), chatEvent(A, { id: 'c4', text: 'thanks', ...at(3.1) })]),
      ),
    );
    await findRow('c4', A);
    expect(shownIds()).toEqual(['c1', 'h1', 'c2', 'c3', 'c4']);
    expect(
      within(row('h1', column(A))).getByRole('button', { name: 'Show all 5 copies' }),
    ).toHaveTextContent('×5');
  });

  it('denies every copy in one request with the deny key on the row', async () => {
    const { bridge } = fakeDeck([raidRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('c3', A);

    await user.keyboard('jkk');
    expect(useDeck.getState().focus?.key).toBe(`${A}#h1`);
    await user.keyboard('d');
    await waitFor(() =>
      expect(bridge.calls.filter((call) => call.channel === 'messages.bulk')).toHaveLength(1),
    );
    const [bulk] = bridge.calls.filter((call) => call.channel === 'messages.bulk');
    const input = bulk?.input as RequestInput<'messages.bulk'>;
    expect(input.action).toBe('delete');
    expect(input.items.map((item) => item.messageId)).toEqual(['h1', 'h2', 'h3', 'h4']);
  });

  it('asks once to delete every copy from the row, and deletes them all', async () => {
    const { bridge } = fakeDeck([raidRoom()]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('c3', A);

    expect(await deleteFourFromRow(user, bridge, 'h1')).toEqual(['h1', 'h2', 'h3', 'h4']);
  });
});
