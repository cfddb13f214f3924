import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestInput } from '../../../src/shared/contract';
import { useDeckCommands } from '../../../src/renderer/src/stores/deckCommands';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores, row } from './deckHarness';
import type { FakeBridge } from './fakeBridge';
import { V, ready, toast, vchatDeck } from './vchatcloudFixture';

const A = 'acc/alpha';

function alphaDeck(settingsPatch = {}) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'a1', text: 'first' }),
          chatEvent(A, { id: 'a2', text: 'second' }),
        ],
      },
    ],
    { 'audit.reason': () => ({ ok: true, value: { found: true } }) },
    settingsPatch,
  );
}

function reasonCalls(bridge: FakeBridge) {
  return bridge.calls
    .filter((call) => call.channel === 'audit.reason')
    .map((call) => call.input as RequestInput<'audit.reason'>);
}

/** The hide of `id` answered and its toast shown. */
async function hidden(id: string): Promise<void> {
  await waitFor(() => expect(row(id, column(A))).not.toHaveAttribute('data-pending'));
  expect(toast()).toHaveAttribute('data-toast', 'hidden');
}

describe('reasons for an action', () => {
  beforeEach(resetStores);

  it('gives a hide template 2 when 2 is pressed right after it, through the bridge', async () => {
    const { bridge } = alphaDeck();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);

    await user.keyboard('jx'); // the newest, a2
    const reasons = within(toast()).getByRole('group', { name: 'Reason' });
    expect(reasons).toHaveTextContent('Press 1–5 for a reason:');
    expect(within(reasons).getByRole('button', { name: '2 Harassment' })).toBeInTheDocument();
    await user.keyboard('2');
    await waitFor(() => expect(toast()).toHaveTextContent('Reason: Harassment'));
    expect(reasonCalls(bridge)).toEqual([
      { roomKey: A, messageId: 'a2', action: 'hide', reason: 'Harassment' },
    ]);
    // The action went first, without waiting for the reason.
    const channels = bridge.calls.map((call) => call.channel);
    expect(channels.indexOf('messages.hide')).toBeLessThan(channels.indexOf('audit.reason'));
    expect(within(reasons).getByRole('button', { name: 'Harassment' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('does nothing with a number key that no action came just before', async () => {
    const { bridge } = alphaDeck();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);

    await user.keyboard('j2');
    expect(useDeckCommands.getState().reasonOffer).toBeNull();
    // Another key between the action and the number ends the number keys' time.
    await user.keyboard('x');
    await hidden('a2');
    await user.keyboard('k3');
    expect(row('a1', column(A))).toHaveClass('row-focused');
    expect(useDeckCommands.getState().reasonOffer?.keysUntil).toBeNull();
    expect(within(toast()).queryByText('Press 1–5 for a reason:')).toBeNull();
    expect(reasonCalls(bridge)).toEqual([]);
    // The toast's buttons still give one, without numbers.
    await user.click(within(toast()).getByRole('button', { name: 'Slur' }));
    await waitFor(() => expect(toast()).toHaveTextContent('Reason: Slur'));
    expect(reasonCalls(bridge)).toEqual([
      { roomKey: A, messageId: 'a2', action: 'hide', reason: 'Slur' },
    ]);
  });

  it('attaches the reason clicked in the toast after a delete', async () => {
    const { bridge } = alphaDeck();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);

    await user.keyboard('j{Delete}{Delete}');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'deleted'));
    expect(toast()).toHaveAttribute('data-toast', 'deleted');
    await user.click(within(toast()).getByRole('button', { name: '5 Advertising' }));
    await waitFor(() => expect(toast()).toHaveTextContent('Reason: Advertising'));
    expect(reasonCalls(bridge)).toEqual([
      { roomKey: A, messageId: 'a2', action: 'delete', reason: 'Advertising' },
    ]);
  });

  it('gives a mute its reason by number, for the user muted', async () => {
    const { bridge } = vchatDeck({
      'audit.reason': () => ({ ok: true, value: { found: true } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk'); // bob's message
    await user.keyboard('m1');
    await waitFor(() => expect(toast()).toHaveTextContent('Reason: Spam'));
    expect(reasonCalls(bridge)).toEqual([
      { roomKey: V, userId: 'u-bob', action: 'mute', reason: 'Spam' },
    ]);
  });

  it('sends no reason for a hide that failed', async () => {
    const failing = fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'messages.hide': () => ({
          ok: false,
          error: { code: 'CHAT_ROOM_MESSAGE_NOT_FOUND', message: 'gone' },
        }),
        'audit.reason': () => ({ ok: true, value: { found: true } }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await user.keyboard('jx1');
    await waitFor(() => expect(toast()).toHaveAttribute('data-toast', 'failed'));
    expect(useDeckCommands.getState().reasonOffer).toBeNull();
    expect(reasonCalls(failing.bridge)).toEqual([]);
  });

  it('picks from the templates edited in Settings, by their new numbers', async () => {
    const { bridge } = alphaDeck();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Reason templates' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Reason templates' });
    expect(within(panel).getByRole('textbox', { name: 'Reason 1' })).toHaveValue('Spam');

    await user.clear(within(panel).getByRole('textbox', { name: 'Reason 2' }));
    await user.type(within(panel).getByRole('textbox', { name: 'Reason 2' }), '  Scam link ');
    await user.click(within(panel).getByRole('button', { name: 'Remove reason 1' }));
    await user.click(within(panel).getByRole('button', { name: 'Add a reason' }));
    await user.type(within(panel).getByRole('textbox', { name: 'Reason 5' }), '도배');
    await user.click(within(panel).getByRole('button', { name: 'Save reasons' }));
    expect(await within(panel).findByText('Reasons saved.')).toBeInTheDocument();
    const saved = bridge.calls.filter((call) => call.channel === 'settings.set');
    expect(saved.at(-1)?.input).toEqual({
      reasonTemplates: ['Scam link', 'Slur', 'Off-topic', 'Advertising', '도배'],
    });

    await user.click(screen.getByRole('button', { name: 'Deck' }));
    await findRow('a2', A);
    await user.keyboard('jx');
    expect(within(toast()).getByRole('button', { name: '5 도배' })).toBeInTheDocument();
    await user.keyboard('1');
    await waitFor(() => expect(toast()).toHaveTextContent('Reason: Scam link'));
    expect(reasonCalls(bridge)).toEqual([
      { roomKey: A, messageId: 'a2', action: 'hide', reason: 'Scam link' },
    ]);

    // Back to the defaults.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Reason templates' }));
    const again = await screen.findByRole('tabpanel', { name: 'Reason templates' });
    await user.click(within(again).getByRole('button', { name: 'Use the default reasons' }));
    await waitFor(() =>
      expect(within(again).getByRole('textbox', { name: 'Reason 1' })).toHaveValue('Spam'),
    );
    expect(bridge.calls.filter((call) => call.channel === 'settings.set').at(-1)?.input).toEqual({
      reasonTemplates: null,
    });
  });
});
