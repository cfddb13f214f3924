/**
 * Builds `window.moderator` from an `ipcRenderer`: `invoke` for contract requests, `on` for
 * contract events. Names outside the contract are refused here, before anything reaches main,
 * and Electron's event object never reaches the page (it carries the sender).
 */
import type { IpcRenderer } from 'electron';
import { describeUnknownName, isEventName, isRequestChannel } from '../shared/channels';

export interface Bridge {
  invoke(channel: unknown, input?: unknown): Promise<unknown>;
  on(event: unknown, listener: unknown): () => void;
}

export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Bridge {
  return Object.freeze({
    invoke(channel: unknown, input?: unknown): Promise<unknown> {
      if (!isRequestChannel(channel)) {
        return Promise.resolve({
          ok: false,
          error: {
            code: 'UNKNOWN_CHANNEL',
            message: describeUnknownName(channel, 'request'),
          },
        });
      }
      return ipc.invoke(channel, input);
    },
    on(event: unknown, listener: unknown): () => void {
      if (!isEventName(event)) throw new TypeError(describeUnknownName(event, 'event'));
      if (typeof listener !== 'function') throw new TypeError('A listener must be a function.');
      const forward = (_event: unknown, payload: unknown): void => {
        (listener as (payload: unknown) => void)(payload);
      };
      ipc.on(event, forward);
      return () => {
        ipc.removeListener(event, forward);
      };
    },
  });
}
