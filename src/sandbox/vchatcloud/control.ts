/**
 * The VChatCloud part of the control API under `/__sandbox/vchatcloud/`: what tests and demos
 * read and steer, mirroring FlipFlop's. None of this exists on the real service.
 */
import { HttpError, readJsonObject, readRate, sendJson, type Router } from '../core/http';
import { compactKoreanTime, VChatError, type Person, type Room } from './model';
import type { VChatCloudService } from './service';

const INVALID = 'INVALID_REQUEST';
const BASE = '/__sandbox/vchatcloud';

export function addVChatCloudControl(router: Router, service: VChatCloudService): void {
  const room = (params: Record<string, string>): Room => {
    const found = service.rooms.get(params['roomId'] ?? '');
    if (found === undefined) throw new HttpError(404, 'ROOM_NOT_FOUND', 'There is no such room.');
    return found;
  };
  const roomView = (item: Room) => ({
    roomId: item.roomId,
    roomName: item.settings.roomName,
    roomStatus: item.roomStatus,
    open: service.isOpen(item),
    ratePerSecond: item.rate,
    currentUserCount: service.presentCount(item),
    joinCount: item.everJoined.size,
    messageCount: item.messageCount,
    isPossibleDup: item.isPossibleDup,
    startDt: new Date(item.startAt).toISOString(),
    endDt: new Date(item.endAt).toISOString(),
    password: item.password !== null,
    allowedClientKeys: item.allowedClientKeys === null ? null : [...item.allowedClientKeys],
  });

  router.add('GET', `${BASE}/rooms`, ({ response }) => {
    sendJson(response, 200, [...service.rooms.values()].map(roomView));
  });

  router.add('PUT', `${BASE}/rooms/{roomId}/rate`, async ({ request, params, response }) => {
    const target = room(params);
    target.rate = await readRate(request, INVALID);
    sendJson(response, 200, roomView(target));
  });

  // What the REST API cannot set but joins depend on (10103, 10104, 10114, 10115, duplicates).
  router.add('PATCH', `${BASE}/rooms/{roomId}`, async ({ request, params, response }) => {
    const target = room(params);
    const body = (await readJsonObject(request, INVALID)) ?? {};
    const known = ['startDt', 'endDt', 'password', 'allowedClientKeys', 'isPossibleDup'];
    for (const key of Object.keys(body)) {
      if (!known.includes(key)) throw new HttpError(400, INVALID, `Unknown field "${key}".`);
    }
    const { startDt, endDt, password, allowedClientKeys, isPossibleDup } = body;
    for (const [name, value] of Object.entries({ startDt, endDt })) {
      if (value !== undefined && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) {
        throw new HttpError(400, INVALID, `${name} must be an ISO date and time.`);
      }
    }
    if (password !== undefined && password !== null && typeof password !== 'string') {
      throw new HttpError(400, INVALID, 'password must be a string or null.');
    }
    if (
      allowedClientKeys !== undefined &&
      allowedClientKeys !== null &&
      !(Array.isArray(allowedClientKeys) && allowedClientKeys.every((k) => typeof k === 'string'))
    ) {
      throw new HttpError(400, INVALID, 'allowedClientKeys must be a list of strings or null.');
    }
    if (isPossibleDup !== undefined && typeof isPossibleDup !== 'boolean') {
      throw new HttpError(400, INVALID, 'isPossibleDup must be true or false.');
    }
    if (typeof startDt === 'string') target.startAt = Date.parse(startDt);
    if (typeof endDt === 'string') target.endAt = Date.parse(endDt);
    if (password !== undefined) target.password = password;
    if (allowedClientKeys !== undefined) {
      target.allowedClientKeys = allowedClientKeys === null ? null : new Set(allowedClientKeys);
    }
    if (typeof isPossibleDup === 'boolean') target.isPossibleDup = isPossibleDup;
    sendJson(response, 200, roomView(target));
  });

  router.add('POST', `${BASE}/rooms/{roomId}/messages`, async ({ request, params, response }) => {
    const target = room(params);
    const body = (await readJsonObject(request, INVALID)) ?? {};
    const { clientKey, nickName, message, mimeType, receivedClientKey } = body;
    const kind = body['kind'] ?? 'message';
    if (typeof clientKey !== 'string' || clientKey === '') {
      throw new HttpError(400, INVALID, 'clientKey is required.');
    }
    if (typeof message !== 'string' || message === '') {
      throw new HttpError(400, INVALID, 'message is required.');
    }
    if (kind !== 'message' && kind !== 'notice' && kind !== 'custom' && kind !== 'whisper') {
      throw new HttpError(400, INVALID, 'kind must be message, notice, custom or whisper.');
    }
    for (const [name, value] of Object.entries({ nickName, mimeType, receivedClientKey })) {
      if (value !== undefined && value !== null && typeof value !== 'string') {
        throw new HttpError(400, INVALID, `${name} must be a string.`);
      }
    }
    if (!service.isOpen(target)) {
      throw new HttpError(409, 'CHANNEL_NOT_OPEN', 'The room is paused, not started or ended.');
    }
    const known = service.person(target, clientKey);
    const sender: Person = {
      clientKey,
      nickName: (nickName as string | undefined) ?? known?.nickName ?? clientKey,
      grade: known?.grade ?? 'user',
      userInfo: known?.userInfo ?? null,
    };
    const type = (mimeType as string | undefined) ?? 'text';
    try {
      service.checkMayWrite(target, clientKey);
      if (kind === 'whisper') {
        const receiver =
          (receivedClientKey as string | undefined) ?? service.settings.moderator.clientKey;
        const sent = service.whisper(target, sender, receiver, message, type);
        sendJson(response, 200, { messageDt: sent['messageDt'] });
        return;
      }
      if (kind === 'custom') {
        const at = service.publishCustom(target, sender, message, type);
        sendJson(response, 200, {
          messageCount: target.messageCount,
          messageDt: compactKoreanTime(at),
        });
        return;
      }
      const stored = service.publishMessage(target, sender, kind, message, type);
      sendJson(response, 200, {
        messageCount: stored.messageCount,
        messageDt: compactKoreanTime(stored.at),
      });
    } catch (error) {
      if (!(error instanceof VChatError)) throw error;
      throw new HttpError(409, error.result.name, error.message);
    }
  });

  router.add('POST', `${BASE}/rooms/{roomId}/raw-frames`, async ({ request, params, response }) => {
    const target = room(params);
    const frame = (await readJsonObject(request, INVALID))?.['frame'];
    if (typeof frame !== 'string') {
      throw new HttpError(
        400,
        INVALID,
        'frame is required: the WebSocket message to send, as a string.',
      );
    }
    sendJson(response, 200, { delivered: service.publishRaw(target, frame) });
  });

  router.add('GET', `${BASE}/rooms/{roomId}/messages`, ({ params, response }) => {
    sendJson(
      response,
      200,
      room(params).history.map((item) => ({ ...item, at: new Date(item.at).toISOString() })),
    );
  });

  router.add('GET', `${BASE}/rooms/{roomId}/users`, ({ params, response }) => {
    const target = room(params);
    sendJson(
      response,
      200,
      service.present(target).map((person) => ({
        clientKey: person.clientKey,
        nickName: person.nickName,
        grade: person.grade,
        simulated: target.chatters.has(person.clientKey),
        connected: target.members.has(person.clientKey),
      })),
    );
  });

  router.add('GET', `${BASE}/rooms/{roomId}/restrictions`, ({ params, response }) => {
    const target = room(params);
    const view = (items: Room['exiled']) =>
      [...items.values()].map((item) => ({
        clientKey: item.clientKey,
        nickName: item.nickName,
        since: new Date(item.since).toISOString(),
      }));
    sendJson(response, 200, { exiled: view(target.exiled), muted: view(target.muted) });
  });

  router.add('GET', `${BASE}/rooms/{roomId}/admin-messages`, ({ params, response }) => {
    sendJson(
      response,
      200,
      room(params).adminMessages.map((item) => ({
        ...item,
        sendAt: new Date(item.sendAt).toISOString(),
        sentAt: item.sentAt === null ? null : new Date(item.sentAt).toISOString(),
      })),
    );
  });

  router.add('GET', `${BASE}/rooms/{roomId}/whispers`, ({ params, response }) => {
    sendJson(
      response,
      200,
      room(params).whispers.map((item) => ({ ...item, at: new Date(item.at).toISOString() })),
    );
  });

  router.add('GET', `${BASE}/tokens`, ({ response }) => {
    sendJson(
      response,
      200,
      [...service.tokens.values()].map((item) => ({
        token: item.token,
        issuedAt: new Date(item.issuedAt).toISOString(),
        expiresAt: new Date(item.expiresAt).toISOString(),
      })),
    );
  });

  router.add('GET', `${BASE}/connections`, ({ response }) => {
    sendJson(response, 200, service.bus.connections());
  });

  router.add('GET', `${BASE}/connections/{id}/deliveries`, ({ params, response }) => {
    const log = service.bus.deliveries(params['id'] ?? '');
    if (log === null) {
      throw new HttpError(404, 'CONNECTION_NOT_FOUND', 'No such connection (or too old to keep).');
    }
    sendJson(response, 200, log);
  });

  router.add('POST', `${BASE}/api-key`, ({ response }) => {
    sendJson(response, 200, { apiKey: service.reissueApiKey() });
  });

  router.add('GET', `${BASE}/stats`, ({ response }) => {
    sendJson(response, 200, {
      ...service.stats,
      openConnections: service.bus.openConnections().length,
    });
  });
}
