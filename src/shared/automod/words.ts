/** Reasons in a moderator's words: durations and quoted text. */

/** `20 s`, `3 min`, `2 h`: a window or a span, never `0 s`. */
export function duration(ms: number): string {
  const seconds = Math.max(1, Math.round(ms / 1000));
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  return `${Math.round(minutes / 60)} h`;
}

/** A text in quotes on one line, cut to `max` characters with an ellipsis. */
export function quote(text: string, max = 60): string {
  const line = text.replace(/\s+/gu, ' ').trim();
  const characters = Array.from(line);
  const shown = characters.length > max ? `${characters.slice(0, max - 1).join('')}…` : line;
  return `“${shown}”`;
}

/** `1 time`, `4 times`: a count with its noun. */
export function count(value: number, singular: string, plural = `${singular}s`): string {
  return `${value} ${value === 1 ? singular : plural}`;
}
