/**
 * A VChatCloud account edited while its rooms are open, through the core against the sandbox over
 * loopback: the live connection comes back with the account's new details, even when a call to
 * the account was made while the save was still announcing itself.
 */
import { onTestFinished, describe, expect, it } from 'vitest';
import type { ChatEvent, FeedBatch } from '../../../src/shared/chat';
import { MemorySecretStore } from '../../../src/main/services/accounts/secrets';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addVChatCloudAccount, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';
import { BusClient, bodyOf, vcontrol } from './support';

/** A keychain whose listing runs `during` first, once it is armed: a slow keychain's answer. */
class SlowListing extends MemorySecretStore {
  during: (() => Promise<void>) | null = null;

  override async list(): Promise<string[]> {
    const run = this.during;
    if (run !== null) await run();
    return super.list();
  }
}

describe('a VChatCloud account edited while its room is open', () => {
  it('rejoins as the new nickname though a call used the account while the save was announced', async () => {
    const sandbox = await useSandbox({ ratePerRoom: 0 });
    const secrets = new SlowListing();
    const { core } = await buildTestCore(await useTempDir(), { secrets });
    onTestFinished(() => core.dispose());
    const accountId = await addVChatCloudAccount(core, sandbox);
    const { open } = await vcontrol(sandbox).seeded();
    const roomKey = `${accountId}/${open.roomId}`;
    const events: ChatEvent[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'feed.batch') events.push(...(payload as FeedBatch).events);
    });
    const joinedAs = (name: string) => () =>
      events.some(
        (event) =>
          event.kind === 'join' && event.user?.id === 'moderator1' && event.user.name === name,
      );
    valueOf(await call(core, 'rooms.open', { accountId, roomId: open.roomId }));
    await until(core.events, joinedAs('운영자'), 'the room joined');
    const chatter = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await chatter.join({ roomId: open.roomId, clientKey: 'uTom', nickName: 'Tom' });

    const account = core.accounts.records().find((record) => record.id === accountId);
    if (account?.provider !== 'vchatcloud') throw new Error('no VChatCloud account');
    const renamed = { ...account, moderator: { ...account.moderator, nickName: 'Night shift' } };
    // The user card asks for the room's restrictions once the new record is saved, before the
    // save has told the feeds (the call itself waits for the save to end).
    let reading: Promise<unknown> | null = null;
    secrets.during = () => {
      const saved = core.accounts.records().find((record) => record.id === accountId);
      if (saved?.provider === 'vchatcloud' && saved.moderator.nickName === 'Night shift') {
        secrets.during = null;
        reading = core.moderation.restrictions(roomKey);
      }
      return Promise.resolve();
    };
    valueOf(await call(core, 'accounts.save', renamed));
    expect(reading).not.toBeNull();
    await expect(reading).resolves.toEqual({ muted: [], exiled: [] });

    await until(core.events, joinedAs('Night shift'), 'the room joined as the new nickname');
    valueOf(
      await call(core, 'admin.direct', {
        roomKey,
        messageType: 'DM',
        message: 'Please keep it civil',
        appUserIds: ['uTom'],
      }),
    );
    expect(bodyOf(await chatter.push(`s2c.personal.whisper/${open.roomId}/uTom`))).toMatchObject({
      nickName: 'Night shift',
      message: 'Please keep it civil',
    });
  });
});
