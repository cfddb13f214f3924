/**
 * A process with the process guard installed, as the Electron entry and the host install it, that
 * then lets a rejection (`reject`) or an exception (`throw`) carrying a secret escape. Log lines go
 * to stderr; "still running" goes to stdout once the guard has logged a rejection.
 */
import { createLogger } from '../../src/main/logger';
import { installProcessGuard } from '../../src/main/processGuard';
import { Redactor } from '../../src/main/services/accounts/redactor';

const [mode = 'reject', secret = 'sk_guarded_secret'] = process.argv.slice(2);
const redactor = new Redactor();
redactor.add(secret);
const log = createLogger((line) => {
  process.stderr.write(`${line}\n`);
  // The guard has handled the rejection: show that the process goes on, then end it cleanly.
  if (line.includes('nothing handled it')) {
    setImmediate(() => {
      process.stdout.write('still running\n');
      process.exit(0);
    });
  }
}, redactor);
installProcessGuard({ log, exit: (code) => process.exit(code) });

if (mode === 'reject') {
  void Promise.reject(new Error(`the service refused ${secret}`));
} else {
  setImmediate(() => {
    throw new Error(`a bug met ${secret}`);
  });
}
