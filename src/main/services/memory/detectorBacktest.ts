/**
 * One automod detector rule replayed over the stored chat (`history.backtestDetector`): the judged
 * messages of a recent window, oldest first in the order the store received them, through a fresh
 * automod holding only that rule, as main's feeds judged them when they arrived (chatters'
 * messages and DMs, not the moderator's own).
 *
 * A generator: each step reads at most `chunkRows` rows (a range of `seq`), and the worker takes
 * its other messages (the feeds' batches, questions) between steps, so a write waits for one step
 * at most, never for the whole replay.
 */
import type { Database } from 'better-sqlite3';
import { createAutomod, type AutomodRule, type Verdict } from '../../../shared/automod';

/** Rows of the events table read per step, counting and replaying alike. */
export const BACKTEST_CHUNK_ROWS = 2000;
/**
 * Rows replayed that a verdict can still name as earlier messages: more than automod keeps of a
 * room (256 recent messages) or a user's run.
 */
const RECENT_ROWS = 5000;

export interface DetectorBacktestQuery {
  /** Already checked by the automod configuration's parser; run enabled whatever it says. */
  rule: AutomodRule;
  /** Only messages received at or after this (epoch ms). */
  since: number;
  /** The most recent this many judged messages of the window at most. */
  maxMessages: number;
  /** Hits listed at most: the latest; `flagged` counts them all. */
  maxHits: number;
  /** Rows read per step (`BACKTEST_CHUNK_ROWS` when absent; tests make it small). */
  chunkRows?: number;
}

/** A stored message the rule flags, with what opens it: its room key, event id and `seq`. */
export interface StoredDetectorHit {
  seq: number;
  roomKey: string;
  /** The room's name when the store last heard it; null when it never did. */
  roomName: string | null;
  eventId: string;
  userId: string;
  userName: string;
  text: string;
  /** Why, in a moderator's words ("same message 3 times in 20 s"). */
  reason: string;
  /** Why, as values the window says in the moderator's language. */
  why: Verdict['why'];
  /** When it was received (epoch ms). */
  at: number;
}

export interface DetectorBacktestPage {
  /** Messages replayed. */
  scanned: number;
  /** Messages the rule flags, all of them. */
  flagged: number;
  /** The latest `maxHits` of them, in time order. */
  hits: StoredDetectorHit[];
  /** When the first and last messages replayed were received; null when none was. */
  from: number | null;
  to: number | null;
}

type ReplayRow = {
  seq: number;
  room_key: string;
  event_id: string;
  user_id: string;
  user_name: string | null;
  text: string;
  received_at: number;
  first: 0 | 1;
};

/**
 * What automod judges (`JUDGED` and `isChatters` in feeds.ts): chat messages and DMs with a
 * sender, not the moderator's own (`fromModerator`, kept in `extra`), received in the window.
 */
const JUDGED_SQL = `kind IN ('message', 'dm') AND user_id IS NOT NULL AND received_at >= ?
  AND (extra IS NULL OR json_extract(extra, '$.fromModerator') IS NOT 1)`;

/**
 * Replays `query.rule` over the window's judged messages. Yields after every step; returns the
 * page. The window is fixed when it starts: events stored meanwhile are not read.
 */
export function* replayDetector(
  db: Database,
  query: DetectorBacktestQuery,
): Generator<void, DetectorBacktestPage, void> {
  const chunk = Math.max(1, query.chunkRows ?? BACKTEST_CHUNK_ROWS);
  const page: DetectorBacktestPage = { scanned: 0, flagged: 0, hits: [], from: null, to: null };
  const top = db.prepare('SELECT max(seq) FROM events').pluck().get() as number | null;
  // The first event received in the window, through `events_by_received`; the replay reads from
  // it in `seq` order (the order the store received them).
  const low = db
    .prepare('SELECT seq FROM events WHERE received_at >= ? ORDER BY received_at LIMIT 1')
    .pluck()
    .get(query.since) as number | undefined;
  if (top === null || low === undefined || query.maxMessages < 1) return page;

  // More rows than messages wanted: count the judged ones back from the newest to find where the
  // most recent `maxMessages` start.
  let start = low;
  if (top - low + 1 > query.maxMessages) {
    const judged = db
      .prepare(
        `SELECT seq FROM events WHERE seq <= ? AND seq > ? AND ${JUDGED_SQL} ORDER BY seq DESC`,
      )
      .pluck();
    let counted = 0;
    for (let cursor = top; cursor >= low;) {
      const floor = Math.max(low - 1, cursor - chunk);
      const seqs = judged.all(cursor, floor, query.since) as number[];
      if (counted + seqs.length >= query.maxMessages) {
        start = seqs[query.maxMessages - counted - 1] ?? low;
        break;
      }
      counted += seqs.length;
      cursor = floor;
      yield;
    }
  }

  const automod = createAutomod({ rules: [{ ...query.rule, enabled: true }] });
  const replay = db.prepare<unknown[], ReplayRow>(
    `SELECT seq, room_key, event_id, user_id, user_name, text, received_at,
       extra IS NOT NULL AND json_extract(extra, '$.first') IS NOT NULL AS first
     FROM events WHERE seq > ? AND seq <= ? AND ${JUDGED_SQL} ORDER BY seq`,
  );
  const hits: Array<Omit<StoredDetectorHit, 'roomName'>> = [];
  const hit = (row: ReplayRow, { reason, why }: Verdict): void => {
    page.flagged += 1;
    hits.push({
      seq: row.seq,
      roomKey: row.room_key,
      eventId: row.event_id,
      userId: row.user_id,
      userName: row.user_name ?? '',
      text: row.text,
      reason,
      why,
      at: row.received_at,
    });
  };
  // The latest rows replayed, by seq: a verdict may name earlier messages of what it found (a
  // raid's first copies), which the feed flags too.
  const recent = new Map<number, ReplayRow>();
  for (let cursor = start - 1; cursor < top;) {
    const ceiling = Math.min(top, cursor + chunk);
    for (const row of replay.all(cursor, ceiling, query.since)) {
      page.scanned += 1;
      page.from ??= row.received_at;
      page.to = row.received_at;
      recent.set(row.seq, row);
      if (recent.size > RECENT_ROWS) recent.delete(recent.keys().next().value as number);
      const [verdict] = automod.check({
        roomKey: row.room_key,
        userId: row.user_id,
        userName: row.user_name ?? '',
        text: row.text,
        at: row.received_at,
        id: String(row.seq),
        ...(row.first === 1 ? { firstInRoom: true } : {}),
      });
      if (verdict === undefined) continue;
      for (const id of verdict.earlier ?? []) {
        const earlier = recent.get(Number(id));
        if (earlier) hit(earlier, verdict);
      }
      hit(row, verdict);
      // Only the latest are kept, so a rule that flags everything holds `2 × maxHits` at most.
      if (hits.length >= 2 * query.maxHits) {
        hits.sort((a, b) => a.seq - b.seq);
        hits.splice(0, hits.length - query.maxHits);
      }
    }
    cursor = ceiling;
    if (cursor < top) yield;
  }
  hits.sort((a, b) => a.seq - b.seq);

  const roomName = db.prepare("SELECT nullif(name, '') FROM rooms WHERE room_key = ?").pluck();
  const names = new Map<string, string | null>();
  page.hits = hits.slice(Math.max(0, hits.length - query.maxHits)).map((hit) => {
    if (!names.has(hit.roomKey))
      names.set(hit.roomKey, (roomName.get(hit.roomKey) as string | null | undefined) ?? null);
    return { ...hit, roomName: names.get(hit.roomKey) ?? null };
  });
  return page;
}
