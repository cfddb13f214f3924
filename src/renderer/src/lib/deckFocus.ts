/** Giving the keyboard focus back to the deck after a menu or a panel had it. */

/**
 * Focuses the cursor's row when there is one, or else `column` (while it is in the document), or
 * else the deck's columns: the deck's keys then go on from there, and Enter or Space do not press
 * the button that had the focus before.
 */
export function focusDeck(column?: HTMLElement | null): void {
  const row = document.querySelector<HTMLElement>('.deck-columns .row-focused');
  const target =
    row ?? (column?.isConnected ? column : document.querySelector<HTMLElement>('.deck-columns'));
  target?.focus({ preventScroll: true });
}
