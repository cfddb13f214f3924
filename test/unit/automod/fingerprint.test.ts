/** Fingerprints: what reads as the same text, what as nearly the same, and what as different. */
import { describe, expect, it } from 'vitest';
import { LruMap } from '../../../src/shared/automod/bounded';
import { Fingerprinter, similarity } from '../../../src/shared/automod/fingerprint';

const fingerprinter = new Fingerprinter();

function similar(a: string, b: string): number {
  const first = fingerprinter.fingerprint(a).signature;
  return similarity(first, 0, fingerprinter.fingerprint(b).signature);
}

const BASE = 'follow my channel for daily giveaways';

describe('fingerprints', () => {
  it.each([
    ['changed case', BASE.toUpperCase()],
    ['punctuation and emoji', `${BASE}!!! 🎁🎁`],
    ['spacing and separators', 'follow-my-channel   for daily.giveaways'],
    ['look-alike letters and leetspeak', 'f0ll0w my сhannel for dai1y giveaway$'],
    ['letters held down', 'folllllow my channnnel for daily giveawaysss'],
  ])('reads %s as the same text', (_name, variant) => {
    expect(fingerprinter.fingerprint(variant).exact).toBe(fingerprinter.fingerprint(BASE).exact);
    expect(similar(BASE, variant)).toBe(1);
  });

  it.each([
    ['a random prefix', `xq7zk ${BASE}`],
    ['a random suffix', `${BASE} 8vbnm2`],
    ['both', `zk2 ${BASE} q9w`],
    ['two changed letters', BASE.replace('channel', 'chanmel').replace('daily', 'dayly')],
  ])('reads %s as nearly the same text', (_name, variant) => {
    expect(similar(BASE, variant)).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    'what game is this and who made it',
    'i think the left path was better honestly',
    '오늘 방송 정말 재밌네요 감사합니다',
  ])('reads a different sentence as different: %s', (other) => {
    expect(similar(BASE, other)).toBeLessThan(0.2);
  });

  it('measures information by distinct shingles, not length', () => {
    expect(fingerprinter.fingerprint('hahahahahahahahaha').distinctShingles).toBe(2);
    expect(fingerprinter.fingerprint('gg').distinctShingles).toBe(1);
    expect(fingerprinter.fingerprint(BASE).distinctShingles).toBeGreaterThan(25);
  });

  it('compares texts of only emoji or punctuation by what they are', () => {
    expect(fingerprinter.fingerprint('😂😂😂').length).toBe(1);
    expect(similar('😂', '😂😂😂')).toBe(1);
    expect(similar('😂', '🔥')).toBeLessThan(0.1);
    expect(fingerprinter.fingerprint('   ').length).toBe(0);
  });
});

describe('LruMap', () => {
  it('forgets the least recently used entry and hands its value over for reuse', () => {
    const map = new LruMap<string, { name: string }>(2);
    map.getOrCreate('a', () => ({ name: 'a' }));
    map.getOrCreate('b', () => ({ name: 'b' }));
    map.get('a');
    let forgotten: { name: string } | undefined;
    map.getOrCreate('c', (old) => {
      forgotten = old;
      return { name: 'c' };
    });
    expect(forgotten).toEqual({ name: 'b' });
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect([...map.values()].map((value) => value.name).sort()).toEqual(['a', 'c']);
  });
});
