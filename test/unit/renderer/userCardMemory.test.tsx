import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { RequestOutput, Result } from '../../../src/shared/contract';
import type { FakeHandlers } from './fakeBridge';
import { T0, chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';
const B = 'acc/beta';
const eve = { id: 'u-eve', name: 'eve' };

type Summary = RequestOutput<'history.user'>;
type Stored = RequestOutput<'history.userMessages'>['results'][number];
type Note = Summary['notes'][number];

function at(seconds: number): Pick<ChatEvent, 'createdAt' | 'receivedAt'> {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

/** Eve's messages the deck holds: two in Alpha, one (flagged) in Beta. */
const ROOMS = [
  {
    accountId: 'acc',
    roomId: 'alpha',
    name: 'Alpha',
    events: [
      chatEvent(A, { id: 'a1', user: eve, text: 'first from eve', ...at(10) }),
      chatEvent(A, { id: 'a3', user: eve, text: 'third from eve', ...at(30) }),
    ],
  },
  {
    accountId: 'acc',
    roomId: 'beta',
    name: 'Beta',
    events: [chatEvent(B, { id: 'b1', user: eve, text: 'you are bad', ...at(20) })],
  },
];

function stored(roomKey: string, fields: Partial<ChatEvent> & { id: string }, seq: number) {
  return {
    ...chatEvent(roomKey, { user: eve, ...fields }),
    state: fields.state ?? 'visible',
    seq,
    stateChanges: [],
    roomName: roomKey === A ? 'Alpha' : roomKey === B ? 'Beta' : 'Delta',
  } satisfies Stored;
}

function summaryOf(fields: Partial<Summary> = {}): Summary {
  return {
    firstSeen: T0 - 86_400_000,
    lastSeen: T0 + 30_000,
    name: 'eve',
    messages: 1234,
    flagged: 1,
    hidden: 2,
    deleted: 0,
    rooms: [
      { roomKey: A, name: 'Alpha', messages: 1200, lastSeen: T0 + 30_000 },
      { roomKey: 'acc/delta', name: 'Delta', messages: 1, lastSeen: T0 - 3_600_000 },
    ],
    mutes: 1,
    exiles: 2,
    actions: [],
    notes: [],
    ...fields,
  };
}

/**
 * The history main would answer with: `pages` of stored messages, each page's cursor the `seq` of
 * the last message of the one before; notes kept as main keeps them.
 */
function fakeMemory(pages: Stored[][] = [[]]) {
  const state = { summary: summaryOf(), notes: [] as Note[], nextId: 1 };
  const ok = <T,>(value: T): Result<T> => ({ ok: true, value });
  const cursorAfter = (page: Stored[] | undefined) => String(page?.at(-1)?.seq);
  const handlers: FakeHandlers = {
    'history.user': () => ok({ ...state.summary, notes: [...state.notes] }),
    'history.userMessages': ({ cursor }) => {
      const index =
        cursor === undefined
          ? 0
          : pages.findIndex((_, at) => cursorAfter(pages[at - 1]) === cursor);
      const page = pages[index] ?? [];
      return ok({ results: page, nextCursor: index + 1 < pages.length ? cursorAfter(page) : null });
    },
    'notes.add': ({ accountId, userId, text }) => {
      const note = { id: state.nextId++, accountId, userId, text, createdAt: T0, editedAt: null };
      state.notes.push(note);
      return ok(note);
    },
    'notes.edit': ({ id, text }) => {
      const note = state.notes.find((candidate) => candidate.id === id);
      if (!note) return { ok: false, error: { code: 'NOT_FOUND', message: 'no such note' } };
      Object.assign(note, { text, editedAt: T0 + 60_000 });
      return ok({ id });
    },
    'notes.delete': ({ id }) => {
      state.notes = state.notes.filter((note) => note.id !== id);
      return ok({ id });
    },
  };
  return { state, handlers };
}

async function openEve(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  const row = await findRow('a1', A);
  await user.click(within(row).getByRole('button', { name: 'eve' }));
  return screen.findByRole('dialog', { name: 'eve' });
}

function listed(card: HTMLElement): string[] {
  const list = within(card).getByRole('list', { name: 'Recent messages' });
  return within(list)
    .getAllByRole('listitem')
    .map((item) => (item.querySelector('.message-text')?.textContent ?? '').replace('⚑', ''));
}

/** What the card's history facts say beside `name`. */
function term(card: HTMLElement, name: string): string {
  const found = within(card).getByText(name, { selector: 'dt' });
  return found.nextElementSibling?.textContent ?? '';
}

describe('the user card’s memory', () => {
  beforeEach(resetStores);

  it('says it is reading, then shows the history’s counts, rooms, actions and notes', async () => {
    const memory = fakeMemory();
    memory.state.summary = summaryOf({
      actions: [
        { at: T0 + 40_000, action: 'users.mute', roomKey: A, result: 'ok', reason: 'spam links' },
        { at: T0 + 35_000, action: 'hide', roomKey: A, result: 'AUTH' },
      ],
    });
    memory.state.notes.push({
      id: 9,
      accountId: 'acc',
      userId: 'u-eve',
      text: '<b>warned</b> about links',
      createdAt: T0,
      editedAt: null,
    });
    let answer: (result: Result<Summary>) => void = () => undefined;
    fakeDeck(ROOMS, {
      ...memory.handlers,
      'history.user': () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    expect(within(card).getByText('Reading the message history…')).toBeVisible();

    act(() =>
      answer({ ok: true, value: { ...memory.state.summary, notes: [...memory.state.notes] } }),
    );
    await within(card).findByText('Messages', { selector: 'dt' });
    expect(term(card, 'Messages')).toBe('1,234 messages: 1 flagged, 2 hidden, 0 deleted');
    expect(term(card, 'Your actions')).toBe('muted 1 time, exiled 2 times');
    expect(term(card, 'First seen')).toMatch(/1\/14\/26/);
    const actions = within(card).getByText('Latest actions', { selector: 'dt' })
      .nextElementSibling as HTMLElement;
    expect(
      within(actions)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringMatching(/ Muted · Alpha · reason: spam links$/),
      expect.stringMatching(/ Hidden · Alpha · failed: .+/),
    ]);
    expect(term(card, 'Rooms')).toMatch(/^Alpha 1,200 messages, last seen .*Delta 1 message, last/);
    // The live part stays as it was.
    expect(within(card).getByText('3 messages in 2 open rooms.')).toBeInTheDocument();
    expect(within(card).queryByText('Reading the message history…')).toBeNull();

    const notes = within(card).getByRole('list', { name: 'Notes' });
    // A note is text: markup in it is shown, not drawn.
    expect(within(notes).getByText('<b>warned</b> about links')).toBeVisible();
    expect(notes.querySelector('b')).toBeNull();
    expect(within(card).getByText(/Notes stay on this computer/)).toBeVisible();
  });

  it('says an automatic action’s reason in the window’s language, and a moderator’s as given', async () => {
    const memory = fakeMemory();
    memory.state.summary = summaryOf({
      actions: [
        {
          at: T0 + 50_000,
          action: 'hide',
          roomKey: A,
          result: 'ok',
          reason: 'same message 4 times in 20 s',
          why: { kind: 'repeats', exact: true, times: 4, spanMs: 20_000 },
        },
        { at: T0 + 40_000, action: 'users.mute', roomKey: A, result: 'ok', reason: 'spam links' },
      ],
    });
    fakeDeck(ROOMS, memory.handlers, { language: 'ko' });
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    const heading = await within(card).findByText('최근 조치', { selector: 'dt' });
    expect(
      within(heading.nextElementSibling as HTMLElement)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual([
      expect.stringMatching(/ 숨김 · Alpha · 사유: 20초 동안 같은 메시지 4번$/),
      expect.stringMatching(/ 사유: spam links$/),
    ]);
  });

  it('adds, edits and deletes a note through the bridge, deleting only once asked', async () => {
    const memory = fakeMemory();
    const { bridge } = fakeDeck(ROOMS, memory.handlers);
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    await within(card).findByText('No notes on this user yet.');
    const add = within(card).getByRole('button', { name: 'Add note' });
    expect(add).toBeDisabled();

    await user.type(within(card).getByLabelText('New note'), '  keeps posting links  ');
    await user.click(add);
    const notes = await within(card).findByRole('list', { name: 'Notes' });
    expect(within(notes).getByRole('listitem')).toHaveTextContent('keeps posting links');
    expect(bridge.calls.filter((c) => c.channel === 'notes.add').map((c) => c.input)).toEqual([
      { accountId: 'acc', userId: 'u-eve', text: '  keeps posting links  ' },
    ]);
    expect(within(card).getByLabelText('New note')).toHaveValue('');

    await user.click(within(notes).getByRole('button', { name: 'Edit' }));
    const editor = within(notes).getByLabelText('Edit the note');
    await user.clear(editor);
    await user.type(editor, 'warned twice');
    await user.click(within(notes).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(within(notes).getByRole('listitem')).toHaveTextContent(/^warned twice.*edited/),
    );
    expect(bridge.calls.filter((c) => c.channel === 'notes.edit').map((c) => c.input)).toEqual([
      { id: 1, text: 'warned twice' },
    ]);

    await user.click(within(notes).getByRole('button', { name: 'Delete…' }));
    const question = within(notes).getByRole('group', {
      name: 'Delete this note? It cannot be brought back.',
    });
    await user.click(within(question).getByRole('button', { name: 'Cancel' }));
    expect(bridge.calls.some((c) => c.channel === 'notes.delete')).toBe(false);
    expect(within(notes).getByText('warned twice')).toBeVisible();

    await user.click(within(notes).getByRole('button', { name: 'Delete…' }));
    await user.click(within(notes).getByRole('button', { name: 'Delete note' }));
    expect(await within(card).findByText('No notes on this user yet.')).toBeVisible();
    expect(bridge.calls.filter((c) => c.channel === 'notes.delete').map((c) => c.input)).toEqual([
      { id: 1 },
    ]);
  });

  it('says in words why a note was not saved, and keeps what was typed', async () => {
    const memory = fakeMemory();
    fakeDeck(ROOMS, {
      ...memory.handlers,
      'notes.add': () => ({ ok: false, error: { code: 'STORAGE', message: 'disk full' } }),
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    await user.type(await within(card).findByLabelText('New note'), 'spams');
    await user.click(within(card).getByRole('button', { name: 'Add note' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      /^Could not change the notes: /,
    );
    expect(within(card).getByLabelText('New note')).toHaveValue('spams');
  });

  it('asks before Esc drops a note being written or edited, and keeps it when the card gives way', async () => {
    const memory = fakeMemory();
    memory.state.notes.push({
      id: 7,
      accountId: 'acc',
      userId: 'u-eve',
      text: 'warned once',
      createdAt: T0,
      editedAt: null,
    });
    fakeDeck(ROOMS, memory.handlers);
    const user = userEvent.setup();
    renderDeck();
    let card = await openEve(user);
    await user.type(await within(card).findByLabelText('New note'), 'posts links{Escape}');
    const question = within(card).getByRole('group', {
      name: 'Discard the note you are writing?',
    });
    expect(within(question).getByRole('button', { name: 'Keep writing' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(within(card).getByLabelText('New note')).toHaveValue('posts links');

    // An edit counts too, once it changes the note.
    const notes = within(card).getByRole('list', { name: 'Notes' });
    await user.click(within(notes).getByRole('button', { name: 'Edit' }));
    await user.type(within(notes).getByLabelText('Edit the note'), ' and twice');
    await user.click(within(card).getByRole('button', { name: 'Close the panel' }));
    await user.click(within(card).getByRole('button', { name: 'Keep writing' }));
    expect(screen.getByRole('dialog', { name: 'eve' })).toBe(card);

    // A card opened from the deck takes its place without a question, and goes on with both.
    const other = await findRow('b1', B);
    await user.click(within(other).getByRole('button', { name: 'eve' }));
    card = await screen.findByRole('dialog', { name: 'eve' });
    expect(await within(card).findByLabelText('New note')).toHaveValue('posts links');
    expect(within(card).getByLabelText('Edit the note')).toHaveValue('warned once and twice');

    await user.click(within(card).getByRole('button', { name: 'Close the panel' }));
    await user.click(within(card).getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('dialog', { name: 'eve' })).not.toBeInTheDocument();
    await openEve(user);
    card = await screen.findByRole('dialog', { name: 'eve' });
    expect(await within(card).findByLabelText('New note')).toHaveValue('');
    expect(within(card).queryByLabelText('Edit the note')).not.toBeInTheDocument();
  });

  it('merges the live and stored messages once each, newest first, and pages with More', async () => {
    const memory = fakeMemory([
      [
        // Also in the deck: listed once.
        stored(A, { id: 'a3', text: 'third from eve', ...at(30) }, 40),
        stored('acc/delta', { id: 'd1', text: 'from a closed room', ...at(25) }, 39),
      ],
      [
        stored(B, { id: 'b1', text: 'you are bad', ...at(20) }, 30),
        stored(A, { id: 'a0', text: 'before the restart', state: 'hidden', ...at(5) }, 2),
      ],
    ]);
    const { bridge } = fakeDeck(ROOMS, memory.handlers);
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);

    // Until the next page comes, the deck's older messages wait for it.
    await waitFor(() => expect(listed(card)).toEqual(['third from eve', 'from a closed room']));
    const closed = within(card).getByText('from a closed room').closest('li') as HTMLElement;
    expect(closed).toHaveTextContent('Delta');
    expect(closed).toHaveTextContent('from the history');

    await user.click(within(card).getByRole('button', { name: 'More' }));
    await waitFor(() =>
      expect(listed(card)).toEqual([
        'third from eve',
        'from a closed room',
        'you are bad',
        'first from eve',
        'before the restart',
      ]),
    );
    const hidden = within(card).getByText('before the restart').closest('li') as HTMLElement;
    expect(within(hidden).getByText('Hidden')).toBeVisible();
    expect(within(card).queryByRole('button', { name: 'More' })).toBeNull();
    expect(
      bridge.calls.filter((c) => c.channel === 'history.userMessages').map((c) => c.input),
    ).toEqual([
      { accountId: 'acc', userId: 'u-eve', limit: 50 },
      { accountId: 'acc', userId: 'u-eve', limit: 50, cursor: '39' },
    ]);
  });

  it('says when the history is off, and still shows what the deck has', async () => {
    const off = { ok: false as const, error: { code: 'UNSUPPORTED', message: 'no history' } };
    fakeDeck(ROOMS, { 'history.user': () => off, 'history.userMessages': () => off });
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    expect(
      await within(card).findByText(
        'The message history is off in this ModDeck: the card shows only what the open rooms hold now.',
      ),
    ).toBeVisible();
    await waitFor(() =>
      expect(listed(card)).toEqual(['third from eve', 'you are bad', 'first from eve']),
    );
    expect(within(card).queryByRole('heading', { name: 'Notes' })).toBeNull();
    expect(within(card).queryByRole('button', { name: 'More' })).toBeNull();
    expect(within(card).queryByRole('alert')).toBeNull();
  });

  it('says in words when the history cannot be read, and keeps the live messages', async () => {
    const memory = fakeMemory();
    fakeDeck(ROOMS, {
      ...memory.handlers,
      'history.userMessages': () => ({
        ok: false,
        error: { code: 'STORAGE', message: 'disk I/O error' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const card = await openEve(user);
    expect(await within(card).findByRole('alert')).toHaveTextContent(
      /^Could not read their messages from the history: /,
    );
    expect(within(card).getByRole('alert')).not.toHaveTextContent('STORAGE');
    expect(listed(card)).toEqual(['third from eve', 'you are bad', 'first from eve']);
  });

  it('reads the counts again when the card is opened again', async () => {
    const memory = fakeMemory();
    memory.state.summary = summaryOf({ messages: 3 });
    fakeDeck(ROOMS, memory.handlers);
    const user = userEvent.setup();
    renderDeck();
    let card = await openEve(user);
    await within(card).findByText('3 messages: 1 flagged, 2 hidden, 0 deleted');
    await user.click(within(card).getByRole('button', { name: 'Close the panel' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'eve' })).toBeNull());

    memory.state.summary = summaryOf({ messages: 4, hidden: 3 });
    card = await openEve(user);
    expect(
      await within(card).findByText('4 messages: 1 flagged, 3 hidden, 0 deleted'),
    ).toBeVisible();
  });
});
