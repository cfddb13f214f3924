/**
 * A deck with a VChatCloud room (first) and a FlipFlop room for the VChatCloud deck tests, user
 * actions that succeed unless a test says otherwise, and helpers to read what the deck did.
 */
import type { ChatEvent, UserAction } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import { chatEvent, fakeDeck, findRow } from './deckHarness';
import type { FakeHandlers } from './fakeBridge';

export const V = 'vcc/square';
export const A = 'acc/alpha';
export const eve = { id: 'u-eve', name: 'eve' };
export const bob = { id: 'u-bob', name: 'bob' };
const moderator = { id: 'moderator', name: '운영자' };

type Calls = { calls: Array<{ channel: string; input: unknown }> };

/** Mute, exile and their lifting (not the restrictions the user card asks for). */
export function userCalls(bridge: Calls) {
  return bridge.calls.filter(
    (call) => call.channel.startsWith('users.') && call.channel !== 'users.restrictions',
  );
}

export function messageCalls(bridge: Calls) {
  return bridge.calls.filter((call) => call.channel.startsWith('messages.'));
}

/** A successful answer to a user action. */
export function answer(action: UserAction) {
  return ({ roomKey, userId }: RequestInput<'users.mute'>) => ({
    ok: true as const,
    value: { roomKey, userId, action },
  });
}

/** Eve and Bob write in the VChatCloud room; the moderator's own notice comes last. */
function squareEvents(): ChatEvent[] {
  return [
    chatEvent(V, { id: 'v1', user: eve, text: 'hello from vchat' }),
    chatEvent(V, { id: 'v2', user: bob, text: 'buy cheap stuff' }),
    chatEvent(V, {
      id: 'v3',
      kind: 'notice',
      user: moderator,
      text: 'be kind',
      fromModerator: true,
    }),
  ];
}

/** A VChatCloud room "Square" (first) and a FlipFlop room "Alpha" where eve wrote too. */
export function vchatDeck(handlers: FakeHandlers = {}, settingsPatch = {}) {
  return fakeDeck(
    [
      {
        accountId: 'vcc',
        roomId: 'square',
        name: 'Square',
        provider: 'vchatcloud',
        events: squareEvents(),
      },
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [chatEvent(A, { id: 'a1', user: eve, text: 'hi on flipflop' })],
      },
    ],
    {
      'users.mute': answer('mute'),
      'users.unmute': answer('unmute'),
      'users.exile': answer('exile'),
      'users.unexile': answer('unexile'),
      'users.restrictions': () => ({ ok: true, value: { muted: [], exiled: [] } }),
      ...handlers,
    },
    settingsPatch,
  );
}

/** Waits until both rooms show their messages. */
export async function ready(): Promise<void> {
  await findRow('v2', V);
  await findRow('a1', A);
}

export function toast(): HTMLElement {
  const found = document.querySelector<HTMLElement>('.toast-region .toast');
  if (!found) throw new Error('no toast');
  return found;
}

/** What the toast says, without its buttons. */
export function toastText(): string {
  return toast().querySelector('span')?.textContent ?? '';
}
