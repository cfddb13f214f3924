/**
 * Which room columns the deck's window does not show whole, measured from the layout whenever the
 * deck scrolls sideways, resizes, or its columns change; never on a feed's batch.
 */
import { useLayoutEffect, useState, type RefObject } from 'react';
import type { RoomKey } from '../../../shared/chat';

export interface OutOfView {
  columns: { roomKey: RoomKey; side: 'left' | 'right' }[];
  /** The width the list of those columns takes at the window's right edge, after the last whole column. */
  listWidth: number;
  /** Room after the last column, so that any column can come to rest against the Flagged one. */
  spacerWidth: number;
  /** The height of the deck's own scroll bar, which the list leaves free. */
  scrollBarHeight: number;
}

const NONE: OutOfView = { columns: [], listWidth: 0, spacerWidth: 0, scrollBarHeight: 0 };

/** Narrower than this, the list takes the last whole column's place too (never the only one). */
const MIN_LIST_WIDTH = 96;

/** Half a pixel either way: column edges fall on fractional positions. */
const SLACK = 0.5;

function measure(container: HTMLElement): OutOfView {
  const view = container.getBoundingClientRect();
  const flagged = container.querySelector('[data-column="flagged"]');
  const start = flagged ? flagged.getBoundingClientRect().right : view.left;
  const end = view.left + container.clientWidth;
  const sections = [...container.querySelectorAll<HTMLElement>('section.column[data-room-key]')];
  const columns: OutOfView['columns'] = [];
  const whole: { roomKey: RoomKey; left: number; right: number }[] = [];
  let contentWidth = start - view.left;
  for (const section of sections) {
    const roomKey = section.dataset['roomKey'] ?? '';
    const box = section.getBoundingClientRect();
    contentWidth += box.width;
    if (box.left >= start - SLACK && box.right <= end + SLACK) {
      whole.push({ roomKey, left: box.left, right: box.right });
    } else {
      columns.push({ roomKey, side: box.left < start - SLACK ? 'left' : 'right' });
    }
  }
  const last = sections.at(-1)?.getBoundingClientRect().width ?? 0;
  const spacerWidth =
    contentWidth > container.clientWidth + SLACK
      ? Math.max(0, Math.floor(container.clientWidth - (start - view.left) - last))
      : 0;
  const scrollBarHeight = container.offsetHeight - container.clientHeight;
  if (columns.length === 0) return { ...NONE, spacerWidth, scrollBarHeight };
  let listWidth = end - (whole.at(-1)?.right ?? start);
  if (listWidth < MIN_LIST_WIDTH && whole.length > 1) {
    const demoted = whole.pop();
    if (demoted) {
      columns.push({ roomKey: demoted.roomKey, side: 'right' });
      listWidth = end - demoted.left;
    }
  }
  return { columns, listWidth: Math.max(0, Math.floor(listWidth)), spacerWidth, scrollBarHeight };
}

function same(a: OutOfView, b: OutOfView): boolean {
  return (
    a.listWidth === b.listWidth &&
    a.spacerWidth === b.spacerWidth &&
    a.scrollBarHeight === b.scrollBarHeight &&
    a.columns.length === b.columns.length &&
    a.columns.every(
      (column, index) =>
        column.roomKey === b.columns[index]?.roomKey && column.side === b.columns[index]?.side,
    )
  );
}

/** What of the deck in `container` is out of view; `roomKeys` are its columns, in order. */
export function useColumnsOutOfView(
  container: RefObject<HTMLElement | null>,
  roomKeys: readonly RoomKey[],
): OutOfView {
  const [outOfView, setOutOfView] = useState(NONE);

  useLayoutEffect(() => {
    const target = container.current;
    if (!target) return;
    let frame = 0;
    const update = () => {
      frame = 0;
      const next = measure(target);
      setOutOfView((current) => (same(current, next) ? current : next));
    };
    const schedule = () => {
      if (frame === 0) frame = requestAnimationFrame(update);
    };
    update();
    target.addEventListener('scroll', schedule, { passive: true });
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : null;
    observer?.observe(target);
    for (const section of target.querySelectorAll('section.column')) observer?.observe(section);
    return () => {
      target.removeEventListener('scroll', schedule);
      observer?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, [container, roomKeys]);

  return outOfView;
}
