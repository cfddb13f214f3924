/**
 * A kept profile for the browser host whose message history knows each room's regulars: every
 * person in the sandbox room's pool (`ChatterScript`'s users for the same seed and room) wrote one
 * line there a day before. Shield mode holds a chatter first seen in a room lately, and only the
 * history can tell who is new (`FeedService` marks nobody first without one); with every regular
 * known, the ones it finds new are the raid's fresh accounts, as in a room the app has watched
 * before.
 *
 * The history is keyed by the account's id, which the host makes when it first adds the sandbox
 * account: the host starts once on the new folder and closes, the store is written with the
 * store's own `MemoryDatabase.ingest`, and the caller's host then starts on the same folder.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryDatabase } from '../../src/main/services/memory/database';
import { ChatterScript, poolFor } from '../../src/sandbox';
import type { ChatEvent } from '../../src/shared/chat';
import { startHost } from '../e2e/host';
import { chatEvent } from '../support/memory';
import type { SandboxProcess } from './sandboxProcess';

/** The sandbox CLI's default seed: the benchmark's sandbox runs with it. */
const SANDBOX_SEED = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RegularsProfile {
  userDataDir: string;
  /** Regulars written, over every room. */
  regulars: number;
}

/**
 * Makes a user-data folder for the host on `sandbox` whose history knows the regulars of
 * `roomIds` (rooms with `presentPerRoom` chatters present at the start).
 */
export async function profileWithRegulars(
  sandbox: SandboxProcess,
  roomIds: readonly string[],
  presentPerRoom: number,
): Promise<RegularsProfile> {
  const userDataDir = await mkdtemp(join(tmpdir(), 'moddeck-raid-'));
  const first = await startHost({ sandbox: sandbox.ready, userDataDir });
  let accountId: string;
  try {
    const record = first.core.accounts.records().find((account) => account.sandbox === true);
    if (!record) throw new Error('the host did not add its sandbox account');
    accountId = record.id;
  } finally {
    await first.close();
  }

  const regulars = writeRegulars(
    join(userDataDir, 'memory.sqlite'),
    accountId,
    roomIds,
    presentPerRoom,
  );
  return { userDataDir, regulars };
}

/**
 * Writes into the history at `file` one line a day old from every person in the sandbox pool of
 * each of `roomIds` (rooms with `presentPerRoom` chatters present at the start), under
 * `accountId`; answers how many. No other process may have the file open.
 */
export function writeRegulars(
  file: string,
  accountId: string,
  roomIds: readonly string[],
  presentPerRoom: number,
): number {
  const at = Date.now() - DAY_MS;
  const events: ChatEvent[] = [];
  for (const roomId of roomIds) {
    const roomKey = `${accountId}/${roomId}`;
    const script = new ChatterScript({
      seed: SANDBOX_SEED,
      stream: `flipflop/${roomId}`,
      poolSize: poolFor(presentPerRoom),
      initialMembers: presentPerRoom,
    });
    for (const [index, user] of script.users.entries()) {
      const id = `regular-${roomId}-${index}`;
      events.push(
        chatEvent(roomKey, 'hi everyone', {
          userId: user.id,
          id,
          messageId: id,
          user: { id: user.id, name: user.name },
          createdAt: at + index,
          receivedAt: at + index,
        }),
      );
    }
  }
  const store = new MemoryDatabase(file);
  try {
    store.ingest({
      at,
      events,
      updates: [],
      rooms: roomIds.map((roomId) => ({
        roomKey: `${accountId}/${roomId}`,
        accountId,
        provider: 'flipflop',
        name: `Room ${roomId}`,
      })),
    });
  } finally {
    store.close();
  }
  return events.length;
}
