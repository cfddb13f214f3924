/**
 * The names of every request channel and every main → renderer event.
 *
 * Kept apart from the zod schemas in `contract.ts` so that the preload, which runs sandboxed and
 * must stay free of npm runtime dependencies, can build its allow-list from this file alone.
 * `contract.ts` is typed against these lists, so a name without a schema does not compile.
 */
export const REQUEST_CHANNELS = [
  'app.info',
  'accounts.list',
  'accounts.save',
  'accounts.remove',
  'accounts.test',
  'accounts.testDraft',
  'settings.get',
  'settings.set',
  'rooms.list',
  'rooms.open',
  'rooms.close',
  'feed.snapshot',
  'messages.hide',
  'messages.unhide',
  'messages.delete',
  'messages.bulk',
  'flagged.markHandled',
  'admin.broadcast',
  'admin.direct',
  'members.list',
  'chatRoom.get',
  'chatRoom.create',
  'chatRoom.close',
  'bannedWords.set',
  'bannedWords.unset',
  'audit.export',
  'audit.reason',
  'history.size',
  'history.clear',
  'history.search',
  'history.around',
  'history.backtestDetector',
  'history.user',
  'history.userMessages',
  'notes.add',
  'notes.edit',
  'notes.delete',
  'users.mute',
  'users.unmute',
  'users.exile',
  'users.unexile',
  'users.restrictions',
  'admin.custom',
  'roomAdmin.get',
  'roomAdmin.create',
  'roomAdmin.modify',
  'roomAdmin.destroy',
  'shield.get',
  'shield.set',
] as const;

export const EVENT_NAMES = [
  'accounts.changed',
  'settings.changed',
  'feed.batch',
  'feed.status',
  'feed.gap',
  'feed.history',
  'notification.open',
  'moderation.result',
  'app.warnings',
  'shield.changed',
] as const;

export type RequestChannel = (typeof REQUEST_CHANNELS)[number];
export type EventName = (typeof EVENT_NAMES)[number];

const requestChannelSet: ReadonlySet<string> = new Set(REQUEST_CHANNELS);
const eventNameSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isRequestChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && requestChannelSet.has(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && eventNameSet.has(name);
}

/** Longest part of an unknown name repeated back in words. */
const NAME_SHOWN = 100;

/**
 * Why a name is not in the contract, in words, without calling anything on it: `String()` of an
 * object runs its `toString`, which a hostile caller can make throw.
 */
export function describeUnknownName(name: unknown, kind: 'request' | 'event'): string {
  if (typeof name === 'string') {
    const shown = name.length > NAME_SHOWN ? `${name.slice(0, NAME_SHOWN)}…` : name;
    return `"${shown}" is not a ModDeck ${kind}.`;
  }
  return `A ModDeck ${kind} is named by a string, not by ${kindOf(name)}.`;
}

/** What kind of value `value` is, in words ("a list", "null"), read with `typeof` alone. */
export function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'boolean') return 'true or false';
  return `a ${typeof value}`;
}
