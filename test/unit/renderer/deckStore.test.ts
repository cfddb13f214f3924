import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eventKeyOf, FLAGGED_COLUMN } from '../../../src/renderer/src/lib/eventKey';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import { forgetShown, recordShown } from '../../../src/renderer/src/feedPipeline/shownLists';
import { isPaused, QUEUE_WINDOW_MS } from '../../../src/renderer/src/stores/cursor';
import { displayedKeys, useDeck } from '../../../src/renderer/src/stores/deck';
import { useDeckCommands } from '../../../src/renderer/src/stores/deckCommands';
import { batchOf, chatEvent, resetStores } from './storeFixtures';

const A = 'acc/alpha';

function columnsOf(...roomKeys: string[]): void {
  useRooms.setState({
    columns: roomKeys.map((roomKey) => {
      const [accountId = '', roomId = ''] = roomKey.split('/');
      return { roomKey, accountId, roomId };
    }),
  });
}

describe('pausing a column', () => {
  beforeEach(() => {
    resetStores();
    columnsOf(A);
    useFeed
      .getState()
      .applyBatch(batchOf([chatEvent(A, { id: 'a1' }), chatEvent(A, { id: 'a2' })]));
  });

  it('stays paused while scrolled up after the pointer leaves, and counts what arrives', () => {
    const ui = useDeck.getState();
    ui.setHovered(A, true);
    ui.setScrolledUp(A, true);
    ui.setHovered(A, false);
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a3' })]));

    expect(isPaused(useDeck.getState(), A)).toBe(true);
    expect(displayedKeys(A)).toEqual([eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')]);
    expect(useFeed.getState().rooms[A]?.appended).toBe(3);
    expect(useDeck.getState().frozen[A]?.appended).toBe(2);

    useDeck.getState().setScrolledUp(A, false);
    expect(isPaused(useDeck.getState(), A)).toBe(false);
    expect(displayedKeys(A)).toHaveLength(3);
  });

  it('freezes the list as it is on the screen, not the feed’s newest, and counts the rest as new', () => {
    // The list last rendered the first two events; a third reached the feed before its turn.
    recordShown(A, { keys: [eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')], appended: 2 });
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a3' })]));
    try {
      useDeck.getState().setHovered(A, true);
      expect(displayedKeys(A)).toEqual([eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')]);
      useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a4' })]));
      const appended = useFeed.getState().rooms[A]?.appended ?? 0;
      expect(appended - (useDeck.getState().frozen[A]?.appended ?? 0)).toBe(2);

      // The cursor on an event the screen did not have yet freezes the feed's newest instead.
      useDeck.getState().setHovered(A, false);
      useDeck.getState().setFocus({ column: A, key: eventKeyOf(A, 'a4') });
      expect(displayedKeys(A)).toHaveLength(4);
    } finally {
      forgetShown(A);
    }
  });

  it('drops every reason at once when the moderator jumps to the newest', () => {
    const ui = useDeck.getState();
    ui.setHovered(A, true);
    ui.setScrolledUp(A, true);
    ui.setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    expect(isPaused(useDeck.getState(), A)).toBe(true);

    useDeck.getState().resume(A);
    const state = useDeck.getState();
    expect(isPaused(state, A)).toBe(false);
    expect(state.focus).toBeNull();
    expect(state.frozen[A]).toBeUndefined();
  });

  it('refreshes the frozen list when the cursor jumps to an event that arrived after it froze', () => {
    useDeck.getState().setHovered(FLAGGED_COLUMN, true);
    useFeed
      .getState()
      .applyBatch(
        batchOf([chatEvent(A, { id: 'late', flags: [{ ruleId: 'r', start: 0, end: 1 }] })]),
      );
    expect(displayedKeys(FLAGGED_COLUMN)).not.toContain(eventKeyOf(A, 'late'));

    useDeck.getState().nextFlagged();
    expect(useDeck.getState().focus).toEqual({
      column: FLAGGED_COLUMN,
      key: eventKeyOf(A, 'late'),
    });
    expect(displayedKeys(FLAGGED_COLUMN)).toContain(eventKeyOf(A, 'late'));
  });
});

describe('the cursor and the pauses it leaves behind', () => {
  const B = 'acc/beta';
  const C = 'acc/gamma';

  beforeEach(() => {
    resetStores();
    columnsOf(A, B, C);
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'a1', receivedAt: 10 }),
          chatEvent(B, { id: 'b1', receivedAt: 11 }),
          chatEvent(C, { id: 'c1', receivedAt: 12 }),
          chatEvent(A, { id: 'a2', receivedAt: 20 }),
          chatEvent(B, { id: 'b2', receivedAt: 21 }),
          chatEvent(C, { id: 'c2', receivedAt: 22 }),
        ]),
      );
  });

  it('resumes each column the cursor leaves, and holds only the one it is in', () => {
    useDeck.getState().setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    useDeck.getState().moveColumn(1);
    useDeck.getState().moveColumn(1);

    const state = useDeck.getState();
    expect(state.focus).toEqual({ column: C, key: eventKeyOf(C, 'c1') });
    expect([A, B, C].map((column) => isPaused(state, column))).toEqual([false, false, true]);
    expect(Object.keys(state.frozen)).toEqual([C]);
  });

  it('keeps a column paused after the cursor leaves when the moderator scrolled it or kept it with p', () => {
    const ui = useDeck.getState();
    ui.setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    ui.togglePin();
    ui.moveColumn(1);
    ui.setScrolledUp(B, true);
    ui.moveColumn(1);

    const state = useDeck.getState();
    expect([A, B, C].map((column) => isPaused(state, column))).toEqual([true, true, true]);
    // p again in the column lets it go once the cursor leaves.
    useDeck.getState().moveColumn(-1);
    useDeck.getState().moveColumn(-1);
    useDeck.getState().togglePin();
    useDeck.getState().moveColumn(1);
    expect(isPaused(useDeck.getState(), A)).toBe(false);
  });

  it('brings every column back to live with Esc, whatever paused it', () => {
    const ui = useDeck.getState();
    ui.setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    ui.togglePin();
    ui.setScrolledUp(B, true);
    ui.setHovered(C, true);
    ui.setFocus({ column: C, key: eventKeyOf(C, 'c1') });
    expect([A, B, C].every((column) => isPaused(useDeck.getState(), column))).toBe(true);

    useDeckCommands.getState().escape();
    const state = useDeck.getState();
    expect(state.focus).toBeNull();
    expect([A, B, C].map((column) => isPaused(state, column))).toEqual([false, false, false]);
    expect(state.frozen).toEqual({});
  });

  it('lets Esc close what is open first, and end the pauses on the next press', () => {
    const ui = useDeck.getState();
    ui.setFocus({ column: A, key: eventKeyOf(A, 'a2') });
    useDeck.setState({ deleteToConfirm: { key: eventKeyOf(A, 'a2'), column: A, copies: null } });
    useDeckCommands.getState().escape();
    expect(useDeck.getState().deleteToConfirm).toBeNull();
    expect(isPaused(useDeck.getState(), A)).toBe(true);
    useDeckCommands.getState().escape();
    expect(isPaused(useDeck.getState(), A)).toBe(false);
  });

  it('jumps to the newest row of the focused column, with the rows that waited', () => {
    useDeck.getState().setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    useDeck.getState().setScrolledUp(A, true);
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a3', receivedAt: 30 })]));
    expect(displayedKeys(A)).not.toContain(eventKeyOf(A, 'a3'));

    useDeck.getState().jumpToNewest();
    const state = useDeck.getState();
    expect(state.focus).toEqual({ column: A, key: eventKeyOf(A, 'a3') });
    expect(displayedKeys(A)).toContain(eventKeyOf(A, 'a3'));
    expect(state.scrolledUp[A]).toBeUndefined();
    expect(useFeed.getState().rooms[A]?.appended).toBe(state.frozen[A]?.appended);
  });

  it('takes in the rows that waited when the cursor moves past the newest row shown', () => {
    useDeck.getState().setFocus({ column: A, key: eventKeyOf(A, 'a2') });
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'a3', receivedAt: 30 }),
          chatEvent(A, { id: 'a4', receivedAt: 31 }),
        ]),
      );
    expect(displayedKeys(A)).toEqual([eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')]);

    useDeck.getState().moveFocus(1);
    expect(useDeck.getState().focus?.key).toBe(eventKeyOf(A, 'a3'));
    expect(displayedKeys(A)).toContain(eventKeyOf(A, 'a4'));
    // Moving up at the oldest row stays there.
    useDeck.getState().setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    useDeck.getState().moveFocus(-1);
    expect(useDeck.getState().focus?.key).toBe(eventKeyOf(A, 'a1'));
  });
  it('takes in what waited in the Flagged queue after the focused row there was handled', () => {
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'f1', flags: flag, receivedAt: 10 }),
          chatEvent(A, { id: 'f2', flags: flag, receivedAt: 20 }),
        ]),
      );
    const f2 = eventKeyOf(A, 'f2');
    useDeck.getState().setFocus({ column: FLAGGED_COLUMN, key: f2 });
    useFeed.getState().applyBatch(
      batchOf([chatEvent(A, { id: 'f3', flags: flag, receivedAt: 30 })], {
        updates: [{ roomKey: A, id: 'f2', state: 'visible', handled: true }],
      }),
    );
    expect(displayedKeys(FLAGGED_COLUMN)[0]).toBe(f2);

    // The Flagged column lists newest first: toward the newest is up.
    useDeck.getState().moveFocus(-1);
    expect(useDeck.getState().focus?.key).toBe(eventKeyOf(A, 'f3'));
  });
});

describe('the next flagged message', () => {
  const NOW = Date.UTC(2026, 0, 15, 12, 0, 0);
  const MINUTE = 60_000;
  const flag = [{ ruleId: 'r', start: 0, end: 1 }];

  beforeEach(() => {
    resetStores();
    columnsOf(A);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(NOW);
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function visit(presses: number): string[] {
    const visited: string[] = [];
    for (let step = 0; step < presses; step += 1) {
      useDeck.getState().nextFlagged();
      const focus = useDeck.getState().focus;
      expect(focus?.column).toBe(FLAGGED_COLUMN);
      visited.push(focus?.key.split('#')[1] ?? '');
    }
    return visited;
  }

  it('goes through what waits in the Flagged column: the last five minutes oldest first, then older ones, and wraps', () => {
    expect(QUEUE_WINDOW_MS).toBe(5 * MINUTE);
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'stale', flags: flag, receivedAt: NOW - 20 * MINUTE }),
          chatEvent(A, { id: 'old', flags: flag, receivedAt: NOW - 10 * MINUTE }),
          chatEvent(A, { id: 'f1', flags: flag, receivedAt: NOW - 4 * MINUTE }),
          chatEvent(A, { id: 'hidden', flags: flag, receivedAt: NOW - 3 * MINUTE }),
          chatEvent(A, { id: 'looked', flags: flag, receivedAt: NOW - 2 * MINUTE }),
          chatEvent(A, { id: 'plain', receivedAt: NOW - 90_000 }),
          chatEvent(A, { id: 'f2', flags: flag, receivedAt: NOW - MINUTE }),
          chatEvent(A, { id: 'dm', toModerator: true, kind: 'dm', receivedAt: NOW - 1000 }),
        ]),
      );
    useFeed.getState().applyBatch(
      batchOf([], {
        updates: [
          { roomKey: A, id: 'hidden', state: 'hidden' },
          { roomKey: A, id: 'looked', state: 'visible', handled: true },
        ],
      }),
    );
    expect(visit(6)).toEqual(['f1', 'f2', 'dm', 'old', 'stale', 'f1']);
  });

  it('goes on to the oldest still waiting once the focused one is handled, whatever the list shows', () => {
    useFeed
      .getState()
      .applyBatch(
        batchOf(
          ['f1', 'f2', 'f3'].map((id, index) =>
            chatEvent(A, { id, flags: flag, receivedAt: NOW - (3 - index) * MINUTE }),
          ),
        ),
      );
    useFeed.getState().setShowHandled(true);
    expect(visit(2)).toEqual(['f1', 'f2']);
    useFeed
      .getState()
      .applyBatch(
        batchOf([], { updates: [{ roomKey: A, id: 'f2', state: 'visible', handled: true }] }),
      );
    expect(visit(2)).toEqual(['f1', 'f3']);
  });
});
