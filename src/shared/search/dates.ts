/**
 * The values of `before:` and `after:`. Each names a moment, and both operators compare with its
 * start, as Gmail does: `before:2026-12-01` is everything up to that day, `after:2026-12-01`
 * includes it, so `-before:X` and `after:X` find the same messages and `after:today` finds today's.
 * Dates and times are the moderator's local time (the process's time zone).
 */

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** A duration of up to six digits: 999,999 days is about 2,700 years. */
const RELATIVE = /^(\d{1,6})([dh])$/;
const ABSOLUTE = /^(\d{4})-(\d{2})-(\d{2})(?:t(\d{2}):(\d{2}))?$/;

export const DATE_FORMS =
  'a date such as 2026-12-01 or 2026-12-01T10:00, today, yesterday, 7d or 12h';

/** The canonical text and start of a date value (case-insensitive), or `undefined` when it is not one. */
export function resolveDate(value: string, now: number): { date: string; at: number } | undefined {
  const text = value.toLowerCase();
  if (text === 'today' || text === 'yesterday') {
    const day = new Date(now);
    day.setHours(0, 0, 0, 0);
    if (text === 'yesterday') day.setDate(day.getDate() - 1);
    return validTime(text, day.getTime());
  }
  const relative = RELATIVE.exec(text);
  if (relative) {
    const count = Number(relative[1]);
    const unit = relative[2] === 'd' ? DAY_MS : HOUR_MS;
    return validTime(`${count}${relative[2]}`, now - count * unit);
  }
  const absolute = ABSOLUTE.exec(text);
  if (!absolute) return undefined;
  const [year, month, day, hour, minute] = absolute.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
  ];
  // `new Date(year, …)` reads years below 100 as 19xx; setFullYear does not.
  const moment = new Date(0);
  moment.setFullYear(year, month - 1, day);
  moment.setHours(hour, minute, 0, 0);
  const sameDay =
    moment.getFullYear() === year && moment.getMonth() === month - 1 && moment.getDate() === day;
  // A minute that daylight saving skips (02:30 on the spring-forward day) moves: not a time. A day
  // whose midnight is skipped starts when its clocks do.
  const sameTime =
    absolute[4] === undefined || (moment.getHours() === hour && moment.getMinutes() === minute);
  if (!sameDay || !sameTime) return undefined;
  return validTime(text.replace('t', 'T'), moment.getTime());
}

function validTime(date: string, at: number): { date: string; at: number } | undefined {
  return Number.isFinite(at) ? { date, at } : undefined;
}
