import type { KeyboardEvent } from 'react';

/** What can take the focus inside a modal dialog. */
const FOCUSABLE = 'button:not(:disabled), [href], [tabindex]:not([tabindex="-1"])';

/**
 * For a modal dialog's keydown: Tab and Shift+Tab go round the dialog's own controls, never to
 * what is behind it. Other keys are left alone.
 */
export function keepTabInside(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Tab') return;
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  event.preventDefault();
  if (items.length === 0) return;
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = event.shiftKey
    ? items[at <= 0 ? items.length - 1 : at - 1]
    : items[at === -1 || at === items.length - 1 ? 0 : at + 1];
  next?.focus();
}
