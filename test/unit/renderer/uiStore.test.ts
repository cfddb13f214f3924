import { beforeEach, describe, expect, it } from 'vitest';
import { eventKeyOf } from '../../../src/renderer/src/lib/eventKey';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import { forgetShown, recordShown } from '../../../src/renderer/src/stores/shownLists';
import { displayedKeys, isPaused, useUi } from '../../../src/renderer/src/stores/ui';
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
    const ui = useUi.getState();
    ui.setHovered(A, true);
    ui.setScrolledUp(A, true);
    ui.setHovered(A, false);
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a3' })]));

    expect(isPaused(useUi.getState(), A)).toBe(true);
    expect(displayedKeys(A)).toEqual([eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')]);
    expect(useFeed.getState().rooms[A]?.appended).toBe(3);
    expect(useUi.getState().frozen[A]?.appended).toBe(2);

    useUi.getState().setScrolledUp(A, false);
    expect(isPaused(useUi.getState(), A)).toBe(false);
    expect(displayedKeys(A)).toHaveLength(3);
  });

  it('freezes the list as it is on the screen, not the feed’s newest, and counts the rest as new', () => {
    // The list last rendered the first two events; a third reached the feed before its turn.
    recordShown(A, { keys: [eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')], appended: 2 });
    useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a3' })]));
    try {
      useUi.getState().setHovered(A, true);
      expect(displayedKeys(A)).toEqual([eventKeyOf(A, 'a1'), eventKeyOf(A, 'a2')]);
      useFeed.getState().applyBatch(batchOf([chatEvent(A, { id: 'a4' })]));
      const appended = useFeed.getState().rooms[A]?.appended ?? 0;
      expect(appended - (useUi.getState().frozen[A]?.appended ?? 0)).toBe(2);

      // The cursor on an event the screen did not have yet freezes the feed's newest instead.
      useUi.getState().setHovered(A, false);
      useUi.getState().setFocus({ column: A, key: eventKeyOf(A, 'a4') });
      expect(displayedKeys(A)).toHaveLength(4);
    } finally {
      forgetShown(A);
    }
  });

  it('drops every reason at once when the moderator jumps to the newest', () => {
    const ui = useUi.getState();
    ui.setHovered(A, true);
    ui.setScrolledUp(A, true);
    ui.setFocus({ column: A, key: eventKeyOf(A, 'a1') });
    expect(isPaused(useUi.getState(), A)).toBe(true);

    useUi.getState().resume(A);
    const state = useUi.getState();
    expect(isPaused(state, A)).toBe(false);
    expect(state.focus).toBeNull();
    expect(state.frozen[A]).toBeUndefined();
  });

  it('refreshes the frozen list when the cursor jumps to an event that arrived after it froze', () => {
    useUi.getState().setHovered(A, true);
    useFeed
      .getState()
      .applyBatch(
        batchOf([chatEvent(A, { id: 'late', flags: [{ ruleId: 'r', start: 0, end: 1 }] })]),
      );
    expect(displayedKeys(A)).not.toContain(eventKeyOf(A, 'late'));

    useUi.getState().nextFlagged();
    expect(useUi.getState().focus).toEqual({ column: A, key: eventKeyOf(A, 'late') });
    expect(displayedKeys(A)).toContain(eventKeyOf(A, 'late'));
  });
});

describe('the next flagged message', () => {
  beforeEach(() => {
    resetStores();
    columnsOf(A);
  });

  it('skips flagged messages already hidden or deleted', () => {
    const flag = [{ ruleId: 'r', start: 0, end: 1 }];
    useFeed
      .getState()
      .applyBatch(
        batchOf([
          chatEvent(A, { id: 'f1', flags: flag, receivedAt: 1 }),
          chatEvent(A, { id: 'f2', flags: flag, receivedAt: 2, state: 'hidden' }),
          chatEvent(A, { id: 'f3', flags: flag, receivedAt: 3, state: 'deleted' }),
          chatEvent(A, { id: 'f4', flags: flag, receivedAt: 4 }),
          chatEvent(A, { id: 'dm', toModerator: true, kind: 'dm', receivedAt: 5 }),
        ]),
      );
    const visited: string[] = [];
    for (let step = 0; step < 3; step += 1) {
      useUi.getState().nextFlagged();
      visited.push(useUi.getState().focus?.key ?? '');
    }
    expect(visited).toEqual([eventKeyOf(A, 'f1'), eventKeyOf(A, 'f4'), eventKeyOf(A, 'f1')]);
  });
});
