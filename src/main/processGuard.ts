/**
 * The last guard of the main process and of the browser host, for what escaped every other: a
 * promise rejected with nobody to handle it is logged (redacted, by the logger) and the process
 * keeps running, since the rest of its state is as sound as before. An uncaught exception is
 * logged the same way and then ends the process: Node's documentation says its state may be
 * corrupt after one, and Electron's own handler would show the raw error, secrets and all, in a
 * dialog and carry on. No electron import: the Electron entry and the host's `main()` install it,
 * each with its own way to exit.
 */
import type { Logger } from './logger';

export interface ProcessGuardOptions {
  log: Logger;
  /** Ends the process after an uncaught exception (Electron: `app.exit`). */
  exit: (code: number) => void;
  /** The process to guard; tests pass a stand-in. */
  target?: Pick<NodeJS.EventEmitter, 'on' | 'off'>;
}

/** Installs the handlers; returns a function that removes them. */
export function installProcessGuard({
  log,
  exit,
  target = process,
}: ProcessGuardOptions): () => void {
  const rejected = (reason: unknown): void => {
    log.error('a promise was rejected and nothing handled it', { error: describe(reason) });
  };
  const thrown = (error: unknown): void => {
    log.error('an exception reached the top; ModDeck stops', { error: describe(error) });
    exit(1);
  };
  target.on('unhandledRejection', rejected);
  target.on('uncaughtException', thrown);
  return () => {
    target.off('unhandledRejection', rejected);
    target.off('uncaughtException', thrown);
  };
}

/** The stack or the value in words; never throws, whatever was thrown. */
function describe(error: unknown): string {
  try {
    if (error instanceof Error) return error.stack ?? `${error.name}: ${error.message}`;
    return String(error);
  } catch {
    return 'a value that cannot be shown';
  }
}
