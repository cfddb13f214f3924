import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it, onTestFinished } from 'vitest';

const root = new URL('../..', import.meta.url).pathname;
const SECRET = 'sk_guarded_5e1f9a';

/** Runs the guarded process to its end: exit code and everything it printed. */
async function runGuarded(mode: 'reject' | 'throw') {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'test/support/guardedProcess.ts', mode, SECRET],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

describe('the process guard', () => {
  it('logs a rejection nothing handled, redacted, and the process keeps running', async () => {
    const { code, stdout, stderr } = await runGuarded('reject');
    expect(stdout).toBe('still running\n');
    expect(code).toBe(0);
    const [line] = stderr.trim().split('\n');
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'error',
      message: 'a promise was rejected and nothing handled it',
      error: expect.stringContaining('the service refused [redacted]') as string,
    });
    expect(stderr).not.toContain(SECRET);
  });

  it('logs an uncaught exception, redacted, and ends the process with code 1', async () => {
    const { code, stdout, stderr } = await runGuarded('throw');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(stderr)).toMatchObject({
      level: 'error',
      message: 'an exception reached the top; ModDeck stops',
      error: expect.stringContaining('a bug met [redacted]') as string,
    });
    expect(stderr).not.toContain(SECRET);
  });
});
