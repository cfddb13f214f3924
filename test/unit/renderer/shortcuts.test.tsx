import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores, row } from './deckHarness';

const A = 'acc/alpha';

function alpha(settingsPatch = {}) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [chatEvent(A, { id: 'a1' }), chatEvent(A, { id: 'a2' })],
      },
    ],
    {},
    settingsPatch,
  );
}

function keymapSaves(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls
    .filter((call) => call.channel === 'settings.set')
    .map((call) => (call.input as { keymap?: Record<string, string> }).keymap)
    .filter((keymap) => keymap !== undefined);
}

async function openShortcuts(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a2', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: 'Shortcuts' }));
  return screen.findByRole('tabpanel', { name: 'Shortcuts' });
}

function keyOf(panel: HTMLElement, action: string): string {
  const line = within(panel).getByRole('rowheader', { name: action }).closest('tr') as HTMLElement;
  return line.querySelector('kbd')?.textContent ?? '';
}

describe('rebinding the deck’s keys', () => {
  beforeEach(resetStores);

  it('binds a new key that the deck then uses, and the old one no longer', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openShortcuts(user);

    await user.click(
      within(panel).getByRole('button', { name: 'Change the key of: Hide the focused message' }),
    );
    expect(
      within(panel).getByRole('button', {
        name: 'Press the new key for: Hide the focused message',
      }),
    ).toHaveFocus();
    await user.keyboard('y');
    expect(
      await within(panel).findByText('“Hide the focused message” is now y.'),
    ).toBeInTheDocument();
    expect(keyOf(panel, 'Hide the focused message')).toBe('y');
    expect(keymapSaves(bridge)).toEqual([{ hide: 'y' }]);

    await user.click(screen.getByRole('button', { name: 'Deck' }));
    await findRow('a2', A);
    await user.keyboard('j'); // focus the newest message
    await user.keyboard('x');
    expect(bridge.calls.some((call) => call.channel === 'messages.hide')).toBe(false);
    await user.keyboard('y');
    await waitFor(() => expect(row('a2', column(A))).toHaveAttribute('data-state', 'hidden'));
    expect(bridge.calls.filter((call) => call.channel === 'messages.hide')).toEqual([
      { channel: 'messages.hide', input: { roomKey: A, messageId: 'a2' } },
    ]);
  });

  it('refuses a key another binding uses, and saves nothing', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openShortcuts(user);

    await user.click(
      within(panel).getByRole('button', { name: 'Change the key of: Hide the focused message' }),
    );
    await user.keyboard('u');
    expect(
      await within(panel).findByText(
        'u is already used by “Unhide the focused message”. Change that one first.',
      ),
    ).toBeInTheDocument();
    expect(keyOf(panel, 'Hide the focused message')).toBe('x');
    expect(keymapSaves(bridge)).toEqual([]);

    // A second key of the same action counts too.
    await user.click(
      within(panel).getByRole('button', { name: 'Change the key of: Next message in the column' }),
    );
    await user.keyboard('{ArrowUp}');
    expect(
      await within(panel).findByText(
        /^↑ is already used by “Previous message in the column \(second key\)”/,
      ),
    ).toBeInTheDocument();
    expect(keymapSaves(bridge)).toEqual([]);
  });

  it('refuses a key the Held column takes for its own, where the action works too, and saves nothing', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openShortcuts(user);
    const approve = 'Approve the focused held message (in the Held column, with the selected ones)';

    // In the Held column Shift+J extends the selection: approving there would never happen.
    await user.click(within(panel).getByRole('button', { name: `Change the key of: ${approve}` }));
    await user.keyboard('{Shift>}J{/Shift}');
    expect(
      await within(panel).findByText(
        'Shift+J is already used by “In the Held column: extend the selection down”. Change that one first.',
      ),
    ).toBeInTheDocument();
    expect(keyOf(panel, approve)).toBe('a');
    expect(keymapSaves(bridge)).toEqual([]);

    // The other way round too: selecting down on d would take denying away from the Held column.
    await user.click(
      within(panel).getByRole('button', {
        name: 'Change the key of: In the Held column: extend the selection down',
      }),
    );
    await user.keyboard('d');
    expect(
      await within(panel).findByText(/^d is already used by “Deny \(delete\) the focused held/),
    ).toBeInTheDocument();
    expect(keymapSaves(bridge)).toEqual([]);
  });

  it('binds a modifier held alone (the pause key), cancels with Esc, and resets', async () => {
    const { bridge } = alpha({ keymap: { hide: 'y' } });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openShortcuts(user);
    expect(keyOf(panel, 'Hide the focused message')).toBe('y');

    await user.click(
      within(panel).getByRole('button', { name: 'Change the key of: Hold to pause every feed' }),
    );
    await user.keyboard('{Shift}');
    expect(
      await within(panel).findByText('“Hold to pause every feed” is now Shift.'),
    ).toBeInTheDocument();
    expect(keymapSaves(bridge)).toEqual([{ hide: 'y', pause: 'Shift' }]);

    await user.click(
      within(panel).getByRole('button', { name: 'Change the key of: Undo the last hide' }),
    );
    await user.keyboard('{Escape}');
    expect(keyOf(panel, 'Undo the last hide')).toBe('z');
    expect(keymapSaves(bridge)).toHaveLength(1);

    await user.click(
      within(panel).getByRole('button', { name: 'Default key for: Hide the focused message' }),
    );
    await waitFor(() => expect(keyOf(panel, 'Hide the focused message')).toBe('x'));
    expect(keymapSaves(bridge).at(-1)).toEqual({ pause: 'Shift' });

    await user.click(within(panel).getByRole('button', { name: 'Reset every shortcut' }));
    await waitFor(() => expect(keyOf(panel, 'Hold to pause every feed')).toBe('Ctrl'));
    expect(keymapSaves(bridge).at(-1)).toEqual({});
  });

  it('ends the pause when a pause key of two keys is let go, whichever goes first', async () => {
    alpha({ keymap: { pause: 'Shift+q' } });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    const bar = screen.getByRole('banner');
    const paused = 'Every feed paused while Shift+Q is held';

    await user.keyboard('{Shift>}{Q>}');
    expect(within(bar).getByText(paused)).toBeInTheDocument();
    await user.keyboard('{/Q}{/Shift}');
    expect(within(bar).queryByText(paused)).not.toBeInTheDocument();

    await user.keyboard('{Shift>}{Q>}');
    expect(within(bar).getByText(paused)).toBeInTheDocument();
    await user.keyboard('{/Shift}');
    expect(within(bar).queryByText(paused)).not.toBeInTheDocument();
    await user.keyboard('{/Q}');
  });

  it('refuses to put a binding back on a default another binding has taken', async () => {
    const { bridge } = alpha({ keymap: { hide: 'y', unhide: 'x' } });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openShortcuts(user);
    await user.click(
      within(panel).getByRole('button', { name: 'Default key for: Hide the focused message' }),
    );
    expect(
      await within(panel).findByText(
        'x is already used by “Unhide the focused message”. Change that one first.',
      ),
    ).toBeInTheDocument();
    expect(keymapSaves(bridge)).toEqual([]);
  });
});
