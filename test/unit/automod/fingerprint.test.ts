/** Fingerprints: what reads as the same text, what as nearly the same, and what as different. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LruMap, UserSlots } from '../../../src/shared/automod/bounded';
import {
  Fingerprinter,
  emptyFingerprint,
  similarity,
} from '../../../src/shared/automod/fingerprint';

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

/** Characters of every kind the skeleton's shortcut reads or leaves to the normaliser. */
const PIECES = [
  ...'abcxyzILlO',
  ' ',
  '  ',
  ...'.,?:;-_~()\'"',
  ...'!|@$',
  ...'01345789',
  'é',
  'ß',
  'ﬁ',
  'с',
  'ı',
  '\u0301',
  '\u200b',
  '\u00ad',
  ...'가나다',
  'ㅋ',
  '\u1100\u1161',
  '😂',
  '👍🏽',
  '\ud83d',
  '\ude02',
  '１',
  'Ⅻ',
];

describe('skeleton shortcut', () => {
  const normalizing = new Fingerprinter({ shortcut: false });

  it('gives every text the fingerprint the normaliser gives it', () => {
    const text = fc.oneof(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 6 }).map((pieces) => pieces.join('')),
      fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((pieces) => pieces.join('')),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.string({ unit: 'binary', maxLength: 60 }),
      // Across the skeleton's and the text's limits (512 units, 2,048 UTF-16 units).
      fc
        .tuple(fc.integer({ min: 100, max: 1100 }), fc.constantFrom(...PIECES), fc.string())
        .map(([times, piece, tail]) => `${'ab '.repeat(times)}${piece}${tail}`),
    );
    fc.assert(
      fc.property(text, (value) => {
        const expected = normalizing.fingerprint(value);
        const found = fingerprinter.fingerprint(value);
        expect([...found.signature]).toEqual([...expected.signature]);
        expect(found.exact).toBe(expected.exact);
        expect(found.length).toBe(expected.length);
        expect(found.distinctShingles).toBe(expected.distinctShingles);
      }),
      {
        numRuns: 1000,
        examples: [
          ['가a나'],
          ['가 a 나'],
          ['b4d w0rd'],
          ['sh!t |quote|'],
          ['dai1y'],
          ['시1발'],
          ['ㅋㅋㅋ'],
          ['follow my сhannel'],
          ['😂😂😂'],
          ['x'.repeat(3000)],
        ],
      },
    );
    // About 0.5 s alone; a loaded two-core machine has taken ten times that.
  }, 30_000);
});

describe('signatures only where they are compared', () => {
  it('signs a text from the distinct shingles asked, as a full fingerprint would', () => {
    const full = new Fingerprinter();
    const lazy = new Fingerprinter();
    const print = emptyFingerprint();
    const text = fc.oneof(
      fc.array(fc.constantFrom(...PIECES), { maxLength: 12 }).map((pieces) => pieces.join('')),
      fc.string({ unit: 'grapheme', maxLength: 40 }),
      fc.constantFrom('gg', 'lol', 'ㅋㅋㅋ', BASE, `xq7 ${BASE}`, 'hahahahaha'),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.integer({ min: 0, max: 24 })), { maxLength: 8 }),
        (texts) => {
          // One print for every text, as automod reuses it: an unsigned one keeps the last slots.
          for (const [value, signatureFrom] of texts) {
            const expected = full.fingerprint(value);
            lazy.fingerprintInto(value, print, undefined, signatureFrom);
            expect(print.exact).toBe(expected.exact);
            expect(print.length).toBe(expected.length);
            expect(print.distinctShingles).toBe(expected.distinctShingles);
            expect(print.signed).toBe(expected.distinctShingles >= signatureFrom);
            if (print.signed) expect([...print.signature]).toEqual([...expected.signature]);
          }
        },
      ),
      { numRuns: 500 },
    );
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

describe('UserSlots', () => {
  it('gives each user of each room a slot, and the same one while they stay', () => {
    const slots = new UserSlots(3);
    const a = slots.find('acc/1', 'a');
    const b = slots.find('acc/1', 'b');
    const otherRoom = slots.find('acc/2', 'a');
    expect(new Set([a, b, otherRoom]).size).toBe(3);
    expect(slots.find('acc/1', 'a')).toBe(a);
    expect(slots.find('acc/2', 'a')).toBe(otherRoom);
    expect(slots.size).toBe(3);
  });

  it('when full, gives the least recently active user’s slot to the new one, under a new generation', () => {
    const slots = new UserSlots(2);
    const a = slots.find('acc/1', 'a');
    const b = slots.find('acc/1', 'b');
    slots.find('acc/1', 'a');
    const generationOfB = slots.generation(b);
    const c = slots.find('acc/1', 'c');
    expect(c).toBe(b);
    expect(slots.generation(c)).not.toBe(generationOfB);
    expect(slots.generation(c)).not.toBe(0);
    expect(slots.size).toBe(2);
    // `b` was forgotten: back, they take the slot now least recently used, `a`'s.
    const generationOfA = slots.generation(a);
    expect(slots.find('acc/1', 'b')).toBe(a);
    expect(slots.generation(a)).not.toBe(generationOfA);
  });

  it('never gives out more than its capacity, whatever the rooms and users', () => {
    const slots = new UserSlots(300);
    const holders = new Map<number, string>();
    for (let index = 0; index < 20_000; index += 1) {
      const room = `acc/${index % 7 === 0 ? index : index % 5}`;
      const user = `u${(index * 7919) % 1_000}`;
      const slot = slots.find(room, user);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(slot).toBeLessThan(300);
      holders.set(slot, `${room} ${user}`);
      // The newest user is found again in their own slot.
      expect(slots.find(room, user)).toBe(slot);
    }
    expect(slots.size).toBe(300);
    expect(holders.size).toBe(300);
  });

  it('keeps each remembered user in their slot through many evictions, as a least-recently-used list would', () => {
    // A model of the same list; every user it still holds must be found in the slot they had, and
    // every other gets a slot under a new generation. Colliding hashes and removals from the middle
    // of a probe run are what this exercises, and the table growing past its first 256 slots: 40
    // rooms × 500 users through 300 slots.
    const capacity = 300;
    const slots = new UserSlots(capacity);
    const model = new Map<string, { slot: number; generation: number }>();
    let seed = 7;
    for (let step = 0; step < 50_000; step += 1) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      // Mostly a small active set, sometimes anyone: both hits and evictions.
      const user = seed % 4 === 0 ? (seed >>> 8) % 500 : (seed >>> 8) % 8;
      const room = `acc/${(seed >>> 20) % 40}`;
      const key = `${room} u${user}`;
      const slot = slots.find(room, `u${user}`);
      const known = model.get(key);
      if (known) {
        expect(slot).toBe(known.slot);
        expect(slots.generation(slot)).toBe(known.generation);
        model.delete(key);
      } else {
        for (const [other, held] of model) {
          if (held.slot === slot) model.delete(other);
        }
        expect(model.size).toBeLessThan(capacity);
      }
      model.set(key, { slot, generation: slots.generation(slot) });
      if (model.size > capacity) model.delete(model.keys().next().value!);
    }
    expect(slots.size).toBe(capacity);
  });
});
