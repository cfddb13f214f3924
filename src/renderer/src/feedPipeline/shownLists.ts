/**
 * What each column's list last rendered, and how many events its feed had taken in when that was
 * read. A column that pauses freezes this list, the one on the screen, rather than the feed's
 * newest: lists render in turns (see `listScheduler.ts`), so the feed may be a few batches ahead,
 * and freezing those would move every row up under the pointer that paused it.
 */
import type { ColumnKey, EventKey } from '../lib/eventKey';

export interface ShownList {
  keys: readonly EventKey[];
  /** The column's appended count when `keys` was read. */
  appended: number;
}

const shown = new Map<ColumnKey, ShownList>();

export function recordShown(column: ColumnKey, list: ShownList): void {
  shown.set(column, list);
}

export function forgetShown(column: ColumnKey): void {
  shown.delete(column);
}

export function shownList(column: ColumnKey): ShownList | undefined {
  return shown.get(column);
}
