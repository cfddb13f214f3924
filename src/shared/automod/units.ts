/**
 * A text's UTF-16 units copied once into a reused buffer, for detectors that read a message
 * character by character. Reading a typed array costs the same whatever the string's inner form;
 * `charCodeAt` over chat text of mixed forms (one- and two-byte, concatenated) was measured at
 * about 10 ns a unit, 3 to 5 times a typed array's, and three detectors read every message.
 */

/** UTF-16 units any detector reads of a text (shape.ts), and one more to finish a surrogate pair. */
export const MAX_READ_UNITS = 4097;

export class TextUnits {
  readonly units = new Uint16Array(MAX_READ_UNITS);
  /** Units copied: the whole text, or its first {@link MAX_READ_UNITS}. */
  length = 0;
  /** How many texts were read: what was computed from the units is stale once it changes. */
  reads = 0;

  /** Copies the start of `text`, overwriting the last one. */
  read(text: string): this {
    const length = Math.min(text.length, MAX_READ_UNITS);
    const units = this.units;
    for (let index = 0; index < length; index += 1) units[index] = text.charCodeAt(index);
    this.length = length;
    this.reads += 1;
    return this;
  }
}
