import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent, Held } from '../../../src/shared/chat';
import {
  MAX_BULK_ITEMS,
  type BulkItemResult,
  type RequestInput,
} from '../../../src/shared/contract';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { reviewHeld } from '../../../src/renderer/src/stores/held';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import {
  T0,
  batchOf,
  chatEvent,
  column,
  fakeDeck,
  findRow,
  flaggedColumn,
  openRoomOf,
  renderDeck,
  resetStores,
  rowsIn,
  type FakeDeck,
} from './deckHarness';
import type { FakeHandlers } from './fakeBridge';

const A = 'acc/alpha';
const B = 'acc/beta';
const RAID = 'automod-raid';
const WORD = 'w-spam';

/** A message a hold rule hid: hidden, flagged and held by `ruleId` at `at`. */
function held(roomKey: string, id: string, at: number, ruleId = RAID, overrides = {}): ChatEvent {
  const reason = ruleId === RAID ? 'copy-paste raid “FREE followers”' : 'contains “spam”';
  const hold: Held = { ruleId, reason, at };
  return chatEvent(roomKey, {
    id,
    text: `FREE followers ${id}`,
    state: 'hidden',
    flags: [{ ruleId, reason, severity: 'high' }],
    held: hold,
    receivedAt: at,
    ...overrides,
  });
}

/** Main holding Alpha's message `id` later, at `at`, as a raid's earlier copy (still visible). */
function holdLater(bridge: FakeDeck['bridge'], id: string, at: number): void {
  const hold: Held = { ruleId: RAID, reason: 'copy-paste raid “FREE followers”', at };
  const update = { roomKey: A, id, state: 'visible' as const, held: hold };
  act(() =>
    bridge.emit(
      'feed.batch',
      batchOf([], { updates: [{ ...update, flags: [{ ruleId: RAID, reason: hold.reason }] }] }),
    ),
  );
}

function heldColumn(): HTMLElement {
  const found = document.querySelector<HTMLElement>('section[data-column="held"]');
  if (!found) throw new Error('no Held column');
  return found;
}

function heldIds(): string[] {
  return [...heldColumn().querySelectorAll('article[data-message-id]')].map(
    (row) => row.getAttribute('data-message-id') ?? '',
  );
}

function heldRow(id: string): HTMLElement {
  const found = heldColumn().querySelector<HTMLElement>(`article[data-message-id="${id}"]`);
  if (!found) throw new Error(`no held row for ${id}`);
  return found;
}

function count(): string {
  return heldColumn().querySelector('.column-count')?.textContent ?? '';
}

/** Two rooms; Alpha has a2 (raid, held last), a1 (raid) and a3 (word rule), Beta b1 (raid). */
function deck(handlers: FakeHandlers = {}) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          // In the room's order a2 comes first; it was held after the others (a raid's earlier copy).
          held(A, 'a2', T0 + 5000, RAID, { receivedAt: T0 + 100 }),
          held(A, 'a1', T0 + 1000),
          held(A, 'a3', T0 + 3000, WORD),
          chatEvent(A, { id: 'plain' }),
        ],
      },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: [held(B, 'b1', T0 + 2000)] },
    ],
    handlers,
  );
}

async function ready(): Promise<void> {
  await findRow('plain', A);
  await waitFor(() => expect(heldIds()).toHaveLength(4));
}

function calls(bridge: ReturnType<typeof fakeDeck>['bridge'], channel: string): unknown[] {
  return bridge.calls.filter((call) => call.channel === channel).map((call) => call.input);
}

/** The bulk requests sent, by action and messages named (their run ids are the window's pick). */
function bulks(bridge: ReturnType<typeof fakeDeck>['bridge']) {
  return (calls(bridge, 'messages.bulk') as Array<RequestInput<'messages.bulk'>>).map(
    ({ action, items }) => ({ action, items }),
  );
}

describe('the Held column', () => {
  beforeEach(resetStores);

  it('lists every held message across rooms, oldest hold first, with its room, reason, rule and state', async () => {
    deck();
    renderDeck();
    await ready();
    expect(heldIds()).toEqual(['a1', 'b1', 'a3', 'a2']);
    expect(count()).toBe('4');
    expect(heldColumn().querySelector('.column-count')).toHaveAttribute(
      'aria-label',
      '4 messages held for review',
    );
    const row = heldRow('b1');
    expect(row.querySelector('.row-room')).toHaveTextContent('Beta');
    expect(row.querySelector('.held-reason')).toHaveTextContent('copy-paste raid “FREE followers”');
    expect(row.querySelector('.held-rule')).toHaveTextContent('Rule: Copy-paste raids');
    expect(row).toHaveAttribute('data-hold-state', 'hidden');
    expect(row).toHaveTextContent('Hidden, waiting for review');
    expect(within(row).getByRole('button', { name: 'Approve' })).toHaveAttribute(
      'aria-keyshortcuts',
      'a',
    );
    expect(within(row).getByRole('button', { name: 'Deny' })).toHaveAttribute(
      'aria-keyshortcuts',
      'd',
    );
    expect(
      within(row).getByRole('checkbox', { name: /^Select the message of / }),
    ).not.toBeChecked();
    // The plain message is not held.
    expect(heldColumn().querySelector('article[data-message-id="plain"]')).toBeNull();
    // The room's own row says the message waits for review; the plain one says nothing of it.
    const inRoom = column(A).querySelector('article[data-message-id="a1"]');
    expect(inRoom).toHaveAttribute('data-held', 'true');
    expect(inRoom?.querySelector('.state-held')).toHaveTextContent('Held for review');
    expect(column(A).querySelector('article[data-message-id="plain"]')).not.toHaveAttribute(
      'data-held',
    );
  });

  it('renders chat text as text, never as markup', async () => {
    const markup = '<img src=x onerror="alert(1)"><b>bold</b>';
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [held(A, 'x1', T0, RAID, { text: markup }), chatEvent(A, { id: 'plain' })],
      },
    ]);
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => expect(heldIds()).toEqual(['x1']));
    expect(heldRow('x1').querySelector('.row-text')).toHaveTextContent(markup);
    expect(heldRow('x1').querySelector('img, b')).toBeNull();
  });

  it('drops a message approved, denied, deleted elsewhere or handled elsewhere; a late hold takes its place', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.click(within(heldRow('a1')).getByRole('button', { name: 'Approve' }));
    expect(calls(bridge, 'messages.unhide')).toEqual([{ roomKey: A, messageId: 'a1' }]);
    await user.click(within(heldRow('b1')).getByRole('button', { name: 'Deny' }));
    expect(calls(bridge, 'messages.delete')).toEqual([{ roomKey: B, messageId: 'b1' }]);
    await waitFor(() => expect(count()).toBe('2'));
    // The cursor and the pointer in the column keep the reviewed rows in place, each saying how
    // it went; Esc lets the column go live again.
    expect(heldRow('a1')).toHaveTextContent('Approved: shown again');
    expect(heldRow('b1')).toHaveTextContent('Denied: deleted');
    await user.keyboard('{Escape}');
    await user.unhover(heldColumn());
    await waitFor(() => expect(heldIds()).toEqual(['a3', 'a2']));

    // Deleted by another moderator, and handled elsewhere (hidden again by hand): both leave.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], {
          updates: [
            { roomKey: A, id: 'a3', state: 'deleted', handled: true },
            { roomKey: A, id: 'a2', state: 'hidden', handled: true },
          ],
        }),
      ),
    );
    // Nothing held, no rule that holds: the column goes.
    await waitFor(() => expect(document.querySelector('section[data-column="held"]')).toBeNull());
    expect(useFeed.getState().held).toEqual([]);

    // An earlier message held later (a raid's first copies) arrives as an update, and the column
    // comes back with it.
    holdLater(bridge, 'plain', T0 + 9000);
    await waitFor(() => expect(heldIds()).toEqual(['plain']));
    expect(count()).toBe('1');
  });

  it('says a hide still on its way is hiding, and one that did not happen is not hidden; approving marks that handled, and unhides the other at once', async () => {
    const now = Date.now();
    const unhides: Array<() => void> = [];
    const { bridge } = fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          events: [
            held(A, 'failed', now - 60_000, RAID, { state: 'visible' }),
            held(A, 'young', now + 60_000, RAID, { state: 'visible' }),
            chatEvent(A, { id: 'plain' }),
          ],
        },
      ],
      {
        'messages.unhide': (input) =>
          new Promise((resolve) => {
            unhides.push(() => resolve({ ok: true, value: { ...input, state: 'visible' } }));
          }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => expect(heldIds()).toEqual(['failed', 'young']));
    expect(heldRow('young')).toHaveAttribute('data-hold-state', 'hiding');
    expect(heldRow('young')).toHaveTextContent('Hiding…');
    expect(heldRow('failed')).toHaveAttribute('data-hold-state', 'notHidden');
    expect(heldRow('failed')).toHaveTextContent('Not hidden: still visible in the room');

    await user.click(heldRow('failed'));
    await user.keyboard('a');
    await waitFor(() =>
      expect(calls(bridge, 'flagged.markHandled')).toEqual([{ roomKey: A, id: 'failed' }]),
    );
    expect(calls(bridge, 'messages.unhide')).toEqual([]);
    await waitFor(() => expect(count()).toBe('1'));

    // A message whose hide is on its way is unhidden at once, its hide not yet landed: main holds
    // the unhide until the hide has (sent before it, the hide would hide it again afterwards).
    await user.click(heldRow('young'));
    await user.keyboard('a');
    await waitFor(() =>
      expect(calls(bridge, 'messages.unhide')).toEqual([{ roomKey: A, messageId: 'young' }]),
    );
    expect(heldRow('young')).toHaveTextContent('Approving…');
    expect(calls(bridge, 'flagged.markHandled')).toHaveLength(1);
    await act(async () => {
      unhides.shift()?.();
      await Promise.resolve();
    });
    await waitFor(() => expect(heldRow('young')).toHaveTextContent('Approved: shown again'));
    expect(count()).toBe('0');
  });

  it('keeps a held message out of the Flagged column while its hide is on its way, and after', async () => {
    const { bridge } = fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          held(A, 'young', Date.now(), RAID, { state: 'visible' }),
          chatEvent(A, { id: 'flag', flags: [{ ruleId: WORD, reason: 'contains “spam”' }] }),
        ],
      },
    ]);
    renderDeck();
    await findRow('flag', A);
    const flaggedIds = () => rowsIn(flaggedColumn()).map((row) => row.dataset['messageId']);
    const flaggedCount = () => flaggedColumn().querySelector('.column-count')?.textContent;
    await waitFor(() => expect(heldIds()).toEqual(['young']));
    expect(flaggedIds()).toEqual(['flag']);
    expect(flaggedCount()).toBe('1');

    // Another copy held as it came, then the first one's hide landing: neither comes in.
    const copy = held(A, 'copy', Date.now(), RAID, { state: 'visible' });
    act(() => bridge.emit('feed.batch', batchOf([copy])));
    await waitFor(() => expect(heldIds()).toEqual(['young', 'copy']));
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], { updates: [{ roomKey: A, id: 'young', state: 'hidden' }] }),
      ),
    );
    await waitFor(() => expect(heldRow('young')).toHaveAttribute('data-hold-state', 'hidden'));
    expect(flaggedIds()).toEqual(['flag']);
    expect(flaggedCount()).toBe('1');

    // A flagged message held later (a raid's earlier copy) leaves the Flagged column.
    holdLater(bridge, 'flag', Date.now());
    await waitFor(() => expect(heldIds()).toContain('flag'));
    expect(flaggedIds()).toEqual([]);
  });

  it('says why a hide failed when main says so, at once, however young the hold', async () => {
    const now = Date.now();
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          held(A, 'refused', now + 60_000, RAID, {
            state: 'visible',
            held: {
              ruleId: RAID,
              reason: 'copy-paste raid',
              at: now + 60_000,
              failed: 'RATE_LIMITED',
            },
          }),
          chatEvent(A, { id: 'plain' }),
        ],
      },
    ]);
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => expect(heldIds()).toEqual(['refused']));
    expect(heldRow('refused')).toHaveAttribute('data-hold-state', 'notHidden');
    expect(heldRow('refused').textContent).toMatch(/Not hidden \(.+\): still visible in the room/);
  });

  it('takes the cursor into the Held column and out with h and l, and j moves it oldest to newest', async () => {
    deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(await findRow('plain', A));
    await user.keyboard('h');
    const focusedHeld = () => heldColumn().querySelector('article.row-focused');
    await waitFor(() => expect(focusedHeld()).not.toBeNull());
    await user.click(heldRow('a1'));
    await user.keyboard('j');
    await waitFor(() => expect(focusedHeld()).toHaveAttribute('data-message-id', 'b1'));
    expect(focusedHeld()).toHaveFocus();
    await user.keyboard('l');
    await waitFor(() => expect(focusedHeld()).toBeNull());
    expect(document.querySelector('article.row-focused')?.closest('section')).toHaveAttribute(
      'data-room-key',
      A,
    );
  });

  it('approves the focused message with a and denies it with d', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('b1'));
    await user.keyboard('a');
    await waitFor(() =>
      expect(calls(bridge, 'messages.unhide')).toEqual([{ roomKey: B, messageId: 'b1' }]),
    );
    await user.click(heldRow('a3'));
    await user.keyboard('d');
    await waitFor(() =>
      expect(calls(bridge, 'messages.delete')).toEqual([{ roomKey: A, messageId: 'a3' }]),
    );
    await waitFor(() => expect(count()).toBe('2'));
    expect(calls(bridge, 'messages.unhide')).toHaveLength(1);
  });

  it('denies the focused message with Delete, as with d, and leaves no question for Enter', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('a3'));
    await user.keyboard('{Delete}');
    await waitFor(() =>
      expect(calls(bridge, 'messages.delete')).toEqual([{ roomKey: A, messageId: 'a3' }]),
    );
    await waitFor(() => expect(heldRow('a3')).toHaveTextContent('Denied: deleted'));
    expect(count()).toBe('3');
    // The Held column's deny asks nothing, and no question waits where no row shows it.
    expect(screen.queryByRole('group', { name: /Delete this message/ })).toBeNull();
    expect(useDeck.getState().deleteToConfirm).toBeNull();

    await user.keyboard('k{Enter}');
    expect(heldColumn().querySelector('article.row-focused')).toHaveAttribute(
      'data-message-id',
      'b1',
    );
    expect(calls(bridge, 'messages.delete')).toHaveLength(1);
    expect(heldRow('b1')).toHaveAttribute('data-hold-state', 'hidden');
  });

  it('denies every selected message with Delete in one bulk request', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('b1'));
    await user.keyboard('{Shift>}J{/Shift}{Delete}');
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    expect(bulks(bridge)).toEqual([
      {
        action: 'delete',
        items: [
          { roomKey: B, messageId: 'b1' },
          { roomKey: A, messageId: 'a3' },
        ],
      },
    ]);
    expect(calls(bridge, 'messages.delete')).toEqual([]);
    await waitFor(() => expect(count()).toBe('2'));
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent('2 of 2 denied.');
    expect(useDeck.getState().deleteToConfirm).toBeNull();
  });

  it('extends a selection with Shift+J and Shift+K and denies every selected message with d', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('b1'));
    await user.keyboard('{Shift>}J{/Shift}');
    await user.keyboard('{Shift>}J{/Shift}');
    expect(heldRow('b1')).toHaveAttribute('data-selected', 'true');
    expect(heldRow('a3')).toHaveAttribute('data-selected', 'true');
    expect(heldRow('a2')).toHaveAttribute('data-selected', 'true');
    expect(heldRow('a1')).not.toHaveAttribute('data-selected');
    expect(heldColumn()).toHaveTextContent('3 selected');
    // Shift+K walks back up and selects on the way: a1 joins, and no author is exiled.
    await user.keyboard('{Shift>}K{/Shift}{Shift>}K{/Shift}{Shift>}K{/Shift}');
    expect(heldRow('a1')).toHaveAttribute('data-selected', 'true');
    await user.click(within(heldRow('a1')).getByRole('checkbox'));
    expect(heldRow('a1')).not.toHaveAttribute('data-selected');
    expect(calls(bridge, 'users.exile')).toEqual([]);

    await user.click(heldRow('a3'));
    await user.keyboard('d');
    // One request for the whole selection, oldest first.
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    expect(bulks(bridge)).toEqual([
      {
        action: 'delete',
        items: [
          { roomKey: B, messageId: 'b1' },
          { roomKey: A, messageId: 'a3' },
          { roomKey: A, messageId: 'a2' },
        ],
      },
    ]);
    expect(calls(bridge, 'messages.delete')).toEqual([]);
    await waitFor(() => expect(count()).toBe('1'));
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent('3 of 3 denied.');
    // What was reviewed is no longer selected: the next a or d acts on the focused row alone.
    expect(heldColumn().querySelector('.held-selected-count')).toBeNull();
    expect(within(heldColumn()).getByRole('button', { name: 'Approve all' })).toBeEnabled();
  });

  it('goes on with the deck keys after a check box is ticked: Shift+J extends, d denies', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(within(heldRow('a1')).getByRole('checkbox'));
    // The keyboard focus stays on the check box just clicked; the cursor is on its row.
    expect(document.activeElement).toHaveAttribute('type', 'checkbox');
    expect(heldColumn()).toHaveTextContent('1 selected');

    await user.keyboard('{Shift>}J{/Shift}');
    expect(heldRow('b1')).toHaveAttribute('data-selected', 'true');
    expect(heldColumn()).toHaveTextContent('2 selected');
    await user.click(within(heldRow('a3')).getByRole('checkbox'));
    expect(document.activeElement).toHaveAttribute('type', 'checkbox');
    await user.keyboard('d');
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    expect(
      (calls(bridge, 'messages.bulk')[0] as RequestInput<'messages.bulk'>).items.map(
        (item) => item.messageId,
      ),
    ).toEqual(['a1', 'b1', 'a3']);
    expect(calls(bridge, 'messages.delete')).toEqual([]);
  });

  it("approves every message of the focused one's room held by the same rule with Shift+A", async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('a2'));
    await user.keyboard('{Shift>}A{/Shift}');
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    // Alpha's raid holds, oldest first; not Beta's raid hold, not Alpha's word-rule hold.
    expect(bulks(bridge)).toEqual([
      {
        action: 'unhide',
        items: [
          { roomKey: A, messageId: 'a1' },
          { roomKey: A, messageId: 'a2' },
        ],
      },
    ]);
    expect(calls(bridge, 'messages.unhide')).toEqual([]);
    await waitFor(() => expect(count()).toBe('2'));
    expect(heldRow('a1')).toHaveTextContent('Approved: shown again');
    expect(heldRow('a2')).toHaveTextContent('Approved: shown again');
  });

  it('denies a cluster of many with Shift+D in one bulk request, each row saying how it went as main reports it', async () => {
    let answer: (() => void) | null = null;
    const raid = Array.from({ length: 10 }, (_, index) => held(A, `r${index}`, T0 + index));
    const { bridge } = fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          events: [...raid, chatEvent(A, { id: 'plain' })],
        },
      ],
      {
        // Answers once the test lets it; the results go out live before that.
        'messages.bulk': (input) =>
          new Promise((resolve) => {
            answer = () =>
              resolve({
                ok: true,
                value: { bulkId: input.bulkId ?? 'bulk', action: input.action, results: [] },
              });
          }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => expect(heldIds()).toHaveLength(10));
    await user.click(heldRow('r0'));
    await user.keyboard('{Shift>}D{/Shift}');
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    const request = calls(bridge, 'messages.bulk')[0] as RequestInput<'messages.bulk'>;
    expect(request.action).toBe('delete');
    expect(request.items).toEqual(raid.map((event) => ({ roomKey: A, messageId: event.id })));
    expect(calls(bridge, 'messages.delete')).toEqual([]);
    expect(heldRow('r0')).toHaveTextContent('Denying…');
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent(
      'Denying: 0 of 10 answered…',
    );

    const result = (id: string, outcome: BulkItemResult['outcome']): BulkItemResult => ({
      bulkId: request.bulkId ?? '',
      roomKey: A,
      messageId: id,
      outcome,
      ok: outcome === 'done' || outcome === 'gone',
      ...(outcome === 'failed'
        ? { error: { code: 'FORBIDDEN', message: 'The moderator may not delete here.' } }
        : outcome === 'done' || outcome === 'gone'
          ? { state: 'deleted' as const }
          : {}),
    });
    act(() => {
      bridge.emit('moderation.result', result('r0', 'done'));
      bridge.emit('moderation.result', result('r1', 'gone'));
      bridge.emit('moderation.result', result('r2', 'failed'));
      // Another run's result for the same message is not this one's.
      bridge.emit('moderation.result', { ...result('r3', 'done'), bulkId: 'another-run' });
    });
    // Each row says how it went as main says so, before the request answers.
    await waitFor(() => expect(heldRow('r0')).toHaveTextContent('Denied: deleted'));
    expect(heldRow('r1')).toHaveAttribute('data-hold-state', 'review-gone');
    expect(heldRow('r1')).toHaveTextContent('Already deleted by someone else');
    expect(heldRow('r2')).toHaveAttribute('data-hold-state', 'review-failed');
    expect(heldRow('r2')).toHaveTextContent(/Could not deny: /);
    expect(heldRow('r3')).toHaveTextContent('Denying…');
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent(
      'Denying: 3 of 10 answered…',
    );
    expect(count()).toBe('8');

    act(() => {
      for (let index = 3; index < 9; index += 1) {
        bridge.emit('moderation.result', result(`r${index}`, 'done'));
      }
    });
    await waitFor(() => expect(heldRow('r8')).toHaveTextContent('Denied: deleted'));
    expect(heldRow('r9')).toHaveTextContent('Denying…');
    // r9's result never came live: the answer settles it as not known rather than done.
    await act(async () => {
      answer?.();
      await Promise.resolve();
    });
    await waitFor(() =>
      expect(within(heldColumn()).getByRole('status')).toHaveTextContent(
        '7 of 10 denied. 1 had already been deleted by someone else. 1 failed:',
      ),
    );
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent('1 not known');
    expect(heldRow('r9')).toHaveAttribute('data-hold-state', 'review-unknown');
    expect(calls(bridge, 'messages.bulk')).toHaveLength(1);
    // The failed one and the one not known still wait.
    expect(count()).toBe('2');
  });

  it('denies more messages than one request can name in several bulk requests', async () => {
    // The stores alone, without the deck: rendering a thousand rows is not what is tested here.
    const many = MAX_BULK_ITEMS + 2;
    const raid = Array.from({ length: many }, (_, index) => held(A, `r${index}`, T0 + index));
    const { bridge } = fakeDeck([{ accountId: 'acc', roomId: 'alpha', name: 'Alpha' }]);
    useRooms.setState({
      byKey: { [A]: openRoomOf({ accountId: 'acc', roomId: 'alpha', name: 'Alpha' }) },
    });
    useFeed.getState().applyBatch(batchOf(raid));
    expect(useFeed.getState().held).toHaveLength(many);

    const run = await reviewHeld(useFeed.getState().held, 'deny');
    const requests = calls(bridge, 'messages.bulk') as Array<RequestInput<'messages.bulk'>>;
    expect(requests.map((request) => request.items.length)).toEqual([MAX_BULK_ITEMS, 2]);
    expect(requests[1]?.items[1]).toEqual({ roomKey: A, messageId: `r${many - 1}` });
    expect(calls(bridge, 'messages.delete')).toEqual([]);
    expect(run).toMatchObject({ total: many, done: many, failed: 0, unknown: 0 });
    expect(useFeed.getState().held).toEqual([]);
  });

  it('says "already deleted" when someone else deleted it first, and not that it failed', async () => {
    deck({
      'messages.delete': (input) => ({
        ok: true,
        value: { roomKey: input.roomKey, messageId: input.messageId, state: 'deleted', gone: true },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('b1'));
    await user.keyboard('d');
    await waitFor(() => expect(heldRow('b1')).toHaveAttribute('data-hold-state', 'review-gone'));
    expect(heldRow('b1')).toHaveTextContent('Already deleted by someone else');
    expect(heldRow('b1')).not.toHaveTextContent(/Could not|failed/);
    const status = within(heldColumn()).getByRole('status');
    expect(status).toHaveTextContent('0 of 1 denied. 1 had already been deleted by someone else.');
    expect(status).not.toHaveTextContent('failed');
    expect(count()).toBe('3');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says why a denial failed, and the message waits in the queue', async () => {
    deck({
      'messages.delete': () => ({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'The moderator may not delete here.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(heldRow('b1'));
    await user.keyboard('d');
    await waitFor(() => expect(heldRow('b1')).toHaveAttribute('data-hold-state', 'review-failed'));
    expect(heldRow('b1')).toHaveTextContent(/^.*Could not deny: /);
    expect(within(heldColumn()).getByRole('status')).toHaveTextContent('1 failed:');
    expect(count()).toBe('4');
    expect(within(heldRow('b1')).getByRole('button', { name: 'Deny' })).toBeInTheDocument();
  });

  it('approves every held message with "Approve all", or the selected ones', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(within(heldRow('a3')).getByRole('checkbox'));
    await user.click(within(heldColumn()).getByRole('button', { name: 'Deny 1' }));
    await waitFor(() =>
      expect(calls(bridge, 'messages.delete')).toEqual([{ roomKey: A, messageId: 'a3' }]),
    );
    await user.click(within(heldColumn()).getByRole('button', { name: 'Approve all' }));
    await waitFor(() => expect(calls(bridge, 'messages.bulk')).toHaveLength(1));
    expect(
      (calls(bridge, 'messages.bulk')[0] as RequestInput<'messages.bulk'>).items.map(
        (item) => item.messageId,
      ),
    ).toEqual(['a1', 'b1', 'a2']);
    expect(calls(bridge, 'messages.unhide')).toEqual([]);
    await waitFor(() => expect(count()).toBe('0'));
    expect(useFeed.getState().held).toEqual([]);
  });

  it('is there, empty, while a rule would hold, and not while none would and nothing is held', async () => {
    fakeDeck([{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [] }]);
    const first = renderDeck();
    await waitFor(() => expect(document.querySelector('section[data-room-key]')).not.toBeNull());
    expect(document.querySelector('section[data-column="held"]')).toBeNull();
    first.unmount();
    resetStores();

    const { settings } = fakeDeck([{ accountId: 'acc', roomId: 'alpha', name: 'Alpha' }]);
    settings.rules = {
      ...settings.rules,
      global: [{ id: 'w1', pattern: 'spam', action: 'hold' }],
    };
    renderDeck();
    await waitFor(() => expect(heldColumn()).toHaveTextContent('Nothing is held.'));
    expect(count()).toBe('0');
    expect(within(heldColumn()).getByRole('button', { name: 'Approve all' })).toBeDisabled();
  });
});
