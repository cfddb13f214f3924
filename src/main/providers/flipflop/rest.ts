/**
 * The FlipFlop app REST API (seed document + api-facts §1.1–1.5): video rooms, chat rooms,
 * members, admin messages, single messages, chat tokens and banned words. HTTP Basic with
 * `appApiKey:appApiSecret`; errors become `AppError`s carrying the provider's `errorCode`.
 * Responses are parsed tolerantly: either casing where the documents disagree, ids as strings
 * whatever their JSON type (long ids are kept exact by `parseJsonKeepingLongIntegers`).
 */
import { z } from 'zod';
import { AppError, ErrorCode } from '../../../shared/errors';
import { parseJsonKeepingLongIntegers } from '../../../shared/json';
import { toEpochMs } from '../../../shared/time';
import type { Redactor } from '../../services/accounts/redactor';
import {
  interpretAnswer,
  readAnswer,
  sendOnce,
  withRetry,
  type AttemptContext,
  type HttpDeps,
} from '../http';
import type { AnswerWatcher } from '../types';

const Id = z.union([z.string(), z.number(), z.bigint()]).transform((value) => String(value));
const Count = z.union([z.number(), z.string()]).transform(Number).catch(0);
const Instant = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((value) => (value === null || value === undefined ? null : toEpochMs(value)));
const OptionalText = z
  .string()
  .nullish()
  .transform((value) => value ?? undefined);

export const ChatRoomDto = z.object({
  videoKey: Id.optional(),
  channelKey: Id,
  totalChatMessageCount: Count.default(0),
  totalChatMemberCount: Count.default(0),
  closed: z.boolean().default(false),
  createdAt: Instant,
});
export type ChatRoomDto = z.infer<typeof ChatRoomDto>;

const VideoRoomChat = z.object({
  videoKey: Id.optional(),
  channelKey: Id.nullish(),
  /** FFL-IOS decodes `created`/`closed` as booleans; older answers omit them (api-facts §1.2). */
  created: z.boolean().optional(),
  closed: z.boolean().optional(),
  createdAt: Instant.optional(),
  closedAt: Instant.optional(),
});

export const VideoRoomDto = z.object({
  id: Id,
  title: OptionalText,
  videoRoomState: OptionalText,
  type: OptionalText,
  chat: VideoRoomChat.nullish(),
  createdAt: Instant.optional(),
});
export type VideoRoomDto = z.infer<typeof VideoRoomDto>;

/** Spring-Data style page (api-facts §1.1). */
const VideoRoomPage = z.object({
  content: z.array(VideoRoomDto),
  totalPages: Count.optional(),
  totalElements: Count.optional(),
  number: Count.optional(),
  last: z.boolean().optional(),
});

export const MembersDto = z.object({
  nextCursor: Id.nullish(),
  count: Count.optional(),
  content: z.array(
    z.object({
      appUserId: Id,
      appUserName: OptionalText,
      appUserProfileImgUrl: OptionalText,
      joinedAt: Instant.optional(),
    }),
  ),
});
export type MembersDto = z.infer<typeof MembersDto>;

const SentMessageDto = z.object({
  videoKey: Id.optional(),
  channelKey: Id.optional(),
  messageId: Id,
});

export const MessageDto = z.object({
  videoKey: Id.optional(),
  channelKey: Id.optional(),
  messageId: Id,
  messageType: z.string(),
  customType: OptionalText,
  message: OptionalText,
  data: z.unknown().optional(),
  receiverAppUserIds: z.array(Id).nullish(),
  createdAt: Instant,
});
export type MessageDto = z.infer<typeof MessageDto>;

/** FFL-SRV's DTO has no `appId` and the doc examples omit `chatServerWebSocketUrl` (§1.4). */
export const ChatTokenDto = z.object({
  chatServerWebSocketUrl: z.string(),
  chatToken: z.string(),
  appId: OptionalText,
  userId: Id,
  userName: OptionalText,
  avatarProfileUrl: OptionalText,
});
export type ChatTokenDto = z.infer<typeof ChatTokenDto>;

export interface AdminMessage {
  messageType: string;
  customType?: string | undefined;
  message?: string | undefined;
  data?: Record<string, unknown> | undefined;
  appUserIds?: string[] | undefined;
}

export interface FlipFlopRestOptions {
  baseUrl: string;
  appApiKey: string;
  /** Read when a request is made, so a replaced secret takes effect at once. */
  secret: () => Promise<string>;
  http: HttpDeps;
  redactor: Redactor;
  /** The redactor slot of this account's chat tokens (`Redactor.rotate`), one per account. */
  tokenSlot: string;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | undefined>;
  /**
   * Idempotent calls are retried on network errors and 5xx; the others never are. Idempotent
   * changes (any method but GET) whose outcome is unknown are tried once more (`withRetry`).
   */
  idempotent: boolean;
  /** An error code that, after a try whose outcome is unknown, means that try did it. */
  doneAfterUnknown?: string;
  /** Hears every answer, each try's. */
  watch?: AnswerWatcher;
}

const APP = '/v2/apps/me';

export class FlipFlopRest {
  constructor(private readonly options: FlipFlopRestOptions) {}

  async listVideoRooms(page = 0, pageSize = 100): Promise<z.infer<typeof VideoRoomPage>> {
    return readAnswer(
      'FlipFlop',
      VideoRoomPage,
      await this.call('GET', `${APP}/video-rooms`, {
        query: { page, pageSize, sortBy: 'CREATED_AT_DESC' },
        idempotent: true,
      }),
    );
  }

  async getVideoRoom(videoRoomId: string): Promise<VideoRoomDto> {
    return readAnswer(
      'FlipFlop',
      VideoRoomDto,
      await this.call('GET', `${APP}/video-rooms/${segment(videoRoomId)}`, { idempotent: true }),
    );
  }

  async createChatRoom(videoRoomId: string): Promise<ChatRoomDto> {
    return readAnswer(
      'FlipFlop',
      ChatRoomDto,
      await this.call('POST', chatRoom(videoRoomId), { idempotent: false }),
    );
  }

  async getChatRoom(videoRoomId: string): Promise<ChatRoomDto> {
    return readAnswer(
      'FlipFlop',
      ChatRoomDto,
      await this.call('GET', chatRoom(videoRoomId), { idempotent: true }),
    );
  }

  /** Closing twice leaves it closed, so it is safe to retry. */
  async closeChatRoom(videoRoomId: string): Promise<ChatRoomDto> {
    return readAnswer(
      'FlipFlop',
      ChatRoomDto,
      await this.call('POST', `${chatRoom(videoRoomId)}/close`, { idempotent: true }),
    );
  }

  async listMembers(videoRoomId: string, cursor?: string, count?: number): Promise<MembersDto> {
    return readAnswer(
      'FlipFlop',
      MembersDto,
      await this.call('GET', `${chatRoom(videoRoomId)}/members`, {
        query: { cursor, count },
        idempotent: true,
      }),
    );
  }

  /** Not idempotent: a retry could announce twice, so the moderator retries by hand. */
  async broadcast(videoRoomId: string, message: AdminMessage): Promise<string> {
    const answer = await this.call('POST', `${chatRoom(videoRoomId)}/admin/messages/broadcast`, {
      body: message,
      idempotent: false,
    });
    return readAnswer('FlipFlop', SentMessageDto, answer).messageId;
  }

  async direct(videoRoomId: string, message: AdminMessage): Promise<string> {
    const answer = await this.call('POST', `${chatRoom(videoRoomId)}/admin/messages/direct`, {
      body: message,
      idempotent: false,
    });
    return readAnswer('FlipFlop', SentMessageDto, answer).messageId;
  }

  async getMessage(videoRoomId: string, messageId: string): Promise<MessageDto> {
    return readAnswer(
      'FlipFlop',
      MessageDto,
      await this.call('GET', message(videoRoomId, messageId), { idempotent: true }),
    );
  }

  async hideMessage(videoRoomId: string, messageId: string, watch?: AnswerWatcher): Promise<void> {
    await this.call('POST', `${message(videoRoomId, messageId)}/hide`, {
      idempotent: true,
      ...(watch === undefined ? {} : { watch }),
    });
  }

  async unhideMessage(videoRoomId: string, messageId: string): Promise<void> {
    await this.call('POST', `${message(videoRoomId, messageId)}/unhide`, { idempotent: true });
  }

  /** A retry answering CHAT_ROOM_MESSAGE_NOT_FOUND after an unanswered try: that try deleted it. */
  async deleteMessage(videoRoomId: string, messageId: string): Promise<void> {
    await this.call('DELETE', message(videoRoomId, messageId), {
      idempotent: true,
      doneAfterUnknown: 'CHAT_ROOM_MESSAGE_NOT_FOUND',
    });
  }

  async memberChatToken(appUserId: string): Promise<ChatTokenDto> {
    return this.chatToken(
      await this.call('POST', `${APP}/members/${segment(appUserId)}/chat-tokens`, {
        idempotent: false,
      }),
    );
  }

  async guestChatToken(appUserName?: string): Promise<ChatTokenDto> {
    return this.chatToken(
      await this.call('POST', `${APP}/members/guest-chat-tokens`, {
        body: appUserName === undefined ? {} : { appUserName },
        idempotent: false,
      }),
    );
  }

  async setBannedWords(words: string[]): Promise<void> {
    await this.call('POST', `${APP}/banned-chat-words`, { body: { words }, idempotent: true });
  }

  /** The document's curl uses POST with the words, comma-separated, in the path (§1.5). */
  async unsetBannedWords(words: string[]): Promise<void> {
    await this.call('POST', `${APP}/banned-chat-words/${segment(words.join(','))}`, {
      idempotent: true,
    });
  }

  /**
   * A chat-token answer. The token lets anyone chat as its user, and a chat server that refuses
   * it may quote it back: it is masked like the app secret, for as long as it is one of the
   * account's two newest.
   */
  private chatToken(answer: unknown): ChatTokenDto {
    const token = readAnswer('FlipFlop', ChatTokenDto, answer);
    this.options.redactor.rotate(this.options.tokenSlot, token.chatToken);
    return token;
  }

  private async call(method: Method, path: string, options: CallOptions): Promise<unknown> {
    const secret = await this.options.secret();
    const { appApiKey, redactor } = this.options;
    redactor.addBasicCredential(appApiKey, secret);
    const headers: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${appApiKey}:${secret}`, 'utf8').toString('base64')}`,
      Accept: 'application/json',
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (method === 'POST') {
      // The documents send `-H Content-Type:application/json -d ''` on body-less POSTs.
      headers['Content-Type'] = 'application/json';
    }
    const url = this.url(path, options.query);
    const attempt = async (context?: AttemptContext): Promise<unknown> => {
      const response = await sendOnce(this.options.http, {
        method,
        url,
        headers,
        ...(body === undefined ? {} : { body }),
      });
      options.watch?.({
        status: response.status,
        ...(response.retryAfterMs === undefined ? {} : { retryAfterMs: response.retryAfterMs }),
      });
      try {
        return interpretAnswer(response, interpret);
      } catch (error) {
        const done =
          context?.afterUnknown === true &&
          error instanceof AppError &&
          error.code === options.doneAfterUnknown;
        if (done) return undefined;
        throw error;
      }
    };
    return options.idempotent
      ? withRetry(this.options.http, attempt, { changes: method !== 'GET' })
      : attempt();
  }

  private url(path: string, query: CallOptions['query']): string {
    const url = new URL(this.options.baseUrl + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }
}

function chatRoom(videoRoomId: string): string {
  return `${APP}/video-rooms/${segment(videoRoomId)}/chat-room`;
}

function message(videoRoomId: string, messageId: string): string {
  return `${chatRoom(videoRoomId)}/messages/${segment(messageId)}`;
}

function segment(value: string): string {
  return encodeURIComponent(value);
}

const ProviderError = z.object({
  errorCode: z.string().min(1),
  errorMessage: z.string().nullish(),
});

/** Turns an answer into its JSON body, or throws the provider's error as an `AppError`. */
function interpret(status: number, text: string): unknown {
  let body: unknown = undefined;
  if (text.trim() !== '') {
    try {
      body = parseJsonKeepingLongIntegers(text);
    } catch {
      body = undefined;
      if (status < 400) {
        throw new AppError(
          ErrorCode.Server,
          `The service answered ${status} with a body that is not JSON.`,
          {
            status,
          },
        );
      }
    }
  }
  if (status >= 200 && status < 300) return body;
  const provider = ProviderError.safeParse(body);
  if (provider.success) {
    const { errorCode, errorMessage } = provider.data;
    if (PROVIDER_CODE.test(errorCode)) {
      throw new AppError(errorCode, errorMessage ?? errorCode, { status });
    }
    // Not a code (too long, or words): the status's code, with the service's words if any.
    const answer = statusError(status);
    throw new AppError(answer.code, errorMessage ?? answer.message, { status });
  }
  const answer = statusError(status);
  throw new AppError(answer.code, answer.message, { status });
}

/**
 * What an error code of FlipFlop's looks like (`CHAT_ROOM_MESSAGE_NOT_FOUND`). The code is any
 * text the service sends, and the window shows it and keeps it in the audit log: one that is not
 * like this is not taken as a code.
 */
const PROVIDER_CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** The code and words for an error answer by its HTTP status alone. */
function statusError(status: number): { code: string; message: string } {
  if (status === 401 || status === 403) {
    return { code: ErrorCode.Auth, message: 'The service refused the app API key or secret.' };
  }
  if (status >= 500) {
    return { code: ErrorCode.Server, message: `The service failed (HTTP ${status}).` };
  }
  if (status === 429) {
    return {
      code: ErrorCode.RateLimited,
      message: 'The service refused more calls for now (HTTP 429).',
    };
  }
  return { code: `HTTP_${status}`, message: `The service answered HTTP ${status}.` };
}
