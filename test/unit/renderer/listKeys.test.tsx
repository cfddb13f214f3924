import { act, render, waitFor } from '@testing-library/react';
import { useRef } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useListKeys } from '../../../src/renderer/src/feedPipeline/useListKeys';
import { eventKeyOf, type EventKey } from '../../../src/renderer/src/lib/eventKey';
import { useFeed } from '../../../src/renderer/src/stores/feed';
import { useRooms } from '../../../src/renderer/src/stores/rooms';
import { useDeck } from '../../../src/renderer/src/stores/deck';
import { batchOf, chatEvent, resetStores } from './storeFixtures';

const A = 'acc/alpha';
const B = 'acc/beta';

/** Every list of keys a column's list was handed, in order. */
const handed: Record<string, Array<readonly EventKey[]>> = {};

function List({ column }: { column: string }) {
  const element = useRef<HTMLDivElement>(null);
  const keys = useListKeys(column, element);
  (handed[column] ??= []).push(keys);
  return <div ref={element} />;
}

function last(column: string): readonly EventKey[] {
  const lists = handed[column] ?? [];
  return lists[lists.length - 1] ?? [];
}

function deliver(...ids: string[]) {
  act(() =>
    useFeed
      .getState()
      .applyBatch(batchOf(ids.map((id) => chatEvent(id.startsWith('a') ? A : B, { id })))),
  );
}

beforeEach(() => {
  resetStores();
  for (const key of Object.keys(handed)) delete handed[key];
  useRooms.setState({
    columns: [
      { roomKey: A, accountId: 'acc', roomId: 'alpha' },
      { roomKey: B, accountId: 'acc', roomId: 'beta' },
    ],
  });
});

afterEach(resetStores);

describe("a column's list keys", () => {
  it('are not handed over while the column is paused, and the latest are when the pause ends', async () => {
    render(
      <>
        <List column={A} />
        <List column={B} />
      </>,
    );
    deliver('a1', 'b1');
    await waitFor(() => expect(last(A)).toEqual([eventKeyOf(A, 'a1')]));
    await waitFor(() => expect(last(B)).toEqual([eventKeyOf(B, 'b1')]));

    act(() => useDeck.getState().setHovered(A, true));
    deliver('a2', 'b2');
    // B takes its batch on the same turn A has: A lets go of its own list then.
    await waitFor(() => expect(last(B)).toEqual([eventKeyOf(B, 'b1'), eventKeyOf(B, 'b2')]));
    const whilePaused = handed[A]?.length ?? 0;
    deliver('a3', 'b3');
    await waitFor(() => expect(last(B)).toHaveLength(3));
    deliver('a4', 'b4');
    await waitFor(() => expect(last(B)).toHaveLength(4));
    expect(handed[A]).toHaveLength(whilePaused);

    // No batch comes after the pause ends: the list still catches up.
    act(() => useDeck.getState().setHovered(A, false));
    await waitFor(() =>
      expect(last(A)).toEqual(['a1', 'a2', 'a3', 'a4'].map((id) => eventKeyOf(A, id))),
    );
  });
});
