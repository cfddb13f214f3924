/**
 * `npm run bench -- hostile-input`: what hostile input costs main where it is bounded.
 *
 * - The dispatcher's check of a request's input (`findIllFormed`): a chain of objects that each
 *   point twice at the next (Electron's IPC keeps shared references, so it is small to send and
 *   has 2^depth paths), refused once it passes `MAX_INPUT_VALUES`; and the largest input the app
 *   sends, a `settings.set` of full word rule lists, which must pass.
 *
 * CPU milliseconds per call (`process.cpuUsage`), the best of several rounds: the machine may be
 * shared, and the best round is the one least disturbed by other work.
 */
import { MAX_INPUT_VALUES, findIllFormed } from '../../src/main/dispatch';
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

const benchmark: Benchmark = {
  name: 'hostile-input',
  description: 'the cost of bounded hostile input: the dispatcher’s input check',
  run(context) {
    const rounds = context.smoke ? 1 : 5;
    return Promise.resolve(inputChecks(rounds, context.smoke));
  },
};

export default benchmark;
