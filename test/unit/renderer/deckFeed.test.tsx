import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatEvent, OpenRoom } from '../../../src/shared/chat';
import type { Result } from '../../../src/shared/contract';
import {
  T0,
  batchOf,
  chatEvent,
  column,
  flaggedColumn,
  fakeDeck,
  findRow,
  openRoomOf,
  renderDeck,
  resetStores,
  row,
  rowsIn,
} from './deckHarness';

const A = 'acc/alpha';
const B = 'acc/beta';

function rooms(alpha: ChatEvent[] = [], beta: ChatEvent[] = []) {
  return [
    { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: alpha },
    { accountId: 'acc', roomId: 'beta', name: 'Beta', events: beta },
  ];
}

function seed(roomKey: string, prefix: string, count: number): ChatEvent[] {
  return Array.from({ length: count }, (_, index) =>
    chatEvent(roomKey, { id: `${prefix}${index + 1}` }),
  );
}

function shownIds(roomKey: string): string[] {
  return rowsIn(column(roomKey)).map((element) => element.getAttribute('data-message-id') ?? '');
}

function layoutSaves(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls
    .filter((call) => call.channel === 'settings.set')
    .map((call) => (call.input as { layout: { columns: unknown[] } }).layout.columns);
}

describe('the deck', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restores the saved layout: opens every room, fills it from its snapshot, keeps the order', async () => {
    // The first room answers last: the order still comes from the layout.
    let releaseAlpha!: () => void;
    const alphaOpened = new Promise<void>((resolve) => {
      releaseAlpha = resolve;
    });
    const layout = [
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: seed(A, 'a', 3), width: 420 },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: seed(B, 'b', 2) },
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud' as const,
        events: seed('vcc/square', 's', 1),
      },
    ];
    const { bridge } = fakeDeck(layout, {
      'rooms.open': async ({ accountId, roomId }): Promise<Result<OpenRoom>> => {
        const room = layout.find(
          (entry) => entry.accountId === accountId && entry.roomId === roomId,
        );
        if (!room) return { ok: false, error: { code: 'NOT_FOUND', message: 'no room' } };
        if (roomId === 'alpha') await alphaOpened;
        return { ok: true, value: openRoomOf(room) };
      },
    });
    renderDeck();

    await findRow('s1', 'vcc/square');
    await findRow('b2', B);
    releaseAlpha();
    await findRow('a3', A);

    const sections = [...document.querySelectorAll('section[data-room-key]')];
    expect(sections.map((section) => section.getAttribute('data-room-key'))).toEqual([
      A,
      B,
      'vcc/square',
    ]);
    expect(sections.map((section) => section.getAttribute('aria-label'))).toEqual([
      'Room Alpha',
      'Room Beta',
      'Room Square',
    ]);
    expect(column(A)).toHaveStyle({ width: '420px' });
    expect(shownIds(A)).toEqual(['a1', 'a2', 'a3']);
    expect(shownIds('vcc/square')).toEqual(['s1']);
    expect(within(column('vcc/square')).getByText('VChatCloud')).toBeInTheDocument();

    const opens = bridge.calls
      .filter((call) => call.channel === 'rooms.open')
      .map((call) => call.input);
    expect(opens).toEqual([
      { accountId: 'acc', roomId: 'alpha' },
      { accountId: 'acc', roomId: 'beta' },
      { accountId: 'vcc', roomId: 'square' },
    ]);
    const snapshots = bridge.calls
      .filter((call) => call.channel === 'feed.snapshot')
      .map((call) => call.input);
    expect(snapshots).toHaveLength(3);
    expect(snapshots).toEqual(
      expect.arrayContaining([{ roomKey: A }, { roomKey: B }, { roomKey: 'vcc/square' }]),
    );
    // Restoring is not a change: nothing is saved back.
    expect(layoutSaves(bridge)).toEqual([]);
  });

  it('shows a room that cannot be opened in its place, with the reason and a retry', async () => {
    let fail = true;
    fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)), {
      'rooms.open': ({ accountId, roomId }) =>
        roomId === 'alpha' && fail
          ? { ok: false, error: { code: 'NETWORK', message: 'connect ECONNREFUSED' } }
          : {
              ok: true,
              value: openRoomOf({ accountId, roomId, name: roomId === 'alpha' ? 'Alpha' : 'Beta' }),
            },
    });
    const user = userEvent.setup();
    renderDeck();

    expect(
      await within(await waitFor(() => column(A))).findByText(
        'This room could not be opened: The service could not be reached',
      ),
    ).toBeInTheDocument();
    fail = false;
    await user.click(within(column(A)).getByRole('button', { name: 'Try again' }));
    expect(await findRow('a1', A)).toBeInTheDocument();
  });

  it('follows new messages from feed.batch', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 2)));
    renderDeck();
    await findRow('a2', A);

    act(() => bridge.emit('feed.batch', batchOf([chatEvent(A, { id: 'a3' })])));
    await findRow('a3', A);
    expect(shownIds(A)).toEqual(['a1', 'a2', 'a3']);
    expect(screen.queryByRole('button', { name: /new message/ })).not.toBeInTheDocument();
  });

  it('shows a live room’s newest rows only, and its whole scrollback once the wheel turns up', async () => {
    fakeDeck(rooms(seed(A, 'a', 100), seed(B, 'b', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a100', A);
    // Without a height to fit (no layout here), the tail holds 60 rows.
    expect(shownIds(A)).toEqual(Array.from({ length: 60 }, (_, index) => `a${index + 41}`));

    const feed = column(A).querySelector('.feed') as HTMLElement;
    await user.hover(feed);
    fireEvent.wheel(feed, { deltaY: -100 });
    // The virtualised list, here with a fixed 2,000-pixel window of 24-pixel rows.
    await findRow('a30', A);
    expect(column(A).querySelector('.feed')).toHaveAttribute('data-paused', 'true');
    expect(column(A).querySelector('.feed-tail')).toBeNull();
  });

  it('shows the newest flagged rows at the top of the Flagged column, and the rest once the wheel turns down', async () => {
    const flagged = Array.from({ length: 80 }, (_, index) =>
      chatEvent(A, { id: `f${index + 1}`, flags: [{ ruleId: 'r1', start: 0, end: 3 }] }),
    );
    fakeDeck(rooms(flagged));
    const user = userEvent.setup();
    renderDeck();
    await findRow('f80', A);
    const flaggedIds = () =>
      rowsIn(flaggedColumn()).map((element) => element.getAttribute('data-message-id'));
    // Newest first, and only as many as the tail holds (60 without a height to fit).
    await waitFor(() => expect(flaggedIds()[0]).toBe('f80'));
    expect(flaggedIds()).toEqual(Array.from({ length: 60 }, (_, index) => `f${80 - index}`));

    const feed = flaggedColumn().querySelector('.feed') as HTMLElement;
    await user.hover(feed);
    fireEvent.wheel(feed, { deltaY: 100 });
    await waitFor(() => expect(flaggedIds()).toContain('f10'));
    expect(flaggedColumn().querySelector('.feed-tail')).toBeNull();
  });

  it('pauses while the pointer is over a room and counts what arrives; the button jumps back', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 2), seed(B, 'b', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    await findRow('b1', B);

    await user.hover(row('a2', column(A)));
    expect(column(A).querySelector('.feed')).toHaveAttribute('data-paused', 'true');
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, { id: 'a3' }),
          chatEvent(A, { id: 'a4' }),
          chatEvent(B, { id: 'b2' }),
        ]),
      ),
    );

    const jump = await within(column(A)).findByRole('button', { name: '2 new messages ↓' });
    expect(shownIds(A)).toEqual(['a1', 'a2']);
    // The other room is not paused.
    await findRow('b2', B);
    expect(
      within(column(B)).queryByRole('button', { name: /new message/ }),
    ).not.toBeInTheDocument();

    act(() => bridge.emit('feed.batch', batchOf([chatEvent(A, { id: 'a5' })])));
    expect(await within(column(A)).findByRole('button', { name: '3 new messages ↓' })).toBe(jump);

    await user.click(jump);
    await findRow('a5', A);
    expect(shownIds(A)).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(
      within(column(A)).queryByRole('button', { name: /new message/ }),
    ).not.toBeInTheDocument();
  });

  it('resumes when the pointer leaves', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);

    await user.hover(row('a1', column(A)));
    act(() => bridge.emit('feed.batch', batchOf([chatEvent(A, { id: 'a2' })])));
    await within(column(A)).findByRole('button', { name: '1 new message ↓' });
    await user.unhover(row('a1', column(A)));
    await findRow('a2', A);
    expect(
      within(column(A)).queryByRole('button', { name: /new message/ }),
    ).not.toBeInTheDocument();
  });

  it('pauses every room while the pause key is held', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await findRow('b1', B);

    await user.keyboard('{Control>}');
    act(() =>
      bridge.emit('feed.batch', batchOf([chatEvent(A, { id: 'a2' }), chatEvent(B, { id: 'b2' })])),
    );
    await within(column(A)).findByRole('button', { name: '1 new message ↓' });
    await within(column(B)).findByRole('button', { name: '1 new message ↓' });
    expect(shownIds(A)).toEqual(['a1']);

    await user.keyboard('{/Control}');
    await findRow('a2', A);
    await findRow('b2', B);
  });

  it('keeps the focused message where it is while new messages arrive', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 30)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a30', A);

    await user.keyboard('jkkk'); // a27
    const focusedRow = row('a27', column(A));
    expect(document.activeElement).toBe(focusedRow);
    const before = shownIds(A);

    act(() => bridge.emit('feed.batch', batchOf(seed(A, 'new', 50))));
    await within(column(A)).findByRole('button', { name: '50 new messages ↓' });
    act(() => bridge.emit('feed.batch', batchOf(seed(A, 'more', 5))));
    await within(column(A)).findByRole('button', { name: '55 new messages ↓' });

    // The same element, still focused, and the list around it unchanged.
    expect(row('a27', column(A))).toBe(focusedRow);
    expect(document.activeElement).toBe(focusedRow);
    expect(focusedRow).toHaveClass('row-focused');
    expect(shownIds(A)).toEqual(before);

    // The cursor keeps moving in the list as shown; past its newest row, the waiting rows come in.
    await user.keyboard('jjj');
    expect(document.activeElement).toBe(row('a30', column(A)));
    await user.keyboard('j');
    await waitFor(() => expect(document.activeElement).toBe(row('new1', column(A))));
    expect(
      within(column(A)).queryByRole('button', { name: /new message/ }),
    ).not.toBeInTheDocument();

    await user.keyboard('{Escape}');
    await findRow('more5', A);
  });

  it('shows a gap as a divider with the missing interval, once', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1)));
    renderDeck();
    await findRow('a1', A);

    const from = T0 + 10_000;
    const to = T0 + 25_000;
    act(() => bridge.emit('feed.gap', { roomKey: A, from, to }));
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, {
            id: 'gap-from-main',
            kind: 'gap',
            messageId: null,
            user: null,
            text: '',
            gap: { from, to },
          }),
          chatEvent(A, { id: 'a2' }),
        ]),
      ),
    );
    await findRow('a2', A);
    const dividers = column(A).querySelectorAll('article[data-kind="gap"]');
    expect(dividers).toHaveLength(1);
    expect(dividers[0]).toHaveTextContent(
      'Connection lost 12:00:10–12:00:25: messages may be missing',
    );
    expect(dividers[0]).toHaveAccessibleName(
      'Connection lost 12:00:10–12:00:25: messages may be missing',
    );
  });

  it('puts the stored history before the live rows when main has it, with how long ModDeck was closed', async () => {
    const deck = rooms(seed(A, 'a', 1));
    const { bridge } = fakeDeck(deck);
    renderDeck();
    await findRow('a1', A);

    const from = T0 - (3 * 60 + 12) * 60_000;
    const stored = [
      chatEvent(A, { id: 'old1', createdAt: from - 1000, receivedAt: from - 1000 }),
      chatEvent(A, { id: 'old2', createdAt: from, receivedAt: from }),
    ];
    const divider = chatEvent(A, {
      id: 'away',
      kind: 'gap',
      messageId: null,
      user: null,
      text: '',
      createdAt: T0,
      receivedAt: T0,
      gap: { from, to: T0, reason: 'appClosed' },
    });
    const alpha = deck[0];
    if (alpha === undefined) throw new Error('the deck has no room');
    alpha.events = [...stored, divider, ...alpha.events];
    act(() => bridge.emit('feed.history', { roomKey: A }));
    await findRow('old2', A);
    expect(shownIds(A)).toEqual(['old1', 'old2', 'away', 'a1']);
    const text = 'ModDeck was closed for 3 h 12 min (08:48:00–12:00:00): stored messages above';
    const shown = column(A).querySelector('article[data-kind="gap"]');
    expect(shown).toHaveTextContent(text);
    expect(shown).toHaveAccessibleName(text);
  });

  it('shows live, reconnecting with a countdown, and offline with the reason', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1)));
    renderDeck();
    await findRow('a1', A);
    const status = () => column(A).querySelector('[data-connection]');
    expect(status()).toHaveTextContent('Live');

    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    vi.setSystemTime(T0);
    act(() =>
      bridge.emit('feed.status', {
        statuses: [{ roomKey: A, state: 'reconnecting', retryAt: T0 + 5000 }],
      }),
    );
    expect(status()).toHaveTextContent('Reconnecting in 5 s');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(status()).toHaveTextContent('Reconnecting in 4 s');
    act(() => {
      vi.advanceTimersByTime(3000);
    });
    expect(status()).toHaveTextContent('Reconnecting in 1 s');
    act(() => {
      vi.advanceTimersByTime(1000);
    });
    expect(status()).toHaveTextContent('Reconnecting…');

    act(() =>
      bridge.emit('feed.status', {
        statuses: [
          {
            roomKey: A,
            state: 'offline',
            error: { code: 'AUTH', message: 'HTTP 401' },
          },
        ],
      }),
    );
    expect(status()).toHaveTextContent('Offline: The service rejected the account’s credentials');
    act(() =>
      bridge.emit('feed.status', {
        statuses: [
          {
            roomKey: A,
            state: 'offline',
            error: { code: 'BAD_CHAT_SERVER', message: 'not a full URL' },
            retryAt: T0 + 30_000,
          },
        ],
      }),
    );
    expect(status()).toHaveTextContent(
      'Offline: The service gave a chat server address ModDeck will not connect to',
    );
    act(() => bridge.emit('feed.status', { statuses: [{ roomKey: A, state: 'live' }] }));
    expect(status()).toHaveTextContent('Live');
  });

  it('says why a room is reconnecting, in the server’s own words when it refused the room', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    renderDeck();
    await findRow('a1', A);
    const status = (room: string) => column(room).querySelector('[data-connection]');
    const refused =
      'The chat server refused this room (“Access refused”); the other rooms are not affected';
    act(() =>
      bridge.emit('feed.status', {
        statuses: [
          {
            roomKey: A,
            state: 'reconnecting',
            retryAt: Date.now() + 30_000,
            error: { code: 'ROOM_REFUSED', message: 'Access refused' },
          },
          { roomKey: B, state: 'reconnecting', error: { code: 'NETWORK', message: 'ECONNRESET' } },
        ],
      }),
    );
    expect(status(A)).toHaveTextContent(/^Reconnecting in (30|29) s — /);
    expect(status(A)).toHaveTextContent(refused);
    // The header cuts a long reason short; the whole of it is the status's title.
    expect(status(A)).toHaveAttribute('title', refused);
    expect(status(B)).toHaveTextContent('Reconnecting… — The service could not be reached');
    act(() => bridge.emit('feed.status', { statuses: [{ roomKey: A, state: 'live' }] }));
    expect(status(A)).toHaveTextContent('Live');
    expect(status(A)).not.toHaveAttribute('title');
  });

  it('shows messages per second and participants from the batch stats, per locale', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    renderDeck();
    await findRow('a1', A);

    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], { stats: [{ roomKey: A, rate: 12.34, participants: 1234 }] }),
      ),
    );
    expect(await within(column(A)).findByText('12.3 msg/s')).toBeInTheDocument();
    expect(within(column(A)).getByText('1,234 participants')).toBeInTheDocument();
    expect(within(column(B)).queryByText(/msg\/s/)).not.toBeInTheDocument();
  });

  it('says how many of a room’s messages could not be read, and nothing while there are none', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    renderDeck();
    await findRow('a1', A);

    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], {
          stats: [
            { roomKey: A, rate: 1, unreadable: 1234 },
            { roomKey: B, rate: 1 },
          ],
        }),
      ),
    );
    const warning = await within(column(A)).findByText('1,234 unreadable');
    expect(warning).toHaveAttribute('title', expect.stringMatching(/could not read/));
    expect(within(column(B)).queryByText(/unreadable/)).not.toBeInTheDocument();
  });

  it('says how many of a room’s messages had their data trimmed, and nothing while there are none', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    renderDeck();
    await findRow('a1', A);

    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([], {
          stats: [
            { roomKey: A, rate: 1, unreadable: 2, trimmed: 1 },
            { roomKey: B, rate: 1 },
          ],
        }),
      ),
    );
    const warning = await within(column(A)).findByText('1 trimmed');
    expect(warning).toHaveAttribute(
      'title',
      expect.stringMatching(/too large or too deeply nested/),
    );
    expect(within(column(A)).getByText('2 unreadable')).toBeInTheDocument();
    expect(within(column(B)).queryByText(/trimmed/)).not.toBeInTheDocument();
  });

  it('reorders, resizes and closes columns and saves the layout each time', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await findRow('b1', B);

    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    await user.click(screen.getByRole('menuitem', { name: 'Move right' }));
    expect(
      [...document.querySelectorAll('section[data-room-key]')].map((section) =>
        section.getAttribute('data-room-key'),
      ),
    ).toEqual([B, A]);

    const handle = within(column(A)).getByRole('separator', { name: 'Column width' });
    handle.focus();
    await user.keyboard('{ArrowRight}{ArrowRight}');
    expect(column(A)).toHaveStyle({ width: '400px' });
    expect(document.querySelector('article.row-focused')).toBeNull(); // the arrows resized only

    fireEvent.pointerDown(handle, { clientX: 500, pointerId: 1 });
    fireEvent.pointerMove(handle, { clientX: 400, pointerId: 1 });
    expect(column(A)).toHaveStyle({ width: '300px' });
    fireEvent.pointerUp(handle, { clientX: 400, pointerId: 1 });

    await user.click(within(column(B)).getByRole('button', { name: 'Close Beta' }));
    expect(document.querySelector(`section[data-room-key="${B}"]`)).toBeNull();

    await waitFor(() =>
      expect(layoutSaves(bridge)).toEqual([
        [
          { accountId: 'acc', roomId: 'beta' },
          { accountId: 'acc', roomId: 'alpha' },
        ],
        [
          { accountId: 'acc', roomId: 'beta' },
          { accountId: 'acc', roomId: 'alpha', width: 380 },
        ],
        [
          { accountId: 'acc', roomId: 'beta' },
          { accountId: 'acc', roomId: 'alpha', width: 400 },
        ],
        [
          { accountId: 'acc', roomId: 'beta' },
          { accountId: 'acc', roomId: 'alpha', width: 300 },
        ],
        [{ accountId: 'acc', roomId: 'alpha', width: 300 }],
      ]),
    );
    expect(
      bridge.calls.filter((call) => call.channel === 'rooms.close').map((call) => call.input),
    ).toEqual([{ roomKey: B }]);
  });

  it('moves a column by dragging its header onto another column', async () => {
    const { bridge } = fakeDeck([
      ...rooms(seed(A, 'a', 1), seed(B, 'b', 1)),
      { accountId: 'acc', roomId: 'gamma', name: 'Gamma', events: [] },
    ]);
    renderDeck();
    await findRow('a1', A);
    await findRow('b1', B);
    const order = () =>
      [...document.querySelectorAll('section[data-room-key]')].map((section) =>
        section.getAttribute('data-room-key'),
      );
    const data = new Map<string, string>();
    const dataTransfer = {
      get types() {
        return [...data.keys()];
      },
      setData: (type: string, value: string) => data.set(type, value),
      getData: (type: string) => data.get(type) ?? '',
      effectAllowed: 'none',
      dropEffect: 'none',
    };

    const header = column('acc/gamma').querySelector('.column-header');
    if (!header) throw new Error('no header');
    fireEvent.dragStart(header, { dataTransfer });
    fireEvent.dragOver(column(A), { dataTransfer });
    fireEvent.drop(column(A), { dataTransfer });

    expect(order()).toEqual(['acc/gamma', A, B]);
    await waitFor(() =>
      expect(layoutSaves(bridge)).toEqual([
        [
          { accountId: 'acc', roomId: 'gamma' },
          { accountId: 'acc', roomId: 'alpha' },
          { accountId: 'acc', roomId: 'beta' },
        ],
      ]),
    );
  });

  it('opens the rooms main adds to the layout later, as on a first start', async () => {
    const { bridge, settings } = fakeDeck(rooms(seed(A, 'a', 1), seed(B, 'b', 1)));
    const layout = settings.layout;
    settings.layout = { columns: [] };
    renderDeck();
    await screen.findByText('No rooms are open. Open a room to start watching its chat.');

    act(() => bridge.emit('settings.changed', { ...settings, layout }));
    expect(await findRow('a1', A)).toBeInTheDocument();
    expect(await findRow('b1', B)).toBeInTheDocument();
    expect(layoutSaves(bridge)).toEqual([]);
  });

  it('shows the message a notification was clicked for', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 5), seed(B, 'b', 5)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('b5', B);
    await user.click(screen.getByRole('button', { name: 'Accounts' }));

    act(() => bridge.emit('notification.open', { roomKey: B, id: 'b3' }));
    const target = await findRow('b3', B);
    expect(target).toHaveClass('row-focused');
    await waitFor(() => expect(document.activeElement).toBe(row('b3', column(B))));
  });

  it('says so when the saved layout cannot be read', async () => {
    fakeDeck([], {
      'settings.get': () => ({ ok: false, error: { code: 'STORAGE', message: 'EACCES' } }),
    });
    renderDeck();
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The saved layout could not be read: ModDeck could not write to its data folder',
    );
  });

  it('keeps deck keys out of an open column menu', async () => {
    const { bridge } = fakeDeck(rooms(seed(A, 'a', 2)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);

    await user.keyboard('j');
    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    expect(document.activeElement).toHaveAttribute('role', 'menuitem');
    await user.keyboard('x');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    expect(bridge.calls.some((call) => call.channel === 'messages.hide')).toBe(false);
  });

  it('gives the focus back to the deck after an action of a column’s menu', async () => {
    fakeDeck(rooms(seed(A, 'a', 2), seed(B, 'b', 2)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a2', A);
    await findRow('b2', B);

    // No cursor: the column whose menu it was.
    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    await user.click(screen.getByRole('menuitem', { name: 'Move right' }));
    expect(column(A)).toHaveFocus();
    // With a cursor: its row, and Enter does not open the menu again.
    await user.keyboard('j');
    const focusedRow = document.activeElement;
    expect(focusedRow).toHaveClass('row-focused');
    await user.click(within(column(B)).getByRole('button', { name: 'Menu for Beta' }));
    await user.click(screen.getByRole('menuitem', { name: 'Move right' }));
    expect(document.activeElement).toBe(focusedRow);
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
  });

  it('says in the top bar when every feed is paused by the held key, and when notifications are off', async () => {
    fakeDeck(
      rooms(seed(A, 'a', 1)),
      {},
      {
        notifications: {
          doNotDisturb: true,
          sound: true,
          flagSound: false,
          flagsWhileFocused: false,
          mutedRooms: [],
        },
      },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    const bar = screen.getByRole('banner');

    expect(within(bar).queryByText(/Every feed paused/)).not.toBeInTheDocument();
    await user.keyboard('{Control>}');
    expect(within(bar).getByText('Every feed paused while Ctrl is held')).toBeInTheDocument();
    await user.keyboard('{/Control}');
    expect(within(bar).queryByText(/Every feed paused/)).not.toBeInTheDocument();

    await user.click(within(bar).getByRole('button', { name: 'Do not disturb' }));
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeInTheDocument();
  });

  it('shows the deck first, and the accounts from the top bar', async () => {
    fakeDeck(rooms(seed(A, 'a', 1)));
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    expect(screen.getByRole('button', { name: 'Deck' })).toHaveAttribute('aria-current', 'page');

    await user.click(screen.getByRole('button', { name: 'Accounts' }));
    expect(await screen.findByRole('heading', { name: 'Accounts' })).toBeInTheDocument();
    expect(document.querySelector('section[data-room-key]')).toBeNull();
    // Keys do nothing outside the deck.
    await user.keyboard('?');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Deck' }));
    expect(await findRow('a1', A)).toBeInTheDocument();
  });
});
