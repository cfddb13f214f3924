/**
 * Inputs whose keys are their own: those that take typed text, and radios and sliders, which move
 * with the arrow keys (`ArrowDown` would move the deck's cursor instead of the composer's choice).
 * A check box or a button is not one: a moderator who ticks a Held row's check box goes on with
 * `d` or `Shift+J`.
 */
const KEYED_INPUT_TYPES = new Set([
  'text',
  'search',
  'email',
  'url',
  'tel',
  'password',
  'number',
  'date',
  'datetime-local',
  'month',
  'time',
  'week',
  'radio',
  'range',
]);

/** Whether keys pressed now go into a text field (or a control moved by keys), not the deck. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof Element)) return false;
  const input = target.closest('input');
  if (input !== null) return KEYED_INPUT_TYPES.has(input.type);
  if (target.closest('textarea, select')) return true;
  const editable = target.closest('[contenteditable]');
  return editable !== null && editable.getAttribute('contenteditable') !== 'false';
}
