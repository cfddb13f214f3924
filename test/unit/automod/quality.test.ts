/**
 * Quality on a labelled stream (test/support/automodStream.ts) with the default rules: raids and
 * repeats are caught once they can be, and crowd reactions and ordinary chat are left alone.
 */
import { describe, expect, it } from 'vitest';
import { createAutomod, defaultAutomodConfig, type Verdict } from '../../../src/shared/automod';
import { labelledStream, type LabelledMessage } from '../../support/automodStream';

function judged(seed: number): Array<{ message: LabelledMessage; verdicts: Verdict[] }> {
  const automod = createAutomod(defaultAutomodConfig());
  return labelledStream({ seed, minutes: 20, rate: 5 }).map((message) => ({
    message,
    verdicts: automod.check(message),
  }));
}

function share(
  results: ReturnType<typeof judged>,
  include: (message: LabelledMessage) => boolean,
  caught: (verdicts: Verdict[]) => boolean,
): { share: number; of: number } {
  const chosen = results.filter(({ message }) => include(message));
  const hits = chosen.filter(({ verdicts }) => caught(verdicts)).length;
  return { share: hits / chosen.length, of: chosen.length };
}

const hasKind = (kind: string) => (verdicts: Verdict[]) =>
  verdicts.some((verdict) => verdict.kind === kind);

describe.each([27, 2026])('automod quality, seed %i', (seed) => {
  const results = judged(seed);

  it('catches copy-paste raids from fresh users with random prefixes and suffixes', () => {
    const all = share(results, (message) => message.label === 'raid', hasKind('raid'));
    // The first copies of a raid cannot be told from chat: five users must have sent it.
    const recognisable = share(
      results,
      (message) => message.label === 'raid' && message.place! >= 5,
      hasKind('raid'),
    );
    expect(all.of).toBeGreaterThan(200);
    expect(all.share).toBeGreaterThanOrEqual(0.85);
    // The target for the benchmark stream.
    expect(recognisable.share).toBeGreaterThanOrEqual(0.95);
  });

  it('catches repeats with edits once a user has sent three', () => {
    const repeats = share(
      results,
      (message) => message.label === 'repeat' && message.place! >= 2,
      hasKind('repeats'),
    );
    expect(repeats.of).toBeGreaterThan(30);
    expect(repeats.share).toBeGreaterThanOrEqual(0.95);
  });

  it('catches floods, shouting and links', () => {
    const floods = share(
      results,
      (message) => message.label === 'flood' && message.place! >= 4,
      hasKind('flood'),
    );
    expect(floods.share).toBe(1);
    expect(share(results, (message) => message.label === 'caps', hasKind('caps')).share).toBe(1);
    expect(share(results, (message) => message.label === 'link', hasKind('links')).share).toBe(1);
  });

  it('flags no crowd reaction, and almost no ordinary line', () => {
    const crowd = results.filter(
      ({ message, verdicts }) => message.label === 'crowd' && verdicts.length > 0,
    );
    expect(crowd.map(({ message, verdicts }) => [message.text, verdicts[0]!.reason])).toEqual([]);
    const normal = share(
      results,
      (message) => message.label === 'normal',
      (verdicts) => verdicts.length > 0,
    );
    expect(normal.of).toBeGreaterThan(3000);
    expect(normal.share).toBeLessThanOrEqual(0.002);
  });

  it('never calls spam of another kind a raid or a repeat', () => {
    const wrong = results.filter(
      ({ message, verdicts }) =>
        (message.label !== 'raid' && hasKind('raid')(verdicts)) ||
        (message.label !== 'repeat' && message.label !== 'crowd' && hasKind('repeats')(verdicts)),
    );
    expect(wrong.map(({ message, verdicts }) => [message.label, message.text, verdicts])).toEqual(
      [],
    );
  });
});
