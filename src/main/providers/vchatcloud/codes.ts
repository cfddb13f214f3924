/**
 * VChatCloud result codes in words. REST answers carry them as `result_cd`, the event bus as an
 * `err` frame's `failureCode`; either way they become an `AppError` whose code is the number as a
 * string and whose message names it ("10106" → "CHANNEL_USER_BANED: the user is banned").
 */
import { AppError } from '../../../shared/errors';

interface KnownCode {
  /** The service's identifier, misspellings kept (api-facts §2.6, §2.8 item 7). */
  name: string;
  meaning: string;
  /** Whether the service's own text says which parameter or value (worth showing). */
  detailed?: boolean;
}

const KNOWN: Record<number, KnownCode> = {
  [-1]: { name: 'NO_HANDLERS', meaning: 'the chat server does not handle this request' },
  0: { name: 'SYSTEM_ERROR', meaning: 'the service failed' },
  10101: { name: 'USER_LIMIT_EXCEEDED', meaning: 'the room is full' },
  10102: { name: 'CHANNEL_NOT_EXISTED', meaning: 'the room does not exist' },
  10103: { name: 'CHANNEL_BEFORE_OPENED', meaning: 'the room is not open yet' },
  10104: { name: 'CHANNEL_AFTER_CLOSED', meaning: 'the room has ended' },
  10105: { name: 'ACTIVE_LIMIT_EXCEEDED', meaning: 'too many active users' },
  10106: { name: 'CHANNEL_USER_BANED', meaning: 'the user is banned' },
  10107: { name: 'USER_NOT_EXISTED', meaning: 'the user is not in the room' },
  10108: { name: 'CHANNLE_ALREADY_DISCONNECTED', meaning: 'already disconnected' },
  10114: { name: 'USER_NOT_ALLOWED', meaning: 'the user is not allowed in this room' },
  10115: { name: 'CHANNEL_INVALID_PASSWORD', meaning: 'the room password is wrong' },
  10901: {
    name: 'MISSING_REQURIED_PARAM',
    meaning: 'a required parameter is missing',
    detailed: true,
  },
  // The REST result-code table was never recovered (api-facts §2.9); these are the sandbox's
  // (src/sandbox/vchatcloud/README.md), read here so that its answers are shown in words.
  10120: { name: 'USER_MUTED', meaning: 'the user is muted' },
  10902: {
    name: 'INVALID_PARAM',
    meaning: 'a parameter has a value the service refuses',
    detailed: true,
  },
  90001: { name: 'INVALID_API_KEY', meaning: 'the service refused the API key' },
  90002: { name: 'INVALID_TOKEN', meaning: 'the service refused the access token' },
  90003: { name: 'EXPIRED_TOKEN', meaning: 'the access token has expired' },
};

/** Codes after which a fresh `X-AUTH-TOKEN` may help. */
export const TOKEN_REFUSED = new Set(['90002', '90003']);

/** "NAME: meaning", with the service's own words where they add something. */
export function describeResult(code: number, serviceMessage?: string | null): string {
  const known = KNOWN[code];
  const extra = serviceMessage?.trim() ?? '';
  if (known === undefined) {
    return `VChatCloud answered result code ${code}${extra === '' ? '' : `: ${extra}`}`;
  }
  const words = `${known.name}: ${known.meaning}`;
  return known.detailed === true && extra !== '' ? `${words} (${extra})` : words;
}

export function resultError(
  code: number,
  serviceMessage?: string | null,
  status?: number,
): AppError {
  return new AppError(String(code), describeResult(code, serviceMessage), {
    ...(status === undefined ? {} : { status }),
  });
}
