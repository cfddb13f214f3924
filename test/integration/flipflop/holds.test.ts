/**
 * The hold queue against the sandbox: a `hold` rule hides what it matches the moment it comes and
 * leaves it waiting for review; approving shows it again, denying deletes it, and the sandbox's
 * record agrees. A held message deleted elsewhere leaves the queue as deleted, not as a failure.
 * Refused with 429s, the queue sends fewer at a time and waits what the service asked.
 */
import { describe, expect, it } from 'vitest';
import { defaultAutomodConfig } from '../../../src/shared/automod';
import { isHeld, type ChatEvent } from '../../../src/shared/chat';
import { systemClock, type Clock } from '../../../src/main/clock';
import { call, valueOf, type TestCoreOptions } from '../../support/core';
import { startTestWorker } from '../../support/memory';
import { HIDES_IN_FLIGHT } from '../../../src/main/services/holds';
import { until } from '../../support/until';
import { rest } from '../sandbox/support';
import { openHoldRoom } from './holdRoom';

/** Seconds a refused hide is asked to wait. */
const RETRY_AFTER = 2;

/** The room with the hold and hide rules (`openHoldRoom`). */
const setup = (options: TestCoreOptions = {}) => openHoldRoom(options);

describe('the hold queue', () => {
  it('hides what a hold rule matches at once, held and unhandled, audited as automatic with the rule', async () => {
    const { api, say, reaches, kept, auditLines } = await setup();
    const held = await say('spammer', 'cheap followerz here');
    // Marked held as it came, before the service confirmed anything.
    expect(held.held).toEqual({
      ruleId: 'hold-shop',
      reason: 'contains “followerz”',
      why: { kind: 'wordTerm', pattern: 'followerz' },
      at: held.receivedAt,
    });
    expect(held.state).toBe('visible');
    const hidden = await reaches(held.id, 'hidden');
    // A hold is no decision: it waits for review.
    expect(hidden.handled).toBeUndefined();
    expect((await api.message('1001', held.messageId!)).state).toBe('hidden');
    const inBuffer = await kept(held.messageId!);
    expect(inBuffer).toMatchObject({ state: 'hidden', held: { ruleId: 'hold-shop' } });
    expect(isHeld(inBuffer!)).toBe(true);
    expect(await auditLines()).toEqual([
      expect.objectContaining({
        action: 'hold',
        messageId: held.messageId,
        result: 'ok',
        reason: 'contains “followerz”',
        why: { kind: 'wordTerm', pattern: 'followerz' },
        detail: 'automatic, rule hold-shop',
      }),
    ]);

    // Someone else's plain message is left alone.
    const plain = await say('fan', 'what a game');
    expect(plain.held).toBeUndefined();
    expect((await api.message('1001', plain.messageId!)).state).toBe('visible');
  });

  it("keeps a hold's reason as values in the history, where the user card reads it", async () => {
    const { core, accountId, say, reaches } = await setup({
      memory: { startWorker: startTestWorker },
    });
    const held = await say('spammer', 'cheap followerz here');
    await reaches(held.id, 'hidden');
    // The audit line is handed over once the hide was answered; then the store commits it.
    await core.moderation.recorded();
    await core.memory!.request('flush', {});
    const history = valueOf(await call(core, 'history.user', { accountId, userId: 'spammer' }));
    expect(history.actions).toEqual([
      {
        at: expect.any(Number) as number,
        action: 'hold',
        roomKey: `${accountId}/1001`,
        result: 'ok',
        reason: 'contains “followerz”',
        why: { kind: 'wordTerm', pattern: 'followerz' },
      },
    ]);
  });

  it('hides what a hide rule matches without queueing it', async () => {
    const { api, say, reaches, kept } = await setup();
    const rude = await say('troll', 'you scumbag');
    expect(rude.held).toBeUndefined();
    expect((await reaches(rude.id, 'hidden')).handled).toBe(true);
    expect((await api.message('1001', rude.messageId!)).state).toBe('hidden');
    expect(isHeld((await kept(rude.messageId!))!)).toBe(false);
  });

  it('flags a DM to the moderator that a hold rule or shield mode would hold, and leaves it seen', async () => {
    const { core, api, say, reaches, kept, auditLines } = await setup({
      memory: { startWorker: startTestWorker },
    });
    valueOf(await call(core, 'shield.set', { roomKey: null, on: true }));
    // A newcomer's DM with the held term: a room message like it would be held twice over.
    const dm = await say('newcomer', 'cheap followerz here', 'moderator1');
    const messageId = dm.messageId!;
    expect(dm).toMatchObject({ kind: 'dm', toModerator: true });
    expect(dm.flags.map((flag) => flag.ruleId)).toEqual(['hold-shop']);
    expect(dm.held).toBeUndefined();
    // The same words in the room, from the same newcomer, are held and hidden.
    const held = await say('newcomer', 'cheap followerz here');
    expect(held.held?.ruleId).toBe('hold-shop');
    await reaches(held.id, 'hidden');
    await core.moderation.recorded();
    expect((await api.message('1001', messageId)).state).toBe('visible');
    expect(await kept(messageId)).toMatchObject({ state: 'visible', flags: dm.flags });
    expect((await auditLines()).map((line) => [line['action'], line['messageId']])).toEqual([
      ['shield.on', undefined],
      ['hold', held.messageId],
    ]);
  });

  it('approves by unhiding and denies by deleting; the sandbox agrees and both leave the queue', async () => {
    const { core, api, roomKey, say, reaches, kept, auditLines } = await setup();
    const first = await say('spammer', 'followerz one');
    const second = await say('spammer', 'followerz two');
    await reaches(first.id, 'hidden');
    await reaches(second.id, 'hidden');

    valueOf(await call(core, 'messages.unhide', { roomKey, messageId: first.messageId! }));
    valueOf(await call(core, 'messages.delete', { roomKey, messageId: second.messageId! }));
    expect((await api.message('1001', first.messageId!)).state).toBe('visible');
    expect((await api.message('1001', second.messageId!)).state).toBe('deleted');
    expect(isHeld((await kept(first.messageId!))!)).toBe(false);
    expect(isHeld((await kept(second.messageId!))!)).toBe(false);
    expect((await auditLines()).map((line) => [line['action'], line['messageId']])).toEqual([
      ['hold', first.messageId],
      ['hold', second.messageId],
      ['unhide', first.messageId],
      ['delete', second.messageId],
    ]);
  });

  it('leaves a hold approved while its hide waited its turn visible: the hide is not sent', async () => {
    const { core, api, roomKey, say, kept } = await setup();
    // 300 ms a call: the first 16 hides are in flight, the rest wait their turn.
    await api.faults({ latencyMs: 300 });
    // Said together, so that they come at once.
    const held = await Promise.all(
      Array.from({ length: HIDES_IN_FLIGHT + 2 }, (_, index) =>
        say(`spammer${index}`, `followerz number ${index}`),
      ),
    );
    const last = held.reduce((latest, event) =>
      event.receivedAt > latest.receivedAt ? event : latest,
    );
    expect(core.holds.pending()).toBeGreaterThan(HIDES_IN_FLIGHT);
    const answer = valueOf(
      await call(core, 'messages.unhide', { roomKey, messageId: last.messageId! }),
    );
    expect(answer.state).toBe('visible');
    // Every other hide lands; the approved one was never sent.
    await until(core.events, () => core.holds.pending() === 0, 'the hides done');
    await api.clearFaults();
    expect((await api.message('1001', last.messageId!)).state).toBe('visible');
    const others = held.filter((event) => event !== last);
    for (const event of others) {
      expect((await api.message('1001', event.messageId!)).state).toBe('hidden');
    }
    const inBuffer = await kept(last.messageId!);
    expect(inBuffer).toMatchObject({ state: 'visible', handled: true });
    expect(isHeld(inBuffer!)).toBe(false);
  });

  it('backs off when the service answers 429, waits its Retry-After, and hides each held message once, one audit line each', async () => {
    const { core, api, say, auditLines } = await setup({
      http: { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } },
    });
    const accountId = core.accounts.records()[0]?.id ?? '';
    await api.faults({ restFailure: { rate: 1, status: 429, retryAfterSeconds: RETRY_AFTER } });
    const held = await Promise.all(
      Array.from({ length: HIDES_IN_FLIGHT + 4 }, (_, index) =>
        say(`spammer${index}`, `followerz number ${index}`),
      ),
    );
    // The feed's stats come every second: the limit is looked at with each.
    await until(
      core.events,
      () => core.holds.limit(accountId) < HIDES_IN_FLIGHT,
      'the limit lowered',
    );
    await api.clearFaults();
    await until(core.events, () => core.holds.pending() === 0, 'the hides done', 30_000);

    for (const event of held) {
      expect((await api.message('1001', event.messageId!)).state).toBe('hidden');
    }
    const { requests } = await api.get<{
      requests: Array<{
        method: string;
        path: string;
        receivedAt: number;
        injectedStatus?: number;
      }>;
    }>('/requests');
    const tries = new Map<string, Array<{ receivedAt: number; injectedStatus?: number }>>();
    for (const request of requests) {
      const hide = /\/messages\/([^/]+)\/hide$/.exec(request.path);
      if (request.method !== 'POST' || !hide) continue;
      tries.set(hide[1]!, [...(tries.get(hide[1]!) ?? []), request]);
    }
    let refused = 0;
    for (const event of held) {
      const own = tries.get(event.messageId!) ?? [];
      // Carried out once; each refused try followed by the next no sooner than asked.
      expect(own.filter((request) => request.injectedStatus === undefined)).toHaveLength(1);
      own.forEach((request, index) => {
        if (request.injectedStatus !== 429) return;
        refused += 1;
        const next = own[index + 1];
        expect(next).toBeDefined();
        expect(next!.receivedAt - request.receivedAt).toBeGreaterThanOrEqual(RETRY_AFTER * 1000);
      });
    }
    expect(refused).toBeGreaterThan(0);
    const lines = (await auditLines()).filter((line) => line['action'] === 'hold');
    expect(lines.map((line) => line['messageId']).sort()).toEqual(
      held.map((event) => event.messageId).sort(),
    );
    expect(lines.every((line) => line['result'] === 'ok')).toBe(true);
  });

  it('says on the hold that its hide failed, with the service’s error, and keeps it waiting', async () => {
    const { core, api, say, kept, updates } = await setup();
    // Every REST call fails: the hide is tried, retried, and given up.
    await api.faults({ restFailure: { rate: 1, status: 500 } });
    const held = await say('spammer', 'followerz while it fails');
    const failed = () =>
      updates().find((update) => update.id === held.id && update.held?.failed !== undefined);
    await until(core.events, () => failed() !== undefined, 'the failed hide', 30_000);
    await api.clearFaults();
    expect(failed()?.held).toMatchObject({
      ruleId: 'hold-shop',
      failed: expect.any(String) as string,
    });
    const inBuffer = await kept(held.messageId!);
    expect(inBuffer).toMatchObject({ state: 'visible', held: { failed: failed()?.held?.failed } });
    expect(isHeld(inBuffer!)).toBe(true);
    expect((await api.message('1001', held.messageId!)).state).toBe('visible');
  });

  it('takes a held message deleted elsewhere out of the queue as deleted, not as a failure', async () => {
    const { core, sandbox, roomKey, say, reaches, kept } = await setup();
    const held = await say('spammer', 'followerz again');
    await reaches(held.id, 'hidden');
    // Another moderator deletes it first.
    const deleted = await rest(
      sandbox,
      'DELETE',
      `/v2/apps/me/video-rooms/1001/chat-room/messages/${held.messageId!}`,
    );
    expect(deleted.status).toBe(204);
    // Approving loses the race: the answer says it is gone.
    const answer = valueOf(
      await call(core, 'messages.unhide', { roomKey, messageId: held.messageId! }),
    );
    expect(answer).toEqual({ roomKey, messageId: held.messageId, state: 'deleted', gone: true });
    const inBuffer = await kept(held.messageId!);
    expect(inBuffer?.state).toBe('deleted');
    expect(isHeld(inBuffer!)).toBe(false);
  });

  it("holds a raid's copies from its first, the earlier ones when the raid is recognised", async () => {
    const { core, api, say, reaches } = await setup();
    const config = defaultAutomodConfig();
    for (const rule of config.rules) if (rule.kind === 'raid') rule.action = 'hold';
    valueOf(await call(core, 'settings.set', { automod: { enabled: true, config } }));
    const text = 'FREE viewers and subs at cheapviews dot shop, code RAID for 50% off';
    const copies: ChatEvent[] = [];
    for (let index = 0; index < 6; index += 1) copies.push(await say(`raider${index}`, text));
    // Copies five and six are held as they come; the first four when the fifth recognises the raid.
    expect(copies.slice(0, 4).every((copy) => copy.held === undefined)).toBe(true);
    expect(copies.slice(4).map((copy) => copy.held?.ruleId)).toEqual([
      'automod-raid',
      'automod-raid',
    ]);
    for (const copy of copies) {
      await reaches(copy.id, 'hidden');
      expect((await api.message('1001', copy.messageId!)).state).toBe('hidden');
    }
  });

  it('flags six people sending the moderator the same DM as a raid, and holds none of them', async () => {
    const { core, api, say, updates, kept } = await setup();
    const config = defaultAutomodConfig();
    for (const rule of config.rules) if (rule.kind === 'raid') rule.action = 'hold';
    valueOf(await call(core, 'settings.set', { automod: { enabled: true, config } }));
    const text = 'why was my message hidden? I only asked about the schedule for tonight';
    const copies: ChatEvent[] = [];
    for (let index = 0; index < 6; index += 1) {
      copies.push(await say(`asker${index}`, text, 'moderator1'));
    }
    // The fifth recognises the raid and names the first four, which get its flag in an update.
    expect(copies.slice(4).map((copy) => copy.flags.map((flag) => flag.ruleId))).toEqual([
      ['automod-raid'],
      ['automod-raid'],
    ]);
    const [first] = copies;
    await until(
      core.events,
      () => updates().some((update) => update.id === first!.id && update.flags !== undefined),
      'the first copy flagged',
    );
    expect(copies.every((copy) => copy.held === undefined)).toBe(true);
    expect(updates().filter((update) => update.held !== undefined)).toEqual([]);
    for (const copy of copies) {
      expect((await kept(copy.messageId!))?.state).toBe('visible');
      expect((await api.message('1001', copy.messageId!)).state).toBe('visible');
    }
  });

  it('denies a hold nobody reviewed in time, as the settings say', async () => {
    // The system's clock, which the test can move on.
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const { core, api, say, reaches, kept, auditLines } = await setup({ clock });
    valueOf(
      await call(core, 'settings.set', { hold: { staleAfterMinutes: 1, staleAction: 'deny' } }),
    );
    const held = await say('spammer', 'followerz for sale');
    await reaches(held.id, 'hidden');
    // Not yet stale: nothing happens.
    await core.holds.reviewStale();
    expect((await api.message('1001', held.messageId!)).state).toBe('hidden');
    // A minute later.
    offset += 60_000;
    await core.holds.reviewStale();
    expect((await api.message('1001', held.messageId!)).state).toBe('deleted');
    expect(isHeld((await kept(held.messageId!))!)).toBe(false);
    expect((await auditLines()).at(-1)).toMatchObject({
      action: 'delete',
      messageId: held.messageId,
      reason: 'not reviewed within 1 min',
      detail: 'automatic',
      result: 'ok',
    });
  });
});

describe('shield mode', () => {
  it("holds a new chatter's messages and a raid's copies while on, and leaves regulars alone", async () => {
    let offset = 0;
    const clock: Clock = { ...systemClock, now: () => Date.now() + offset };
    const { core, roomKey, say, reaches, auditLines } = await setup({
      clock,
      memory: { startWorker: startTestWorker },
    });
    const shieldEvents: unknown[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'shield.changed') shieldEvents.push(payload);
    });
    const regular = await say('regular', 'hello everyone');
    expect(regular.held).toBeUndefined();
    // Eleven minutes later (the default calls a chatter new for ten), the raid begins.
    offset += 11 * 60_000;
    const on = valueOf(await call(core, 'shield.set', { roomKey, on: true }));
    expect(on).toEqual({ all: null, rooms: [{ roomKey, since: expect.any(Number) as number }] });
    expect(shieldEvents).toEqual([on]);

    const again = await say('regular', 'what is going on');
    expect(again.held).toBeUndefined();
    const newcomer = await say('newcomer', 'hi all');
    expect(newcomer.held).toEqual({
      ruleId: 'shield',
      reason: 'shield: first message here',
      why: { kind: 'shieldFirstMessage' },
      at: newcomer.receivedAt,
    });
    await reaches(newcomer.id, 'hidden');
    // Copies of a raid are held whoever sends them (the raid rule itself only flags).
    const text = 'FREE viewers and subs at cheapviews dot shop, code RAID for 50% off';
    const copies: ChatEvent[] = [];
    for (let index = 0; index < 5; index += 1) copies.push(await say(`raider${index}`, text));
    for (const copy of copies) {
      await reaches(copy.id, 'hidden');
      // New chatters too: each is held as it comes; the fifth names the raid.
      expect(copy.held?.ruleId).toBe('shield');
    }
    expect(copies[4]?.held?.reason).toMatch(/^shield: copy-paste raid “FREE viewers/);
    expect(copies[4]?.held?.why).toMatchObject({
      kind: 'shieldRaid',
      raid: { kind: 'raid', name: expect.stringMatching(/^FREE viewers/) as string },
    });

    const off = valueOf(await call(core, 'shield.set', { roomKey: null, on: false }));
    expect(off).toEqual({ all: null, rooms: [] });
    const after = await say('latecomer', 'hello');
    expect(after.held).toBeUndefined();
    const switches = (await auditLines()).filter((line) => line['action']?.startsWith('shield.'));
    expect(switches).toEqual([
      expect.objectContaining({ action: 'shield.on', room: roomKey, result: 'ok' }),
      expect.objectContaining({ action: 'shield.off', account: '*' }),
    ]);
    expect(switches[1]?.['detail']).toBe('every room');
  });

  it('is on in every room with one switch, and says since when', async () => {
    const { core, roomKey, say, reaches } = await setup({
      memory: { startWorker: startTestWorker },
    });
    const before = Date.now();
    const state = valueOf(await call(core, 'shield.set', { roomKey: null, on: true }));
    expect(state.all).toBeGreaterThanOrEqual(before);
    expect(valueOf(await call(core, 'shield.get', undefined))).toEqual(state);
    const newcomer = await say('newcomer', 'hi');
    expect(newcomer.held?.ruleId).toBe('shield');
    await reaches(newcomer.id, 'hidden');
    expect(roomKey).toContain('/1001');
  });
});
