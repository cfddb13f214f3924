/**
 * The embedded default with VChatCloud: a first start adds "Sandbox VChatCloud" beside the
 * FlipFlop account and opens its rooms after FlipFlop's; later starts follow the sandbox to its
 * new port; a removed sandbox account stays removed.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { startSandbox, STARTER_FORBIDDEN_WORDS } from '../../../src/sandbox';
import type { StartedSandbox } from '../../../src/main/services/embeddedSandbox';
import { MemorySecretStore } from '../../../src/main/services/accounts/secrets';
import { buildTestCore, call, valueOf } from '../../support/core';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import type { RoomStatus } from '../../../src/shared/chat';

const sandboxAdapter = {
  start: () => startSandbox({ port: 0, seed: 3, ratePerRoom: 0 }),
  forbiddenWords: STARTER_FORBIDDEN_WORDS,
};

describe('the embedded sandbox with VChatCloud', () => {
  it('adds "Sandbox VChatCloud" beside the FlipFlop account, its open rooms after FlipFlop’s', async () => {
    const secrets = new MemorySecretStore();
    const { core } = await buildTestCore(await useTempDir(), { secrets, sandbox: sandboxAdapter });
    onTestFinished(() => core.dispose());
    await core.start();

    const accounts = valueOf(await call(core, 'accounts.list'));
    expect(accounts.map((account) => [account.provider, account.name, account.sandbox])).toEqual([
      ['flipflop', 'Sandbox', true],
      ['vchatcloud', 'Sandbox VChatCloud', true],
    ]);
    const vchat = accounts[1];
    if (vchat?.provider !== 'vchatcloud') throw new Error('expected the VChatCloud account');
    expect(vchat).toMatchObject({
      hasSecret: true,
      moderator: { clientKey: 'moderator1', nickName: '운영자' },
      eventbusUrl: expect.stringMatching(
        /^ws:\/\/127\.0\.0\.1:\d+\/eventbus\/websocket$/,
      ) as string,
    });
    expect(await secrets.get(vchat.id)).toBe('sndbox-vchat0-apikey-000001-20240101000000');

    const columns = valueOf(await call(core, 'settings.get')).layout.columns;
    expect(columns.map((column) => column.accountId)).toEqual([
      ...Array<string>(4).fill(accounts[0]?.id ?? ''),
      vchat.id,
      vchat.id,
    ]);
    const vchatRooms = valueOf(await call(core, 'rooms.list', { accountId: vchat.id }));
    expect(columns.slice(4).map((column) => column.roomId)).toEqual(
      vchatRooms
        .filter((room) => room.chat === 'open')
        .map((room) => room.roomId)
        .sort((a, b) => a.localeCompare(b, 'en', { numeric: true })),
    );

    const statuses: RoomStatus[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'feed.status')
        statuses.push(...(payload as { statuses: RoomStatus[] }).statuses);
    });
    const room = valueOf(
      await call(core, 'rooms.open', { accountId: vchat.id, roomId: columns[4]?.roomId ?? '' }),
    );
    expect(room.provider).toBe('vchatcloud');
    await until(
      core.events,
      () => statuses.some((status) => status.roomKey === room.roomKey && status.state === 'live'),
      'the VChatCloud room live',
    );
  });

  it('follows the sandbox to its new port on a later start, and leaves a removed account removed', async () => {
    const dir = await useTempDir();
    const secrets = new MemorySecretStore();
    const first = await buildTestCore(dir, { secrets, sandbox: sandboxAdapter });
    await first.core.start();
    const before = valueOf(await call(first.core, 'accounts.list'));
    await first.core.dispose();

    const second = await buildTestCore(dir, { secrets, sandbox: sandboxAdapter });
    await second.core.start();
    const after = valueOf(await call(second.core, 'accounts.list'));
    expect(after.map((account) => account.id)).toEqual(before.map((account) => account.id));
    expect(after[1]?.baseUrl).not.toBe(before[1]?.baseUrl);
    expect(valueOf(await call(second.core, 'rooms.list', { accountId: after[1]?.id })).length).toBe(
      3,
    );
    valueOf(await call(second.core, 'accounts.remove', { id: after[1]?.id }));
    await second.core.dispose();

    const third = await buildTestCore(dir, { secrets, sandbox: sandboxAdapter });
    onTestFinished(() => third.core.dispose());
    await third.core.start();
    expect(
      valueOf(await call(third.core, 'accounts.list')).map((account) => account.provider),
    ).toEqual(['flipflop']);
  });

  it('adds only the FlipFlop account for a sandbox that describes no VChatCloud', async () => {
    const { core } = await buildTestCore(await useTempDir(), {
      sandbox: {
        start: async (): Promise<StartedSandbox> => {
          const { vchatcloud: _vchatcloud, ...sandbox } = await startSandbox({
            port: 0,
            seed: 3,
            ratePerRoom: 0,
          });
          return sandbox;
        },
        forbiddenWords: STARTER_FORBIDDEN_WORDS,
      },
    });
    onTestFinished(() => core.dispose());
    await core.start();
    const accounts = valueOf(await call(core, 'accounts.list'));
    expect(accounts.map((account) => account.provider)).toEqual(['flipflop']);
    expect(valueOf(await call(core, 'settings.get')).layout.columns).toHaveLength(4);
  });
});
