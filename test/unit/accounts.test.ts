import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProviderRegistry } from '../../src/main/providers/registry';
import type { ProviderAccount } from '../../src/main/providers/types';
import { gossipPasscodeKey } from '../../src/main/services/accounts/accounts';
import { PROFILE_FILE } from '../../src/main/services/profile/profile';
import {
  MemorySecretStore,
  UnavailableSecretStore,
} from '../../src/main/services/accounts/secrets';
import type { AccountDraft, SettingsPatch } from '../../src/shared/model';
import { buildTestCore, call, valueOf } from '../support/core';
import { useTempDir } from '../support/tempDir';

const SECRET = 'ffsecret-9d1c4e7a2b';

const flipflop: AccountDraft = {
  provider: 'flipflop',
  name: 'Live shows',
  baseUrl: 'https://api.flipflop.example/',
  appApiKey: 'app-key-1',
  moderator: { appUserId: 'mod1', appUserName: 'Mod One' },
  secret: SECRET,
};

const vchat: AccountDraft = {
  provider: 'vchatcloud',
  name: 'Shop chat',
  baseUrl: 'https://vchat.example',
  eventbusUrl: 'wss://vchat.example:9001/eventbus/websocket',
  moderator: { clientKey: 'mod-key', nickName: '운영자' },
  secret: 'vc-api-key-0b7e55',
};

describe('accounts', () => {
  it('save, list and remove round-trip through a real folder and the secret store', async () => {
    const dir = await useTempDir();
    const { core, secrets } = await buildTestCore(dir);

    const saved = await core.accounts.save(flipflop);
    expect(saved).toMatchObject({ provider: 'flipflop', name: 'Live shows', hasSecret: true });
    expect(saved.baseUrl).toBe('https://api.flipflop.example');
    expect(await secrets.get(saved.id)).toBe(SECRET);

    const second = await core.accounts.save(vchat);
    expect((await core.accounts.list()).map((account) => account.id)).toEqual([
      saved.id,
      second.id,
    ]);

    // A second core on the same folder sees what the first one wrote.
    const reopened = await buildTestCore(dir, secrets);
    expect(await reopened.core.accounts.list()).toEqual(await core.accounts.list());

    await core.accounts.remove(saved.id);
    expect((await core.accounts.list()).map((account) => account.id)).toEqual([second.id]);
    expect(await secrets.get(saved.id)).toBeNull();
  });

  it('keeps a Gossip passcode in the keychain beside the secret, with its login only, and never hands it back', async () => {
    const dir = await useTempDir();
    const { core, secrets, redactor } = await buildTestCore(dir);
    const passcode = 'gossip-pass-5a8e21';
    const saved = await core.accounts.save({
      ...flipflop,
      gossip: { virtualHost: 'chat-vhost', login: 'ops' },
      gossipPasscode: passcode,
    });
    expect(saved).toMatchObject({
      gossip: { virtualHost: 'chat-vhost', login: 'ops' },
      hasGossipPasscode: true,
    });
    expect(await secrets.get(gossipPasscodeKey(saved.id))).toBe(passcode);
    expect(JSON.stringify(await core.accounts.list())).not.toContain(passcode);
    expect(await readFile(join(dir, PROFILE_FILE), 'utf8')).not.toContain(passcode);
    const record = core.accounts.record(saved.id);
    expect(await core.accounts.gossipCredentials(record)).toEqual({ login: 'ops', passcode });
    expect(redactor.redact(`CONNECT passcode ${passcode}`)).not.toContain(passcode);

    // Kept while the login stays and no other is typed; required again at a new address.
    const {
      secret: _secret,
      gossipPasscode: _passcode,
      ...edit
    } = {
      ...flipflop,
      id: saved.id,
      gossip: { login: 'ops' },
      gossipPasscode: undefined,
    };
    expect(await core.accounts.save(edit)).toMatchObject({ hasGossipPasscode: true });
    await expect(
      core.accounts.save({ ...edit, baseUrl: 'https://elsewhere.example', secret: SECRET }),
    ).rejects.toMatchObject({ code: 'SECRET_REQUIRED', message: /Gossip passcode/ });

    // Without the login the passcode goes too; and it goes with the account.
    const { gossip: _gossip, ...withoutLogin } = edit;
    const plain = await core.accounts.save(withoutLogin);
    expect(plain).not.toHaveProperty('gossip');
    expect(await secrets.get(gossipPasscodeKey(saved.id))).toBeNull();
    await core.accounts.save({ ...edit, gossipPasscode: passcode });
    await core.accounts.remove(saved.id);
    expect(await secrets.list()).toEqual([]);
  });

  it('never writes the secret to the settings file', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    const saved = await core.accounts.save(flipflop);
    await core.accounts.save({ ...vchat });
    await core.accounts.save({ ...flipflop, id: saved.id, secret: 'replacement-secret-77' });

    for (const name of await readdir(dir)) {
      const bytes = await readFile(join(dir, name));
      expect(bytes.includes(Buffer.from(SECRET)), name).toBe(false);
      expect(bytes.includes(Buffer.from('replacement-secret-77')), name).toBe(false);
      expect(bytes.includes(Buffer.from('vc-api-key-0b7e55')), name).toBe(false);
    }
    const profile = await readFile(join(dir, PROFILE_FILE), 'utf8');
    expect(profile).toContain('app-key-1');
  });

  it('replaces a secret without ever handing it back to the renderer', async () => {
    const dir = await useTempDir();
    const { core, secrets } = await buildTestCore(dir);
    const saved = await core.accounts.save(flipflop);
    const { secret: _secret, ...withoutSecret } = flipflop;

    const renamed = await core.dispatch('accounts.save', {
      ...withoutSecret,
      id: saved.id,
      name: 'Renamed',
    });
    expect(renamed).toMatchObject({ ok: true, value: { name: 'Renamed', hasSecret: true } });
    expect(await secrets.get(saved.id)).toBe(SECRET);

    await core.dispatch('accounts.save', { ...flipflop, id: saved.id, secret: 'new-secret-123' });
    expect(await secrets.get(saved.id)).toBe('new-secret-123');

    const listed = await core.dispatch('accounts.list', undefined);
    expect(JSON.stringify(listed)).not.toContain('new-secret-123');
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  });

  it('refuses to change the provider of an existing account', async () => {
    const { core } = await buildTestCore(await useTempDir());
    const saved = await core.accounts.save(flipflop);
    const result = await core.dispatch('accounts.save', { ...vchat, id: saved.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('refuses a changed address without the secret, and says why', async () => {
    const { core, secrets } = await buildTestCore(await useTempDir());
    const { secret: _flipflopSecret, ...flipflopFields } = flipflop;
    const { secret: _vchatSecret, ...vchatFields } = vchat;
    const first = await core.accounts.save(flipflop);
    const second = await core.accounts.save(vchat);

    for (const draft of [
      { ...flipflopFields, id: first.id, baseUrl: 'https://capture.example' },
      { ...vchatFields, id: second.id, baseUrl: 'https://capture.example' },
      { ...vchatFields, id: second.id, eventbusUrl: 'wss://capture.example/eventbus/websocket' },
    ]) {
      expect(await core.dispatch('accounts.save', draft)).toEqual({
        ok: false,
        error: {
          code: 'SECRET_REQUIRED',
          message:
            'The address changed, so the secret must be entered again: ModDeck sends a saved secret only to the address it was entered for.',
        },
      });
    }
    expect((await core.accounts.list()).map((account) => account.baseUrl)).toEqual([
      'https://api.flipflop.example',
      'https://vchat.example',
    ]);

    // The same address written another way is not a change; a new address with its secret is fine.
    valueOf(
      await call(core, 'accounts.save', {
        ...flipflopFields,
        id: first.id,
        name: 'Renamed',
        baseUrl: 'HTTPS://API.flipflop.example:443//',
      }),
    );
    valueOf(
      await call(core, 'accounts.save', {
        ...flipflop,
        id: first.id,
        baseUrl: 'https://other.example',
        secret: 'the-other-hosts-secret',
      }),
    );
    expect(await secrets.get(first.id)).toBe('the-other-hosts-secret');
  });

  it('gives no secret to a provider built for the address the account had before', async () => {
    const { core } = await buildTestCore(await useTempDir());
    const saved = await core.accounts.save(flipflop);
    const getters: Array<() => Promise<string>> = [];
    const registry = new ProviderRegistry(core.accounts, (_record, secret) => {
      getters.push(secret);
      return {} as ProviderAccount;
    });
    registry.get(saved.id);
    const [forOldAddress] = getters;
    expect(await forOldAddress?.()).toBe(SECRET);

    // Asked while the save is under way (the keychain already holds the new secret).
    const moving = core.accounts.save({
      ...flipflop,
      id: saved.id,
      baseUrl: 'https://new-host.example',
      secret: 'new-host-secret',
    });
    const during = forOldAddress?.();
    await moving;
    await expect(during).rejects.toMatchObject({ code: 'ACCOUNT_CHANGED' });
    await expect(forOldAddress?.()).rejects.toMatchObject({ code: 'ACCOUNT_CHANGED' });

    registry.get(saved.id);
    expect(await getters[1]?.()).toBe('new-host-secret');
  });

  it('checks a save against the account as the saves before it left it', async () => {
    const { core, secrets } = await buildTestCore(await useTempDir());
    const saved = await core.accounts.save(flipflop);
    const { secret: _secret, ...fields } = flipflop;

    // A move to a new address with its secret, and a rename from a form that still shows the old
    // address, asked together: the rename must not take the account back to the old address.
    const moving = core.accounts.save({
      ...flipflop,
      id: saved.id,
      baseUrl: 'https://new-host.example',
      secret: 'new-host-secret',
    });
    const renaming = core.accounts.save({ ...fields, id: saved.id, name: 'Renamed' });
    await moving;
    await expect(renaming).rejects.toMatchObject({ code: 'SECRET_REQUIRED' });
    expect(core.accounts.record(saved.id).baseUrl).toBe('https://new-host.example');
    expect(await secrets.get(saved.id)).toBe('new-host-secret');
  });

  it('never hands a connection for the old address the secret saved for the new one', async () => {
    const secrets = new GatedSecretStore();
    const dir = await useTempDir();
    const saved = await (await buildTestCore(dir, secrets)).core.accounts.save(flipflop);
    // Started again, main has read no secret yet: the next one comes from the keychain.
    const { core } = await buildTestCore(dir, secrets);
    const oldRecord = core.accounts.record(saved.id);

    // The keychain read for the old address is slow to answer, and a move with a new secret is
    // asked meanwhile (its own read of the previous secret waits for the same answer).
    secrets.holdNextRead();
    const reading = core.accounts.secretFor(oldRecord);
    await secrets.readHeld();
    const moving = core.accounts.save({
      ...flipflop,
      id: saved.id,
      baseUrl: 'https://new-host.example',
      secret: 'new-host-secret',
    });
    secrets.releaseRead();
    await moving;
    await expect(reading).rejects.toMatchObject({ code: 'ACCOUNT_CHANGED' });
    expect(await core.accounts.secretFor(core.accounts.record(saved.id))).toBe('new-host-secret');
  });

  it('puts the previous secret back when the keychain takes it and refuses the passcode', async () => {
    const dir = await useTempDir();
    /** A keychain that stops taking passcodes once told to, as one that fills up or locks. */
    class RefusingPasscodes extends MemorySecretStore {
      refuse = false;
      override async set(key: string, secret: string): Promise<void> {
        if (this.refuse && key.endsWith('/gossip-passcode'))
          throw new Error('the keychain is locked');
        await super.set(key, secret);
      }
    }
    const secrets = new RefusingPasscodes();
    const { core } = await buildTestCore(dir, secrets);
    const saved = await core.accounts.save(flipflop);
    secrets.refuse = true;

    await expect(
      core.accounts.save({
        ...flipflop,
        id: saved.id,
        secret: 'would-be-new-secret',
        gossip: { login: 'ops' },
        gossipPasscode: 'never-kept',
      }),
    ).rejects.toThrow();
    expect(await secrets.get(saved.id)).toBe(SECRET);
    expect(core.accounts.record(saved.id)).not.toHaveProperty('gossip');
  });

  it('puts the previous secret back when the settings file cannot be written', async () => {
    const dir = await useTempDir();
    const secrets = new MemorySecretStore();
    const { core } = await buildTestCore(dir, secrets);
    const saved = await core.accounts.save(flipflop);

    // Replace the settings file with a folder: every later write fails, as on a broken disk.
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(join(dir, PROFILE_FILE));
    await mkdir(join(dir, PROFILE_FILE));

    const result = await core.dispatch('accounts.save', {
      ...flipflop,
      id: saved.id,
      name: 'Never saved',
      secret: 'would-be-new-secret',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE' } });
    if (!result.ok) expect(result.error.message).toMatch(/Nothing was changed/);
    expect(await secrets.get(saved.id)).toBe(SECRET);
    expect((await core.accounts.list())[0]?.name).toBe('Live shows');
  });

  it('keeps the account and its secrets when the settings file cannot be written on removal', async () => {
    const dir = await useTempDir();
    const secrets = new MemorySecretStore();
    const { core } = await buildTestCore(dir, secrets);
    const saved = await core.accounts.save({
      ...flipflop,
      gossip: { login: 'ops' },
      gossipPasscode: 'gossip-pass',
    });
    // A folder where the settings file was: every later write fails, as on a full disk.
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(join(dir, PROFILE_FILE));
    await mkdir(join(dir, PROFILE_FILE));

    const result = await core.dispatch('accounts.remove', { id: saved.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE' } });
    if (!result.ok) expect(result.error.message).toMatch(/Nothing was changed/);
    expect((await core.accounts.list()).map((account) => account.id)).toEqual([saved.id]);
    expect(await secrets.get(saved.id)).toBe(SECRET);
    expect(await secrets.get(gossipPasscodeKey(saved.id))).toBe('gossip-pass');
  });

  it('says the secret is gone when neither the settings file nor the keychain takes the change back', async () => {
    const dir = await useTempDir();
    /** A keychain that deletes, and then stops taking secrets, as one that locks meanwhile. */
    class LockingAfterDelete extends MemorySecretStore {
      override async delete(key: string): Promise<boolean> {
        this.locked = true;
        return super.delete(key);
      }
      locked = false;
      override async set(key: string, secret: string): Promise<void> {
        if (this.locked) throw new Error('the keychain is locked');
        await super.set(key, secret);
      }
    }
    const secrets = new LockingAfterDelete();
    const { core } = await buildTestCore(dir, secrets);
    const saved = await core.accounts.save(flipflop);
    const { rm, mkdir } = await import('node:fs/promises');
    await rm(join(dir, PROFILE_FILE));
    await mkdir(join(dir, PROFILE_FILE));

    const result = await core.dispatch('accounts.remove', { id: saved.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'STORAGE' } });
    if (!result.ok) {
      expect(result.error.message).not.toMatch(/Nothing was changed/);
      expect(result.error.message).toMatch(
        /the keychain did not take them back \(the keychain is locked\)/,
      );
    }
    expect((await core.accounts.list()).map((account) => account.id)).toEqual([saved.id]);
  });

  it('refuses to store a secret when no keychain is available, and says why', async () => {
    const { core } = await buildTestCore(
      await useTempDir(),
      new UnavailableSecretStore('no Secret Service is running'),
    );
    const result = await core.dispatch('accounts.save', flipflop);
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'KEYCHAIN_UNAVAILABLE',
        message: 'The secret was not saved: no Secret Service is running',
      },
    });
    expect(await core.accounts.list()).toEqual([]);
    const info = await core.dispatch('app.info', undefined);
    expect(info).toMatchObject({
      ok: true,
      value: { secretStore: { kind: 'unavailable', reason: 'no Secret Service is running' } },
    });
  });
});

describe('settings', () => {
  it('replaces only the sections it is given and announces the change', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    const announced: unknown[] = [];
    core.events.subscribe((event, payload) => announced.push({ event, payload }));

    const result = await core.dispatch('settings.set', { theme: 'dark' });
    expect(result).toMatchObject({ ok: true, value: { theme: 'dark', scrollback: 5000 } });
    await core.dispatch('settings.set', { scrollback: 2000 });
    expect(core.settings.get()).toMatchObject({ theme: 'dark', scrollback: 2000 });
    expect(announced).toHaveLength(2);

    const reopened = await buildTestCore(dir);
    expect(reopened.core.settings.get()).toMatchObject({ theme: 'dark', scrollback: 2000 });
  });

  it('refuses a section named without a value, and keeps working on the settings it had', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    valueOf(await call(core, 'settings.set', { theme: 'dark', scrollback: 2000 }));
    const before = await readFile(join(dir, PROFILE_FILE));
    const expected = valueOf(await call(core, 'settings.get'));

    // Electron's IPC keeps a key whose value is `undefined`; JSON would drop it on the way to disk.
    for (const section of Object.keys(expected)) {
      const result = await core.dispatch('settings.set', { [section]: undefined });
      expect(result, section).toEqual({
        ok: false,
        error: {
          code: 'INVALID_INPUT',
          message: `${section}: has no value; leave a section out to keep it as it is`,
        },
      });
      expect(valueOf(await call(core, 'settings.get'))).toEqual(expected);
    }
    expect(await readFile(join(dir, PROFILE_FILE))).toEqual(before);
    const reopened = await buildTestCore(dir);
    expect(reopened.core.settings.get()).toEqual(expected);
  });

  it('never writes settings that would not read back, even when asked from inside main', async () => {
    const dir = await useTempDir();
    const { core } = await buildTestCore(dir);
    valueOf(await call(core, 'settings.set', { theme: 'light' }));
    const before = await readFile(join(dir, PROFILE_FILE));
    const expected = core.settings.get();

    for (const patch of [{ theme: undefined }, { scrollback: Number.NaN }, { layout: null }]) {
      const attempt = core.settings.set(patch as unknown as SettingsPatch);
      await expect(attempt).rejects.toMatchObject({
        code: 'INTERNAL',
        message: expect.stringMatching(/would not read back.*Nothing was changed/) as string,
      });
    }
    expect(await readFile(join(dir, PROFILE_FILE))).toEqual(before);
    expect(core.settings.get()).toEqual(expected);
    expect(valueOf(await call(core, 'settings.get'))).toEqual(expected);
  });

  it('rejects unknown sections and out-of-range values', async () => {
    const { core } = await buildTestCore(await useTempDir());
    expect(await core.dispatch('settings.set', { scrollback: 10 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    expect(await core.dispatch('settings.set', { autoBan: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });
});

/** A secret store whose next read waits until released, as a slow keychain would answer. */
class GatedSecretStore extends MemorySecretStore {
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;
  private held: () => void = () => undefined;
  private heldOnce: Promise<void> = Promise.resolve();

  holdNextRead(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.heldOnce = new Promise((resolve) => (this.held = resolve));
  }

  releaseRead(): void {
    this.open();
  }

  /** Resolves once the held read is waiting. */
  readHeld(): Promise<void> {
    return this.heldOnce;
  }

  override async get(accountId: string): Promise<string | null> {
    const gate = this.gate;
    if (gate) {
      this.gate = null;
      this.held();
      await gate;
    }
    return super.get(accountId);
  }
}
