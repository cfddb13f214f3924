/**
 * `npm run bench -- hostile-input`: what hostile input costs main where it is bounded.
 *
 * - The dispatcher's check of a request's input (`findIllFormed`): a chain of objects that each
 *   point twice at the next (Electron's IPC keeps shared references, so it is small to send and
 *   has 2^depth paths), refused once it passes `MAX_INPUT_VALUES`; and the largest input the app
 *   sends, a `settings.set` of full word rule lists, which must pass.
 * - Masking secrets in a chat string with nothing to mask (`maskSecrets`, run on four strings of
 *   every chat event): with an account's secrets, after 1,000 chat tokens rotated through one
 *   slot, and with as many secrets registered for good as 1,000 tokens added one by one would be.
 * - A VChatCloud chat message as main reads it: normalised (its `data` bounded) and masked
 *   (`maskSecretsInEvent`, which walks `data`), with nothing to mask.
 *
 * CPU milliseconds per call (`process.cpuUsage`), the best of several rounds: the machine may be
 * shared, and the best round is the one least disturbed by other work.
 */
import { createHash } from 'node:crypto';
import { MAX_INPUT_VALUES, findIllFormed } from '../../src/main/dispatch';
import { normalizePush, parsePushAddress } from '../../src/main/providers/vchatcloud/normalize';
import { Redactor, maskSecretsInEvent } from '../../src/main/services/accounts/redactor';
import type { Rule } from '../../src/shared/model';
import type { BenchResult, Benchmark } from './types';

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** CPU milliseconds per call of `work`, the best of `rounds` rounds of `calls` calls. */
function msPerCall(rounds: number, calls: number, work: () => unknown): number {
  let best = Number.POSITIVE_INFINITY;
  for (let round = 0; round < rounds; round += 1) {
    const started = cpuMs();
    for (let call = 0; call < calls; call += 1) work();
    best = Math.min(best, (cpuMs() - started) / calls);
  }
  return best;
}

/** `depth` objects, each pointing twice at the next. */
function sharedChain(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { a: value, b: value };
  return value;
}

/** A `settings.set` input with the global list and `rooms` room lists, each of 10,000 rules. */
function fullRuleLists(rooms: number): unknown {
  const list = (prefix: string): Rule[] =>
    Array.from({ length: 10_000 }, (_, index) => ({
      id: `${prefix}-${index}`,
      pattern: `word ${index}`,
      kind: 'term',
      wholeWord: true,
    }));
  return {
    rules: {
      global: list('global'),
      rooms: Object.fromEntries(
        Array.from({ length: rooms }, (_, room) => [`acc_1/room-${room}`, list(`room-${room}`)]),
      ),
    },
  };
}

function inputChecks(rounds: number, smoke: boolean): BenchResult[] {
  const results: BenchResult[] = [];
  for (const depth of smoke ? [16] : [16, 20, 30]) {
    const input = {
      roomKeys: ['acc_1/1001'],
      messageType: 'COMMAND',
      data: { value: sharedChain(depth) },
    };
    const refused = findIllFormed(input) !== null;
    results.push({
      metric: `input check, ${depth} shared objects (${refused ? 'refused' : 'accepted'})`,
      value: msPerCall(rounds, 1, () => findIllFormed(input)),
      unit: 'CPU ms',
      target: `refused past ${MAX_INPUT_VALUES.toLocaleString('en')} paths`,
      // The chain's paths, and the input's five other values.
      met: refused === 2 ** (depth + 1) - 1 + 5 > MAX_INPUT_VALUES,
    });
  }
  for (const rooms of smoke ? [0] : [0, 4, 18]) {
    const input = fullRuleLists(rooms);
    const accepted = findIllFormed(input) === null;
    results.push({
      metric: `input check, settings.set of 10,000 global rules and ${rooms} full room lists`,
      value: msPerCall(rounds, 1, () => findIllFormed(input)),
      unit: 'CPU ms',
      target: 'accepted',
      met: accepted,
    });
  }
  return results;
}

/**
 * A token shaped like VChatCloud's `X-AUTH-TOKEN`, a JWT: every one starts with the same header
 * and payload opening, the worst case for one alternation of them all.
 */
function tokenLike(index: number): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const header = part({ alg: 'HS256', typ: 'JWT' });
  const payload = part({ sub: 'moddeck', jti: `token-${index}`, iat: 1_800_000_000 + index });
  const signature = createHash('sha256').update(`${index}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function masking(rounds: number, smoke: boolean): BenchResult[] {
  const calls = smoke ? 1_000 : 200_000;
  const line = 'did anyone see the stream last night? the ending was wild lol';
  const account = () => {
    const redactor = new Redactor();
    redactor.addBasicCredential('app-api-key', 'sk_live_5f2a9c7e1b');
    return redactor;
  };
  const rotated = account();
  for (let index = 0; index < 1000; index += 1)
    rotated.rotate('acc_1/chat-token', tokenLike(index));
  const cases: Array<[string, Redactor]> = [
    ['an account’s secrets', account()],
    ['the same, after 1,000 chat tokens rotated', rotated],
  ];
  for (const count of smoke ? [100] : [100, 600, 800, 1000]) {
    const kept = account();
    for (let index = 0; index < count; index += 1) kept.add(tokenLike(index));
    cases.push([`${count} tokens kept for good`, kept]);
  }
  return cases.map(([what, redactor]) => ({
    metric: `maskSecrets, a chat line with nothing to mask: ${what} (${redactor.size} texts)`,
    value: msPerCall(rounds, calls, () => redactor.maskSecrets(line)) * 1e6,
    unit: 'ns',
  }));
}

function vchatcloudMessage(rounds: number, smoke: boolean): BenchResult[] {
  const calls = smoke ? 1_000 : 500_000;
  // A whisper: a message's id is a hash of its content, which would be most of the time here.
  const address = parsePushAddress('s2c.personal.whisper/RoomA1/moderator1');
  if (address === null) throw new Error('the push address does not read');
  const context = {
    roomKey: 'vc_1/RoomA1',
    moderatorClientKey: 'moderator1',
    now: 1_800_000_000_000,
  };
  const body = {
    roomId: 'RoomA1',
    clientKey: 'uMina',
    nickName: 'Mina',
    message: 'did anyone see the stream last night? the ending was wild lol',
    mimeType: 'text',
    messageDt: '20300115090000',
    grade: 'user',
    userInfo: { profile: 'https://cdn.example/mina.png', lang: 'ko' },
  };
  const redactor = new Redactor();
  redactor.add('vchatcloud-api-key-0001');
  const read = normalizePush(address, body, context);
  if (!read.ok) throw new Error(`the whisper does not read: ${read.reason}`);
  const normalized = msPerCall(rounds, calls, () => normalizePush(address, body, context));
  // Nothing to mask: the event is left as it was, so one serves every call.
  const masked = msPerCall(rounds, calls, () => maskSecretsInEvent(read.event, redactor));
  return [
    { metric: 'VChatCloud whisper normalised, data bounded', value: normalized * 1e6, unit: 'ns' },
    { metric: 'VChatCloud whisper masked, data walked', value: masked * 1e6, unit: 'ns' },
  ];
}

const benchmark: Benchmark = {
  name: 'hostile-input',
  description:
    'the cost of bounded hostile input: the dispatcher’s input check, secret masking, VChatCloud data',
  run(context) {
    const rounds = context.smoke ? 1 : 5;
    return Promise.resolve([
      ...inputChecks(rounds, context.smoke),
      ...masking(rounds, context.smoke),
      ...vchatcloudMessage(rounds, context.smoke),
    ]);
  },
};

export default benchmark;
