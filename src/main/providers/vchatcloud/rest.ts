/**
 * The VChatCloud REST OpenAPI (seed document + api-facts §2.2–2.4): chat rooms (v2), users,
 * exile, mute, notice and custom messages. Every call sends `API_KEY` and an `X-AUTH-TOKEN`
 * from `GET /openapi/token`; the token is issued on first use, renewed before its JWT `exp` when it
 * has one or when the account's key was replaced, and once more whenever the service refuses it.
 * Bodies are form-encoded; every answer is unwrapped from the `result_cd`/`result_msg` envelope, a
 * code other than 1 becoming an `AppError` with the code as a string. Fields are read tolerantly:
 * numbers as strings, either spelling of `messageCount`, dates as `yyyyMMddHHmmss` in Korean time.
 */
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../shared/errors';
import { toEpochMs } from '../../../shared/time';
import type { Redactor } from '../../services/accounts/redactor';
import {
  failedBeforeSending,
  interpretAnswer,
  readAnswer,
  sendOnce,
  withRetry,
  type HttpDeps,
} from '../http';
import { resultError, TOKEN_REFUSED } from './codes';

const Text = z
  .union([z.string(), z.number(), z.boolean()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? undefined : String(value)));
const Count = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((value) => {
    if (value === null || value === undefined || value === '') return undefined;
    const number = Number(value);
    return Number.isFinite(number) ? number : undefined;
  });
const Instant = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : toEpochMs(value)));

/** A room as `listRoom` and `getRoomInfo` answer it (seed), every field a string there. */
export const RoomDto = z
  .object({
    roomId: Text.pipe(z.string()),
    roomName: Text,
    maxUser: Count,
    startDt: Instant,
    endDt: Instant,
    messageCount: Count,
    /** The English table's spelling (api-facts §2.8 item 2). */
    MessageCount: Count,
    joinCount: Count,
    currentUserCount: Count,
    roomStatus: Text,
    isPossibleDup: Text,
    roomType: Text,
    webrtcStat: Text,
    webrtc: Count,
    resolution: Text,
    gTransStat: Text,
    gApiKey: Text,
    template: Text,
    userId: Text,
  })
  .transform((room) => ({
    roomId: room.roomId,
    roomName: room.roomName ?? room.roomId,
    maxUser: room.maxUser ?? 0,
    startDt: room.startDt,
    endDt: room.endDt,
    messageCount: room.messageCount ?? room.MessageCount ?? 0,
    joinCount: room.joinCount ?? 0,
    currentUserCount: room.currentUserCount,
    roomStatus: room.roomStatus ?? 'active',
    isPossibleDup: room.isPossibleDup === 'true',
    roomType: room.roomType ?? '01',
    webrtcStat: room.webrtcStat ?? 'N',
    webrtc: room.webrtc ?? null,
    resolution: orNull(room.resolution),
    gTransStat: room.gTransStat ?? 'N',
    gApiKey: room.gApiKey ?? '',
    // The seed's example answers `"null"` for a room without a template.
    template: orNull(room.template),
    userId: room.userId,
  }));
export type RoomDto = z.infer<typeof RoomDto>;

export const UserDto = z.object({
  roomId: Text,
  clientKey: Text.pipe(z.string()),
  nickName: Text,
  grade: Text,
  /** An object, a JSON string or Java `Map.toString()` text (api-facts §2.8 item 3). */
  userInfo: z.unknown().optional(),
});
export type UserDto = z.infer<typeof UserDto>;

/** An exiled or muted user; the fields beyond `clientKey` are not documented (api-facts §2.9). */
export const RestrictionDto = z.object({
  clientKey: Text.pipe(z.string()),
  nickName: Text,
  regDt: Instant.optional(),
});
export type RestrictionDto = z.infer<typeof RestrictionDto>;

const Envelope = z.object({
  result_cd: z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number),
  result_msg: z.string().nullish(),
});

const TokenAnswer = z.object({ data: z.object({ 'X-AUTH-TOKEN': z.string().min(1) }) });
const ListAnswer = <T extends z.ZodType>(item: T) =>
  z.object({
    list: z
      .array(item)
      .nullish()
      .transform((list) => list ?? []),
  });

/** The create and modify parameters, as the seed names them (every value a string). */
export interface RoomForm {
  roomName: string;
  maxUser: number;
  roomType: string;
  rtcStat: string;
  gTransStat: string;
  gApiKey?: string | undefined;
  resolution?: string | undefined;
  template?: string | undefined;
  webrtc?: number | undefined;
  /** Modify only: `active`/`pending`, or `E` to end the room (the modify example's letters). */
  roomStatus?: string | undefined;
}

export interface CustomForm {
  message: string;
  nickName?: string | undefined;
  mimeType?: string | undefined;
  /** Epoch ms; sent as `yyyyMMddHHmmss` in Korean time (note.html "sendDate"). */
  sendAt?: number | undefined;
}

export interface VChatCloudRestOptions {
  /** The origin under which `/openapi/...` lives. */
  baseUrl: string;
  /**
   * Read for every call, as FlipFlop's secret is: a key replaced in Settings is the one sent next,
   * and a token issued with another key is not used with it.
   */
  apiKey: () => Promise<string>;
  http: HttpDeps;
  redactor: Redactor;
  /** The redactor slot of this account's access tokens (`Redactor.rotate`), one per account. */
  tokenSlot: string;
  now: () => number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CallOptions {
  form?: Record<string, string | number | undefined>;
  /**
   * Idempotent calls are retried on network errors and 5xx; the others never are. Idempotent
   * changes (any method but GET) whose outcome is unknown are tried once more (`withRetry`).
   */
  idempotent: boolean;
}

interface CachedToken {
  token: string;
  apiKey: string;
  /** From the JWT `exp` claim; null when the token says nothing. */
  expiresAt: number | null;
}

/** A token this close to its `exp` is renewed before use rather than risked. */
const RENEW_BEFORE_MS = 30_000;
const KOREA_OFFSET_MS = 9 * 60 * 60 * 1000;

export class VChatCloudRest {
  private token: Promise<CachedToken> | null = null;
  /** What `token` resolved to, once it did. */
  private tokenValue: CachedToken | null = null;

  constructor(private readonly options: VChatCloudRestOptions) {}

  /** Issues a new `X-AUTH-TOKEN` (and keeps it for the calls that follow). */
  async issueToken(): Promise<string> {
    this.token = null;
    this.tokenValue = null;
    return (await this.currentToken()).token;
  }

  async listRooms(): Promise<RoomDto[]> {
    const answer = await this.call('GET', '/openapi/v2/rooms', { idempotent: true });
    return readAnswer('VChatCloud', ListAnswer(RoomDto), answer).list;
  }

  async getRoom(roomId: string): Promise<RoomDto> {
    const answer = await this.call('GET', room(roomId), { idempotent: true });
    return readAnswer('VChatCloud', z.object({ data: RoomDto }), answer).data;
  }

  /** Not idempotent: a retry could create the room twice. */
  async createRoom(form: RoomForm): Promise<string> {
    const answer = await this.call('POST', '/openapi/v2/rooms', {
      form: { ...form },
      idempotent: false,
    });
    return readAnswer(
      'VChatCloud',
      z.object({ data: z.object({ roomId: Text.pipe(z.string()) }) }),
      answer,
    ).data.roomId;
  }

  /** The same settings twice leave the same room, so it is safe to retry. */
  async modifyRoom(roomId: string, form: RoomForm): Promise<void> {
    await this.call('POST', room(roomId), { form: { ...form }, idempotent: true });
  }

  /** Not retried: a second try after a lost answer would say the room does not exist. */
  async destroyRoom(roomId: string): Promise<void> {
    await this.call('DELETE', room(roomId), { idempotent: false });
  }

  /**
   * The users in a room. chatUser.html names `/openapi/v1/users/…` and apiList.html `/v2/`
   * (api-facts §2.8 item 4): v1 first, v2 if the service has no v1.
   */
  async users(roomId: string): Promise<UserDto[]> {
    let answer: unknown;
    try {
      answer = await this.call('GET', `/openapi/v1/users/${segment(roomId)}`, { idempotent: true });
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 404) throw error;
      answer = await this.call('GET', `/openapi/v2/users/${segment(roomId)}`, { idempotent: true });
    }
    return readAnswer('VChatCloud', ListAnswer(UserDto), answer).list;
  }

  async exiles(roomId: string): Promise<RestrictionDto[]> {
    return this.restrictions('exiles', roomId);
  }

  /** Exile = kick and ban (api-facts §2.3). Exiling twice leaves one exile: safe to retry. */
  async exile(roomId: string, clientKey: string): Promise<void> {
    await this.call('POST', restriction('exiles', roomId, clientKey), { idempotent: true });
  }

  async unexile(roomId: string, clientKey: string): Promise<void> {
    await this.call('PUT', restriction('exiles', roomId, clientKey), { idempotent: true });
  }

  async mutes(roomId: string): Promise<RestrictionDto[]> {
    return this.restrictions('mute', roomId);
  }

  async mute(roomId: string, clientKey: string): Promise<void> {
    await this.call('POST', restriction('mute', roomId, clientKey), { idempotent: true });
  }

  async unmute(roomId: string, clientKey: string): Promise<void> {
    await this.call('PUT', restriction('mute', roomId, clientKey), { idempotent: true });
  }

  /** A room-wide notice: `nickName` ≤ 50 and `notice` ≤ 100 characters (chat.html). */
  async notice(roomId: string, nickName: string, notice: string): Promise<void> {
    await this.call('POST', `/openapi/v1/notice/${segment(roomId)}`, {
      form: { nickName, notice },
      idempotent: false,
    });
  }

  async custom(roomId: string, form: CustomForm): Promise<void> {
    await this.call('POST', `/openapi/v1/custom/${segment(roomId)}`, {
      form: {
        message: form.message,
        nickName: form.nickName,
        mimeType: form.mimeType,
        sendDate: form.sendAt === undefined ? undefined : koreanCompact(form.sendAt),
      },
      idempotent: false,
    });
  }

  private async restrictions(kind: 'exiles' | 'mute', roomId: string) {
    const answer = await this.call('GET', `/openapi/v1/${kind}/${segment(roomId)}`, {
      idempotent: true,
    });
    return readAnswer('VChatCloud', ListAnswer(RestrictionDto), answer).list;
  }

  private async call(method: Method, path: string, options: CallOptions): Promise<unknown> {
    const url = `${this.options.baseUrl}${path}`;
    let body: string | undefined;
    if (options.form !== undefined) {
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(options.form)) {
        if (value !== undefined) form.set(key, String(value));
      }
      body = form.toString();
    }
    let used: string | null = null;
    const attempt = async (): Promise<unknown> => {
      // Without a token the call itself was never sent, whatever happened to the token's request.
      const { token, apiKey } = await this.currentToken().catch((error: unknown) => {
        throw failedBeforeSending(error);
      });
      used = token;
      const headers: Record<string, string> = {
        API_KEY: apiKey,
        'X-AUTH-TOKEN': token,
        Accept: 'application/json',
      };
      if (body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
      const response = await sendOnce(this.options.http, {
        method,
        url,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      return interpretAnswer(response, interpret);
    };
    const run = async (): Promise<unknown> => {
      try {
        return await attempt();
      } catch (error) {
        // A refused token was not used for anything: a fresh one makes the same call safe.
        if (!isTokenRefusal(error)) throw error;
        if (used !== null) this.forget(used);
        return attempt();
      }
    };
    return options.idempotent
      ? withRetry(this.options.http, run, { changes: method !== 'GET' })
      : run();
  }

  /**
   * The cached token, or a new one when there is none, it is about to expire, or it was issued
   * with another key than the account's now: a key re-issued on the CMS refuses the old one on
   * every call (`INVALID_API_KEY`), whatever token goes with it.
   */
  private async currentToken(): Promise<CachedToken> {
    const apiKey = await this.options.apiKey();
    const cached = this.token;
    if (cached === null) return this.renew(null);
    const token = await cached;
    const expiring =
      token.expiresAt !== null && this.options.now() >= token.expiresAt - RENEW_BEFORE_MS;
    return expiring || token.apiKey !== apiKey ? this.renew(cached) : token;
  }

  private renew(stale: Promise<CachedToken> | null): Promise<CachedToken> {
    // Several calls may find the same stale token; only the first asks for a new one.
    if (this.token !== stale && this.token !== null) return this.token;
    const issuing = this.fetchToken();
    this.token = issuing;
    this.tokenValue = null;
    issuing.then(
      (token) => {
        if (this.token === issuing) this.tokenValue = token;
      },
      () => {
        if (this.token === issuing) this.token = null;
      },
    );
    return issuing;
  }

  /** Drops the cached token if it is the one the service refused (not a newer one). */
  private forget(token: string): void {
    if (this.tokenValue?.token !== token) return;
    this.token = null;
    this.tokenValue = null;
  }

  private async fetchToken(): Promise<CachedToken> {
    const apiKey = await this.options.apiKey();
    this.options.redactor.add(apiKey);
    const answer = await withRetry(this.options.http, async () => {
      const response = await sendOnce(this.options.http, {
        method: 'GET',
        url: `${this.options.baseUrl}/openapi/token`,
        headers: { API_KEY: apiKey, Accept: 'application/json' },
      });
      return interpretAnswer(response, interpret);
    });
    const token = readAnswer('VChatCloud', TokenAnswer, answer).data['X-AUTH-TOKEN'];
    this.options.redactor.rotate(this.options.tokenSlot, token);
    return { token, apiKey, expiresAt: jwtExpiry(token) };
  }
}

function isTokenRefusal(error: unknown): boolean {
  if (!(error instanceof AppError)) return false;
  return TOKEN_REFUSED.has(error.code) || error.status === 401 || error.status === 403;
}

/** Unwraps the envelope, or throws its code as an `AppError`. */
function interpret(status: number, text: string): unknown {
  let body: unknown = undefined;
  if (text.trim() !== '') {
    try {
      body = JSON.parse(text) as unknown;
    } catch {
      body = undefined;
    }
  }
  const envelope = Envelope.safeParse(body);
  if (envelope.success) {
    if (envelope.data.result_cd === 1 && status >= 200 && status < 300) return body;
    if (envelope.data.result_cd !== 1) {
      throw resultError(envelope.data.result_cd, envelope.data.result_msg, status);
    }
  }
  if (status === 401 || status === 403) {
    throw new AppError(ErrorCode.Auth, 'VChatCloud refused the API key or the access token.', {
      status,
    });
  }
  if (status >= 500) {
    throw new AppError(ErrorCode.Server, `VChatCloud failed (HTTP ${status}).`, { status });
  }
  if (status === 429) {
    throw new AppError(ErrorCode.RateLimited, 'VChatCloud refused more calls for now (HTTP 429).', {
      status,
    });
  }
  if (status >= 200 && status < 300) {
    throw new AppError(ErrorCode.Server, 'VChatCloud answered without its result envelope.', {
      status,
    });
  }
  throw new AppError(`HTTP_${status}`, `VChatCloud answered HTTP ${status}.`, { status });
}

/** The `exp` claim of a JWT in epoch ms, or null when the token is not a readable JWT. */
export function jwtExpiry(token: string): number | null {
  const payload = token.split('.')[1];
  if (payload === undefined || token.split('.').length !== 3) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    const exp =
      typeof claims === 'object' && claims !== null
        ? (claims as Record<string, unknown>)['exp']
        : undefined;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** `yyyyMMddHHmmss` in Korean time (UTC+9, no daylight saving), as `sendDate` wants it. */
export function koreanCompact(epochMs: number): string {
  return new Date(epochMs + KOREA_OFFSET_MS).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

function orNull(value: string | undefined): string | null {
  return value === undefined || value === '' || value === 'null' ? null : value;
}

function room(roomId: string): string {
  return `/openapi/v2/rooms/${segment(roomId)}`;
}

function restriction(kind: 'exiles' | 'mute', roomId: string, clientKey: string): string {
  return `/openapi/v1/${kind}/${segment(roomId)}/${segment(clientKey)}`;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}
