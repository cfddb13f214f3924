/**
 * The top bar's shield switch: on in every room with one click, how long it has been on, and
 * turning it off asks what to do with what it held.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import type { ShieldState } from '../../../src/shared/model';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { useHeld } from '../../../src/renderer/src/stores/held';
import { chatEvent, column, fakeDeck, renderDeck, resetStores, T0 } from './deckHarness';

const ROOM = 'acc/alpha';

function held(id: string, ruleId: string, state: ChatEvent['state'] = 'hidden'): ChatEvent {
  return chatEvent(ROOM, {
    id,
    messageId: id,
    text: `copy ${id}`,
    state,
    flags: [{ ruleId, reason: 'copy-paste raid', severity: 'high' }],
    held: { ruleId, reason: `${ruleId}: copy-paste raid`, at: T0 },
    receivedAt: T0 + Number(id.slice(1)),
  });
}

/** A deck whose main answers shield requests as main would, from `shield`. */
function deck(events: ChatEvent[], initial: ShieldState = { all: null, rooms: [] }) {
  let shield = initial;
  const harness = fakeDeck([{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events }], {
    'shield.get': () => ({ ok: true, value: shield }),
    'shield.set': ({ roomKey, on }) => {
      if (roomKey === null) shield = { all: on ? Date.now() - 65_000 : null, rooms: [] };
      else {
        const rooms = shield.rooms.filter((room) => room.roomKey !== roomKey);
        shield = { ...shield, rooms: on ? [...rooms, { roomKey, since: Date.now() }] : rooms };
      }
      return { ok: true, value: shield };
    },
  });
  // Main's answers to `messages.bulk` are the harness's own: done for each message, live.
  const bulks = (): Array<RequestInput<'messages.bulk'>> =>
    harness.bridge.calls
      .filter((call) => call.channel === 'messages.bulk')
      .map((call) => call.input as RequestInput<'messages.bulk'>);
  return { ...harness, bulks };
}

function shieldCalls(bridge: ReturnType<typeof deck>['bridge']): unknown[] {
  return bridge.calls.filter((call) => call.channel === 'shield.set').map((call) => call.input);
}

describe('the shield switch', () => {
  beforeEach(resetStores);

  it('turns shield mode on in every room and says for how long', async () => {
    const { bridge } = deck([]);
    const user = userEvent.setup();
    renderDeck();
    await user.click(await screen.findByRole('button', { name: 'Shield', pressed: false }));
    expect(shieldCalls(bridge)).toEqual([{ roomKey: null, on: true }]);
    // Main answered that it has been on for 65 s.
    const on = await screen.findByRole('button', { pressed: true });
    await waitFor(() => expect(on.textContent).toMatch(/^Shield on · 1:0[5-6]$/));
  });

  it('follows main: an on sent by main shows, with the rooms it is on in', async () => {
    const { bridge } = deck([]);
    renderDeck();
    await screen.findByRole('button', { name: 'Shield', pressed: false });
    act(() =>
      bridge.emit('shield.changed', {
        all: null,
        rooms: [{ roomKey: ROOM, since: Date.now() - 5_000 }],
      }),
    );
    const on = await screen.findByRole('button', { pressed: true });
    await waitFor(() => expect(on.textContent).toMatch(/^Shield on in 1 room · 0:0[5-6]$/));
  });

  it('asks what to do with what it held as it ends, and denies them all in one request', async () => {
    const { bridge, bulks } = deck(
      [
        held('m1', 'shield'),
        held('m2', 'shield'),
        held('m3', 'hold-shop'),
        held('m4', 'shield', 'deleted'),
      ],
      { all: Date.now() - 10_000, rooms: [] },
    );
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="m1"]')).not.toBeNull());
    await user.click(await screen.findByRole('button', { pressed: true }));
    const dialog = screen.getByRole('alertdialog', { name: 'Turn shield mode off?' });
    // Two wait: a rule's own hold and one deleted meanwhile are not shield mode's.
    expect(
      within(dialog).getByText('Shield mode holds 2 messages. What should happen to them?'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Deny all 2 (delete)' }));
    expect(shieldCalls(bridge)).toEqual([{ roomKey: null, on: false }]);
    await waitFor(() =>
      expect(bulks()).toEqual([
        {
          action: 'delete',
          bulkId: expect.any(String) as string,
          items: [
            { roomKey: ROOM, messageId: 'm1' },
            { roomKey: ROOM, messageId: 'm2' },
          ],
        },
      ]),
    );
    // Each row's review is followed as the Held column's own "deny all" is.
    const heldColumn = document.querySelector<HTMLElement>('section[data-column="held"]')!;
    await waitFor(() =>
      expect(within(heldColumn).getByRole('status')).toHaveTextContent('2 of 2 denied.'),
    );
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(await screen.findByRole('button', { name: 'Shield', pressed: false })).toBeEnabled();
  });

  it('counts and acts on only the holds whose review is not under way', async () => {
    const { bulks } = deck([held('m1', 'shield'), held('m2', 'shield'), held('m3', 'shield')], {
      all: Date.now(),
      rooms: [],
    });
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="m3"]')).not.toBeNull());
    // The moderator approved m1 a moment ago; main has not answered yet.
    act(() =>
      useHeld.setState({ reviews: { [`${ROOM}#m1`]: { decision: 'approve', status: 'pending' } } }),
    );
    await user.click(screen.getByRole('button', { pressed: true }));
    const dialog = screen.getByRole('alertdialog', { name: 'Turn shield mode off?' });
    expect(
      within(dialog).getByText('Shield mode holds 2 messages. What should happen to them?'),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Deny all 2 (delete)' }));
    await waitFor(() => expect(bulks()).toHaveLength(1));
    expect(bulks()[0]?.items.map((item) => item.messageId)).toEqual(['m2', 'm3']);
  });

  it('ends at once, without asking, when every hold’s review is under way', async () => {
    const { bridge } = deck([held('m1', 'shield')], { all: Date.now(), rooms: [] });
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="m1"]')).not.toBeNull());
    act(() =>
      useHeld.setState({ reviews: { [`${ROOM}#m1`]: { decision: 'deny', status: 'pending' } } }),
    );
    await user.click(screen.getByRole('button', { pressed: true }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(shieldCalls(bridge)).toEqual([{ roomKey: null, on: false }]);
  });

  it('keeps shield mode on when the question is put away with Esc', async () => {
    const { bridge, bulks } = deck([held('m1', 'shield')], { all: Date.now(), rooms: [] });
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="m1"]')).not.toBeNull());
    await user.click(await screen.findByRole('button', { pressed: true }));
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(shieldCalls(bridge)).toEqual([]);
    expect(bulks()).toEqual([]);
    expect(screen.getByRole('button', { pressed: true })).toBeInTheDocument();
  });

  it('takes no deck key while it asks: d denies nothing behind it, Enter answers the question', async () => {
    const { bridge, bulks } = deck([held('m1', 'shield'), held('m2', 'shield')], {
      all: Date.now(),
      rooms: [],
    });
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="m2"]')).not.toBeNull());
    // The cursor on a held message in its room's column, whose delete waits for its confirmation.
    act(() => useDeck.getState().setFocus({ column: ROOM, key: `${ROOM}#m1` }));
    await user.keyboard('{Delete}');
    expect(useDeck.getState().deleteToConfirm?.key).toBe(`${ROOM}#m1`);
    await user.click(screen.getByRole('button', { pressed: true }));
    const dialog = screen.getByRole('alertdialog', { name: 'Turn shield mode off?' });
    expect(dialog.contains(document.activeElement)).toBe(true);

    await user.keyboard('d');
    expect(screen.getByRole('alertdialog')).toBe(dialog);
    expect(bulks()).toEqual([]);
    expect(bridge.calls.filter((call) => call.channel === 'messages.delete')).toEqual([]);

    // Enter presses the focused button, "Deny all 2", and confirms no delete behind the question.
    await user.keyboard('{Enter}');
    await waitFor(() => expect(bulks()).toHaveLength(1));
    expect(bulks()[0]?.items.map((item) => item.messageId)).toEqual(['m1', 'm2']);
    expect(bridge.calls.filter((call) => call.channel === 'messages.delete')).toEqual([]);
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });

  it('ends at once, without asking, when it holds nothing', async () => {
    const { bridge, bulks } = deck([held('m3', 'hold-shop')], { all: Date.now(), rooms: [] });
    const user = userEvent.setup();
    renderDeck();
    await user.click(await screen.findByRole('button', { pressed: true }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(shieldCalls(bridge)).toEqual([{ roomKey: null, on: false }]);
    expect(bulks()).toEqual([]);
  });

  it('switches the focused room with Shift+S, and every room from nowhere in particular', async () => {
    const { bridge } = deck([chatEvent(ROOM, { id: 'plain', messageId: 'plain', text: 'hello' })]);
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.querySelector('[data-message-id="plain"]')).not.toBeNull());
    await user.keyboard('{Shift>}S{/Shift}');
    expect(shieldCalls(bridge)).toEqual([{ roomKey: null, on: true }]);
    await screen.findByRole('button', { pressed: true });
    await user.keyboard('j');
    await user.keyboard('{Shift>}S{/Shift}');
    await user.keyboard('{Shift>}S{/Shift}');
    expect(shieldCalls(bridge).slice(1)).toEqual([
      { roomKey: ROOM, on: true },
      { roomKey: ROOM, on: false },
    ]);
  });

  it("switches a room from its column's menu, and the column says it is shielded", async () => {
    const { bridge } = deck([chatEvent(ROOM, { id: 'plain', messageId: 'plain', text: 'hello' })]);
    const user = userEvent.setup();
    renderDeck();
    const header = () => column(ROOM).querySelector<HTMLElement>('.column-header')!;
    await waitFor(() => expect(column(ROOM)).toBeInTheDocument());
    expect(within(header()).queryByText('Shield on')).toBeNull();
    await user.click(within(header()).getByRole('button', { name: /menu/i }));
    await user.click(screen.getByRole('menuitem', { name: 'Shield this room' }));
    expect(shieldCalls(bridge)).toEqual([{ roomKey: ROOM, on: true }]);
    await waitFor(() => expect(within(header()).getByText('Shield on')).toBeInTheDocument());
    await user.click(within(header()).getByRole('button', { name: /menu/i }));
    await user.click(screen.getByRole('menuitem', { name: 'Stop shielding this room' }));
    expect(shieldCalls(bridge).at(-1)).toEqual({ roomKey: ROOM, on: false });
    await waitFor(() => expect(within(header()).queryByText('Shield on')).toBeNull());
  });
});
