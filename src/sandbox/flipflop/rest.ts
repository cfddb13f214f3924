/**
 * FlipFlop's REST API as the documents describe it: the VideoRoom Chat App API (seeds/000_…,
 * api-facts §1.3), video rooms (§1.2), chat tokens (§1.4) and banned words (§1.5), behind HTTP
 * Basic auth with `{ errorCode, errorMessage }` error bodies (§1.1).
 */
import type { IncomingMessage } from 'node:http';
import {
  HttpError,
  readJsonObject,
  Router,
  sendJson,
  sendJsonText,
  sendNoContent,
  type RequestContext,
} from '../core/http';
import { canonicalMessageId } from '../core/ids';
import type { ChatRoom, ChatToken, StoredMessage, VideoRoom } from './model';
import type { FlipFlopService } from './service';

const INVALID_BODY = 'INVALID_HTTP_MESSAGE_BODY';
/** Not in the documents, which name no code for a bad query parameter; see README. */
const INVALID_PARAMETER = 'INVALID_REQUEST_PARAMETER';

/** Answers every emulated FlipFlop REST call; mounted at `/v2/`. */
export function flipFlopRest(service: FlipFlopService): (context: RequestContext) => Promise<void> {
  const router = buildRouter(service);
  return async (context) => {
    checkCredentials(context.request, service);
    const match = router.match(context.request.method ?? 'GET', context.url.pathname);
    if (match.kind === 'notFound') {
      throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${context.url.pathname}.`);
    }
    if (match.kind === 'wrongMethod') {
      throw new HttpError(
        400,
        'UNSUPPORTED_HTTP_METHOD',
        `${context.request.method ?? ''} is not supported here.`,
      );
    }
    await match.handler({ ...context, params: match.params });
  };
}

/** HTTP Basic `appApiKey:appApiSecret` (api-facts §1.1). */
function checkCredentials(request: IncomingMessage, service: FlipFlopService): void {
  const authorization = request.headers.authorization;
  if (authorization === undefined || authorization.trim() === '') {
    throw new HttpError(401, 'EMPTY_APP_CREDENTIALS', 'HTTP Basic credentials are required.');
  }
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  const decoded = match === null ? '' : Buffer.from(match[1] ?? '', 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const key = colon === -1 ? '' : decoded.slice(0, colon);
  const secret = colon === -1 ? '' : decoded.slice(colon + 1);
  if (key !== service.settings.appApiKey || secret !== service.settings.appApiSecret) {
    throw new HttpError(401, 'INVALID_APP_CREDENTIALS', 'The app API key or secret is wrong.');
  }
}

function buildRouter(service: FlipFlopService): Router {
  const router = new Router();
  const chatRoomPath = '/v2/apps/me/video-rooms/{videoRoomId}/chat-room';
  const messagePath = `${chatRoomPath}/messages/{messageId}`;

  const videoRoom = (params: Record<string, string>): VideoRoom => {
    const room = service.rooms.get(params['videoRoomId'] ?? '');
    if (room === undefined) {
      throw new HttpError(404, 'VIDEO_ROOM_NOT_FOUND', 'There is no such video room.');
    }
    return room;
  };
  const chatRoom = (room: VideoRoom): ChatRoom => {
    if (room.chat === null) {
      throw new HttpError(404, 'CHAT_ROOM_NOT_FOUND', 'This video room has no chat room.');
    }
    return room.chat;
  };
  const storedMessage = (room: VideoRoom, params: Record<string, string>): StoredMessage => {
    const id = canonicalMessageId(params['messageId'] ?? '');
    const message = id === null ? undefined : room.chat?.messages.get(id);
    if (message === undefined || message.state === 'deleted') {
      throw new HttpError(404, 'CHAT_ROOM_MESSAGE_NOT_FOUND', 'There is no such message.');
    }
    return message;
  };
  /** Answers with `messageId` as a string or, if asked, as the documents' bare Long. */
  const sendWithMessageId = (
    context: RequestContext,
    status: number,
    value: Record<string, unknown> & { messageId: string },
  ) => {
    const text = JSON.stringify(value);
    sendJsonText(
      context.response,
      status,
      service.settings.restMessageIds === 'number'
        ? text.replace(`"messageId":"${value.messageId}"`, `"messageId":${value.messageId}`)
        : text,
    );
  };

  router.add('GET', '/v2/apps/me/video-rooms', ({ url, response }) => {
    sendJson(response, 200, listVideoRooms(service, url.searchParams));
  });
  router.add('GET', '/v2/apps/me/video-rooms/{videoRoomId}', ({ params, response }) => {
    sendJson(response, 200, videoRoomJson(service, videoRoom(params)));
  });

  router.add('POST', chatRoomPath, ({ params, response }) => {
    const room = videoRoom(params);
    if (room.chat !== null) {
      throw new HttpError(400, 'CHAT_ROOM_ALREADY_EXISTS', 'This video room has a chat room.');
    }
    // The document answers 200 here, not 201 (api-facts §1.8 item 11).
    sendJson(response, 200, chatRoomJson(room, service.createChatRoom(room)));
  });
  router.add('GET', chatRoomPath, ({ params, response }) => {
    const room = videoRoom(params);
    sendJson(response, 200, chatRoomJson(room, chatRoom(room)));
  });
  router.add('POST', `${chatRoomPath}/close`, ({ params, response }) => {
    const room = videoRoom(params);
    chatRoom(room);
    sendJson(response, 200, chatRoomJson(room, service.closeChatRoom(room)));
  });
  router.add('GET', `${chatRoomPath}/members`, ({ params, url, response }) => {
    const room = videoRoom(params);
    const chat = chatRoom(room);
    const cursor = integerParameter(url.searchParams, 'cursor', 0);
    const count = Math.min(integerParameter(url.searchParams, 'count', 20), 1000);
    const content = [];
    let nextCursor = cursor;
    for (const member of chat.members.values()) {
      if (content.length >= count) break;
      if (member.sequence < cursor) continue;
      content.push({
        appUserId: member.appUserId,
        appUserName: member.appUserName,
        appUserProfileImgUrl: member.appUserProfileImgUrl,
        joinedAt: member.joinedAt.toISOString(),
      });
      nextCursor = member.sequence + 1;
    }
    sendJson(response, 200, { nextCursor, count: content.length, content });
  });

  const adminMessage =
    (kind: 'broadcast' | 'direct') =>
    async ({ request, params, response, ...rest }: RequestContext) => {
      const body = await readJsonObject(request, INVALID_BODY);
      if (body === null) throw new HttpError(400, INVALID_BODY, 'A JSON body is required.');
      const input = parseAdminMessage(body, kind);
      const room = videoRoom(params);
      chatRoom(room);
      if (service.openChat(room) === null) {
        throw new HttpError(400, 'CHAT_ROOM_CLOSED', 'The chat room is closed.');
      }
      const receivers = input.appUserIds.length > 0 ? input.appUserIds : null;
      const stored = service.publish(room, {
        user: { id: service.appId, username: 'Admin', avatar: null },
        messageType: input.messageType,
        message: input.message,
        customType: input.customType,
        data: input.data,
        receivers,
      });
      room.adminMessages.push({
        kind,
        messageId: stored.messageId,
        messageType: input.messageType,
        customType: input.customType,
        message: input.message,
        data: input.data,
        appUserIds: input.appUserIds,
        createdAt: new Date(stored.createdAt).toISOString(),
      });
      sendWithMessageId({ request, params, response, ...rest }, 201, {
        videoKey: room.id,
        channelKey: room.channelKey,
        messageId: stored.messageId,
      });
    };
  router.add('POST', `${chatRoomPath}/admin/messages/broadcast`, adminMessage('broadcast'));
  router.add('POST', `${chatRoomPath}/admin/messages/direct`, adminMessage('direct'));

  router.add('GET', messagePath, (context) => {
    const room = videoRoom(context.params);
    const message = storedMessage(room, context.params);
    sendWithMessageId(context, 200, {
      videoKey: room.id,
      channelKey: room.channelKey,
      messageId: message.messageId,
      messageType: message.messageType,
      customType: message.customType,
      message: message.message,
      // REST documents `data` as a map (api-facts §1.8 item 4); chatters send none.
      data: isPlainObject(message.data) ? message.data : null,
      receiverAppUserIds: message.receiverAppUserIds,
      createdAt: new Date(message.createdAt).toISOString(),
    });
  });
  const changeState = (state: 'visible' | 'hidden' | 'deleted') => (context: RequestContext) => {
    const room = videoRoom(context.params);
    storedMessage(room, context.params).state = state;
    // Nothing is pushed on the socket: what the real service pushes is undocumented (§1.3).
    sendNoContent(context.response);
  };
  router.add('POST', `${messagePath}/hide`, changeState('hidden'));
  router.add('POST', `${messagePath}/unhide`, changeState('visible'));
  router.add('DELETE', messagePath, changeState('deleted'));

  router.add('POST', '/v2/apps/me/members/guest-chat-tokens', async ({ request, response }) => {
    const body = (await readJsonObject(request, INVALID_BODY)) ?? {};
    for (const key of ['accessToken', 'appUserId', 'appUserName', 'appUserProfileImgUrl']) {
      const value = body[key];
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw new HttpError(400, INVALID_BODY, `${key} must be a string.`);
      }
    }
    const appUserId = (body['appUserId'] as string | null | undefined) ?? service.newGuestId();
    if (!/^[A-Za-z0-9]+$/.test(appUserId)) {
      throw new HttpError(
        400,
        'INVALID_APP_USER_ID_FORMAT',
        'appUserId may hold only letters and digits.',
      );
    }
    const token = service.issueToken('guest', {
      appUserId,
      appUserName: (body['appUserName'] as string | null | undefined) ?? service.newGuestName(),
      appUserProfileImgUrl: (body['appUserProfileImgUrl'] as string | null | undefined) ?? null,
    });
    sendJson(response, 200, tokenJson(service, token));
  });
  router.add('POST', '/v2/apps/me/members/{appUserId}/chat-tokens', ({ params, response }) => {
    const user = service.appUsers.get(params['appUserId'] ?? '');
    if (user === undefined) {
      throw new HttpError(404, 'MEMBER_NOT_FOUND', 'There is no member with this appUserId.');
    }
    sendJson(response, 200, tokenJson(service, service.issueToken('member', user)));
  });

  router.add('POST', '/v2/apps/me/banned-chat-words', async ({ request, response }) => {
    const body = await readJsonObject(request, INVALID_BODY);
    const words = body?.['words'];
    if (words !== undefined && words !== null && !isStringArray(words)) {
      throw new HttpError(400, INVALID_BODY, 'words must be a list of strings.');
    }
    const cleaned = (words ?? []).map((word) => word.trim()).filter((word) => word !== '');
    if (cleaned.length === 0) {
      throw new HttpError(400, 'EMPTY_CHAT_ROOM_WORDS', 'Name at least one word.');
    }
    for (const word of cleaned) service.bannedWords.add(word);
    sendNoContent(response);
  });
  // The document's "unset" uses POST with the words in the path (api-facts §1.5, §1.8 item 13);
  // DELETE, which it probably meant, is accepted as well.
  const unsetWords = ({ params, response }: RequestContext) => {
    for (const word of (params['words'] ?? '').split(',')) service.bannedWords.delete(word.trim());
    sendNoContent(response);
  };
  router.add('POST', '/v2/apps/me/banned-chat-words/{words}', unsetWords);
  router.add('DELETE', '/v2/apps/me/banned-chat-words/{words}', unsetWords);
  return router;
}

interface AdminMessageInput {
  messageType: 'MESSAGE' | 'DM' | 'COMMAND';
  customType: string | null;
  message: string | null;
  data: Record<string, unknown> | null;
  appUserIds: string[];
}

/**
 * Reads a broadcast or direct body (DB-CHAT). A value of the wrong type is a body the server
 * cannot read (INVALID_HTTP_MESSAGE_BODY); a missing required value has its own code.
 */
function parseAdminMessage(
  body: Record<string, unknown>,
  kind: 'broadcast' | 'direct',
): AdminMessageInput {
  const allowed = kind === 'broadcast' ? ['MESSAGE', 'COMMAND'] : ['DM', 'COMMAND'];
  const { messageType, customType, message, data, appUserIds } = body;
  if (messageType !== undefined && messageType !== null) {
    if (typeof messageType !== 'string' || !allowed.includes(messageType)) {
      throw new HttpError(400, INVALID_BODY, `messageType must be ${allowed.join(' or ')}.`);
    }
  }
  for (const [name, value] of [
    ['customType', customType],
    ['message', message],
  ] as const) {
    if (value !== undefined && value !== null && typeof value !== 'string') {
      throw new HttpError(400, INVALID_BODY, `${name} must be a string.`);
    }
  }
  if (data !== undefined && data !== null && !isPlainObject(data)) {
    throw new HttpError(400, INVALID_BODY, 'data must be a JSON object.');
  }
  if (appUserIds !== undefined && appUserIds !== null && !isStringArray(appUserIds)) {
    throw new HttpError(400, INVALID_BODY, 'appUserIds must be a list of strings.');
  }
  if (messageType === undefined || messageType === null) {
    throw new HttpError(400, 'EMPTY_CHAT_ROOM_MESSAGE_TYPE', 'messageType is required.');
  }
  const receivers = appUserIds ?? [];
  if (kind === 'direct' && receivers.length === 0) {
    throw new HttpError(400, 'EMPTY_CHAT_ROOM_APP_USER_IDS', 'appUserIds is required.');
  }
  return {
    messageType: messageType as AdminMessageInput['messageType'],
    customType: (customType as string | null | undefined) ?? null,
    message: (message as string | null | undefined) ?? null,
    data: data ?? null,
    appUserIds: receivers,
  };
}

function chatRoomJson(room: VideoRoom, chat: ChatRoom) {
  return {
    videoKey: room.id,
    channelKey: room.channelKey,
    totalChatMessageCount: chat.messageCount,
    totalChatMemberCount: chat.members.size,
    closed: chat.closedAt !== null,
    createdAt: chat.createdAt.toISOString(),
  };
}

const SANDBOX_APP = { id: 1, state: 'ACTIVE', name: 'ModDeck Sandbox' };
const SANDBOX_ACCOUNT = {
  id: 1,
  state: 'ACTIVE',
  username: 'sandbox',
  email: 'sandbox@example.invalid',
};

/** The VideoRoom object of DB-VR, with the chat fields of api-facts §1.2. */
export function videoRoomJson(service: FlipFlopService, room: VideoRoom) {
  const chat = room.chat;
  const { moderator } = service.settings;
  return {
    id: Number(room.id),
    state: 'ACTIVE',
    videoRoomState: room.videoRoomState,
    type: 'BROADCAST_RTMP',
    format: 'CMAF',
    app: SANDBOX_APP,
    member: {
      id: 1,
      state: 'ACTIVE',
      appUserId: moderator.appUserId,
      appUserName: moderator.appUserName,
      appUserProfileImgUrl: null,
    },
    creatorType: 'APP',
    creatorId: 1,
    accessLevel: 'PUBLIC',
    title: room.title,
    description: room.description,
    scheduledAt: room.videoRoomState === 'SCHEDULED' ? room.createdAt.toISOString() : null,
    streamKey: null,
    liveUrl: null,
    chat: {
      videoKey: room.id,
      channelKey: room.channelKey,
      created: chat !== null,
      closed: chat !== null && chat.closedAt !== null,
      createdAt: chat === null ? null : chat.createdAt.toISOString(),
      closedAt: chat?.closedAt == null ? null : chat.closedAt.toISOString(),
    },
    stats: { totalMemberWhitelistCount: 0 },
    createdAt: room.createdAt.toISOString(),
    lastModifiedAt: room.createdAt.toISOString(),
    createdBy: SANDBOX_ACCOUNT,
    lastModifiedBy: SANDBOX_ACCOUNT,
  };
}

const VIDEO_ROOM_STATES = ['SCHEDULED', 'LIVE', 'LIVE_INACTIVE', 'ACTIVE', 'ENDED', 'ARCHIVED'];
const SORTS = [
  'CREATED_AT_ASC',
  'CREATED_AT_DESC',
  'LAST_MODIFIED_AT_ASC',
  'LAST_MODIFIED_AT_DESC',
];

/** `GET /v2/apps/me/video-rooms` as a Spring Data page (api-facts §1.1, §1.2). */
function listVideoRooms(service: FlipFlopService, query: URLSearchParams) {
  const keyword = query.get('keyword')?.toLowerCase() ?? '';
  const state = query.get('videoRoomState');
  if (state !== null && !VIDEO_ROOM_STATES.includes(state)) {
    throw new HttpError(400, INVALID_PARAMETER, `Unknown videoRoomState "${state}".`);
  }
  const type = query.get('type');
  const sortBy = query.get('sortBy') ?? 'CREATED_AT_ASC';
  if (!SORTS.includes(sortBy)) {
    throw new HttpError(400, INVALID_PARAMETER, `Unknown sortBy "${sortBy}".`);
  }
  const page = integerParameter(query, 'page', 0);
  const pageSize = integerParameter(query, 'pageSize', 20);
  if (pageSize < 1) throw new HttpError(400, INVALID_PARAMETER, 'pageSize must be at least 1.');
  // All rooms are created together, so creation order is id order.
  // Every sandbox room is BROADCAST_RTMP, the only type the documents say exists "for now".
  const candidates = type === null || type === 'BROADCAST_RTMP' ? [...service.rooms.values()] : [];
  const rooms = candidates
    .filter((room) => keyword === '' || room.title.toLowerCase().includes(keyword))
    .filter((room) => state === null || room.videoRoomState === state)
    .sort((a, b) => Number(a.id) - Number(b.id));
  if (sortBy.endsWith('_DESC')) rooms.reverse();
  const content = rooms
    .slice(page * pageSize, (page + 1) * pageSize)
    .map((room) => videoRoomJson(service, room));
  const totalPages = Math.ceil(rooms.length / pageSize);
  const sort = { empty: false, sorted: true, unsorted: false };
  return {
    content,
    pageable: {
      offset: page * pageSize,
      pageNumber: page,
      pageSize,
      paged: true,
      unpaged: false,
      sort,
    },
    totalPages,
    totalElements: rooms.length,
    numberOfElements: content.length,
    number: page,
    size: pageSize,
    first: page === 0,
    last: page >= totalPages - 1,
    empty: content.length === 0,
    sort,
  };
}

/** The chat-token answer of DB-MCHAT (api-facts §1.4), with the URL the examples leave out. */
function tokenJson(service: FlipFlopService, token: ChatToken) {
  return {
    chatServerWebSocketUrl: service.chatServerUrl ?? service.settings.webSocketUrl,
    chatToken: token.token,
    appId: service.appId,
    userId: token.userId,
    userName: token.userName,
    avatarProfileUrl: token.avatarProfileUrl,
  };
}

function integerParameter(query: URLSearchParams, name: string, fallback: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  if (!/^\d{1,9}$/.test(text)) {
    throw new HttpError(400, INVALID_PARAMETER, `${name} must be a whole number, 0 or more.`);
  }
  return Number(text);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
