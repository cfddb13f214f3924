/**
 * Bringing a row, or what it shows (a confirmation), fully into a column's view, clear of what
 * floats over the column's newest end, and telling whether it is there.
 */

/** Room at each end of a scroller that must stay clear: the paused column's "N new" button. */
export interface Reserve {
  top: number;
  bottom: number;
}

/** Scrolls `scroller` just enough that `element` lies inside it, `reserve` clear at each end. */
export function revealIn(scroller: HTMLElement, element: HTMLElement, reserve: Reserve): void {
  const view = scroller.getBoundingClientRect();
  const box = element.getBoundingClientRect();
  const top = view.top + reserve.top;
  const bottom = view.bottom - reserve.bottom;
  // Taller than the view: its top is what the moderator reads first.
  if (box.top < top || box.bottom - box.top > bottom - top) scroller.scrollTop -= top - box.top;
  else if (box.bottom > bottom) scroller.scrollTop += box.bottom - bottom;
}

/** Points of a box to test: its corners, inside their rounding (6 px), and its centre. */
function samplePoints(box: DOMRect): [number, number][] {
  const left = box.left + 4;
  const right = box.right - 4;
  const top = box.top + 4;
  const bottom = box.bottom - 4;
  return [
    [left, top],
    [right, top],
    [left, bottom],
    [right, bottom],
    [(left + right) / 2, (top + bottom) / 2],
  ];
}

/**
 * Whether `element` is fully shown: inside the window, and nothing (a clipping list, the "N new"
 * button, a panel) over any of its corners or its centre. Without a layout to ask (a test's DOM)
 * nothing can be measured, and it counts as shown.
 */
export function isFullyShown(element: Element): boolean {
  if (typeof document.elementFromPoint !== 'function') return true;
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  if (box.top < 0 || box.left < 0) return false;
  if (box.bottom > window.innerHeight || box.right > window.innerWidth) return false;
  return samplePoints(box).every(([x, y]) => {
    const hit = document.elementFromPoint(x, y);
    return hit !== null && element.contains(hit);
  });
}

/** Half a pixel either way: column edges fall on fractional positions. */
const SLACK = 0.5;

/**
 * Scrolls the deck sideways to the room column holding `element`, against the Flagged column,
 * unless the column is already whole between the Flagged column and what covers the deck's right
 * side (the list of columns out of view, an open side panel). A column wider than that space comes
 * to rest with its right edge against what covers it, where the row's buttons and confirmation are.
 */
export function showColumnOf(element: HTMLElement): void {
  const column = element.closest<HTMLElement>('section.column[data-room-key]');
  const deck = column?.parentElement;
  if (!column || !deck) return;
  const box = column.getBoundingClientRect();
  const view = deck.getBoundingClientRect();
  const left = deck.querySelector('[data-column="flagged"]')?.getBoundingClientRect().right;
  const covers = [
    deck.parentElement?.querySelector('.columns-out-of-view'),
    document.querySelector('.side-panel'),
  ].map((cover) => cover?.getBoundingClientRect().left ?? Infinity);
  const right = Math.min(view.right, ...covers);
  const start = left ?? view.left;
  if (box.left >= start - SLACK && box.right <= right + SLACK) return;
  if (box.right - box.left <= right - start + SLACK) {
    column.scrollIntoView?.({ block: 'nearest', inline: 'start' });
  } else {
    deck.scrollLeft += box.right - right;
  }
}
