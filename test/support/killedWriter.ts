/**
 * The memory writer (`memoryWriter.ts`, 5,000 events a second through a real memory worker) in a
 * child process, killed with SIGKILL mid-write: for the kill test and the store benchmark.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/** The last counts the writer reported before it was killed. */
export interface WriterReport {
  committed: number;
  /** Posted to the worker, committed or not. */
  posted: number;
}

/**
 * Starts the writer on the file (its event ids starting with `prefix`), waits until it reports
 * `atLeast` events committed and then `delayMs` more, kills it with SIGKILL, and answers with what
 * it had reported. Fails if the writer ends by itself first.
 */
export async function writeThenKill(
  file: string,
  prefix: string,
  { atLeast = 1, delayMs = 0 }: { atLeast?: number; delayMs?: number } = {},
): Promise<WriterReport> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/memoryWriter.ts', file, prefix],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    const reported: WriterReport = { committed: 0, posted: 0 };
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the writer ended by itself (${code})`)));
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('utf8');
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const [kind, count] = line.split(' ');
          if (kind === 'committed' || kind === 'posted')
            reported[kind] = Math.max(reported[kind], Number(count));
        }
        if (reported.committed >= atLeast) resolve();
      });
    });
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    child.removeAllListeners('exit');
    // 'close' comes once its output is read to the end: every line printed before the kill counts.
    const closed = once(child, 'close');
    child.kill('SIGKILL');
    await closed;
    return reported;
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
