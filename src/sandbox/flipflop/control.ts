/**
 * The FlipFlop part of the control API under `/__sandbox/`: what tests and demos read and steer.
 * None of this exists on the real service.
 */
import { HttpError, readJsonObject, readRate, sendJson, type Router } from '../core/http';
import { canonicalMessageId } from '../core/ids';
import type { StoredMessage, VideoRoom } from './model';
import type { FlipFlopService } from './service';

const INVALID = 'INVALID_REQUEST';
/** A sustained raid's copies per second at most: 200 a scheduler tick. */
const MAX_RAID_PER_SECOND = 10_000;

export function addFlipFlopControl(router: Router, service: FlipFlopService): void {
  const room = (params: Record<string, string>): VideoRoom => {
    const found = service.rooms.get(params['videoRoomId'] ?? '');
    if (found === undefined) throw new HttpError(404, 'ROOM_NOT_FOUND', 'There is no such room.');
    return found;
  };
  const roomView = (item: VideoRoom) => ({
    videoRoomId: item.id,
    title: item.title,
    channelKey: item.channelKey,
    chatRoom: { created: item.chat !== null, closed: item.chat?.closedAt != null },
    ratePerSecond: item.rate,
    raid: item.raid,
    memberCount: item.chat?.members.size ?? 0,
  });

  router.add('GET', '/__sandbox/rooms', ({ response }) => {
    sendJson(response, 200, [...service.rooms.values()].map(roomView));
  });

  router.add(
    'PUT',
    '/__sandbox/rooms/{videoRoomId}/rate',
    async ({ request, params, response }) => {
      const target = room(params);
      target.rate = await readRate(request, INVALID);
      sendJson(response, 200, roomView(target));
    },
  );

  router.add(
    'POST',
    '/__sandbox/rooms/{videoRoomId}/messages',
    async ({ request, params, response }) => {
      const target = room(params);
      const body = (await readJsonObject(request, INVALID)) ?? {};
      const { userId, userName, message, customType, data } = body;
      const messageType = body['messageType'] ?? 'MESSAGE';
      if (typeof userId !== 'string' || userId === '') {
        throw new HttpError(400, INVALID, 'userId is required.');
      }
      if (typeof message !== 'string') throw new HttpError(400, INVALID, 'message is required.');
      if (messageType !== 'MESSAGE' && messageType !== 'DM') {
        throw new HttpError(400, INVALID, 'messageType must be MESSAGE or DM.');
      }
      for (const [name, value] of Object.entries({
        userName,
        customType,
        receiver: body['receiver'],
      })) {
        if (value !== undefined && value !== null && typeof value !== 'string') {
          throw new HttpError(400, INVALID, `${name} must be a string.`);
        }
      }
      if (target.chat === null) {
        throw new HttpError(409, 'CHAT_ROOM_NOT_FOUND', 'This room has no chat room.');
      }
      if (service.openChat(target) === null) {
        throw new HttpError(409, 'CHAT_ROOM_CLOSED', 'The chat room is closed.');
      }
      const known = service.appUsers.get(userId);
      const receiver =
        (body['receiver'] as string | null | undefined) ?? service.settings.moderator.appUserId;
      const stored = service.publish(target, {
        user: {
          id: userId,
          username: (userName as string | null | undefined) ?? known?.appUserName ?? userId,
          avatar: known?.appUserProfileImgUrl ?? null,
        },
        messageType,
        message,
        customType: (customType as string | null | undefined) ?? null,
        data: data ?? null,
        receivers: messageType === 'DM' ? [receiver] : null,
      });
      sendJson(response, 200, { messageId: stored.messageId });
    },
  );

  router.add(
    'POST',
    '/__sandbox/rooms/{videoRoomId}/raid',
    async ({ request, params, response }) => {
      const target = room(params);
      const body = (await readJsonObject(request, INVALID)) ?? {};
      const { users, text } = body;
      if (
        users !== undefined &&
        !(Number.isInteger(users) && Number(users) >= 1 && Number(users) <= 500)
      ) {
        throw new HttpError(400, INVALID, 'users must be a whole number, 1–500.');
      }
      if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) {
        throw new HttpError(400, INVALID, 'text must be a line to paste.');
      }
      if (service.openChat(target) === null) {
        throw new HttpError(409, 'CHAT_ROOM_CLOSED', 'The room has no open chat room to raid.');
      }
      const messageIds = service.raid(target, {
        ...(users === undefined ? {} : { users: Number(users) }),
        ...(typeof text === 'string' ? { text } : {}),
      });
      sendJson(response, 200, { messageIds });
    },
  );

  router.add(
    'PUT',
    '/__sandbox/rooms/{videoRoomId}/raid-rate',
    async ({ request, params, response }) => {
      const target = room(params);
      const body = (await readJsonObject(request, INVALID)) ?? {};
      const { perSecond, text } = body;
      if (
        typeof perSecond !== 'number' ||
        !Number.isFinite(perSecond) ||
        perSecond < 0 ||
        perSecond > MAX_RAID_PER_SECOND
      ) {
        throw new HttpError(
          400,
          INVALID,
          `perSecond must be a number, 0–${MAX_RAID_PER_SECOND.toLocaleString('en-US')}.`,
        );
      }
      if (text !== undefined && (typeof text !== 'string' || text.trim() === '')) {
        throw new HttpError(400, INVALID, 'text must be a line to paste.');
      }
      if (perSecond > 0 && service.openChat(target) === null) {
        throw new HttpError(409, 'CHAT_ROOM_CLOSED', 'The room has no open chat room to raid.');
      }
      service.setRaidRate(target, perSecond, typeof text === 'string' ? text : undefined);
      sendJson(response, 200, roomView(target));
    },
  );

  router.add(
    'POST',
    '/__sandbox/rooms/{videoRoomId}/raw-messages',
    async ({ request, params, response }) => {
      const target = room(params);
      const body = (await readJsonObject(request, INVALID))?.['body'];
      if (typeof body !== 'string') {
        throw new HttpError(400, INVALID, 'body is required: the frame body to send, as a string.');
      }
      sendJson(response, 200, service.publishRaw(target, body));
    },
  );

  router.add(
    'GET',
    '/__sandbox/rooms/{videoRoomId}/messages/{messageId}',
    ({ params, response }) => {
      const target = room(params);
      const id = canonicalMessageId(params['messageId'] ?? '');
      const message = id === null ? undefined : target.chat?.messages.get(id);
      if (message === undefined) {
        throw new HttpError(
          404,
          'MESSAGE_NOT_FOUND',
          'No such message (or it is too old to keep).',
        );
      }
      sendJson(response, 200, messageView(message));
    },
  );

  router.add(
    'PUT',
    '/__sandbox/rooms/{videoRoomId}/subscriptions',
    async ({ request, params, response }) => {
      const target = room(params);
      const refused = (await readJsonObject(request, INVALID))?.['refused'];
      if (typeof refused !== 'boolean') {
        throw new HttpError(400, INVALID, 'refused must be true or false.');
      }
      if (refused) service.refusedChannels.add(target.channelKey);
      else service.refusedChannels.delete(target.channelKey);
      sendJson(response, 200, { channelKey: target.channelKey, refused });
    },
  );

  router.add('GET', '/__sandbox/rooms/{videoRoomId}/admin-messages', ({ params, response }) => {
    sendJson(response, 200, room(params).adminMessages);
  });

  router.add('PUT', '/__sandbox/chat-server-url', async ({ request, response }) => {
    const body = (await readJsonObject(request, INVALID)) ?? {};
    const url = body['url'];
    if (url !== null && typeof url !== 'string') {
      throw new HttpError(400, INVALID, 'url must be a string, or null for the sandbox’s own.');
    }
    service.chatServerUrl = url;
    sendJson(response, 200, { url: service.chatServerUrl ?? service.settings.webSocketUrl });
  });

  router.add('GET', '/__sandbox/banned-words', ({ response }) => {
    sendJson(response, 200, { words: [...service.bannedWords] });
  });

  router.add('GET', '/__sandbox/tokens', ({ response }) => {
    sendJson(
      response,
      200,
      [...service.tokens.values()].map((token) => ({
        token: token.token,
        userId: token.userId,
        userName: token.userName,
        kind: token.kind,
        expiresAt: new Date(token.expiresAt).toISOString(),
      })),
    );
  });

  router.add('GET', '/__sandbox/members', ({ url, response }) => {
    const videoRoomId = url.searchParams.get('videoRoomId');
    if (videoRoomId === null) throw new HttpError(400, INVALID, 'videoRoomId is required.');
    const chat = room({ videoRoomId }).chat;
    sendJson(
      response,
      200,
      [...(chat?.members.values() ?? [])].map((member) => ({
        appUserId: member.appUserId,
        appUserName: member.appUserName,
        appUserProfileImgUrl: member.appUserProfileImgUrl,
        joinedAt: member.joinedAt.toISOString(),
      })),
    );
  });

  router.add('GET', '/__sandbox/connections', ({ response }) => {
    sendJson(response, 200, service.broker.connections());
  });

  router.add('GET', '/__sandbox/connections/{id}/deliveries', ({ params, response }) => {
    const log = service.broker.deliveries(params['id'] ?? '');
    if (log === null) {
      throw new HttpError(404, 'CONNECTION_NOT_FOUND', 'No such connection (or too old to keep).');
    }
    sendJson(response, 200, log);
  });

  router.add('GET', '/__sandbox/stats', ({ response }) => {
    sendJson(response, 200, {
      ...service.stats,
      openConnections: service.broker.openConnections().length,
    });
  });

  router.add('GET', '/__sandbox/avatars/{file}', ({ params, response }) => {
    const match = /^([A-Za-z0-9]+)\.svg$/.exec(params['file'] ?? '');
    if (match === null) throw new HttpError(404, 'NOT_FOUND', 'No such avatar.');
    const id = match[1] ?? '';
    const name = service.appUsers.get(id)?.appUserName ?? id;
    const svg = avatarSvg(id, name);
    response.writeHead(200, {
      'content-type': 'image/svg+xml',
      'content-length': Buffer.byteLength(svg),
      'cache-control': 'max-age=86400',
    });
    response.end(svg);
  });
}

function messageView(message: StoredMessage) {
  return {
    messageId: message.messageId,
    state: message.state,
    messageType: message.messageType,
    message: message.message,
    customType: message.customType,
    user: { id: message.user.id, username: message.user.username },
    receiverAppUserIds: message.receiverAppUserIds,
    createdAt: new Date(message.createdAt).toISOString(),
  };
}

/** A coloured circle with the name's first letter: avatars without any network access. */
function avatarSvg(id: string, name: string): string {
  let hash = 0;
  for (const character of id) hash = (hash * 31 + (character.codePointAt(0) ?? 0)) % 360;
  const letter = [...name][0] ?? '?';
  const escaped = letter.replace(/[<>&"']/g, '?');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">` +
    `<circle cx="32" cy="32" r="32" fill="hsl(${hash},55%,50%)"/>` +
    `<text x="32" y="42" font-size="28" text-anchor="middle" fill="#fff" font-family="sans-serif">${escaped}</text></svg>`
  );
}
