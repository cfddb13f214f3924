/**
 * A VChatCloud account whose API key is replaced, through the core against the sandbox over
 * loopback: the calls after the save go out with the key saved, not the one their access token
 * was issued with.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addVChatCloudAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { vcontrol } from './support';

async function setup() {
  const sandbox = await useSandbox({ ratePerRoom: 0 });
  const { core } = await buildTestCore(await useTempDir());
  onTestFinished(() => core.dispose());
  const accountId = await addVChatCloudAccount(core, sandbox);
  const api = vcontrol(sandbox);
  const { open } = await api.seeded();
  const [first, second] = (await api.users(open.roomId)).filter((user) => user.simulated);
  return {
    core,
    sandbox,
    api,
    accountId,
    roomKey: `${accountId}/${open.roomId}`,
    users: [first?.clientKey ?? '', second?.clientKey ?? ''] as const,
  };
}

describe('a VChatCloud API key replaced in Settings', () => {
  it('mutes with the key re-issued on the CMS once it is saved, not with the old one', async () => {
    const { core, sandbox, api, accountId, roomKey, users } = await setup();
    // A token is issued with the first key and kept.
    valueOf(await call(core, 'users.mute', { roomKey, userId: users[0] }));

    const { apiKey } = await api.request<{ apiKey: string }>('POST', '/vchatcloud/api-key');
    expect(await call(core, 'users.mute', { roomKey, userId: users[1] })).toMatchObject({
      ok: false,
      error: { code: '90001' },
    });

    const account = core.accounts.records().find((record) => record.id === accountId);
    if (account?.provider !== 'vchatcloud') throw new Error('no VChatCloud account');
    valueOf(await call(core, 'accounts.save', { ...account, secret: apiKey }));

    valueOf(await call(core, 'users.mute', { roomKey, userId: users[1] }));
    expect(valueOf(await call(core, 'users.restrictions', { roomKey })).muted).toEqual([...users]);
    // "Test connection" on the saved account tries the saved key too.
    expect(valueOf(await call(core, 'accounts.test', { accountId }))).toMatchObject({ ok: true });
    expect(sandbox.vchatcloud.apiKey).not.toBe(apiKey);
  });

  it('says a key saved wrong does not work when the saved account is tested', async () => {
    const { core, accountId, roomKey, users } = await setup();
    valueOf(await call(core, 'users.mute', { roomKey, userId: users[0] }));

    const account = core.accounts.records().find((record) => record.id === accountId);
    if (account?.provider !== 'vchatcloud') throw new Error('no VChatCloud account');
    valueOf(await call(core, 'accounts.save', { ...account, secret: 'mistyped-api-key' }));

    expect(valueOf(await call(core, 'accounts.test', { accountId }))).toMatchObject({
      ok: false,
      code: '90001',
    });
    expect(await call(core, 'users.unmute', { roomKey, userId: users[0] })).toMatchObject({
      ok: false,
      error: { code: '90001' },
    });
  });
});
