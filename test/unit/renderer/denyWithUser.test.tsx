import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CAPABILITIES, type ChatEvent } from '../../../src/shared/chat';
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
import { useDeckCommands } from '../../../src/renderer/src/stores/deckCommands';
import type { FakeHandlers } from './fakeBridge';
import { A, V, answer, eve, messageCalls, toast, userCalls } from './vchatcloudFixture';

const mallory = { id: 'u-mallory', name: 'mallory' };
const FLAG = { ruleId: 'r-scam', start: 2, end: 6 };

const DENY = /^Deny \+ (mute|exile…)$/;

/** The one-step buttons a row offers, by name. */
function denyButtons(element: HTMLElement): string[] {
  fireEvent.mouseEnter(element);
  return within(element)
    .queryAllByRole('button', { name: DENY })
    .map((button) => button.textContent ?? '');
}

function heldRow(id: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(
    `section[data-column="held"] article[data-message-id="${id}"]`,
  );
  if (!found) throw new Error(`no held row for ${id}`);
  return found;
}

function denialOf(element: HTMLElement): string {
  return element.querySelector('.denial-status')?.textContent ?? '';
}

/** A message held by a hold rule: hidden, flagged and waiting in the Held column. */
function held(roomKey: string, id: string, user = mallory): ChatEvent {
  return chatEvent(roomKey, {
    id,
    user,
    text: `FREE followers ${id}`,
    state: 'hidden',
    flags: [{ ruleId: 'r-raid', reason: 'copy-paste raid' }],
    held: { ruleId: 'r-raid', reason: 'copy-paste raid', at: 1 },
  });
}

/**
 * A VChatCloud room where mallory wrote a flagged message (and eve a plain one), and a FlipFlop
 * room with a flagged message and a held one.
 */
function deck(handlers: FakeHandlers = {}) {
  return fakeDeck(
    [
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [
          chatEvent(V, { id: 'f1', user: mallory, text: 'a scam link', flags: [FLAG] }),
          chatEvent(V, { id: 'v1', user: eve, text: 'hello' }),
        ],
      },
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'a1', user: eve, text: 'a scam link', flags: [FLAG] }),
          held(A, 'h1'),
        ],
      },
    ],
    {
      'users.mute': answer('mute'),
      'users.exile': answer('exile'),
      'users.restrictions': () => ({ ok: true, value: { muted: [], exiled: [] } }),
      ...handlers,
    },
  );
}

async function ready(): Promise<void> {
  await findRow('f1', V);
  await findRow('a1', A);
}

describe('Deny + mute and Deny + exile', () => {
  beforeEach(resetStores);

  it('are offered on a flagged VChatCloud message only, not on one that is not flagged, and nowhere on FlipFlop, which cannot mute or exile', async () => {
    deck();
    renderDeck();
    await ready();
    expect(denyButtons(row('f1', column(V)))).toEqual(['Deny + mute', 'Deny + exile…']);
    const flagged = await waitFor(() => row('f1', flaggedColumn()));
    expect(denyButtons(flagged)).toEqual(['Deny + mute', 'Deny + exile…']);
    expect(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + mute' }),
    ).toHaveAttribute(
      'title',
      expect.stringMatching(/^Mute its author, and this message and every other flagged one/),
    );
    expect(denyButtons(row('v1', column(V)))).toEqual([]);
    expect(denyButtons(row('a1', column(A)))).toEqual([]);
    expect(denyButtons(row('a1', flaggedColumn()))).toEqual([]);
    await waitFor(() => expect(heldRow('h1')).toBeInTheDocument());
    expect(denyButtons(heldRow('h1'))).toEqual([]);
    expect(denyButtons(row('h1', column(A)))).toEqual([]);
  });

  it('mutes the author in one step: the message leaves the queue with their other flagged ones, and the row says so', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.click(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + mute' }),
    );
    await waitFor(() =>
      expect(denialOf(row('f1', column(V)))).toBe(
        'Denied: mallory muted, and their flagged messages handled',
      ),
    );
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.mute', input: { roomKey: V, userId: 'u-mallory' } },
    ]);
    // VChatCloud has no delete: nothing is asked of the message itself.
    expect(messageCalls(bridge)).toEqual([]);
    // Main marks every flagged message of the muted author handled; the Flagged column lets it go.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], { updates: [{ roomKey: V, id: 'f1', state: 'visible', handled: true }] }),
      ),
    );
    await waitFor(() =>
      expect(flaggedColumn().querySelector('article[data-message-id="f1"]')).toBeNull(),
    );
    expect(row('f1', column(V))).toHaveAttribute('data-handled', 'true');
    expect(denyButtons(row('f1', column(V)))).toEqual([]);
  });

  it('asks before Deny + exile, exiles nobody on Cancel, and exiles the author once confirmed', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.click(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + exile…' }),
    );
    const question = within(row('f1', column(V))).getByRole('group', {
      name: 'Deny this message and exile mallory from this room? They are kicked out and cannot come back until you lift it.',
    });
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(within(row('f1', column(V))).queryByRole('group')).toBeNull();
    expect(userCalls(bridge)).toEqual([]);

    await user.click(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + exile…' }),
    );
    expect(userCalls(bridge)).toEqual([]);
    await user.click(
      within(row('f1', column(V)).querySelector<HTMLElement>('.delete-confirm')!).getByRole(
        'button',
        { name: 'Deny + exile' },
      ),
    );
    await waitFor(() =>
      expect(denialOf(row('f1', column(V)))).toBe(
        'Denied: mallory exiled, and their flagged messages handled',
      ),
    );
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.exile', input: { roomKey: V, userId: 'u-mallory' } },
    ]);
  });

  it('says on the row why the mute failed, and the message still waits', async () => {
    const { bridge } = deck({
      'users.mute': () => ({
        ok: false,
        error: { code: '10107', message: 'USER_NOT_EXISTED: not there' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.click(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + mute' }),
    );
    await waitFor(() =>
      expect(denialOf(row('f1', column(V)))).toBe(
        'Could not mute mallory: This user is not in the room. The message still waits.',
      ),
    );
    expect(row('f1', column(V))).not.toHaveAttribute('data-handled');
    expect(row('f1', flaggedColumn())).toBeInTheDocument();
    expect(denyButtons(row('f1', column(V)))).toEqual(['Deny + mute', 'Deny + exile…']);
    expect(userCalls(bridge)).toHaveLength(1);
    expect(screen.queryByRole('group')).toBeNull();
  });

  it('says on the row that an action on the author is already under way, and sends nothing more', async () => {
    let answerMute = (): void => undefined;
    const { bridge } = deck({
      'users.mute': (input) =>
        new Promise((resolve) => {
          answerMute = () => resolve(answer('mute')(input));
        }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    // A mute of mallory from her row, still unanswered.
    await user.click(within(pointedRow('f1', column(V))).getByRole('button', { name: 'Mute' }));
    expect(userCalls(bridge)).toHaveLength(1);
    await user.click(
      within(pointedRow('f1', column(V))).getByRole('button', { name: 'Deny + mute' }),
    );
    await waitFor(() =>
      expect(denialOf(row('f1', column(V)))).toBe(
        'Could not mute mallory: An action on this user is already under way. The message still waits.',
      ),
    );
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.mute', input: { roomKey: V, userId: 'u-mallory' } },
    ]);

    // The first mute still takes a reason, and says how it went.
    expect(useDeckCommands.getState().reasonOffer?.target).toEqual({
      roomKey: V,
      action: 'mute',
      userId: 'u-mallory',
    });
    act(() => answerMute());
    await waitFor(() => expect(toast()).toHaveTextContent('mallory is muted in Square.'));
  });

  it('where the service can delete and mute, mutes the author, then deletes the message, and the Held column says how it went', async () => {
    const both = { ...CAPABILITIES.flipflop, mute: true, exile: true };
    const order: string[] = [];
    const { bridge } = fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          capabilities: both,
          events: [
            chatEvent(A, { id: 'a1', user: eve, text: 'a scam link', flags: [FLAG] }),
            held(A, 'h1'),
          ],
        },
      ],
      {
        'users.mute': (input) => {
          order.push('mute');
          return answer('mute')(input);
        },
        'messages.delete': (input) => {
          order.push('delete');
          return { ok: true, value: { ...input, state: 'deleted' } };
        },
        'users.restrictions': () => ({ ok: true, value: { muted: [], exiled: [] } }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await waitFor(() => expect(heldRow('h1')).toBeInTheDocument());
    expect(denyButtons(heldRow('h1'))).toEqual(['Deny + mute', 'Deny + exile…']);
    expect(within(heldRow('h1')).getByRole('button', { name: 'Deny + mute' })).toHaveAttribute(
      'title',
      'Deny this message (delete it) and mute its author, in one step',
    );

    await user.click(within(heldRow('h1')).getByRole('button', { name: 'Deny + mute' }));
    await waitFor(() => expect(denialOf(heldRow('h1'))).toBe('Denied: deleted, and mallory muted'));
    expect(order).toEqual(['mute', 'delete']);
    expect(messageCalls(bridge)).toEqual([
      { channel: 'messages.delete', input: { roomKey: A, messageId: 'h1' } },
    ]);
    expect(heldRow('h1')).toHaveTextContent('Denied: deleted');

    // A flagged message: the same two steps, through its own delete.
    await user.click(
      within(pointedRow('a1', column(A))).getByRole('button', { name: 'Deny + mute' }),
    );
    await waitFor(() =>
      expect(denialOf(row('a1', column(A)))).toBe('Denied: deleted, and eve muted'),
    );
    expect(order).toEqual(['mute', 'delete', 'mute', 'delete']);
    expect(row('a1', column(A))).toHaveAttribute('data-state', 'deleted');
  });

  it('deletes nothing when the mute fails, where the service could delete', async () => {
    const both = { ...CAPABILITIES.flipflop, mute: true, exile: true };
    const { bridge } = fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          capabilities: both,
          events: [chatEvent(A, { id: 'a1', user: eve, text: 'a scam link', flags: [FLAG] })],
        },
      ],
      {
        'users.mute': () => ({
          ok: false,
          error: { code: 'OUTCOME_UNKNOWN', message: 'no answer' },
        }),
        'users.restrictions': () => ({ ok: true, value: { muted: [], exiled: [] } }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await user.click(
      within(pointedRow('a1', column(A))).getByRole('button', { name: 'Deny + mute' }),
    );
    await waitFor(() =>
      expect(denialOf(row('a1', column(A)))).toBe(
        'Not known whether eve is muted: the service did not answer. The message still waits; trying again is safe.',
      ),
    );
    expect(messageCalls(bridge)).toEqual([]);
    expect(row('a1', column(A))).toHaveAttribute('data-state', 'visible');
  });
});
