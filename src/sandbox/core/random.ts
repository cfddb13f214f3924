/**
 * A small seeded pseudo-random generator, so that the same seed always gives the same chatter.
 * `Math.random` cannot be seeded; this is sfc32 (a 128-bit state, good statistical quality, fast in
 * 32-bit integer arithmetic) seeded through splitmix32.
 */

/** Mixes a 32-bit value into a well-spread 32-bit value (splitmix32's finaliser). */
function mix32(value: number): number {
  let z = (value + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Derives an independent 32-bit seed from a seed and a stream name (one stream per room). */
export function deriveSeed(seed: number, stream: string): number {
  let hash = mix32(seed >>> 0);
  for (let index = 0; index < stream.length; index += 1) {
    hash = mix32(hash ^ stream.charCodeAt(index));
  }
  return hash;
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    this.a = mix32(seed);
    this.b = mix32(this.a);
    this.c = mix32(this.b);
    this.d = 1;
    // The first outputs of sfc32 are correlated with the seed; discard them.
    for (let index = 0; index < 12; index += 1) this.nextUint32();
  }

  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** An integer in [min, max], both included. */
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('cannot pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A string of `length` characters from `alphabet`. */
  string(length: number, alphabet: string): string {
    let text = '';
    for (let index = 0; index < length; index += 1) {
      text += alphabet[Math.floor(this.next() * alphabet.length)] ?? '';
    }
    return text;
  }
}

export const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
