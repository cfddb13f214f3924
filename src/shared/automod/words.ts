/** Reasons in a moderator's words: durations and quoted text. */

/** A span as a reason rounds it: whole seconds under 2 min, minutes under 2 h, hours beyond. */
export interface DurationParts {
  unit: 's' | 'min' | 'h';
  value: number;
}

/** How {@link duration} rounds `ms`, for a reason written in another language. */
export function durationParts(ms: number): DurationParts {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 120) return { unit: 's', value: seconds };
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return { unit: 'min', value: minutes };
  return { unit: 'h', value: Math.round(minutes / 60) };
}

/** `20 s`, `3 min`, `2 h`: a window or a span, never `0 s`. */
export function duration(ms: number): string {
  const { unit, value } = durationParts(ms);
  return `${value} ${unit}`;
}

/** A text as a reason quotes it: on one line, cut to `max` characters with an ellipsis. */
export function shown(text: string, max = 60): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  const characters = Array.from(line);
  return characters.length > max ? `${characters.slice(0, max - 1).join('')}…` : line;
}

/** A text in quotes on one line, cut to `max` characters with an ellipsis. */
export function quote(text: string, max = 60): string {
  return `“${shown(text, max)}”`;
}

/** `1 time`, `4 times`: a count with its noun. */
export function count(value: number, singular: string, plural = `${singular}s`): string {
  return `${value} ${value === 1 ? singular : plural}`;
}
