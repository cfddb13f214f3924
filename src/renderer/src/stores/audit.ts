/** The audit log, as far as the renderer is concerned: export it as a file. */
import type { Result } from '../../../shared/contract';
import { invoke } from '../lib/api';
import { downloadText } from '../lib/download';

export type AuditFormat = 'csv' | 'jsonl';

/** Asks main for the whole audit log and saves it where the browser saves downloads. */
export async function exportAudit(format: AuditFormat): Promise<Result<{ filename: string }>> {
  const result = await invoke('audit.export', { format });
  if (!result.ok) return result;
  const { filename, mimeType, content } = result.value;
  downloadText(filename, content, mimeType);
  return { ok: true, value: { filename } };
}
