/**
 * The capability flags the window reads (`CAPABILITIES` in shared/chat.ts) against what each
 * provider's account really implements: a flag the UI offers must have a method behind it, and a
 * method must not hide behind a flag that says no.
 */
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, type Capabilities } from '../../../src/shared/chat';
import type { AccountRecord, ProviderId } from '../../../src/shared/model';
import { systemClock } from '../../../src/main/clock';
import { defaultHttpDeps } from '../../../src/main/providers/http';
import { createProvider } from '../../../src/main/providers/registry';
import type { ProviderAccount } from '../../../src/main/providers/types';
import { Redactor } from '../../../src/main/services/accounts/redactor';

const RECORDS: Record<ProviderId, AccountRecord> = {
  flipflop: {
    id: 'acc_flipflop',
    provider: 'flipflop',
    name: 'FlipFlop',
    baseUrl: 'https://flipflop.example',
    appApiKey: 'key',
  },
  vchatcloud: {
    id: 'acc_vchatcloud',
    provider: 'vchatcloud',
    name: 'VChatCloud',
    baseUrl: 'https://vchatcloud.example',
    eventbusUrl: 'wss://vchatcloud.example/eventbus/websocket',
    moderator: { clientKey: 'moderator', nickName: 'Moderator' },
  },
};

/** Each flag, and the method (or methods) of `ProviderAccount` that carries it out. */
const METHODS: Record<Exclude<keyof Capabilities, 'notice'>, (p: ProviderAccount) => unknown[]> = {
  hide: (p) => [p.hide],
  unhide: (p) => [p.unhide],
  delete: (p) => [p.delete],
  broadcast: (p) => [p.broadcast],
  directMessage: (p) => [p.direct],
  members: (p) => [p.members],
  chatRoomAdmin: (p) => [p.chatRoom?.get, p.chatRoom?.create, p.chatRoom?.close],
  bannedWords: (p) => [p.bannedWords?.set, p.bannedWords?.unset],
  mute: (p) => [p.users?.mute, p.users?.unmute],
  exile: (p) => [p.users?.exile, p.users?.unexile],
  customMessage: (p) => [p.customMessage],
  roomAdmin: (p) => [
    p.roomAdmin?.get,
    p.roomAdmin?.create,
    p.roomAdmin?.modify,
    p.roomAdmin?.destroy,
  ],
};

function build(provider: ProviderId): ProviderAccount {
  return createProvider(RECORDS[provider], () => Promise.resolve('secret'), {
    http: defaultHttpDeps(),
    clock: systemClock,
    random: Math.random,
    redactor: new Redactor(),
  });
}

describe.each(['flipflop', 'vchatcloud'] as const)('%s capabilities', (provider) => {
  const account = build(provider);
  const flags = CAPABILITIES[provider];

  it('names the provider the account was built for and carries its flags', () => {
    expect(account.provider).toBe(provider);
    expect(account.capabilities).toEqual(flags);
  });

  it.each(Object.keys(METHODS) as (keyof typeof METHODS)[])(
    '%s: the flag and the methods agree',
    (capability) => {
      const methods = METHODS[capability](account);
      const present = methods.map((method) => typeof method === 'function');
      expect(present).toEqual(methods.map(() => flags[capability]));
    },
  );

  it('notice: a room-wide announcement is a broadcast, so a notice needs one', () => {
    const broadcasts = typeof account.broadcast === 'function';
    expect({ notice: flags.notice, broadcasts }).not.toEqual({ notice: true, broadcasts: false });
  });

  it('every flag is held against a method', () => {
    expect(Object.keys(flags).sort()).toEqual([...Object.keys(METHODS), 'notice'].sort());
  });
});
