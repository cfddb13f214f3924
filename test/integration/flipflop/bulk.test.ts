/**
 * `messages.bulk` against the sandbox while it fails and rate-limits: 500 messages deleted while
 * a share of the calls get 503, then 429 with Retry-After, then none. Every message ends deleted
 * at the sandbox or is reported failed (and is untouched there), none is carried out twice, each
 * has exactly one result and one audit line, and the feed agrees with the sandbox.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { BulkItemResult } from '../../../src/shared/contract';
import type { FeedBatch } from '../../../src/shared/chat';
import { buildTestCore, call, valueOf } from '../../support/core';
import { addSandboxAccount, control, useSandbox } from '../../support/sandbox';
import { useTempDir } from '../../support/tempDir';
import { until } from '../../support/until';

const MESSAGES = 500;
const RETRY_AFTER_SECONDS = 1;

interface LoggedRequest {
  method: string;
  path: string;
  receivedAt: number;
  injectedStatus?: number;
}

describe('bulk moderation against the sandbox', () => {
  it('deletes 500 messages through 503s and 429s: each done once or reported failed, one result and one audit line each', async () => {
    const sandbox = await useSandbox({ rooms: 1, ratePerRoom: 0 });
    const api = control(sandbox);
    const { core } = await buildTestCore(await useTempDir(), {
      http: { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 20 } },
    });
    onTestFinished(() => core.dispose());
    const accountId = await addSandboxAccount(core, sandbox);
    const roomKey = `${accountId}/1001`;
    const seen = new Set<string>();
    let live = false;
    const results: BulkItemResult[] = [];
    core.events.subscribe((event, payload) => {
      if (event === 'feed.status') {
        live ||= (payload as { statuses: Array<{ state: string }> }).statuses.some(
          (status) => status.state === 'live',
        );
      }
      if (event === 'feed.batch') {
        for (const chat of (payload as FeedBatch).events) {
          if (typeof chat.messageId === 'string') seen.add(chat.messageId);
        }
      }
      if (event === 'moderation.result') results.push(payload as BulkItemResult);
    });
    valueOf(await call(core, 'rooms.open', { accountId, roomId: '1001' }));
    await until(core.events, () => live, 'the room live');

    const messageIds: string[] = [];
    for (let start = 0; start < MESSAGES; start += 50) {
      const said = await Promise.all(
        Array.from({ length: 50 }, (_, offset) =>
          api.say('1001', { userId: `raider${start + offset}`, message: `raid ${start + offset}` }),
        ),
      );
      messageIds.push(...said.map((message) => message.messageId));
    }
    await until(
      core.events,
      () => messageIds.every((messageId) => seen.has(messageId)),
      'every message in the feed',
    );

    await api.faults({ restFailure: { rate: 0.3, status: 503 } });
    const answer = call(core, 'messages.bulk', {
      action: 'delete',
      items: messageIds.map((messageId) => ({ roomKey, messageId })),
      reason: 'Raid',
      bulkId: 'raid-500',
    });
    await until(core.events, () => results.length >= 150, '150 results', 30_000);
    await api.faults({
      restFailure: { rate: 0.1, status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS },
    });
    await until(core.events, () => results.length >= 250, '250 results', 30_000);
    await api.clearFaults();
    const summary = valueOf(await answer);

    // Exactly one result per message, in the order named, and the same one told live.
    expect(summary.bulkId).toBe('raid-500');
    expect(summary.results.map((result) => result.messageId)).toEqual(messageIds);
    expect(results).toHaveLength(MESSAGES);
    expect(new Set(results.map((result) => result.messageId)).size).toBe(MESSAGES);
    const told = new Map(results.map((result) => [result.messageId, result]));
    for (const result of summary.results) expect(told.get(result.messageId)).toEqual(result);

    // Done at the sandbox, or failed and untouched there; nothing gone or unknown.
    const done = summary.results.filter((result) => result.outcome === 'done');
    const failed = summary.results.filter((result) => result.outcome === 'failed');
    expect(done.length + failed.length).toBe(MESSAGES);
    expect(done.length).toBeGreaterThan(MESSAGES * 0.9);
    const states = new Map<string, string>();
    for (let start = 0; start < MESSAGES; start += 50) {
      const batch = messageIds.slice(start, start + 50);
      const read = await Promise.all(batch.map((messageId) => api.message('1001', messageId)));
      read.forEach((message, index) => states.set(batch[index] ?? '', message.state));
    }
    for (const result of done)
      expect(states.get(result.messageId), result.messageId).toBe('deleted');
    for (const result of failed) {
      expect(states.get(result.messageId), result.messageId).toBe('visible');
      expect(['SERVICE_UNAVAILABLE', 'TOO_MANY_REQUESTS']).toContain(result.error?.code);
    }

    // The service carried out each delete at most once; the faults were met, 429s waited out.
    const { requests } = await api.get<{ requests: LoggedRequest[] }>('/requests');
    const deletes = new Map<string, LoggedRequest[]>();
    for (const request of requests) {
      if (request.method !== 'DELETE') continue;
      const messageId = request.path.slice(request.path.lastIndexOf('/') + 1);
      deletes.set(messageId, [...(deletes.get(messageId) ?? []), request]);
    }
    expect(deletes.size).toBe(MESSAGES);
    let limited = 0;
    let unavailable = 0;
    for (const [messageId, tries] of deletes) {
      const carriedOut = tries.filter((request) => request.injectedStatus === undefined);
      expect(carriedOut.length, messageId).toBe(told.get(messageId)?.outcome === 'done' ? 1 : 0);
      tries.forEach((request, index) => {
        const next = tries[index + 1];
        // A refused try is tried again, three tries in all.
        if (request.injectedStatus !== undefined && index < 2)
          expect(next, messageId).toBeDefined();
        if (request.injectedStatus === 503) unavailable += 1;
        if (request.injectedStatus !== 429) return;
        limited += 1;
        if (next !== undefined) {
          expect(next.receivedAt - request.receivedAt, messageId).toBeGreaterThanOrEqual(
            RETRY_AFTER_SECONDS * 1000,
          );
        }
      });
    }
    expect(unavailable).toBeGreaterThan(0);
    expect(limited).toBeGreaterThan(0);

    // One audit line per message, saying what its result says.
    const lines = (await readFile(core.audit.path, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, string>);
    expect(lines).toHaveLength(MESSAGES);
    expect(new Set(lines.map((line) => line['messageId'])).size).toBe(MESSAGES);
    for (const line of lines) {
      const result = told.get(line['messageId'] ?? '');
      expect(line).toMatchObject({ action: 'delete', room: roomKey, reason: 'Raid' });
      expect(line['result']).toBe(result?.outcome === 'done' ? 'ok' : result?.error?.code);
    }

    // The feed shows what the sandbox has.
    const snapshot = valueOf(await call(core, 'feed.snapshot', { roomKey })).events;
    const shown = new Map(snapshot.map((chat) => [chat.messageId, chat.state]));
    for (const messageId of messageIds) {
      expect(shown.get(messageId), messageId).toBe(states.get(messageId));
    }
  }, 60_000);
});
