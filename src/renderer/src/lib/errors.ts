/** Error codes from the contract (a provider's or ours) in the moderator's words. */
import type { TFunction } from 'i18next';
import type { ErrorInfo } from '../../../shared/contract';

/** Codes with their own sentence under `errors.codes` in every language. */
const KNOWN_CODES = new Set([
  'CHAT_ROOM_MESSAGE_NOT_FOUND',
  'CHAT_ROOM_NOT_FOUND',
  'CHAT_ROOM_ALREADY_EXISTS',
  'VIDEO_ROOM_NOT_FOUND',
  'MEMBER_NOT_FOUND',
  'INVALID_APP_CREDENTIALS',
  'INTERNAL_SERVER_ERROR',
  'NETWORK',
  'TIMEOUT',
  'OUTCOME_UNKNOWN',
  'AUTH',
  'SERVER',
  'RATE_LIMITED',
  'UNSUPPORTED',
  'USER_BUSY',
  'NOT_FOUND',
  'INVALID_INPUT',
  'SECRET_REQUIRED',
  'ACCOUNT_CHANGED',
  'STORAGE',
  'INTERNAL',
  'BAD_CHAT_SERVER',
  'ROOM_REFUSED',
  // VChatCloud result codes (src/main/providers/vchatcloud/codes.ts) a moderator meets often.
  '10102',
  '10104',
  '10106',
  '10107',
  '10120',
]);

/** The code's sentence, which may quote the service's own words (`{{message}}`). */
export function describeError(t: TFunction, error: ErrorInfo): string {
  if (KNOWN_CODES.has(error.code))
    return t(`errors.codes.${error.code}`, { message: error.message });
  return t('errors.unknown', { code: error.code, message: error.message });
}
