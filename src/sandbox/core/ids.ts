/**
 * Message ids. Gossip sends `message_id` as a 19-digit decimal string (api-facts §1.7, example
 * "1679786302000000000") and REST takes the same number in paths (§1.3). 19 digits exceed
 * Number.MAX_SAFE_INTEGER, so ids stay strings here; BigInt is used only to read a path.
 */

const SEQUENCE_DIGITS = 6;
const SEQUENCE_LIMIT = 10 ** SEQUENCE_DIGITS;
/** The largest Java `Long`: the real service's ids are Longs (api-facts §1.3 "[Long]"). */
const LONG_MAX = 9223372036854775807n;

/**
 * Hands out increasing 19-digit ids: epoch milliseconds (13 digits) followed by a 6-digit
 * sequence, which reads like the documented example and never repeats within one generator,
 * even when the clock stands still or steps back.
 */
export class MessageIdGenerator {
  private milliseconds = 0;
  private sequence = 0;

  constructor(private readonly now: () => number = Date.now) {}

  next(): string {
    const now = this.now();
    if (now > this.milliseconds) {
      this.milliseconds = now;
      this.sequence = 0;
    } else {
      this.sequence += 1;
      if (this.sequence >= SEQUENCE_LIMIT) {
        this.milliseconds += 1;
        this.sequence = 0;
      }
    }
    return `${this.milliseconds}${String(this.sequence).padStart(SEQUENCE_DIGITS, '0')}`;
  }
}

/**
 * The canonical form of an id read from a path (`007` and `7` name the same Long), or null when it
 * is not a Long at all. Parsed with BigInt so that no digit is lost.
 */
export function canonicalMessageId(text: string): string | null {
  if (!/^\d{1,19}$/.test(text)) return null;
  const value = BigInt(text);
  return value > LONG_MAX ? null : value.toString();
}
