/**
 * Binds the dispatcher to Electron's IPC: one `ipcMain.handle` per contract channel. A request from
 * anything but the app's own window (another webContents, a sub-frame, a page that navigated
 * away) is refused before its input is even parsed.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { REQUEST_CHANNELS, type Result } from '../shared/contract';
import { ErrorCode } from '../shared/errors';
import type { Dispatcher } from './dispatch';
import type { Logger } from './logger';

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean;

const FOREIGN_SENDER: Result<never> = {
  ok: false,
  error: {
    code: ErrorCode.ForbiddenSender,
    message: 'This request did not come from the ModDeck window and was refused.',
  },
};

/** Registers a handler for every channel; returns a function that removes them all. */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatch: Dispatcher,
  isTrustedSender: SenderCheck,
  log: Logger,
): () => void {
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, (event, input: unknown) => {
      if (!isTrustedSender(event)) {
        log.warn('refused a request from a foreign sender', {
          channel,
          senderUrl: event.senderFrame?.url ?? null,
        });
        return FOREIGN_SENDER;
      }
      return dispatch(channel, input);
    });
  }
  return () => {
    for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * A sender is trusted when it is the top frame of the app's window and its document is the app's
 * own page: the same scheme and host as the dev server or the app's `app://` pages.
 */
export function createSenderCheck(
  getWebContentsId: () => number | null,
  appUrl: string,
): SenderCheck {
  return (event) => {
    const expectedId = getWebContentsId();
    if (expectedId === null || event.sender.id !== expectedId) return false;
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return isAppDocument(frame.url, appUrl);
  };
}

export function isAppDocument(documentUrl: string, appUrl: string): boolean {
  let actual: URL;
  let expected: URL;
  try {
    actual = new URL(documentUrl);
    expected = new URL(appUrl);
  } catch {
    return false;
  }
  if (expected.protocol === 'file:') {
    return actual.protocol === 'file:' && actual.pathname === expected.pathname;
  }
  // Not `origin`: a custom scheme's origin (`app://moddeck`) reads "null" in a WHATWG URL, the
  // same for every other custom-scheme page.
  return actual.protocol === expected.protocol && actual.host === expected.host;
}
