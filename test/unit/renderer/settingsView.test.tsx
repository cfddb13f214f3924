import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RequestInput } from '../../../src/shared/contract';
import { chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

function alpha(settingsPatch = {}) {
  return fakeDeck(
    [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
    {},
    settingsPatch,
  );
}

function patches(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls
    .filter((call) => call.channel === 'settings.set')
    .map((call) => call.input as RequestInput<'settings.set'>)
    .filter((patch) => patch.layout === undefined);
}

async function openSettings(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a1', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  return screen.findByRole('tabpanel', { name: 'General' });
}

describe('Settings: theme, language, scrollback, notifications', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('applies the saved theme, and a new one at once', async () => {
    const { bridge } = alpha({ theme: 'dark' });
    const user = userEvent.setup();
    renderDeck();
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('dark'));
    const panel = await openSettings(user);

    await user.click(within(panel).getByRole('radio', { name: 'Light' }));
    expect(within(panel).getByRole('radio', { name: 'Light' })).toBeChecked();
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe('light'));
    await user.click(within(panel).getByRole('radio', { name: 'Same as the system' }));
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect(patches(bridge)).toEqual([{ theme: 'light' }, { theme: 'system' }]);
  });

  it('switches the whole UI to Korean, and follows the OS language for "system"', async () => {
    vi.spyOn(navigator, 'languages', 'get').mockReturnValue(['ko-KR', 'en-US']);
    const { bridge } = alpha({ language: 'en' });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openSettings(user);
    expect(document.documentElement.lang).toBe('en');

    await user.selectOptions(within(panel).getByLabelText('Language'), 'ko');
    expect(await screen.findByRole('tab', { name: '금지어' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '덱' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('ko');

    await user.selectOptions(screen.getByLabelText('언어'), 'en');
    expect(await screen.findByRole('tab', { name: 'Forbidden words' })).toBeInTheDocument();
    await user.selectOptions(screen.getByLabelText('Language'), 'system');
    // The OS says Korean.
    expect(await screen.findByRole('tab', { name: '금지어' })).toBeInTheDocument();
    expect(patches(bridge)).toEqual([
      { language: 'ko' },
      { language: 'en' },
      { language: 'system' },
    ]);
  });

  it('saves a scrollback within its bounds, and refuses one outside them', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openSettings(user);
    const field = within(panel).getByLabelText('Messages kept per room');
    const apply = within(panel).getByRole('button', { name: 'Apply' });
    expect(field).toHaveValue(5000);
    expect(apply).toBeDisabled();

    await user.clear(field);
    await user.type(field, '50');
    expect(field).toBeInvalid();
    expect(apply).toBeDisabled();

    await user.clear(field);
    await user.type(field, '2000');
    await user.click(apply);
    expect(await within(panel).findByText('Saved.')).toBeInTheDocument();
    expect(patches(bridge)).toEqual([{ scrollback: 2000 }]);
  });

  it('sets do-not-disturb, the sounds, flags while in front and per-room mute', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'Notifications' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Notifications' });
    const box = (name: string) => within(panel).getByRole('checkbox', { name });
    expect(box('Play a sound for flagged-message summaries')).not.toBeChecked();
    expect(box('Notify flagged messages also while ModDeck is in front')).not.toBeChecked();

    await user.click(box('Do not disturb'));
    await user.click(box('Play a sound for direct messages and high-severity flags'));
    await user.click(box('Play a sound for flagged-message summaries'));
    await user.click(box('Notify flagged messages also while ModDeck is in front'));
    await user.click(box('Mute notifications from Alpha'));
    expect(box('Mute notifications from Alpha')).toBeChecked();
    const off = { flagSound: false, flagsWhileFocused: false };
    expect(patches(bridge).map((patch) => patch.notifications)).toEqual([
      { doNotDisturb: true, sound: true, ...off, mutedRooms: [] },
      { doNotDisturb: true, sound: false, ...off, mutedRooms: [] },
      { doNotDisturb: true, sound: false, ...off, flagSound: true, mutedRooms: [] },
      {
        doNotDisturb: true,
        sound: false,
        flagSound: true,
        flagsWhileFocused: true,
        mutedRooms: [],
      },
      {
        doNotDisturb: true,
        sound: false,
        flagSound: true,
        flagsWhileFocused: true,
        mutedRooms: [A],
      },
    ]);
  });

  it('turns the built-in sandbox off and on from the Accounts view, saying when it takes effect', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await user.click(screen.getByRole('button', { name: 'Accounts' }));
    const toggle = await screen.findByRole('checkbox', { name: /Built-in sandbox/ });
    expect(toggle).toBeChecked();
    expect(toggle).toHaveAccessibleDescription(/next time ModDeck starts/);

    await user.click(toggle);
    await waitFor(() => expect(toggle).not.toBeChecked());
    await user.click(toggle);
    await waitFor(() => expect(toggle).toBeChecked());
    expect(patches(bridge)).toEqual([{ embeddedSandbox: false }, { embeddedSandbox: true }]);
  });

  it('moves between sections with the arrow keys', async () => {
    alpha();
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'General' }));
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('tab', { name: 'Notifications' })).toHaveFocus();
    expect(screen.getByRole('tab', { name: 'Notifications' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    await user.keyboard('{End}');
    expect(screen.getByRole('tab', { name: 'Audit log' })).toHaveFocus();
    await user.keyboard('{ArrowDown}');
    expect(screen.getByRole('tab', { name: 'General' })).toHaveFocus();
  });

  it('turns automod off and on, and sets a detector rule’s action and severity', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'Automod' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Automod' });
    const toggle = within(panel).getByRole('checkbox', { name: 'Automod: flag spam by behaviour' });
    expect(toggle).toBeChecked();
    await user.click(toggle);
    await waitFor(() => expect(patches(bridge).at(-1)?.automod?.enabled).toBe(false));
    expect(within(panel).getByLabelText('Repeated messages: action')).toBeDisabled();
    await user.click(toggle);
    await waitFor(() => expect(patches(bridge).at(-1)?.automod?.enabled).toBe(true));

    await user.selectOptions(within(panel).getByLabelText('Copy-paste raids: action'), 'hold');
    await waitFor(() =>
      expect(
        patches(bridge)
          .at(-1)
          ?.automod?.config.rules?.find((rule) => rule.kind === 'raid')?.action,
      ).toBe('hold'),
    );
    expect(within(panel).getByLabelText('Copy-paste raids: action')).toHaveDisplayValue(
      'Hold for review',
    );
    await user.selectOptions(within(panel).getByLabelText('Capitals: severity'), 'high');
    await user.click(within(panel).getByRole('checkbox', { name: 'Links: on' }));
    await waitFor(() => {
      const rules = patches(bridge).at(-1)?.automod?.config.rules ?? [];
      expect(rules.find((rule) => rule.kind === 'caps')?.severity).toBe('high');
      expect(rules.find((rule) => rule.kind === 'links')?.enabled).toBe(false);
      // Every rule is kept, the one changed before too.
      expect(rules.find((rule) => rule.kind === 'raid')?.action).toBe('hold');
      expect(rules).toHaveLength(10);
    });
  });

  it('saves how long a chatter counts as new for shield mode, and whether to mute where nothing can be hidden', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'Held messages' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Held messages' });
    const minutes = within(panel).getByLabelText(
      'Someone is new for this many minutes after their first message in a room',
    );
    expect(minutes).toHaveValue(10);
    const mute = within(panel).getByRole('checkbox', {
      name: 'Where messages cannot be hidden (VChatCloud), mute them instead',
    });
    expect(mute).not.toBeChecked();
    await user.clear(minutes);
    await user.type(minutes, '2000');
    await user.click(within(panel).getByRole('button', { name: 'Save shield mode' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'Give a whole number of minutes from 1 to 1440',
    );
    expect(patches(bridge).filter((patch) => patch.shield !== undefined)).toEqual([]);
    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(mute);
    await user.click(within(panel).getByRole('button', { name: 'Save shield mode' }));
    await waitFor(() =>
      expect(patches(bridge).at(-1)).toEqual({
        shield: { newChatterMinutes: 30, muteSenders: true },
      }),
    );
  });

  it('names the shield key as it is bound, in English and in Korean', async () => {
    alpha({ keymap: { shield: 'Shift+q' } });
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'Held messages' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Held messages' });
    const hint = within(panel).getByText(/^While shield mode is on/);
    expect(hint).toHaveTextContent('(the Shield button, or Shift+Q)');
    expect(hint).not.toHaveTextContent('Shift+S');

    await user.click(screen.getByRole('tab', { name: 'General' }));
    await user.selectOptions(
      within(await screen.findByRole('tabpanel', { name: 'General' })).getByLabelText('Language'),
      'ko',
    );
    await user.click(await screen.findByRole('tab', { name: '보류 메시지' }));
    const korean = await screen.findByRole('tabpanel', { name: '보류 메시지' });
    expect(within(korean).getByText(/^보호막이 켜져 있는 동안/)).toHaveTextContent(
      '(보호막 버튼 또는 Shift+Q)',
    );
  });

  it('saves after how long an unreviewed hold is decided, and how, and refuses a time out of bounds', async () => {
    const { bridge } = alpha();
    const user = userEvent.setup();
    renderDeck();
    await openSettings(user);
    await user.click(screen.getByRole('tab', { name: 'Held messages' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Held messages' });
    // The default: a hold waits until someone reviews it.
    expect(
      within(panel).getByRole('radio', { name: 'Stays held until someone reviews it' }),
    ).toBeChecked();
    expect(within(panel).getByLabelText('Minutes')).toBeDisabled();

    await user.click(within(panel).getByRole('radio', { name: 'Is decided after' }));
    const minutes = within(panel).getByLabelText('Minutes');
    await user.clear(minutes);
    await user.type(minutes, '0');
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'Give a whole number of minutes from 1 to 10080',
    );
    expect(patches(bridge).filter((patch) => patch.hold !== undefined)).toEqual([]);

    await user.clear(minutes);
    await user.type(minutes, '30');
    await user.click(within(panel).getByRole('radio', { name: 'Approved: shown again' }));
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent('Saved.');
    expect(patches(bridge).at(-1)).toEqual({
      hold: { staleAfterMinutes: 30, staleAction: 'approve' },
    });

    await user.click(
      within(panel).getByRole('radio', { name: 'Stays held until someone reviews it' }),
    );
    await user.click(within(panel).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(patches(bridge).at(-1)).toEqual({
        hold: { staleAfterMinutes: null, staleAction: 'approve' },
      }),
    );
  });
});
