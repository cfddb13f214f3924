/** A room's state word from its provider, in the window's language. */
import type { TFunction } from 'i18next';

/**
 * The state words the providers are known to send: FlipFlop's video-room states (its documents
 * list them in capitals, and its server code adds CANCELLED) and VChatCloud's room statuses.
 */
const KNOWN_STATES = new Set([
  'SCHEDULED',
  'LIVE',
  'LIVE_INACTIVE',
  'ACTIVE',
  'ENDED',
  'ARCHIVED',
  'CANCELLED',
  'active',
  'pending',
  'ended',
]);

/** The state in words; one no provider was known to send is shown as it came. */
export function roomStateLabel(t: TFunction, state: string): string {
  return KNOWN_STATES.has(state) ? t(`picker.states.${state}`) : state;
}
