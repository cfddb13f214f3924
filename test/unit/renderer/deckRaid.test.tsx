import { act, fireEvent, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ColumnHeaderModule from '../../../src/renderer/src/components/ColumnHeader';
import type * as UseListKeysModule from '../../../src/renderer/src/feedPipeline/useListKeys';
import type { ChatEvent, EventUpdate, Held } from '../../../src/shared/chat';
import { HELD_COLUMN } from '../../../src/renderer/src/lib/eventKey';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { useDeckCommands } from '../../../src/renderer/src/stores/deckCommands';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { useToasts } from '../../../src/renderer/src/stores/toasts';
import {
  T0,
  batchOf,
  chatEvent,
  column,
  fakeDeck,
  row,
  findRow,
  renderDeck,
  resetStores,
} from './deckHarness';
import type { FakeHandlers } from './fakeBridge';

/** How many times each column's header and list rendered, by room key (the Held column: `held`). */
const renders = vi.hoisted(() => ({
  headers: new Map<string, number>(),
  lists: new Map<string, number>(),
}));

// The deck's own components, counted as they render: nothing else about them changes.
vi.mock('../../../src/renderer/src/components/ColumnHeader', async (importOriginal) => {
  const original = await importOriginal<typeof ColumnHeaderModule>();
  return {
    ColumnHeader(props: Parameters<typeof original.ColumnHeader>[0]) {
      renders.headers.set(props.roomKey, (renders.headers.get(props.roomKey) ?? 0) + 1);
      return original.ColumnHeader(props);
    },
  };
});
vi.mock('../../../src/renderer/src/feedPipeline/useListKeys', async (importOriginal) => {
  const original = await importOriginal<typeof UseListKeysModule>();
  return {
    useListKeys(...args: Parameters<typeof original.useListKeys>) {
      renders.lists.set(args[0], (renders.lists.get(args[0]) ?? 0) + 1);
      return original.useListKeys(...args);
    },
  };
});

const RAIDED = 'acc/alpha';
const QUIET = ['acc/beta', 'acc/gamma'];
const SHIELD = 'shield';

/** A raid copy from a fresh user, held by shield mode as it came and not yet hidden. */
function copy(index: number): ChatEvent {
  const hold: Held = { ruleId: SHIELD, reason: 'shield: first message here', at: T0 + index };
  return chatEvent(RAIDED, {
    id: `copy${index}`,
    text: 'FREE followers at followerz dot shop',
    receivedAt: T0 + index,
    held: hold,
  });
}

function deck(handlers: FakeHandlers = {}) {
  return fakeDeck(
    ['alpha', 'beta', 'gamma'].map((roomId) => ({
      accountId: 'acc',
      roomId,
      name: roomId,
      events: [chatEvent(`acc/${roomId}`, { id: `hello-${roomId}` })],
    })),
    handlers,
  );
}

describe('the deck in a raid', () => {
  beforeEach(() => {
    resetStores();
    renders.headers.clear();
    renders.lists.clear();
  });
  afterEach(() => vi.unstubAllGlobals());

  it("renders no other room's column again for a burst of held copies and their hides in one room", async () => {
    const { bridge } = deck();
    renderDeck();
    for (const roomKey of [RAIDED, ...QUIET]) {
      await findRow(`hello-${roomKey.split('/')[1] ?? ''}`, roomKey);
    }
    // The raid's first copy brings the Held column in: the deck lays its columns out again once.
    act(() => bridge.emit('feed.batch', batchOf([copy(0)])));
    await waitFor(() =>
      expect(document.querySelector('section[data-column="held"] article')).not.toBeNull(),
    );
    const headersBefore = QUIET.map((roomKey) => renders.headers.get(roomKey) ?? 0);
    const listsBefore = QUIET.map((roomKey) => renders.lists.get(roomKey) ?? 0);
    expect(Math.min(...headersBefore, ...listsBefore)).toBeGreaterThan(0);

    // Each batch: a copy held as it came, and the hide of the one before answered.
    const copies = 40;
    for (let index = 1; index < copies; index += 1) {
      const updates: EventUpdate[] = [{ roomKey: RAIDED, id: `copy${index - 1}`, state: 'hidden' }];
      act(() => bridge.emit('feed.batch', batchOf([copy(index)], { updates })));
    }
    await waitFor(() => expect(useFeed.getState().held).toHaveLength(copies));
    await findRow(`copy${copies - 1}`, RAIDED);
    await waitFor(() =>
      expect(document.querySelector('section[data-column="held"] .column-count')?.textContent).toBe(
        String(copies),
      ),
    );

    expect(QUIET.map((roomKey) => renders.headers.get(roomKey) ?? 0)).toEqual(headersBefore);
    expect(QUIET.map((roomKey) => renders.lists.get(roomKey) ?? 0)).toEqual(listsBefore);
    expect(column(QUIET[0] as string).querySelectorAll('article[data-message-id]')).toHaveLength(1);
  });

  it('keeps counting what is held while the Held column is paused, its rows standing still', async () => {
    const { bridge } = deck();
    renderDeck();
    await findRow('hello-alpha', RAIDED);
    act(() => bridge.emit('feed.batch', batchOf([copy(0), copy(1)])));
    const held = () => document.querySelector<HTMLElement>('section[data-column="held"]');
    const rowIds = () =>
      [...(held()?.querySelectorAll('article[data-message-id]') ?? [])].map((row) =>
        row.getAttribute('data-message-id'),
      );
    await waitFor(() => expect(rowIds()).toEqual(['copy0', 'copy1']));

    act(() => useDeck.getState().setHovered(HELD_COLUMN, true));
    for (let index = 2; index < 12; index += 1) {
      act(() => bridge.emit('feed.batch', batchOf([copy(index)])));
    }
    await waitFor(() => expect(held()?.querySelector('.column-count')?.textContent).toBe('12'));
    expect(rowIds()).toEqual(['copy0', 'copy1']);

    act(() => useDeck.getState().setHovered(HELD_COLUMN, false));
    await waitFor(() => expect(rowIds()).toHaveLength(12));
  });

  it('renders as many held rows as fill the column, and says how many more are held', async () => {
    // The Held column's list is 400 px high; jsdom lays nothing out, so its observer says so.
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(private readonly callback: ResizeObserverCallback) {}
        observe(target: Element): void {
          if (!target.classList.contains('held-feed')) return;
          const entry = { target, contentRect: { height: 400 } } as ResizeObserverEntry;
          this.callback([entry], this);
        }
        unobserve(): void {}
        disconnect(): void {}
      },
    );
    const { bridge } = deck();
    renderDeck();
    await findRow('hello-alpha', RAIDED);
    act(() =>
      bridge.emit('feed.batch', batchOf(Array.from({ length: 50 }, (_, index) => copy(index)))),
    );
    const held = () => document.querySelector<HTMLElement>('section[data-column="held"]');
    await waitFor(() => expect(held()?.querySelector('.column-count')?.textContent).toBe('50'));
    // 400 px of rows at least 40 px high, and 10 more.
    await waitFor(() =>
      expect(held()?.querySelectorAll('article[data-message-id]')).toHaveLength(20),
    );
    expect(held()?.querySelector('article[data-message-id]')?.getAttribute('data-message-id')).toBe(
      'copy0',
    );
    expect(held()?.querySelector('.held-more')?.textContent).toBe('30 more held');
  });

  it('sends the hide of the focused message before the key changes anything else, with batches waiting', async () => {
    const order: string[] = [];
    const { bridge } = deck({
      'messages.hide': (input) => {
        order.push(`request ${input.messageId}`);
        return { ok: true, value: { ...input, state: 'hidden' } };
      },
    });
    renderDeck();
    await findRow('hello-alpha', RAIDED);
    fireEvent.keyDown(document.body, { key: 'j' });
    await waitFor(() => expect(row('hello-alpha', column(RAIDED))).toHaveClass('row-focused'));

    // The raid goes on: the first batch is applied as it comes, the next waits for a frame.
    act(() => bridge.emit('feed.batch', batchOf([copy(0)])));
    act(() => bridge.emit('feed.batch', batchOf([copy(1)])));
    expect(useFeed.getState().rooms[RAIDED]?.byKey.has(`${RAIDED}#copy1`)).toBe(false);
    const stops = [useFeed, useToasts, useDeckCommands].map((store) =>
      store.subscribe(() => order.push('store')),
    );
    act(() => {
      fireEvent.keyDown(document.activeElement ?? document.body, { key: 'x' });
    });
    for (const stop of stops) stop();

    expect(order[0]).toBe('request hello-alpha');
    expect(order).toContain('store');
    await waitFor(() =>
      expect(row('hello-alpha', column(RAIDED))).toHaveAttribute('data-state', 'hidden'),
    );
    // The column the cursor is in holds still; the waiting batch still reaches the feed.
    await waitFor(() =>
      expect(useFeed.getState().rooms[RAIDED]?.byKey.has(`${RAIDED}#copy1`)).toBe(true),
    );
  });
});
