import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { Account } from '../../../src/shared/model';
import {
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
const flag = [{ ruleId: 'r1', start: 0, end: 3 }];

function flagged(roomKey: string, id: string): ChatEvent {
  return chatEvent(roomKey, { id, text: 'bad words', flags: flag });
}

/** A FlipFlop room and a VChatCloud room, a flagged message and a plain one in each. */
function twoProviders(handlers: Parameters<typeof fakeDeck>[1] = {}, settings = {}) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [flagged(A, 'a1'), chatEvent(A, { id: 'a2' })],
      },
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: [flagged(V, 'v1'), chatEvent(V, { id: 'v2' })],
      },
    ],
    handlers,
    settings,
  );
}

async function ready(): Promise<void> {
  await findRow('a2', A);
  await findRow('v2', V);
  await waitFor(() => row('v1', flaggedColumn()));
}

function count(): Element | null {
  return flaggedColumn().querySelector('.column-count');
}

describe('the Flagged column', () => {
  beforeEach(resetStores);

  it('takes a message out of the queue with its "Looks fine" button; a plain message has none', async () => {
    const { bridge } = twoProviders();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    expect(count()).toHaveTextContent('2');
    expect(
      within(pointedRow('a2', column(A))).queryByRole('button', { name: 'Looks fine' }),
    ).not.toBeInTheDocument();

    const button = within(pointedRow('v1', flaggedColumn())).getByRole('button', {
      name: 'Looks fine',
    });
    expect(button).toHaveAttribute('aria-keyshortcuts', 'e');
    expect(button).toHaveAttribute('title', 'Looks fine: mark as handled (e)');
    await user.click(button);
    expect(count()).toHaveTextContent('1');
    expect(bridge.calls.filter((call) => call.channel === 'flagged.markHandled')).toEqual([
      { channel: 'flagged.markHandled', input: { roomKey: V, id: 'v1' } },
    ]);
    // Handled in every view: the room's own row says so and offers the button no more.
    expect(row('v1', column(V))).toHaveAttribute('data-handled', 'true');
    expect(
      within(pointedRow('v1', column(V))).queryByRole('button', { name: 'Looks fine' }),
    ).not.toBeInTheDocument();
  });

  it('says why a message could not be marked handled, and it waits in the queue again', async () => {
    twoProviders({
      'flagged.markHandled': () => ({
        ok: false,
        error: { code: 'NOT_FOUND', message: 'That message is no longer kept for its room.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await ready();
    await user.click(
      within(pointedRow('a1', flaggedColumn())).getByRole('button', { name: 'Looks fine' }),
    );
    expect(await screen.findByText(/^Could not mark it as handled: /)).toBeInTheDocument();
    expect(count()).toHaveTextContent('2');
    expect(row('a1', flaggedColumn())).not.toHaveAttribute('data-handled');
  });

  it("names each row's room and its service, since the column mixes them", async () => {
    twoProviders();
    renderDeck();
    await ready();
    for (const [id, room, provider] of [
      ['a1', 'Alpha', 'FlipFlop'],
      ['v1', 'Square', 'VChatCloud'],
    ] as const) {
      const flaggedRow = row(id, flaggedColumn());
      expect(flaggedRow.querySelector('.row-room')).toHaveTextContent(room);
      expect(flaggedRow.querySelector('.row-provider')).toHaveTextContent(provider);
      expect(flaggedRow.getAttribute('aria-label')).toMatch(
        new RegExp(`^${room}\\. ${provider}\\. `),
      );
    }
    // A room's own column says its service in its header, not on every row.
    expect(row('a1', column(A)).querySelector('.row-provider')).toBeNull();
  });

  it('is resized by its handle like a room column, and the width is saved with the layout', async () => {
    const { bridge, settings } = twoProviders();
    const user = userEvent.setup();
    renderDeck();
    await ready();
    expect(flaggedColumn()).toHaveStyle({ width: '320px' });

    const handle = within(flaggedColumn()).getByRole('separator', { name: 'Column width' });
    handle.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(flaggedColumn()).toHaveStyle({ width: '360px' });
    fireEvent.pointerDown(handle, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(handle, { clientX: 300, pointerId: 1 });
    // Never narrower than a room column may be.
    expect(flaggedColumn()).toHaveStyle({ width: '200px' });
    fireEvent.pointerUp(handle, { clientX: 300, pointerId: 1 });

    const flaggedWidths = () =>
      bridge.calls
        .filter((call) => call.channel === 'settings.set')
        .map((call) => (call.input as { layout?: { flaggedWidth?: number } }).layout)
        .filter((layout) => layout !== undefined)
        .map((layout) => layout.flaggedWidth);
    await waitFor(() => expect(flaggedWidths()).toEqual([340, 360, 200]));
    // The room columns are saved with it, as they were.
    expect(settings.layout.columns).toEqual([
      { accountId: 'acc', roomId: 'alpha' },
      { accountId: 'vcc', roomId: 'square' },
    ]);
  });

  it('opens at the width the saved layout gives it', async () => {
    twoProviders(
      {},
      { layout: { columns: [{ accountId: 'acc', roomId: 'alpha' }], flaggedWidth: 480 } },
    );
    renderDeck();
    await findRow('a2', A);
    expect(flaggedColumn()).toHaveStyle({ width: '480px' });
  });

  it("marks the columns of the built-in sandbox's rooms, and no other", async () => {
    const account = (id: string, sandbox: boolean): Account => ({
      id,
      provider: 'flipflop',
      name: id,
      baseUrl: 'http://127.0.0.1:4010',
      appApiKey: 'key',
      hasSecret: true,
      ...(sandbox ? { sandbox: true } : {}),
    });
    twoProviders({
      'accounts.list': () => ({ ok: true, value: [account('acc', true), account('vcc', false)] }),
    });
    renderDeck();
    await ready();
    const badge = await within(column(A)).findByText('Sandbox');
    expect(badge).toHaveAttribute(
      'title',
      'Simulated chat from the built-in sandbox on this computer, not a real audience',
    );
    expect(within(column(V)).queryByText('Sandbox')).not.toBeInTheDocument();
  });
});

describe('an automod flag', () => {
  beforeEach(resetStores);

  it('puts the message in the Flagged column with its reason as text, and highlights no text', async () => {
    const reason = 'same message 4 times in 20 s';
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, {
            id: 'a1',
            text: 'buy followers now',
            flags: [{ ruleId: 'automod-repeats', reason, severity: 'medium' }],
          }),
          chatEvent(A, { id: 'a2' }),
        ],
      },
    ]);
    renderDeck();
    await findRow('a2', A);
    const pinned = await waitFor(() => row('a1', flaggedColumn()));
    expect(count()).toHaveTextContent('1');
    expect(pinned).toHaveAttribute('data-flagged', 'true');
    const marker = within(pinned).getByRole('note', { name: `Automod: ${reason}` });
    expect(marker).toHaveTextContent(reason);
    expect(pinned.getAttribute('aria-label')).toContain(`Automod: ${reason}`);
    expect(pinned.getAttribute('aria-label')).not.toContain('Flagged by rule');
    expect(pinned.querySelector('.flag')).toBeNull();
  });
});
