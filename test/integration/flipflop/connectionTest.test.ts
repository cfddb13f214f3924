import { describe, expect, it, onTestFinished } from 'vitest';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';

async function setup() {
  const sandbox = await useSandbox({ rooms: 3, ratePerRoom: 0 });
  const test = await buildTestCore(await useTempDir());
  onTestFinished(() => test.core.dispose());
  const accountId = await addSandboxAccount(test.core, sandbox);
  return { ...test, sandbox, accountId };
}

describe('accounts.test against the sandbox', () => {
  it('lists the rooms and says how many in words', async () => {
    const { core, sandbox, accountId } = await setup();
    const rooms = await control(sandbox).rooms();

    const answer = valueOf(await call(core, 'accounts.test', { accountId }));

    expect(rooms.length).toBeGreaterThan(1);
    expect(answer).toEqual({
      ok: true,
      message: `Connected: ${rooms.length} rooms`,
      roomCount: rooms.length,
    });
  });

  it('answers a refused secret in words, without the secret, as a failed test', async () => {
    const { core, sandbox, accountId } = await setup();
    const record = core.accounts.record(accountId);
    if (record.provider !== 'flipflop') throw new Error('expected a FlipFlop account');
    const wrongSecret = 'not-the-secret-4711';
    await core.accounts.save({ ...record, secret: wrongSecret });

    const answer = valueOf(await call(core, 'accounts.test', { accountId }));

    expect(answer.ok).toBe(false);
    // The provider's own code passes through (the renderer has words for it).
    expect(answer.code).toBe('INVALID_APP_CREDENTIALS');
    // The reason alone: the window says "Could not connect" in the moderator's language.
    expect(answer.message).not.toMatch(/could not connect/i);
    expect(answer.message).not.toContain(wrongSecret);
    expect(answer.message).not.toContain(sandbox.flipflop.appApiSecret);
    expect(answer.roomCount).toBeUndefined();
  });

  it('refuses an account that does not exist as an error of the request', async () => {
    const { core } = await setup();
    const result = await call(core, 'accounts.test', { accountId: 'nobody' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('NOT_FOUND');
  });
});

describe('accounts.testDraft against the sandbox', () => {
  it('tries an account before it is saved, and saves nothing', async () => {
    const sandbox = await useSandbox({ rooms: 3, ratePerRoom: 0 });
    const { core, redactor } = await buildTestCore(await useTempDir());
    onTestFinished(() => core.dispose());
    const rooms = await control(sandbox).rooms();
    const draft = {
      provider: 'flipflop',
      name: 'Evening show',
      baseUrl: sandbox.flipflop.baseUrl,
      appApiKey: sandbox.flipflop.appApiKey,
      secret: sandbox.flipflop.appApiSecret,
    };

    expect(valueOf(await call(core, 'accounts.testDraft', draft))).toEqual({
      ok: true,
      message: `Connected: ${rooms.length} rooms`,
      roomCount: rooms.length,
    });
    const wrongSecret = 'not-the-secret-4711';
    const refused = valueOf(
      await call(core, 'accounts.testDraft', { ...draft, secret: wrongSecret }),
    );
    expect(refused).toMatchObject({ ok: false, code: 'INVALID_APP_CREDENTIALS' });
    expect(refused.message).not.toContain(wrongSecret);
    expect(core.accounts.records()).toEqual([]);
    // A secret only tried is not masked for good: chat that happens to contain it reads as sent.
    expect(redactor.maskSecrets(`a chat line with ${wrongSecret}`)).toBe(
      `a chat line with ${wrongSecret}`,
    );

    const { secret: _secret, ...withoutSecret } = draft;
    expect(await call(core, 'accounts.testDraft', withoutSecret)).toMatchObject({
      ok: false,
      error: { code: 'SECRET_REQUIRED', message: 'Enter the secret to test the connection.' },
    });
  });

  it('tries an edit with the saved secret while its addresses stay, and asks for it when they change', async () => {
    const { core, sandbox, accountId } = await setup();
    const { sandbox: _flag, ...record } = core.accounts.record(accountId);
    expect(valueOf(await call(core, 'accounts.testDraft', record)).ok).toBe(true);

    const elsewhere = { ...record, baseUrl: 'http://127.0.0.1:9' };
    expect(await call(core, 'accounts.testDraft', elsewhere)).toMatchObject({
      ok: false,
      error: { code: 'SECRET_REQUIRED' },
    });
    const answer = valueOf(
      await call(core, 'accounts.testDraft', {
        ...elsewhere,
        secret: sandbox.flipflop.appApiSecret,
      }),
    );
    expect(answer).toMatchObject({ ok: false, code: 'NETWORK' });
    expect(answer.message).not.toContain(sandbox.flipflop.appApiSecret);
  });
});
