/**
 * A saved secret stays with the address it was entered for: an account pointed at another host
 * (a loopback capture server standing for one) without its secret again is refused, and nothing the
 * account does afterwards — listing rooms, testing the connection, opening a room — sends the
 * secret there. Both providers, through the core, against the sandbox.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Account } from '../../src/shared/model';
import { useCaptureServer, type CaptureServer } from '../support/captureServer';
import { buildTestCore, call, valueOf } from '../support/core';
import { addSandboxAccount, addVChatCloudAccount, useSandbox } from '../support/sandbox';
import { useTempDir } from '../support/tempDir';
import { vcontrol } from './vchatcloud/support';

async function setup() {
  const sandbox = await useSandbox({ rooms: 2, ratePerRoom: 0 });
  const capture = await useCaptureServer();
  const { core } = await buildTestCore(await useTempDir());
  onTestFinished(() => core.dispose());
  const saved = async (accountId: string): Promise<Omit<Account, 'hasSecret'>> => {
    const account = valueOf(await call(core, 'accounts.list')).find(
      (entry) => entry.id === accountId,
    );
    if (!account) throw new Error(`no account ${accountId}`);
    const { hasSecret: _hasSecret, ...fields } = account;
    return fields;
  };
  return { sandbox, capture, core, saved };
}

/** What the capture server could read of the credentials it was sent, Basic auth decoded. */
function readable(capture: CaptureServer): string {
  return capture
    .credentials()
    .map((value) =>
      value.startsWith('Basic ')
        ? `${value} ${Buffer.from(value.slice(6), 'base64').toString('utf8')}`
        : value,
    )
    .join('\n');
}

const REFUSED = {
  ok: false,
  error: {
    code: 'SECRET_REQUIRED',
    message:
      'The address changed, so the secret must be entered again: ModDeck sends a saved secret only to the address it was entered for.',
  },
};

describe('a saved secret and a changed address', () => {
  it('FlipFlop: pointing the account elsewhere without its secret is refused and sends it nowhere', async () => {
    const { sandbox, capture, core, saved } = await setup();
    const accountId = await addSandboxAccount(core, sandbox);
    const fields = await saved(accountId);

    expect(await call(core, 'accounts.save', { ...fields, baseUrl: capture.baseUrl })).toEqual(
      REFUSED,
    );
    expect(valueOf(await call(core, 'rooms.list', { accountId })).length).toBeGreaterThan(0);
    expect(valueOf(await call(core, 'accounts.test', { accountId })).ok).toBe(true);
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    expect(capture.requests).toEqual([]);

    // Pointed there with a secret entered for it, that one goes there; the sandbox's never does.
    valueOf(
      await call(core, 'accounts.save', {
        ...fields,
        baseUrl: capture.baseUrl,
        secret: 'entered-for-the-capture-host',
      }),
    );
    await call(core, 'rooms.list', { accountId });
    await call(core, 'accounts.test', { accountId });
    await call(core, 'rooms.open', { accountId, roomId: '1002' });
    expect(readable(capture)).toContain('entered-for-the-capture-host');
    expect(readable(capture)).not.toContain(sandbox.flipflop.appApiSecret);
  });

  it('VChatCloud: a new REST or event-bus address without the API key is refused and sends it nowhere', async () => {
    const { sandbox, capture, core, saved } = await setup();
    const accountId = await addVChatCloudAccount(core, sandbox);
    const fields = await saved(accountId);
    const { open } = await vcontrol(sandbox).seeded();

    for (const moved of [
      { ...fields, baseUrl: capture.baseUrl },
      { ...fields, eventbusUrl: `${capture.wsUrl}/eventbus/websocket` },
      {
        ...fields,
        baseUrl: capture.baseUrl,
        eventbusUrl: `${capture.wsUrl}/eventbus/websocket`,
      },
    ]) {
      expect(await call(core, 'accounts.save', moved)).toEqual(REFUSED);
    }
    expect(valueOf(await call(core, 'rooms.list', { accountId })).length).toBeGreaterThan(0);
    expect(valueOf(await call(core, 'accounts.test', { accountId })).ok).toBe(true);
    valueOf(await call(core, 'rooms.open', { accountId, roomId: open.roomId }));
    expect(capture.requests).toEqual([]);

    valueOf(
      await call(core, 'accounts.save', {
        ...fields,
        baseUrl: capture.baseUrl,
        secret: 'entered-for-the-capture-host',
      }),
    );
    await call(core, 'rooms.list', { accountId });
    await call(core, 'accounts.test', { accountId });
    expect(readable(capture)).toContain('entered-for-the-capture-host');
    expect(readable(capture)).not.toContain(sandbox.vchatcloud.apiKey);
  });
});
