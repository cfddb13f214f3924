/**
 * Served by the browser host as `/__host/bridge.js`: installs `window.moderator` = { invoke, on }
 * over one WebSocket to the host, with the same allow-list as the Electron preload. The renderer
 * cannot tell the difference.
 */
import { describeUnknownName, isEventName, isRequestChannel } from '../../src/shared/channels';

interface Answer {
  id: number;
  result: unknown;
}

interface Pushed {
  event: string;
  payload: unknown;
}

const socket = new WebSocket(
  `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/__host/bridge`,
);
const opened = new Promise<void>((resolve) =>
  socket.addEventListener('open', () => resolve(), { once: true }),
);
const waiting = new Map<number, (result: unknown) => void>();
const listeners = new Map<string, Set<(payload: unknown) => void>>();
let nextId = 1;

socket.addEventListener('message', (message: MessageEvent<string>) => {
  const data = JSON.parse(message.data) as Answer | Pushed;
  if ('id' in data) {
    waiting.get(data.id)?.(data.result);
    waiting.delete(data.id);
    return;
  }
  for (const listener of listeners.get(data.event) ?? []) listener(data.payload);
});

socket.addEventListener('close', () => {
  for (const resolve of waiting.values()) {
    resolve({
      ok: false,
      error: { code: 'NETWORK', message: 'The connection to the host closed.' },
    });
  }
  waiting.clear();
});

// Main learns whether the window has the focus from Electron; through the host it learns it from
// the page: once the socket opens, then at every change. Told rather than asked, so a flag that
// arrives finds the answer waiting instead of a round trip to a page that may be busy.
function sayFocus(focused: boolean): void {
  if (socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ focused }));
}
void opened.then(() => sayFocus(document.hasFocus()));
window.addEventListener('focus', () => sayFocus(true));
window.addEventListener('blur', () => sayFocus(false));

const bridge = Object.freeze({
  async invoke(channel: unknown, input?: unknown): Promise<unknown> {
    if (!isRequestChannel(channel)) {
      return {
        ok: false,
        error: {
          code: 'UNKNOWN_CHANNEL',
          message: describeUnknownName(channel, 'request'),
        },
      };
    }
    // Sent at once when the socket is open, as Electron's `ipcRenderer.invoke` sends: waiting for
    // `opened` put a microtask between a key and its request, and the renders a key's own store
    // updates had queued ran first.
    if (socket.readyState !== WebSocket.OPEN) await opened;
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      socket.send(JSON.stringify({ id, channel, input }));
    });
  },
  on(event: unknown, listener: unknown): () => void {
    if (!isEventName(event)) throw new TypeError(describeUnknownName(event, 'event'));
    if (typeof listener !== 'function') throw new TypeError('A listener must be a function.');
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    const forward = (payload: unknown): void => (listener as (payload: unknown) => void)(payload);
    set.add(forward);
    return () => set.delete(forward);
  },
});

Object.defineProperty(window, 'moderator', { value: bridge, writable: false, configurable: false });
