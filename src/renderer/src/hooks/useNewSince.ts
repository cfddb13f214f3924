import { FLAGGED_COLUMN, HELD_COLUMN, type ColumnKey } from '../lib/eventKey';
import { useFeed } from '../stores/feed';

/**
 * How many events reached a paused column's feed since it froze, `since` being its appended count
 * then. It follows every batch: only the few elements that say the number should call it.
 */
export function useNewSince(column: ColumnKey, since: number): number {
  const appended = useFeed((state) =>
    column === FLAGGED_COLUMN
      ? state.flaggedAppended
      : column === HELD_COLUMN
        ? state.heldAppended
        : (state.rooms[column]?.appended ?? 0),
  );
  return Math.max(0, appended - since);
}
