/**
 * Provider timestamps to epoch milliseconds. The services disagree (api-facts §1.8, §2.8):
 * FlipFlop REST uses ISO 8601, its socket epoch seconds as a string, older SDKs epoch ms as a number;
 * VChatCloud uses `yyyyMMddHHmmss` and `YYYY-MM-DD HH:mm:ss` in Korean time, or epoch ms.
 */
const KOREA_OFFSET_MS = 9 * 60 * 60 * 1000;
/** Numbers above this are milliseconds; below it, seconds (1e12 ms is September 2001). */
const MILLISECONDS_THRESHOLD = 1e12;

/** Returns epoch ms, or null when the value is not a time this function understands. */
export function toEpochMs(value: unknown): number | null {
  if (typeof value === 'number') return fromNumber(value);
  if (typeof value === 'bigint') return fromNumber(Number(value));
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d{14}$/.test(text)) return fromKoreanCompact(text);
  if (/^\d+(\.\d+)?$/.test(text)) return fromNumber(Number(text));
  const koreanSpaced = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (koreanSpaced) return fromKoreanCompact(koreanSpaced.slice(1).join(''));
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? null : parsed;
}

function fromNumber(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  return value >= MILLISECONDS_THRESHOLD ? Math.round(value) : Math.round(value * 1000);
}

/** `yyyyMMddHHmmss` in Korean time (UTC+9, no daylight saving). */
function fromKoreanCompact(text: string): number | null {
  const [year, month, day, hour, minute, second] = [
    text.slice(0, 4),
    text.slice(4, 6),
    text.slice(6, 8),
    text.slice(8, 10),
    text.slice(10, 12),
    text.slice(12, 14),
  ].map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - KOREA_OFFSET_MS;
}
