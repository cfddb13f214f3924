/**
 * Chatters present per room (`presentPerRoom`, CLI `--present`): every live room starts with that
 * many, joins and leaves keep it near that, the chat is spread over them without looking like a
 * raid at a high rate, and a count outside 5–50,000 is refused. The default stays 20.
 */
import { describe, expect, it } from 'vitest';
import {
  ChatterScript,
  isChatEvent,
  poolFor,
  startSandbox,
  type ChatterEvent,
} from '../../../src/sandbox/index';
import { createAutomod, defaultAutomodConfig } from '../../../src/shared/automod';
import { control, rooms, useSandbox } from './support';
import { BusClient, vcontrol } from '../vchatcloud/support';

describe('chatters present per room', () => {
  it('starts every live room with that many present, on FlipFlop and VChatCloud', async () => {
    const sandbox = await useSandbox({
      rooms: 2,
      vchatcloudRooms: 1,
      presentPerRoom: 500,
      ratePerRoom: 0,
    });
    // The scheduled room has no chat room yet, so no one is in it.
    expect((await rooms(sandbox)).map((room) => room.memberCount)).toEqual([500, 500, 0]);
    const members = await control<unknown[]>(sandbox, 'GET', '/members?videoRoomId=1001');
    expect(members.json).toHaveLength(500);
    const vchat = await vcontrol(sandbox).rooms();
    expect(vchat.map((room) => room.currentUserCount)).toEqual([500, 0]);
    // The room has space for more than its chatters (300 would be full): someone can still join.
    const bus = await BusClient.open(sandbox.vchatcloud.eventbusUrl);
    await bus.join({ roomId: vchat[0]?.roomId ?? '', clientKey: 'k', nickName: 'K' });
    expect((await vcontrol(sandbox).rooms())[0]?.currentUserCount).toBe(501);
  });

  it('keeps 20 present by default', async () => {
    const sandbox = await useSandbox({ rooms: 1, vchatcloudRooms: 1, ratePerRoom: 0 });
    expect((await rooms(sandbox)).map((room) => room.memberCount)).toEqual([20, 0]);
    expect((await vcontrol(sandbox).rooms()).map((room) => room.currentUserCount)).toEqual([20, 0]);
  });

  it('keeps the count near where it started and spreads the chat over everyone present', () => {
    const present = 2_000;
    const script = new ChatterScript({
      seed: 5,
      stream: 'crowd',
      poolSize: poolFor(present),
      initialMembers: present,
      spamShare: 0.01,
    });
    expect(script.users).toHaveLength(12_000);
    expect(script.initialMembers()).toHaveLength(present);
    let count = present;
    let fewest = count;
    let most = count;
    const said = new Map<string, number>();
    const events: ChatterEvent[] = Array.from({ length: 60_000 }, () => script.next());
    for (const event of events) {
      if (event.kind === 'join') count += 1;
      if (event.kind === 'leave') count -= 1;
      fewest = Math.min(fewest, count);
      most = Math.max(most, count);
      if (isChatEvent(event) && event.spam === null) {
        said.set(event.user.id, (said.get(event.user.id) ?? 0) + 1);
      }
    }
    expect(events.some((event) => event.kind === 'join')).toBe(true);
    expect(events.some((event) => event.kind === 'leave')).toBe(true);
    expect(fewest).toBeGreaterThan(present * 0.9);
    expect(most).toBeLessThan(present * 1.1);
    // About 28 ordinary lines each, as from 2,000 people; with 20 present it would be 2,800.
    expect(said.size).toBeGreaterThan(present);
    expect(Math.max(...said.values())).toBeLessThan(80);
  });

  it('keeps a crowd’s ordinary chat from looking like a copy-paste raid at a high rate', () => {
    // 2,000 present at 333 events a second, each writing about every 6 s: 300 lines are less than
    // a second, so a sentence that came back every 300 lines would be a raid (5 people a minute).
    const present = 2_000;
    const script = new ChatterScript({
      seed: 8,
      stream: 'crowd',
      poolSize: poolFor(present),
      initialMembers: present,
      spamShare: 0.01,
      bursts: false,
    });
    const automod = createAutomod(defaultAutomodConfig());
    const raids: string[] = [];
    let ordinary = 0;
    for (let index = 0; index < 60_000; index += 1) {
      const event = script.next();
      if (!isChatEvent(event)) continue;
      const verdicts = automod.check({
        roomKey: 'a/crowd',
        userId: event.user.id,
        userName: event.user.name,
        text: event.text,
        at: index * 3,
      });
      // Spam is meant to be caught; forbidden-word lines share templates and direct messages have
      // no short lines to fall back on (spam.test.ts leaves them out too).
      if (event.spam !== null || event.forbiddenWord !== null || event.kind !== 'message') continue;
      ordinary += 1;
      for (const verdict of verdicts) if (verdict.kind === 'raid') raids.push(event.text);
    }
    expect(ordinary).toBeGreaterThan(45_000);
    // A few: flood spammers paste ordinary lines too, and three of them with two chatters make five
    // people. With a window of 300 lines it was 2,499 (5 %).
    expect(raids.length).toBeLessThan(ordinary / 1000);
  });

  it('refuses a count that is not a whole number from 5 to 50,000', async () => {
    for (const presentPerRoom of [4, 50_001, 20.5, Number.NaN]) {
      await expect(startSandbox({ port: 0, presentPerRoom })).rejects.toThrow(
        'presentPerRoom must be a whole number, 5–50000',
      );
    }
  });
});
