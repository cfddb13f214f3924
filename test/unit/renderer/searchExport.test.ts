import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import {
  SEARCH_EXPORT_COLUMNS,
  searchExportName,
  searchResultsCsv,
  searchResultsJsonl,
} from '../../../src/renderer/src/lib/searchExport';
import type { SearchResult } from '../../../src/renderer/src/stores/search';

const AT = Date.UTC(2026, 11, 7, 5, 1, 2);

function result(
  text: string,
  extra: Partial<ChatEvent> = {},
  state: SearchResult['state'] = 'visible',
): SearchResult {
  const event: ChatEvent = {
    roomKey: 'acc/lobby',
    id: 'e1',
    messageId: 'm1',
    kind: 'message',
    user: { id: 'u1', name: 'Alice' },
    text,
    createdAt: AT,
    receivedAt: AT,
    state: 'visible',
    flags: [],
    ...extra,
  };
  return {
    key: `acc/lobby#${event.id}`,
    roomKey: 'acc/lobby',
    roomName: 'Lobby',
    event,
    state,
    seq: 1,
  };
}

/** The CSV's data rows (after the header), as written. */
function rows(csv: string): string[] {
  expect(csv.endsWith('\r\n')).toBe(true);
  const lines = csv.slice(0, -2).split('\r\n');
  expect(lines[0]).toBe(SEARCH_EXPORT_COLUMNS.join(','));
  return lines.slice(1);
}

describe('search results as CSV and JSON Lines', () => {
  it('writes one row a result, in the columns named, plain cells unquoted', () => {
    expect(rows(searchResultsCsv([result('hello there')]))).toEqual([
      '2026-12-07T05:01:02.000Z,acc/lobby,Lobby,u1,Alice,message,visible,,hello there,e1,m1',
    ]);
    expect(searchResultsCsv([])).toBe(`${SEARCH_EXPORT_COLUMNS.join(',')}\r\n`);
  });

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    const [row] = rows(searchResultsCsv([result('a, "b"\nc\rd')]));
    expect(row).toBe(
      '2026-12-07T05:01:02.000Z,acc/lobby,Lobby,u1,Alice,message,visible,,"a, ""b""\nc\rd",e1,m1',
    );
  });

  it('defuses cells a spreadsheet would run as a formula: = + - @', () => {
    for (const lead of ['=', '+', '-', '@']) {
      const csv = searchResultsCsv([
        result(`${lead}HYPERLINK("x")`, { user: { id: `${lead}id`, name: `${lead}name` } }),
      ]);
      const [row] = rows(csv);
      expect(row).toContain(`,'${lead}id,'${lead}name,`);
      expect(row).toContain(`"'${lead}HYPERLINK(""x"")"`);
    }
  });

  it('writes the state, the rules (once each) and an empty user for a system message', () => {
    const flagged = result(
      'bad bad',
      {
        user: null,
        kind: 'system',
        flags: [
          { ruleId: 'r-bad', start: 0, end: 3 },
          { ruleId: 'r-bad', start: 4, end: 7 },
          { ruleId: 'r-two', start: 0, end: 7 },
        ],
      },
      'held',
    );
    expect(rows(searchResultsCsv([flagged]))).toEqual([
      '2026-12-07T05:01:02.000Z,acc/lobby,Lobby,,,system,held,r-bad r-two,bad bad,e1,m1',
    ]);
    expect(JSON.parse(searchResultsJsonl([flagged]))).toEqual({
      time: '2026-12-07T05:01:02.000Z',
      roomKey: 'acc/lobby',
      room: 'Lobby',
      userId: null,
      userName: null,
      kind: 'system',
      state: 'held',
      rules: ['r-bad', 'r-two'],
      text: 'bad bad',
      eventId: 'e1',
      messageId: 'm1',
    });
  });

  it('writes JSON Lines one object a line, text as it was (no formula guard: it is not a sheet)', () => {
    const jsonl = searchResultsJsonl([result('=1+1\nsecond line'), result('plain', { id: 'e2' })]);
    const lines = jsonl.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect((JSON.parse(lines[0]!) as { text: string }).text).toBe('=1+1\nsecond line');
    expect((JSON.parse(lines[1]!) as { eventId: string }).eventId).toBe('e2');
  });

  it('names the file by what and when', () => {
    expect(searchExportName('csv', AT)).toBe('moddeck-search-2026-12-07-05-01-02.csv');
    expect(searchExportName('jsonl', AT)).toBe('moddeck-search-2026-12-07-05-01-02.jsonl');
  });
});
