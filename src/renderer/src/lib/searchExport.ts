/**
 * Search results as files the moderator saves: CSV (one row a message, cells quoted and defused
 * as the audit export's are) and JSON Lines (one object a message). Pure: `downloadText` saves.
 */
import { csvCell } from '../../../shared/csv';
import type { SearchResult } from '../stores/search';

/** The columns, in order; a JSON Lines object has the same fields. */
export const SEARCH_EXPORT_COLUMNS = [
  'time',
  'roomKey',
  'room',
  'userId',
  'userName',
  'kind',
  'state',
  'rules',
  'text',
  'eventId',
  'messageId',
] as const;

type ExportRecord = Record<
  Exclude<(typeof SEARCH_EXPORT_COLUMNS)[number], 'rules'>,
  string | null
> & {
  rules: string[];
};

function recordOf(result: SearchResult): ExportRecord {
  const { event } = result;
  return {
    time: new Date(event.createdAt).toISOString(),
    roomKey: result.roomKey,
    room: result.roomName,
    userId: event.user?.id ?? null,
    userName: event.user?.name ?? null,
    kind: event.kind,
    state: result.state,
    rules: [...new Set(event.flags.map((flag) => flag.ruleId))],
    text: event.text,
    eventId: event.id,
    messageId: event.messageId,
  };
}

/** The results as CSV with a header row, CRLF line ends (as the audit export writes). */
export function searchResultsCsv(results: readonly SearchResult[]): string {
  const rows = results.map((result) => {
    const record = recordOf(result);
    return SEARCH_EXPORT_COLUMNS.map((column) =>
      csvCell(column === 'rules' ? record.rules.join(' ') : record[column]),
    ).join(',');
  });
  return `${[SEARCH_EXPORT_COLUMNS.join(','), ...rows].join('\r\n')}\r\n`;
}

/** The results as JSON Lines: one object a line, `rules` as a list. */
export function searchResultsJsonl(results: readonly SearchResult[]): string {
  return results.map((result) => `${JSON.stringify(recordOf(result))}\n`).join('');
}

/** A file name that says what and when: `moddeck-search-2026-12-07-05-01-02.csv`. */
export function searchExportName(format: 'csv' | 'jsonl', now: number): string {
  const stamp = new Date(now).toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return `moddeck-search-${stamp}.${format}`;
}
