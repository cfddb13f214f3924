import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

/** Captures what the page saves through a download link. */
function captureDownloads() {
  const downloads: Array<{ name: string; blob: Blob }> = [];
  const blobs = new Map<string, Blob>();
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    const url = `blob:test/${blobs.size}`;
    blobs.set(url, blob as Blob);
    return url;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
    this: HTMLAnchorElement,
  ) {
    const blob = blobs.get(this.href);
    if (blob) downloads.push({ name: this.download, blob });
  });
  return downloads;
}

async function openAudit(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a1', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: 'Audit log' }));
  return screen.findByRole('tabpanel', { name: 'Audit log' });
}

describe('Settings: the audit log', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('exports the audit log as the file main prepared, in the format asked for', async () => {
    const csv =
      'time,account,room,messageId,action,result,text,detail\r\n2026-11-22T03:00:00.000Z,acc,acc/alpha,1,hide,ok,,\r\n';
    const { bridge } = fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'audit.export': ({ format }) => ({
          ok: true,
          value:
            format === 'csv'
              ? { filename: 'moddeck-audit-2026-11-22.csv', mimeType: 'text/csv', content: csv }
              : {
                  filename: 'moddeck-audit-2026-11-22.jsonl',
                  mimeType: 'application/jsonl',
                  content: '{}\n',
                },
        }),
      },
    );
    const downloads = captureDownloads();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openAudit(user);

    await user.click(within(panel).getByRole('button', { name: 'Export as CSV' }));
    expect(await within(panel).findByRole('status')).toHaveTextContent(
      'Exported as moddeck-audit-2026-11-22.csv.',
    );
    expect(downloads.map((download) => download.name)).toEqual(['moddeck-audit-2026-11-22.csv']);
    expect(await downloads[0]?.blob.text()).toBe(csv);
    expect(downloads[0]?.blob.type).toBe('text/csv;charset=utf-8');

    await user.click(within(panel).getByRole('button', { name: 'Export as JSON Lines' }));
    expect(
      bridge.calls.filter((call) => call.channel === 'audit.export').map((call) => call.input),
    ).toEqual([{ format: 'csv' }, { format: 'jsonl' }]);
  });

  it('says why when the export fails, and saves nothing', async () => {
    fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'audit.export': () => ({
          ok: false,
          error: {
            code: 'STORAGE',
            message: 'Could not read the audit folder: permission was denied.',
          },
        }),
      },
    );
    const downloads = captureDownloads();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openAudit(user);
    await user.click(within(panel).getByRole('button', { name: 'Export as CSV' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      /^The audit log was not exported: /,
    );
    expect(downloads).toEqual([]);
  });
});
