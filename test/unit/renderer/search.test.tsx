import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type {
  FoundMessage,
  RequestInput,
  RequestOutput,
  Result,
} from '../../../src/shared/contract';
import { parseQuery } from '../../../src/shared/search';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { useSearch } from '../../../src/renderer/src/stores/search';
import { T0, chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';
import type { FakeHandlers } from './fakeBridge';

const A = 'acc/alpha';
const B = 'acc/beta';

function at(seconds: number): Pick<ChatEvent, 'createdAt' | 'receivedAt'> {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

/** A stored message as `history.search` answers it. */
function stored(event: ChatEvent, seq: number, extra: Partial<FoundMessage> = {}): FoundMessage {
  return { ...event, seq, stateChanges: [], roomName: 'Alpha (stored)', ...extra };
}

type SearchAnswer = Result<RequestOutput<'history.search'>>;

function page(results: FoundMessage[], nextCursor: string | null = null): SearchAnswer {
  return { ok: true, value: { results, nextCursor, stoppedEarly: false } };
}

const ALPHA = [
  chatEvent(A, { id: 'a1', user: { id: 'u-eve', name: 'eve' }, text: 'hello one', ...at(10) }),
  chatEvent(A, { id: 'a2', user: { id: 'u-bob', name: 'bob' }, text: 'hello three', ...at(30) }),
  chatEvent(A, { id: 'a3', user: { id: 'u-bob', name: 'bob' }, text: 'nothing here', ...at(31) }),
];
const BETA = [
  chatEvent(B, { id: 'b1', user: { id: 'u-eve', name: 'eve' }, text: 'hello beta', ...at(20) }),
];

function deck(handlers: FakeHandlers = {}, settings: Parameters<typeof fakeDeck>[2] = {}) {
  return fakeDeck(
    [
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: ALPHA },
      { accountId: 'acc', roomId: 'beta', name: 'Beta', events: BETA },
    ],
    { 'history.search': () => page([]), ...handlers },
    settings,
  );
}

async function ready() {
  const user = userEvent.setup();
  renderDeck();
  await findRow('a1', A);
  await findRow('b1', B);
  return user;
}

function searchPanel(): HTMLElement {
  return screen.getByRole('dialog', { name: 'Search' });
}

/** The results listed, by event id, top to bottom. */
function resultIds(): string[] {
  const list = within(searchPanel()).queryByRole('listbox', { name: 'Results' });
  if (!list) return [];
  return within(list)
    .getAllByRole('option')
    .map((option) => option.dataset.resultKey?.split('#')[1] ?? '');
}

function searchCalls(bridge: ReturnType<typeof deck>['bridge']) {
  return bridge.calls
    .filter((call) => call.channel === 'history.search')
    .map((call) => call.input as RequestInput<'history.search'>);
}

async function searchFor(user: ReturnType<typeof userEvent.setup>, text: string): Promise<void> {
  const field = within(searchPanel()).getByRole('searchbox', { name: 'Search messages' });
  await user.clear(field);
  await user.type(field, `${text}{Enter}`);
}

describe('search', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('searches the focused column’s room with Ctrl+F, and every room with Ctrl+Shift+F', async () => {
    const { bridge } = deck();
    const user = await ready();
    act(() => useDeck.getState().setFocus({ column: B, key: `${B}#b1` }));

    await user.keyboard('{Control>}f{/Control}');
    const panel = await screen.findByRole('dialog', { name: 'Search' });
    expect(panel).toHaveTextContent('In Beta');
    expect(within(panel).getByRole('searchbox', { name: 'Search messages' })).toHaveFocus();
    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['b1']));
    expect(searchCalls(bridge)).toEqual([{ query: 'hello', roomKeys: [B], limit: 50 }]);

    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog', { name: 'Search' })).toBeNull();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    expect(await screen.findByRole('dialog', { name: 'Search' })).toHaveTextContent(
      'In every room',
    );
    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'b1', 'a1']));
    expect(searchCalls(bridge)[1]).toEqual({ query: 'hello', limit: 50 });
  });

  it('opens search with the keys the moderator bound instead', async () => {
    deck({}, { keymap: { searchAll: 'Shift+s', searchRoom: 'Ctrl+e' } });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    expect(screen.queryByRole('dialog', { name: 'Search' })).toBeNull();
    await user.keyboard('{Shift>}S{/Shift}');
    expect(await screen.findByRole('dialog', { name: 'Search' })).toHaveTextContent(
      'In every room',
    );
    await user.keyboard('{Escape}');
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#a2` }));
    await user.keyboard('{Control>}e{/Control}');
    expect(await screen.findByRole('dialog', { name: 'Search' })).toHaveTextContent('In Alpha');
  });

  it('says the parser’s sentence under a malformed query and sends nothing', async () => {
    const { bridge } = deck();
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });

    await searchFor(user, 'hello is:nope');
    const parsed = parseQuery('hello is:nope');
    expect(parsed.ok).toBe(false);
    const alert = within(searchPanel()).getByRole('alert');
    expect(alert).toHaveTextContent(parsed.ok ? '' : parsed.error);
    expect(within(searchPanel()).getByRole('searchbox')).toHaveAttribute('aria-invalid', 'true');
    expect(searchCalls(bridge)).toEqual([]);
    expect(resultIds()).toEqual([]);
  });

  it('says a query is too long to search, rather than failing the stored search', async () => {
    const { bridge } = deck();
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });

    // A long spam message pasted whole, to find who else sent it.
    const spam = `"${'free coins at spam.example, type !claim now '.repeat(25).trim()}"`;
    const field = within(searchPanel()).getByRole('searchbox', { name: 'Search messages' });
    await user.click(field);
    await user.paste(spam);
    await user.keyboard('{Enter}');
    expect(within(searchPanel()).getByRole('alert')).toHaveTextContent(
      `The query is ${spam.length} characters long; a search takes at most 1000, so search for a part of it.`,
    );
    expect(searchCalls(bridge)).toEqual([]);
  });

  it('merges live and stored results newest first, each message once', async () => {
    const older = chatEvent(A, { id: 's0', text: 'hello zero', ...at(5) });
    const between = chatEvent(A, { id: 's1', text: 'hello two', ...at(20) });
    deck({
      'history.search': () =>
        page([stored(ALPHA[1]!, 9, { state: 'hidden' }), stored(between, 7), stored(older, 2)]),
    });
    const user = await ready();
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#a1` }));
    await user.keyboard('{Control>}f{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });

    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['a2', 's1', 'a1', 's0']));
    // The live copy (visible now) is the one listed, and it keeps its place in the store.
    const top = useSearch.getState();
    expect(top.stored.map((result) => result.key)).toContain(`${A}#a2`);
    const options = within(searchPanel()).getAllByRole('option');
    expect(options[0]).toHaveAccessibleName(/^bob in Alpha, .*, Visible: hello three$/);
    expect(options[1]).toHaveAccessibleName(/^user\d+ in Alpha, .*, Visible: hello two$/);
    expect(within(searchPanel()).getByRole('status')).toHaveTextContent('4 messages shown');
  });

  it('loads older pages with More, and goes on where a search stopped early', async () => {
    const newer = chatEvent(A, { id: 'x2', text: 'hello stored new', ...at(25) });
    const old = chatEvent(A, { id: 'x1', text: 'hello stored old', ...at(15) });
    const oldest = chatEvent(A, { id: 'x0', text: 'hello stored oldest', ...at(1) });
    const { bridge } = deck({
      'history.search': ({ cursor }) => {
        if (cursor === undefined) return page([stored(newer, 20)], '20');
        if (cursor === '20')
          return {
            ok: true,
            value: { results: [stored(old, 12)], nextCursor: '11', stoppedEarly: true },
          };
        return page([stored(oldest, 3)]);
      },
    });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });

    await searchFor(user, 'hello');
    // Live results older than the oldest stored one wait for the pages that reach them.
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'x2']));
    await user.click(within(searchPanel()).getByRole('button', { name: 'More' }));
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'x2', 'b1', 'x1']));
    expect(searchPanel()).toHaveTextContent('The search stopped early');
    expect(within(searchPanel()).queryByRole('button', { name: 'More' })).toBeNull();

    await user.click(within(searchPanel()).getByRole('button', { name: 'Go on' }));
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'x2', 'b1', 'x1', 'a1', 'x0']));
    expect(searchCalls(bridge).map((call) => call.cursor)).toEqual([undefined, '20', '11']);
    expect(searchPanel()).toHaveTextContent('No more messages match.');
    expect(searchPanel()).not.toHaveTextContent('The search stopped early');
  });

  it('loads the next page of the query searched, not of the text typed since', async () => {
    const newer = chatEvent(A, { id: 'x2', text: 'hello stored new', ...at(25) });
    const old = chatEvent(A, { id: 'x1', text: 'hello stored old', ...at(15) });
    const { bridge } = deck({
      'history.search': ({ cursor }) =>
        cursor === undefined ? page([stored(newer, 20)], '20') : page([stored(old, 12)]),
    });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });
    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'x2']));

    // The moderator starts on another query, then asks for more of the results listed.
    const field = within(searchPanel()).getByRole('searchbox', { name: 'Search messages' });
    await user.type(field, ' is:nope');
    await user.click(within(searchPanel()).getByRole('button', { name: 'More' }));
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'x2', 'b1', 'x1', 'a1']));
    expect(searchCalls(bridge).map(({ query, cursor }) => [query, cursor])).toEqual([
      ['hello', undefined],
      ['hello', '20'],
    ]);
    expect(within(searchPanel()).queryByRole('alert')).toBeNull();
  });

  it('searches the open columns alone when ModDeck keeps no history, and says so', async () => {
    deck({
      'history.search': () => ({
        ok: false,
        error: { code: 'UNSUPPORTED', message: 'This ModDeck keeps no message history.' },
      }),
    });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });
    await searchFor(user, 'from:eve');
    await waitFor(() => expect(resultIds()).toEqual(['b1', 'a1']));
    expect(searchPanel()).toHaveTextContent('Older messages are not kept.');
  });

  it('moves the deck cursor to a result still in its column, and opens the history view for one that is not', async () => {
    const gone = chatEvent(A, { id: 'g1', text: 'hello from before', ...at(2) });
    const before = chatEvent(A, { id: 'g0', text: 'said before it', ...at(1) });
    const after = chatEvent(A, {
      id: 'g2',
      text: 'said after it',
      state: 'deleted',
      ...at(3),
    });
    const { bridge } = deck({
      'history.search': () => page([stored(gone, 4)]),
      'history.around': () => ({
        ok: true,
        value: {
          roomName: 'Alpha',
          events: [stored(before, 3), stored(gone, 4), stored(after, 5, { state: 'deleted' })],
        },
      }),
    });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });
    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['a2', 'b1', 'a1', 'g1']));

    // ↓ from the field to the first result, ↓ to the second, Enter opens it in its column.
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(within(searchPanel()).getAllByRole('option')[1]).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(useDeck.getState().focus).toEqual({ column: B, key: `${B}#b1` });
    await waitFor(() => expect(column(B).querySelector('.row-focused')).not.toBeNull());
    expect(column(B).querySelector('.row-focused')?.getAttribute('data-message-id')).toBe('b1');

    // The row takes the keyboard focus, so the deck's keys act on it at once.
    expect(document.activeElement).toBe(column(B).querySelector('.row-focused'));

    await user.click(within(searchPanel()).getByRole('searchbox'));
    await user.keyboard('{ArrowDown}{End}{Enter}');
    const view = await screen.findByRole('dialog', { name: 'History of Alpha' });
    const list = await within(view).findByRole('list', { name: 'Messages around the one found' });
    const items = within(list).getAllByRole('listitem');
    expect(items.map((item) => item.dataset.resultKey)).toEqual([`${A}#g0`, `${A}#g1`, `${A}#g2`]);
    expect(items[1]).toHaveAttribute('aria-current', 'true');
    await waitFor(() => expect(items[1]).toHaveFocus());
    expect(items[1]).toHaveTextContent('Found');
    expect(items[2]).toHaveTextContent('Deleted');
    expect(
      bridge.calls.filter((call) => call.channel === 'history.around').map((call) => call.input),
    ).toEqual([{ roomKey: A, seq: 4, before: 50, after: 50 }]);

    expect(await violationsIn(view)).toEqual([]);

    // Back returns to the results, as they were.
    await user.keyboard('{Escape}');
    await screen.findByRole('dialog', { name: 'Search' });
    expect(resultIds()).toEqual(['a2', 'b1', 'a1', 'g1']);
    expect(await violationsIn(searchPanel())).toEqual([]);
  });

  it('exports the results shown as CSV and as JSON Lines', async () => {
    const tricky = chatEvent(A, {
      id: 's9',
      user: { id: 'u-x', name: '=cmd' },
      text: 'hello, "quoted"\nnext line',
      flags: [{ ruleId: 'r-1', start: 0, end: 5 }],
      ...at(40),
    });
    deck({ 'history.search': () => page([stored(tricky, 30, { state: 'hidden' })]) });
    const downloads = captureDownloads();
    const user = await ready();
    act(() => useDeck.getState().setFocus({ column: A, key: `${A}#a1` }));
    await user.keyboard('{Control>}f{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });
    await searchFor(user, 'hello');
    await waitFor(() => expect(resultIds()).toEqual(['s9', 'a2', 'a1']));

    const exports = within(searchPanel()).getByRole('group', { name: 'Export the results shown' });
    await user.click(within(exports).getByRole('button', { name: 'Export CSV' }));
    await user.click(within(exports).getByRole('button', { name: 'Export JSON Lines' }));
    expect(downloads.map((download) => download.name)).toEqual([
      expect.stringMatching(/^moddeck-search-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d\.csv$/),
      expect.stringMatching(/^moddeck-search-.*\.jsonl$/),
    ]);
    const csv = await downloads[0]!.blob.text();
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'time,roomKey,room,userId,userName,kind,state,rules,text,eventId,messageId',
    );
    expect(lines[1]).toBe(
      `${new Date(T0 + 40_000).toISOString()},acc/alpha,Alpha,u-x,'=cmd,message,hidden,r-1,"hello, ""quoted""\nnext line",s9,s9`,
    );
    expect(lines).toHaveLength(5); // header, three results, and the last line's end
    const jsonl = (await downloads[1]!.blob.text()).trimEnd().split('\n');
    expect(jsonl.map((line) => (JSON.parse(line) as { eventId: string }).eventId)).toEqual([
      's9',
      'a2',
      'a1',
    ]);
    expect(JSON.parse(jsonl[0]!)).toMatchObject({
      text: 'hello, "quoted"\nnext line',
      userName: '=cmd',
      rules: ['r-1'],
      state: 'hidden',
    });
  });

  it('names an automod flag in a result by its reason, not by its rule id', async () => {
    const raid = chatEvent(A, {
      id: 'r1',
      user: { id: 'u-raider', name: 'raider' },
      text: 'free followers at followerz dot shop',
      flags: [
        {
          ruleId: 'automod-raid',
          reason: 'copy-paste raid “free followers”: 5 people in 2 s',
          severity: 'high',
        },
      ],
      ...at(40),
    });
    deck({ 'history.search': () => page([stored(raid, 9)]) });
    const user = await ready();
    await user.keyboard('{Control>}{Shift>}F{/Shift}{/Control}');
    await screen.findByRole('dialog', { name: 'Search' });
    await searchFor(user, 'rule:automod-raid');
    await waitFor(() => expect(resultIds()).toEqual(['r1']));
    const result = within(searchPanel()).getByRole('option');
    expect(result).toHaveTextContent('Automod: copy-paste raid “free followers”: 5 people in 2 s');
    expect(result).not.toHaveTextContent('automod-raid');
  });
});

/** Axe's violations inside `element`, as short lines a failure message can show. */
async function violationsIn(element: HTMLElement): Promise<string[]> {
  const result = await axe.run(element, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  });
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

/** Captures what the page saves through a download link. */
function captureDownloads() {
  const downloads: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const blob = blobs.get(this.href);
    if (blob) downloads.push({ name: this.download, blob });
  });
  return downloads;
}
