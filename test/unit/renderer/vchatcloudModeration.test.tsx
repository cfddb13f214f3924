import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { UserRestrictions } from '../../../src/shared/chat';
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
import {
  A,
  V,
  answer,
  bob,
  eve,
  messageCalls,
  ready,
  toast,
  toastText,
  userCalls,
  vchatDeck,
} from './vchatcloudFixture';
import { useUsers } from '../../../src/renderer/src/stores/users';

/** The buttons a row offers, by name (its author's name is a button too: it opens their card). */
const ACTIONS = /^(Hide|Unhide|Delete|Mute|Exile…)$/;

describe('a VChatCloud room in the deck', () => {
  beforeEach(resetStores);

  it('offers mute and exile on a row, never hide, unhide or delete, and nothing on the moderator’s own', async () => {
    vchatDeck();
    renderDeck();
    await ready();

    const names = (element: HTMLElement) => {
      fireEvent.mouseEnter(element);
      return within(element)
        .queryAllByRole('button', { name: ACTIONS })
        .map((button) => button.textContent);
    };
    expect(names(row('v2', column(V)))).toEqual(['Mute', 'Exile…']);
    expect(names(row('v3', column(V)))).toEqual([]);
    expect(names(row('a1', column(A)))).toEqual(['Hide', 'Delete']);
    expect(
      within(pointedRow('v2', column(V))).getByRole('button', { name: 'Mute' }),
    ).toHaveAttribute('title', 'Mute the author (m)');
    expect(
      within(pointedRow('v2', column(V))).getByRole('button', { name: 'Exile…' }),
    ).toHaveAttribute('title', 'Exile the author (kick and ban) (Shift+K)');
  });

  it('mutes the focused message’s author with m, says so, and lifts it from the toast', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk'); // the newest is the moderator's notice; bob wrote the one before
    expect(row('v2', column(V))).toHaveClass('row-focused');
    await user.keyboard('m');
    await waitFor(() => expect(toast()).toHaveTextContent('bob is muted in Square.'));
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.mute', input: { roomKey: V, userId: 'u-bob' } },
    ]);

    await user.click(within(toast()).getByRole('button', { name: 'Unmute' }));
    await waitFor(() => expect(toast()).toHaveTextContent('bob is no longer muted in Square.'));
    expect(userCalls(bridge).map((call) => call.channel)).toEqual(['users.mute', 'users.unmute']);

    // The moderator's own notice has nobody to mute.
    await user.keyboard('j');
    expect(row('v3', column(V))).toHaveClass('row-focused');
    await user.keyboard('m');
    expect(userCalls(bridge)).toHaveLength(2);
  });

  it('asks before exiling with Shift+K, and exiles on a second Shift+K or on Enter', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk{Shift>}K{/Shift}');
    const confirm = within(row('v2', column(V))).getByRole('group', {
      name: 'Exile bob from this room? They are kicked out and cannot come back until you lift it.',
    });
    expect(confirm).toHaveTextContent('Shift+K or Enter to confirm, Esc to cancel.');
    expect(userCalls(bridge)).toEqual([]);

    await user.keyboard('{Escape}');
    expect(within(row('v2', column(V))).queryByRole('group')).not.toBeInTheDocument();
    expect(row('v2', column(V))).toHaveClass('row-focused'); // Esc cancelled, focus kept

    await user.keyboard('{Shift>}K{/Shift}{Shift>}K{/Shift}');
    await waitFor(() => expect(toast()).toHaveTextContent('bob is exiled from Square.'));
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.exile', input: { roomKey: V, userId: 'u-bob' } },
    ]);

    // Moving on cancels a confirmation; Enter confirms the one on the focused message.
    await user.keyboard('{Shift>}K{/Shift}k');
    expect(within(row('v2', column(V))).queryByRole('group')).not.toBeInTheDocument();
    await user.keyboard('{Shift>}K{/Shift}');
    expect(within(row('v1', column(V))).getByRole('group')).toHaveAccessibleName(/^Exile eve/);
    await user.keyboard('{Enter}');
    await waitFor(() => expect(toast()).toHaveTextContent('eve is exiled from Square.'));
    expect(userCalls(bridge).map((call) => call.input)).toEqual([
      { roomKey: V, userId: 'u-bob' },
      { roomKey: V, userId: 'u-eve' },
    ]);
  });

  it('exiles from the row’s button after the same confirmation', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.click(within(pointedRow('v1', column(V))).getByRole('button', { name: 'Exile…' }));
    const confirm = within(row('v1', column(V))).getByRole('group', { name: /^Exile eve/ });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(userCalls(bridge)).toEqual([]);

    await user.click(within(pointedRow('v1', column(V))).getByRole('button', { name: 'Exile…' }));
    await user.click(within(pointedRow('v1', column(V))).getByRole('button', { name: 'Exile' }));
    await waitFor(() =>
      expect(userCalls(bridge)).toEqual([
        { channel: 'users.exile', input: { roomKey: V, userId: 'u-eve' } },
      ]),
    );
  });

  it('does nothing on x, u or Delete but say that VChatCloud has no such action', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk');
    await user.keyboard('x');
    expect(toast()).toHaveTextContent(
      'VChatCloud cannot hide messages. You can mute the author (m) or exile them (Shift+K).',
    );
    expect(toast().closest('[role="status"]')).not.toBeNull();
    await user.keyboard('u');
    expect(toast()).toHaveTextContent('VChatCloud cannot hide or unhide messages.');
    await user.keyboard('{Delete}{Delete}');
    expect(toast()).toHaveTextContent('VChatCloud cannot delete messages.');
    expect(within(row('v2', column(V))).queryByRole('group')).not.toBeInTheDocument();
    expect(row('v2', column(V))).toHaveAttribute('data-state', 'visible');
    expect(messageCalls(bridge)).toEqual([]);
    expect(userCalls(bridge)).toEqual([]);
  });

  it('does nothing on m or Shift+K in a FlipFlop room but say that FlipFlop has no such action', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jl'); // into the FlipFlop room
    expect(row('a1', column(A))).toHaveClass('row-focused');
    await user.keyboard('m');
    expect(toastText()).toBe('FlipFlop cannot mute users.');
    await user.keyboard('{Shift>}K{/Shift}');
    expect(toastText()).toBe('FlipFlop cannot exile users.');
    expect(within(row('a1', column(A))).queryByRole('group')).not.toBeInTheDocument();
    expect(userCalls(bridge)).toEqual([]);
  });

  it('says in words why an exile failed, and retries it from the toast', async () => {
    let fail = true;
    const { bridge } = vchatDeck({
      'users.exile': (input) =>
        fail
          ? { ok: false, error: { code: '10107', message: 'USER_NOT_EXISTED: not there' } }
          : answer('exile')(input),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jk{Shift>}K{/Shift}{Enter}');
    await waitFor(() =>
      expect(toast()).toHaveTextContent('Could not exile bob: This user is not in the room'),
    );
    fail = false;
    await user.click(within(toast()).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(toast()).toHaveTextContent('bob is exiled from Square.'));
    expect(userCalls(bridge).map((call) => call.channel)).toEqual(['users.exile', 'users.exile']);
  });

  it('mutes the author of a flagged message from the Flagged column, in its own room', async () => {
    const { bridge } = fakeDeck(
      [
        {
          accountId: 'vcc',
          roomId: 'square',
          name: 'Square',
          provider: 'vchatcloud',
          events: [
            chatEvent(V, {
              id: 'f1',
              user: { id: 'u-mallory', name: 'mallory' },
              text: 'a scam link',
              flags: [{ ruleId: 'r-scam', start: 2, end: 6 }],
            }),
          ],
        },
      ],
      { 'users.mute': answer('mute') },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('f1', V);
    const flagged = await waitFor(() => row('f1', flaggedColumn()));
    expect(within(flagged).getByText('Square')).toBeInTheDocument();

    await user.hover(flagged);
    await user.click(within(flagged).getByRole('button', { name: 'Mute' }));
    await waitFor(() =>
      expect(userCalls(bridge)).toEqual([
        { channel: 'users.mute', input: { roomKey: V, userId: 'u-mallory' } },
      ]),
    );
    // And by keyboard: n finds it, m mutes its author.
    await user.keyboard('nm');
    await waitFor(() => expect(userCalls(bridge)).toHaveLength(2));
  });

  it('takes the mute and exile keys from settings, and lists them in the ? overlay', async () => {
    const { bridge } = vchatDeck({}, { keymap: { mute: 'Shift+m', exile: 'e' } });
    const user = userEvent.setup();
    renderDeck();
    await ready();

    await user.keyboard('jkm{Shift>}K{/Shift}');
    expect(userCalls(bridge)).toEqual([]);
    expect(within(row('v2', column(V))).queryByRole('group')).not.toBeInTheDocument();
    await user.keyboard('{Shift>}M{/Shift}');
    await waitFor(() =>
      expect(userCalls(bridge).map((call) => call.channel)).toEqual(['users.mute']),
    );
    await user.keyboard('e');
    expect(within(row('v2', column(V))).getByRole('group')).toHaveTextContent(
      'e or Enter to confirm',
    );

    await user.keyboard('{Escape}?');
    const help = await screen.findByRole('dialog', { name: 'Keyboard shortcuts' });
    const line = (command: string) => help.querySelector(`tr[data-command="${command}"]`);
    expect(line('mute')).toHaveTextContent('Shift+MMute the author of the focused message');
    expect(line('exile')).toHaveTextContent(
      'eExile the author of the focused message (press twice)',
    );
  });

  it('shows on each row whether its author is muted or exiled, and keeps it up to date', async () => {
    const { bridge } = vchatDeck({
      'users.restrictions': () => ({ ok: true, value: { muted: ['u-eve'], exiled: ['u-bob'] } }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    const standing = (id: string, source: HTMLElement) =>
      [...row(id, source).querySelectorAll('.row-standing')].map((badge) => badge.textContent);

    await waitFor(() => expect(standing('v1', column(V))).toEqual(['⊘ Muted']));
    expect(row('v1', column(V))).toHaveAccessibleName(/^eve, .*: hello from vchat\. Muted$/);
    expect(standing('v2', column(V))).toEqual(['⊘ Exiled']);
    expect(row('v2', column(V))).toHaveAccessibleName(/\. Exiled$/);
    // The moderator's notice has no author to restrict; eve of another account is someone else.
    expect(standing('v3', column(V))).toEqual([]);
    expect(standing('a1', column(A))).toEqual([]);
    expect(bridge.calls.filter((call) => call.channel === 'users.restrictions')).toEqual([
      { channel: 'users.restrictions', input: { roomKey: V } },
    ]);

    // Another moderator lifts eve's mute: the provider's push says so, and her row follows.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(V, {
            id: 's1',
            kind: 'system',
            customType: 'unmute',
            messageId: null,
            user: eve,
            text: '',
          }),
        ]),
      ),
    );
    await waitFor(() => expect(standing('v1', column(V))).toEqual([]));

    // The moderator mutes bob from his row: he is muted and still exiled.
    await user.click(within(pointedRow('v2', column(V))).getByRole('button', { name: 'Mute' }));
    await waitFor(() => expect(standing('v2', column(V))).toEqual(['⊘ Muted', '⊘ Exiled']));
  });

  it('keeps a mute made while the room’s restrictions were being read, when the older read answers after it', async () => {
    let answerRead = (): void => undefined;
    const { bridge } = vchatDeck({
      // Read before the mute: bob was not muted then.
      'users.restrictions': () =>
        new Promise((resolve) => {
          answerRead = () => resolve({ ok: true, value: { muted: [], exiled: [] } });
        }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    expect(bridge.calls.filter((call) => call.channel === 'users.restrictions')).toHaveLength(1);
    const standing = () =>
      [...row('v2', column(V)).querySelectorAll('.row-standing')].map((badge) => badge.textContent);

    await user.click(within(pointedRow('v2', column(V))).getByRole('button', { name: 'Mute' }));
    await waitFor(() => expect(toast()).toHaveTextContent('bob is muted in Square.'));
    expect(standing()).toEqual(['⊘ Muted']);

    act(() => answerRead());
    await waitFor(() => expect(useUsers.getState().byRoom[V]?.status).toBe('ready'));
    expect(standing()).toEqual(['⊘ Muted']);
  });

  it('keeps a mute the provider pushed while the room’s restrictions were being read, when the older read answers after it', async () => {
    let answerRead = (): void => undefined;
    const { bridge } = vchatDeck({
      'users.restrictions': () =>
        new Promise((resolve) => {
          answerRead = () => resolve({ ok: true, value: { muted: [], exiled: [] } });
        }),
    });
    renderDeck();
    await ready();
    expect(bridge.calls.filter((call) => call.channel === 'users.restrictions')).toHaveLength(1);

    // Another moderator mutes eve after the read was answered, before its answer arrives.
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(V, {
            id: 's1',
            kind: 'system',
            customType: 'mute',
            messageId: null,
            user: eve,
            text: '',
          }),
        ]),
      ),
    );
    act(() => answerRead());
    await waitFor(() => expect(useUsers.getState().byRoom[V]?.status).toBe('ready'));
    expect(
      [...row('v1', column(V)).querySelectorAll('.row-standing')].map((badge) => badge.textContent),
    ).toEqual(['⊘ Muted']);
  });

  it('says what happened to a user in words when the provider pushes it', async () => {
    fakeDeck([
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [
          chatEvent(V, { id: 's1', kind: 'system', customType: 'mute', user: bob, text: '' }),
          chatEvent(V, { id: 's2', kind: 'system', customType: 'exile', user: eve, text: '' }),
        ],
      },
    ]);
    renderDeck();
    expect(await findRow('s1', V)).toHaveTextContent('bob was muted');
    expect(row('s2', column(V))).toHaveTextContent('eve was exiled from the room');
    expect(row('s2', column(V))).toHaveAttribute('data-custom-type', 'exile');
    expect(row('s2', column(V))).toHaveAccessibleName(/eve was exiled from the room/);
  });
});

describe('a VChatCloud user’s card', () => {
  beforeEach(resetStores);

  async function openCard(user: ReturnType<typeof userEvent.setup>, id: string, name: string) {
    await ready();
    const source = id.startsWith('a') ? column(A) : column(V);
    await user.click(within(pointedRow(id, source)).getByRole('button', { name }));
    return screen.findByRole('dialog', { name });
  }

  function buttonNames(card: HTMLElement): string[] {
    const actions = card.querySelector('.user-actions');
    return actions
      ? within(actions as HTMLElement)
          .getAllByRole('button')
          .map((b) => b.textContent ?? '')
      : [];
  }

  it('shows whether the user is muted or exiled and offers only what would change it', async () => {
    const restrictions: UserRestrictions = { muted: ['u-eve'], exiled: [] };
    const { bridge } = vchatDeck({
      'users.restrictions': () => ({ ok: true, value: restrictions }),
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openCard(user, 'v1', 'eve');

    expect(await within(card).findByText('Muted in Square.')).toBeInTheDocument();
    expect(buttonNames(card)).toEqual(['Direct message', 'Unmute', 'Exile…']);
    // Asked when the room opened (for its rows), and again as the card opened.
    expect(bridge.calls.filter((call) => call.channel === 'users.restrictions')).toEqual([
      { channel: 'users.restrictions', input: { roomKey: V } },
      { channel: 'users.restrictions', input: { roomKey: V } },
    ]);

    await user.click(within(card).getByRole('button', { name: 'Unmute' }));
    expect(
      await within(card).findByText('Neither muted nor exiled in Square.'),
    ).toBeInTheDocument();
    expect(buttonNames(card)).toEqual(['Direct message', 'Mute', 'Exile…']);

    await user.click(within(card).getByRole('button', { name: 'Exile…' }));
    const confirm = within(card).getByRole('group', {
      name: 'Exile eve from Square? They are kicked out and cannot come back until you lift it.',
    });
    await user.click(within(confirm).getByRole('button', { name: 'Cancel' }));
    expect(userCalls(bridge).map((call) => call.channel)).toEqual(['users.unmute']);

    await user.click(within(card).getByRole('button', { name: 'Exile…' }));
    await user.click(within(card).getByRole('button', { name: 'Exile' }));
    expect(await within(card).findByText('Exiled from Square.')).toBeInTheDocument();
    expect(buttonNames(card)).toEqual(['Direct message', 'Mute', 'Lift exile']);

    await user.click(within(card).getByRole('button', { name: 'Lift exile' }));
    expect(
      await within(card).findByText('Neither muted nor exiled in Square.'),
    ).toBeInTheDocument();
    expect(userCalls(bridge)).toEqual([
      { channel: 'users.unmute', input: { roomKey: V, userId: 'u-eve' } },
      { channel: 'users.exile', input: { roomKey: V, userId: 'u-eve' } },
      { channel: 'users.unexile', input: { roomKey: V, userId: 'u-eve' } },
    ]);
  });

  it('says a mute the service did not answer is of unknown outcome, asks the service where the user stands, and offers a retry', async () => {
    const restrictions: UserRestrictions = { muted: [], exiled: [] };
    const { bridge } = vchatDeck({
      'users.restrictions': () => ({ ok: true, value: restrictions }),
      'users.mute': () => {
        // The service did it, but its answer never came.
        restrictions.muted = ['u-eve'];
        return {
          ok: false,
          error: { code: 'OUTCOME_UNKNOWN', message: 'The service did not answer.' },
        };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openCard(user, 'v1', 'eve');
    expect(
      await within(card).findByText('Neither muted nor exiled in Square.'),
    ).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Mute' }));
    await waitFor(() =>
      expect(toast()).toHaveTextContent(
        'Not known whether eve is muted in Square: the service did not answer. Retrying is safe.',
      ),
    );
    expect(toast()).not.toHaveTextContent(/Could not/);
    expect(within(toast()).getByRole('button', { name: 'Retry' })).toBeInTheDocument();
    expect(await within(card).findByText('Muted in Square.')).toBeInTheDocument();
    // When the room opened, as the card opened, and after the unanswered mute.
    expect(bridge.calls.filter((call) => call.channel === 'users.restrictions')).toHaveLength(3);
  });

  it('offers every restriction when it cannot tell where the user stands, and says why', async () => {
    vchatDeck({
      'users.restrictions': () => ({
        ok: false,
        error: { code: 'NETWORK', message: 'socket hang up' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openCard(user, 'v1', 'eve');
    expect(
      await within(card).findByText(
        'Could not check whether this user is muted or exiled: The service could not be reached',
      ),
    ).toBeInTheDocument();
    expect(buttonNames(card)).toEqual(['Direct message', 'Mute', 'Unmute', 'Exile…', 'Lift exile']);
  });

  it('offers no mute or exile to a FlipFlop user, and does not ask about restrictions', async () => {
    const { bridge } = vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    const card = await openCard(user, 'a1', 'eve');
    expect(buttonNames(card)).toEqual(['Direct message']);
    expect(within(card).queryByText(/muted|exiled/)).not.toBeInTheDocument();
    expect(
      bridge.calls
        .filter((call) => call.channel === 'users.restrictions')
        .map((call) => call.input),
    ).toEqual([{ roomKey: V }]);
  });
});
