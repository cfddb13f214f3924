/**
 * "Test connection" in Settings: one real call to the provider (it lists the account's rooms),
 * answered in words. A failure is part of the answer, not an error of the request, so the
 * moderator reads what went wrong next to the account.
 */
import type { ConnectionTest } from '../../shared/contract';
import { toErrorInfo } from '../errors';
import type { ProviderAccount } from '../providers/types';

export async function testConnection(
  provider: Pick<ProviderAccount, 'listRooms'>,
  redact: (text: string) => string,
): Promise<ConnectionTest> {
  try {
    const rooms = await provider.listRooms();
    const count = rooms.length;
    return {
      ok: true,
      message: `Connected: ${count} ${count === 1 ? 'room' : 'rooms'}`,
      roomCount: count,
    };
  } catch (error) {
    const info = toErrorInfo(error);
    // An ok answer is not redacted on its way out, as error envelopes are: do it here.
    return { ok: false, code: info.code, message: redact(`Could not connect: ${info.message}`) };
  }
}
