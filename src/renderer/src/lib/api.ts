/**
 * The renderer's only door to the main process. In Electron the preload installs
 * `window.moderator`; the browser host and the tests install another implementation of the same
 * type. Components never call this directly: store actions do.
 */
import type {
  EventName,
  EventPayload,
  InvokeArgs,
  ModeratorBridge,
  RequestChannel,
  RequestOutput,
  Result,
} from '../../../shared/contract';

declare global {
  interface Window {
    moderator?: ModeratorBridge;
  }
}

function bridge(): ModeratorBridge {
  const installed = window.moderator;
  if (!installed)
    throw new Error('ModDeck was opened without its main process (no window.moderator).');
  return installed;
}

export function invoke<C extends RequestChannel>(
  channel: C,
  ...args: InvokeArgs<C>
): Promise<Result<RequestOutput<C>>> {
  return bridge()
    .invoke(channel, ...args)
    .catch((error: unknown): Result<RequestOutput<C>> => ({
      ok: false,
      error: { code: 'NETWORK', message: error instanceof Error ? error.message : String(error) },
    }));
}

export function on<E extends EventName>(
  event: E,
  listener: (payload: EventPayload<E>) => void,
): () => void {
  return bridge().on(event, listener);
}
