/**
 * The Held column's list (`useFeed().held`): the keys of every event held for review, oldest hold
 * first (by `Held.at`, then in the order they came). It is kept, not filtered for: a batch hands
 * over only the keys whose hold it changed, so its cost follows the holds, not every kept event.
 */
import { isHeld, type ChatEvent } from '../../../shared/chat';
import type { EventKey } from '../lib/eventKey';

type EventOf = (key: EventKey) => ChatEvent | undefined;

function heldAt(eventOf: EventOf, key: EventKey): number {
  return eventOf(key)?.held?.at ?? 0;
}

/** The held keys among a room's `keys`, oldest hold first. */
export function heldIn(
  keys: readonly EventKey[],
  byKey: ReadonlyMap<EventKey, ChatEvent>,
): EventKey[] {
  const found = keys.filter((key) => {
    const event = byKey.get(key);
    return event !== undefined && isHeld(event);
  });
  // Stable: holds of the same millisecond keep their order of arrival.
  return found.sort((a, b) => (byKey.get(a)?.held?.at ?? 0) - (byKey.get(b)?.held?.at ?? 0));
}

/**
 * `list` without `removing` and with `adding` (keys held now that it does not list), in order.
 * New holds are usually the newest: they are appended; a hold older than the list's last (a
 * snapshot's, a batch's earlier copies) is merged into its place. Returns `list` itself when
 * nothing changed.
 */
export function withHeld(
  list: readonly EventKey[],
  adding: readonly EventKey[],
  removing: readonly EventKey[],
  eventOf: EventOf,
): readonly EventKey[] {
  if (adding.length === 0 && removing.length === 0) return list;
  let base = list;
  if (removing.length > 0) {
    const removed = new Set(removing);
    const kept = list.filter((key) => !removed.has(key));
    if (kept.length !== list.length) base = kept;
  }
  if (adding.length === 0) return base;
  const added = [...new Set(adding)].sort((a, b) => heldAt(eventOf, a) - heldAt(eventOf, b));
  const last = base[base.length - 1];
  if (last === undefined) return added;
  if (heldAt(eventOf, added[0] as EventKey) >= heldAt(eventOf, last)) return base.concat(added);
  const merged: EventKey[] = [];
  let i = 0;
  let j = 0;
  while (i < base.length && j < added.length) {
    const fromBase = base[i] as EventKey;
    const fromAdded = added[j] as EventKey;
    if (heldAt(eventOf, fromBase) <= heldAt(eventOf, fromAdded)) {
      merged.push(fromBase);
      i += 1;
    } else {
      merged.push(fromAdded);
      j += 1;
    }
  }
  while (i < base.length) merged.push(base[i++] as EventKey);
  while (j < added.length) merged.push(added[j++] as EventKey);
  return merged;
}
