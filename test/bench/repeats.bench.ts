/**
 * `npm run bench -- repeats`: the cost of a room column's runs of repeated messages (the renderer's
 * `lib/repeats.ts`) as its list changes batch by batch, in a raid room: 10,000 keys, nineteen of
 * twenty a raid's copy held as it came (one run), one line of chat in twenty; each batch adds 30 keys
 * and drops the oldest 30, as a room's list does at 1,000 copies a second. Per batch: the runs
 * carried on from the list before (`extendRepeats`) and the rows the column shows
 * (`collapsedKeys`), what the deck does for each batch.
 *
 * The reference, in the same run over the same lists: the runs grouped from the list's start each
 * batch (`groupRepeats`), and the same rows. CPU milliseconds per batch, the median of three rounds
 * that take turns.
 */
import {
  collapsedKeys,
  extendRepeats,
  groupRepeats,
  type RepeatSource,
} from '../../src/renderer/src/lib/repeats';
import { median } from './stats';
import type { BenchResult, Benchmark } from './types';

const LIST = 10_000;
const BATCH = 30;
/** One key in this many is a line of chat; the others are the raid's held copies. */
const CHAT_EVERY = 20;
const ROUNDS = 3;

interface Lists {
  first: string[];
  batches: string[][];
  eventOf: (key: string) => RepeatSource | undefined;
}

function raidRoom(batches: number): Lists {
  const events = new Map<string, RepeatSource>();
  let next = 0;
  const add = (): string => {
    const key = `k${next}`;
    const chat = next % CHAT_EVERY === 0;
    events.set(
      key,
      chat
        ? {
            kind: 'message',
            user: { id: `c${next % 300}` },
            text: `hello ${next}`,
            createdAt: next,
          }
        : {
            kind: 'message',
            user: { id: `r${next}` },
            text: `${next % 97} free skins at skins dot shop`,
            createdAt: next,
            held: { why: { kind: 'raid', name: 'free skins at skins dot shop' } },
          },
    );
    next += 1;
    return key;
  };
  const first = Array.from({ length: LIST }, add);
  const lists: string[][] = [];
  let keys = first;
  for (let batch = 0; batch < batches; batch += 1) {
    keys = keys.slice(BATCH).concat(Array.from({ length: BATCH }, add));
    lists.push(keys);
  }
  return { first, batches: lists, eventOf: (key) => events.get(key) };
}

/** CPU milliseconds per batch of one way of working out the rows. */
function cpuPerBatch(lists: Lists, incremental: boolean): { ms: number; rows: number } {
  let state = groupRepeats(lists.first, lists.eventOf);
  let rows = 0;
  const start = process.cpuUsage();
  for (const keys of lists.batches) {
    state = incremental
      ? extendRepeats(state, keys, lists.eventOf)
      : groupRepeats(keys, lists.eventOf);
    rows = collapsedKeys(keys, state.groups, () => false).length;
  }
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000 / lists.batches.length, rows };
}

const benchmark: Benchmark = {
  name: 'repeats',
  description:
    "a raid room column's runs of repeated messages, carried on batch by batch, against grouping " +
    'each list from its start',
  run(context) {
    const lists = raidRoom(context.smoke ? 20 : 400);
    const carried: number[] = [];
    const regrouped: number[] = [];
    let rows = 0;
    for (let round = 0; round < ROUNDS; round += 1) {
      for (const incremental of round % 2 === 0 ? [true, false] : [false, true]) {
        const measured = cpuPerBatch(lists, incremental);
        (incremental ? carried : regrouped).push(measured.ms);
        rows = measured.rows;
      }
    }
    const value = median(carried);
    const reference = median(regrouped);
    context.log(
      `raid room: ${LIST.toLocaleString('en')} keys, ${BATCH} in and out a batch; the column ` +
        `shows ${rows} rows; carried on ${carried.map((ms) => ms.toFixed(3)).join(', ')} ms, ` +
        `grouped from the start ${regrouped.map((ms) => ms.toFixed(3)).join(', ')} ms a batch`,
    );
    const results: BenchResult[] = [
      {
        metric: `raid room's runs and rows per batch (${LIST.toLocaleString('en')} keys, ${BATCH} in and out)`,
        value,
        unit: 'ms CPU',
        reference: { metric: 'grouped from the start each batch', value: reference },
        ratio: value / reference,
      },
    ];
    return Promise.resolve(results);
  },
};

export default benchmark;
