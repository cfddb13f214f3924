/**
 * A `window.moderator` for renderer tests: answers requests from handlers the test provides,
 * records every call, and lets the test push events as main would.
 */
import type { SecretStoreStatus } from '../../../src/shared/model';
import type {
  EventName,
  EventPayload,
  ModeratorBridge,
  RequestChannel,
  RequestInput,
  RequestOutput,
  Result,
} from '../../../src/shared/contract';

type FakeHandler<C extends RequestChannel> = (
  input: RequestInput<C>,
) => Result<RequestOutput<C>> | Promise<Result<RequestOutput<C>>>;

export type FakeHandlers = { [C in RequestChannel]?: FakeHandler<C> };

export interface FakeBridge extends ModeratorBridge {
  calls: Array<{ channel: RequestChannel; input: unknown }>;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

export function installFakeBridge(handlers: FakeHandlers): FakeBridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: FakeBridge['calls'] = [];
  const bridge: FakeBridge = {
    calls,
    invoke(channel, ...args) {
      calls.push({ channel, input: args[0] });
      const handler = handlers[channel];
      if (!handler) {
        return Promise.resolve({
          ok: false,
          error: { code: 'NOT_FOUND', message: `no fake handler for ${channel}` },
        });
      }
      return Promise.resolve(handler(args[0] as RequestInput<typeof channel>));
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) listener(payload);
    },
  };
  window.moderator = bridge;
  return bridge;
}

/** main's `app.info` answer for renderer tests, with the secret store the test needs. */
export function appInfoAnswer(secretStore: SecretStoreStatus = { kind: 'keychain' }) {
  return {
    ok: true as const,
    value: { name: 'ModDeck', version: '0.0.0', platform: 'test', secretStore, warnings: [] },
  };
}
