/**
 * VChatCloud's data as the sandbox keeps it, its result codes and its time formats.
 * Sources: the chat-room OpenAPI (seeds/002_…) and api-facts part 2; choices where they are
 * silent are listed in src/sandbox/vchatcloud/README.md.
 */
import type { ChatterScript } from '../core/chatter';

/**
 * Result codes. 1 and the chat-engine codes are documented (api-facts §2.6, misspellings kept as
 * the service writes them); the REST "Result Code" page was never recovered, so the ones marked
 * "sandbox" are this emulator's own choice (README).
 */
export const RESULT = {
  SYSTEM_ERROR: { code: 0, name: 'SYSTEM_ERROR' },
  SUCCESS: { code: 1, name: 'SUCCESS' },
  USER_LIMIT_EXCEEDED: { code: 10101, name: 'USER_LIMIT_EXCEEDED' },
  CHANNEL_NOT_EXISTED: { code: 10102, name: 'CHANNEL_NOT_EXISTED' },
  CHANNEL_BEFORE_OPENED: { code: 10103, name: 'CHANNEL_BEFORE_OPENED' },
  CHANNEL_AFTER_CLOSED: { code: 10104, name: 'CHANNEL_AFTER_CLOSED' },
  CHANNEL_USER_BANED: { code: 10106, name: 'CHANNEL_USER_BANED' },
  USER_NOT_EXISTED: { code: 10107, name: 'USER_NOT_EXISTED' },
  USER_NOT_ALLOWED: { code: 10114, name: 'USER_NOT_ALLOWED' },
  CHANNEL_INVALID_PASSWORD: { code: 10115, name: 'CHANNEL_INVALID_PASSWORD' },
  /** sandbox: a muted user tried to write. */
  USER_MUTED: { code: 10120, name: 'USER_MUTED' },
  MISSING_REQURIED_PARAM: { code: 10901, name: 'MISSING_REQURIED_PARAM' },
  /** sandbox: a parameter is there but not a value the documents allow. */
  INVALID_PARAM: { code: 10902, name: 'INVALID_PARAM' },
  /** sandbox: no API_KEY, or not this service's. */
  INVALID_API_KEY: { code: 90001, name: 'INVALID_API_KEY' },
  /** sandbox: no X-AUTH-TOKEN, or one this service never issued for the API key. */
  INVALID_TOKEN: { code: 90002, name: 'INVALID_TOKEN' },
  /** sandbox: an X-AUTH-TOKEN that was issued but has expired. */
  EXPIRED_TOKEN: { code: 90003, name: 'EXPIRED_TOKEN' },
} as const;

export type Result = (typeof RESULT)[keyof typeof RESULT];

/** A failure with a result code: an envelope over REST, an `err` frame on the event bus. */
export class VChatError extends Error {
  constructor(
    readonly result: Result,
    message: string,
  ) {
    super(message);
    this.name = 'VChatError';
  }
}

export type RoomStatus = 'active' | 'pending';
export type RoomType = '01' | '02' | '03';
export type YesNo = 'Y' | 'N';

/** The documented room fields (seed "listRoom"/"getRoomInfo"), typed as the sandbox keeps them. */
export interface RoomSettings {
  roomName: string;
  maxUser: number;
  roomType: RoomType;
  /** `webrtcStat` in answers, `rtcStat` in requests (seed). */
  webrtcStat: YesNo;
  /** The 9-bit webRTC option as a decimal (api-facts §2.4 "webRTC option"). */
  webrtc: number;
  resolution: string;
  gTransStat: YesNo;
  gApiKey: string;
  /** `null` answers as the string "null", as the seed's example does for a non-metaverse room. */
  template: string | null;
}

export interface Person {
  clientKey: string;
  nickName: string;
  grade: string;
  userInfo: Record<string, unknown> | null;
}

/** A room message or notice, as the join reply's `history` replays it. */
export interface StoredMessage {
  kind: 'message' | 'notice';
  clientKey: string;
  nickName: string;
  grade: string;
  message: string;
  mimeType: string;
  userInfo: Record<string, unknown> | null;
  /** Epoch ms. */
  at: number;
  messageCount: number;
}

export interface Restriction {
  clientKey: string;
  nickName: string;
  /** Epoch ms. */
  since: number;
}

export interface AdminMessage {
  kind: 'notice' | 'custom';
  nickName: string;
  message: string;
  mimeType: string;
  /** Epoch ms it is due; the time it was asked for when sent at once. */
  sendAt: number;
  /** Epoch ms it went out, or null while it waits. */
  sentAt: number | null;
}

export interface Whisper {
  from: string;
  to: string;
  message: string;
  /** Whether a live session of the receiver got it (simulated chatters have none). */
  delivered: boolean;
  at: number;
}

export interface Room {
  roomId: string;
  settings: RoomSettings;
  roomStatus: RoomStatus;
  isPossibleDup: boolean;
  /** Epoch ms. */
  startAt: number;
  endAt: number;
  /** Access rules the documents mention for joins (10114, 10115); set through the control API. */
  password: string | null;
  allowedClientKeys: Set<string> | null;
  messageCount: number;
  /** Distinct people who ever joined (`joinCount`). */
  everJoined: Set<string>;
  /** Simulated chatters present, by clientKey. */
  chatters: Map<string, Person>;
  /** People joined over the event bus, by clientKey (one person, one or more sessions). */
  members: Map<string, Person>;
  history: StoredMessage[];
  exiled: Map<string, Restriction>;
  muted: Map<string, Restriction>;
  adminMessages: AdminMessage[];
  whispers: Whisper[];
  /** The web helpers' like counter (api-facts §2.5 `like`/`getLike`). */
  likes: number;
  rate: number;
  script: ChatterScript;
}

const KOREA_OFFSET_MS = 9 * 60 * 60 * 1000;

function koreanParts(epochMs: number): string[] {
  const date = new Date(epochMs + KOREA_OFFSET_MS);
  return [
    String(date.getUTCFullYear()).padStart(4, '0'),
    String(date.getUTCMonth() + 1).padStart(2, '0'),
    String(date.getUTCDate()).padStart(2, '0'),
    String(date.getUTCHours()).padStart(2, '0'),
    String(date.getUTCMinutes()).padStart(2, '0'),
    String(date.getUTCSeconds()).padStart(2, '0'),
  ];
}

/** `yyyyMMddHHmmss` in Korean time, as REST dates and `messageDt` of notify pushes (§2.8 item 1). */
export function compactKoreanTime(epochMs: number): string {
  return koreanParts(epochMs).join('');
}

/** `YYYY-MM-DD HH:mm:ss` in Korean time, as the join reply's `history[].date`. */
export function spacedKoreanTime(epochMs: number): string {
  const [year, month, day, hour, minute, second] = koreanParts(epochMs);
  return `${year}-${month}-${day} ${hour}:${minute}:${second}`;
}

/** Reads `yyyyMMddHHmmss` (Korean time) to epoch ms; null when it is not a real time. */
export function parseCompactKoreanTime(text: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(text);
  if (match === null) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const epoch = Date.UTC(year, month - 1, day, hour, minute, second) - KOREA_OFFSET_MS;
  // Date.UTC rolls 31 February over into March; a real time reads back the same.
  return compactKoreanTime(epoch) === text ? epoch : null;
}

/** The last moment `yyyyMMddHHmmss` can say: the seed's "never ends" `endDt`. */
export const NEVER_ENDS = parseCompactKoreanTime('99991231235959') ?? Number.MAX_SAFE_INTEGER;

/**
 * Whether a webRTC option is one the note page allows: three 3-bit groups (share, video, audio),
 * each 000, 001 or 011, and share only 000 or 001 (api-facts §2.4; 10 and 17 are its invalid
 * examples).
 */
export function validWebrtcOption(value: number): boolean {
  if (!Number.isInteger(value) || value < 0 || value > 0o777) return false;
  const audio = value & 0b111;
  const video = (value >> 3) & 0b111;
  const share = (value >> 6) & 0b111;
  return [0, 1, 3].includes(audio) && [0, 1, 3].includes(video) && [0, 1].includes(share);
}

/** What a room with webRTC turned on gets when no option is given: 91 as in the seed's example. */
export const DEFAULT_WEBRTC = 91;

/**
 * `userInfo` in the form a Java `Map.toString()` prints it (`{lang=ko, profile=3}`): how the users
 * endpoint may answer it (api-facts §2.8 item 3).
 */
export function javaMapText(value: Record<string, unknown> | null): string | null {
  if (value === null) return null;
  const entries = Object.entries(value).map(
    ([key, item]) =>
      `${key}=${typeof item === 'string' || typeof item === 'number' || typeof item === 'boolean' ? String(item) : JSON.stringify(item)}`,
  );
  return `{${entries.join(', ')}}`;
}
