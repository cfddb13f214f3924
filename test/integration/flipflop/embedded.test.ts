import { describe, expect, it, onTestFinished } from 'vitest';
import { startSandbox, STARTER_FORBIDDEN_WORDS } from '../../../src/sandbox';
import { buildTestCore, call, valueOf } from '../../support/core';
import { useTempDir } from '../../support/tempDir';
import { MemorySecretStore } from '../../../src/main/services/accounts/secrets';

const sandboxAdapter = {
  start: () => startSandbox({ port: 0, seed: 3, ratePerRoom: 0 }),
  forbiddenWords: STARTER_FORBIDDEN_WORDS,
};

/** An account of the moderator's own; nothing here connects to it. */
const OWN_ACCOUNT = {
  provider: 'flipflop' as const,
  name: 'Own show',
  baseUrl: 'https://api.flipflop.example',
  appApiKey: 'own-key',
  secret: 'own-secret',
};

describe('the embedded sandbox', () => {
  it('on a first start, adds the Sandbox account with its rooms open and a starter word list', async () => {
    const secrets = new MemorySecretStore();
    const { core } = await buildTestCore(await useTempDir(), { secrets, sandbox: sandboxAdapter });
    onTestFinished(() => core.dispose());
    await core.start();

    const accounts = valueOf(await call(core, 'accounts.list'));
    // The VChatCloud account beside it is tested with the VChatCloud client.
    expect(accounts.filter((account) => account.provider === 'flipflop')).toEqual([
      expect.objectContaining({
        name: 'Sandbox',
        provider: 'flipflop',
        sandbox: true,
        hasSecret: true,
      }),
    ]);
    const accountId = accounts.find((account) => account.provider === 'flipflop')?.id ?? '';
    expect(await secrets.get(accountId)).toBe('sandbox-app-secret');
    const settings = valueOf(await call(core, 'settings.get'));
    const columns = settings.layout.columns.filter((column) => column.accountId === accountId);
    expect(columns.map((column) => column.roomId)).toEqual(['1001', '1002', '1003', '1004']);
    expect(settings.rules.global.map((rule) => rule.pattern)).toEqual(STARTER_FORBIDDEN_WORDS);
    const room = valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    expect(room.provider).toBe('flipflop');
  });

  it('on a later start, brings the sandbox back on a new port under the same account', async () => {
    const dir = await useTempDir();
    const secrets = new MemorySecretStore();
    const first = await buildTestCore(dir, { secrets, sandbox: sandboxAdapter });
    await first.core.start();
    const before = valueOf(await call(first.core, 'accounts.list')).find(
      (account) => account.provider === 'flipflop',
    );
    valueOf(
      await call(first.core, 'settings.set', {
        layout: { columns: [{ accountId: before?.id ?? '', roomId: '1002' }] },
      }),
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, { secrets, sandbox: sandboxAdapter });
    onTestFinished(() => second.core.dispose());
    await second.core.start();
    const after = valueOf(await call(second.core, 'accounts.list')).find(
      (account) => account.provider === 'flipflop',
    );
    expect(after?.id).toBe(before?.id);
    expect(after?.baseUrl).not.toBe(before?.baseUrl);
    expect(valueOf(await call(second.core, 'settings.get')).layout.columns).toEqual([
      { accountId: before?.id, roomId: '1002' },
    ]);
    expect(
      valueOf(await call(second.core, 'rooms.list', { accountId: after?.id })).length,
    ).toBeGreaterThan(0);
  });

  it('does not start when turned off, and removes the accounts and columns it left behind', async () => {
    const dir = await useTempDir();
    const secrets = new MemorySecretStore();
    let started = 0;
    const counting = { ...sandboxAdapter, start: () => ((started += 1), sandboxAdapter.start()) };
    const first = await buildTestCore(dir, { secrets, sandbox: counting });
    await first.core.start();
    const own = valueOf(await call(first.core, 'accounts.save', OWN_ACCOUNT));
    const sandboxIds = valueOf(await call(first.core, 'accounts.list'))
      .filter((account) => account.sandbox)
      .map((account) => account.id);
    expect(sandboxIds).toHaveLength(2);
    const columns = valueOf(await call(first.core, 'settings.get')).layout.columns;
    valueOf(
      await call(first.core, 'settings.set', {
        embeddedSandbox: false,
        layout: { columns: [...columns, { accountId: own.id, roomId: '77' }] },
      }),
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, { secrets, sandbox: counting });
    onTestFinished(() => second.core.dispose());
    await second.core.start();
    expect(started).toBe(1);
    expect(valueOf(await call(second.core, 'accounts.list')).map((account) => account.id)).toEqual([
      own.id,
    ]);
    expect(valueOf(await call(second.core, 'settings.get')).layout.columns).toEqual([
      { accountId: own.id, roomId: '77' },
    ]);
    for (const id of sandboxIds) expect(await secrets.get(id)).toBeNull();
  });

  it('when turned on beside the moderator’s own account, adds its accounts after the deck’s columns', async () => {
    const dir = await useTempDir();
    const first = await buildTestCore(dir, { sandbox: sandboxAdapter });
    valueOf(await call(first.core, 'settings.set', { embeddedSandbox: false }));
    await first.core.start();
    const own = valueOf(await call(first.core, 'accounts.save', OWN_ACCOUNT));
    const ownRules = [{ id: 'own', pattern: 'spoiler', kind: 'term' as const }];
    valueOf(
      await call(first.core, 'settings.set', {
        embeddedSandbox: true,
        layout: { columns: [{ accountId: own.id, roomId: '77' }] },
        rules: { global: ownRules, rooms: {} },
      }),
    );
    await first.core.dispose();

    const second = await buildTestCore(dir, { sandbox: sandboxAdapter });
    onTestFinished(() => second.core.dispose());
    await second.core.start();
    const accounts = valueOf(await call(second.core, 'accounts.list'));
    expect(accounts.map((account) => [account.name, account.sandbox === true])).toEqual([
      ['Own show', false],
      ['Sandbox', true],
      ['Sandbox VChatCloud', true],
    ]);
    const settings = valueOf(await call(second.core, 'settings.get'));
    const sandboxFlipFlop = accounts.find((account) => account.name === 'Sandbox')?.id;
    expect(settings.layout.columns.slice(0, 5)).toEqual([
      { accountId: own.id, roomId: '77' },
      ...['1001', '1002', '1003', '1004'].map((roomId) => ({
        accountId: sandboxFlipFlop,
        roomId,
      })),
    ]);
    // The moderator's own word list is theirs: no starter words are mixed in.
    expect(settings.rules.global).toEqual(ownRules);
  });

  it('turns itself off when the moderator removes the last sandbox account', async () => {
    const dir = await useTempDir();
    let started = 0;
    const counting = { ...sandboxAdapter, start: () => ((started += 1), sandboxAdapter.start()) };
    const first = await buildTestCore(dir, { sandbox: counting });
    await first.core.start();
    const sandboxAccounts = valueOf(await call(first.core, 'accounts.list'));
    const [one, other] = sandboxAccounts;
    valueOf(await call(first.core, 'accounts.remove', { id: one?.id ?? '' }));
    expect(valueOf(await call(first.core, 'settings.get')).embeddedSandbox).toBe(true);
    valueOf(await call(first.core, 'accounts.remove', { id: other?.id ?? '' }));
    expect(valueOf(await call(first.core, 'settings.get')).embeddedSandbox).toBe(false);
    await first.core.dispose();

    const second = await buildTestCore(dir, { sandbox: counting });
    onTestFinished(() => second.core.dispose());
    await second.core.start();
    expect(started).toBe(1);
    expect(valueOf(await call(second.core, 'accounts.list'))).toEqual([]);
  });

  it('says so at start-up when the sandbox cannot be added, instead of failing', async () => {
    const { core } = await buildTestCore(await useTempDir(), {
      sandbox: { start: () => Promise.reject(new Error('port in use')), forbiddenWords: [] },
    });
    onTestFinished(() => core.dispose());
    await core.start();
    expect(valueOf(await call(core, 'app.info')).warnings).toEqual([
      {
        id: 'sandbox',
        kind: 'sandboxFailed',
        reason: 'port in use',
        message: 'The built-in sandbox could not start: port in use',
      },
    ]);
  });
});
