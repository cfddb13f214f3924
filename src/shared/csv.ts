/** CSV cells as the app's exports write them (the audit log, search results). */

/** Quotes a CSV cell; a leading = + - @ is defused so a spreadsheet never runs it as a formula. */
export function csvCell(value: string | number | undefined | null): string {
  if (value === undefined || value === null) return '';
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}
