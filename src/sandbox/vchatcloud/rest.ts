/**
 * VChatCloud's REST OpenAPI as the documents describe it (seeds/002_…, api-facts §2.2–2.4): the
 * token, chat rooms (v2), users, exile, mute, notice and custom messages, behind `API_KEY` and
 * `X-AUTH-TOKEN`, with form-encoded bodies and every answer in the `result_cd`/`result_msg`
 * envelope. Also the few unauthenticated helpers under `/api/openapi/` (§2.5).
 */
import type { ServerResponse } from 'node:http';
import { HttpError, readBodyText, Router, sendJson, type RequestContext } from '../core/http';
import {
  compactKoreanTime,
  DEFAULT_WEBRTC,
  javaMapText,
  parseCompactKoreanTime,
  RESULT,
  validWebrtcOption,
  VChatError,
  type Restriction,
  type Room,
  type RoomSettings,
  type RoomStatus,
} from './model';
import { SERVICE_USER_ID, type VChatCloudService } from './service';

const ROOM_NAME_LIMIT = 50;
const NICK_NAME_LIMIT = 50;
const NOTICE_LIMIT = 100;
const CUSTOM_LIMIT = 5000;
const MAX_USERS = 100_000;

type Params = Map<string, string>;
type Handler = (input: {
  params: Record<string, string>;
  form: Params;
  context: RequestContext;
}) => Record<string, unknown> | void;

/** Answers every `/openapi/` call; mounted at `/openapi/`. */
export function vchatCloudRest(
  service: VChatCloudService,
): (context: RequestContext) => Promise<void> {
  const router = buildRouter(service);
  return async (context) => {
    const match = router.match(context.request.method ?? 'GET', context.url.pathname);
    if (match.kind === 'notFound') {
      throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${context.url.pathname}.`);
    }
    if (match.kind === 'wrongMethod') {
      throw new HttpError(
        405,
        'METHOD_NOT_ALLOWED',
        `${context.request.method ?? ''} is not supported here.`,
      );
    }
    await match.handler({ ...context, params: match.params });
  };
}

/** Errors outside the envelope's codes (unknown paths, injected failures), still as an envelope. */
export function renderEnvelopeError(response: ServerResponse, error: HttpError): void {
  sendJson(
    response,
    error.status,
    {
      result_cd: RESULT.SYSTEM_ERROR.code,
      result_msg: `${error.errorCode}: ${error.message}`,
    },
    error.headers,
  );
}

function buildRouter(service: VChatCloudService): Router {
  const router = new Router();
  /** Runs a handler behind the two headers and writes its answer in the envelope. */
  const route = (
    method: string,
    path: string,
    handler: Handler,
    auth: 'token' | 'apiKey' = 'token',
  ) => {
    router.add(method, path, async (context) => {
      const form = await readForm(context);
      let extra: Record<string, unknown> | void;
      try {
        if (auth === 'apiKey') checkApiKey(context, service);
        else checkToken(context, service);
        extra = handler({ params: context.params, form, context });
      } catch (error) {
        if (!(error instanceof VChatError)) throw error;
        sendJson(context.response, 200, {
          result_cd: error.result.code,
          result_msg: error.message,
        });
        return;
      }
      sendJson(context.response, 200, { result_cd: RESULT.SUCCESS.code, result_msg: '', ...extra });
    });
  };
  const room = (params: Record<string, string>): Room => service.room(params['roomId'] ?? '');

  route(
    'GET',
    '/openapi/token',
    () => ({ data: { 'X-AUTH-TOKEN': service.issueToken().token } }),
    'apiKey',
  );

  route('GET', '/openapi/v2/rooms', () => ({
    list: [...service.rooms.values()].map((item) => roomJson(service, item, false)),
  }));
  route('POST', '/openapi/v2/rooms', ({ form }) => {
    const created = service.createRoom(readSettings(form, null));
    return { data: { roomId: created.roomId } };
  });
  route('GET', '/openapi/v2/rooms/{roomId}', ({ params }) => ({
    data: roomJson(service, room(params), true),
  }));
  route('POST', '/openapi/v2/rooms/{roomId}', ({ params, form }) => {
    const target = room(params);
    const settings = readSettings(form, target.settings);
    service.modifyRoom(target, settings, readRoomStatus(form));
  });
  route('DELETE', '/openapi/v2/rooms/{roomId}', ({ params }) => {
    service.destroyRoom(room(params));
  });

  // chatUser.html names v1; apiList.html names v2 (api-facts §2.8 item 4): both answer.
  for (const version of ['v1', 'v2']) {
    route('GET', `/openapi/${version}/users/{roomId}`, ({ params }) => {
      const target = room(params);
      return {
        list: service.present(target).map((person) => ({
          roomId: target.roomId,
          clientKey: person.clientKey,
          nickName: person.nickName,
          grade: target.muted.has(person.clientKey) ? 'userMute' : person.grade,
          userInfo: javaMapText(person.userInfo),
        })),
      };
    });
  }

  const restrictionRoutes = (
    path: string,
    list: (target: Room) => Map<string, Restriction>,
    apply: (target: Room, clientKey: string) => void,
    lift: (target: Room, clientKey: string) => void,
  ) => {
    route('GET', `/openapi/v1/${path}/{roomId}`, ({ params }) => {
      const target = room(params);
      return {
        list: [...list(target).values()].map((item) => ({
          roomId: target.roomId,
          clientKey: item.clientKey,
          nickName: item.nickName,
          regDt: compactKoreanTime(item.since),
        })),
      };
    });
    route('POST', `/openapi/v1/${path}/{roomId}/{clientKey}`, ({ params }) => {
      apply(room(params), params['clientKey'] ?? '');
    });
    route('PUT', `/openapi/v1/${path}/{roomId}/{clientKey}`, ({ params }) => {
      lift(room(params), params['clientKey'] ?? '');
    });
  };
  restrictionRoutes(
    'exiles',
    (target) => target.exiled,
    (target, key) => service.exile(target, key),
    (target, key) => service.unexile(target, key),
  );
  restrictionRoutes(
    'mute',
    (target) => target.muted,
    (target, key) => service.mute(target, key),
    (target, key) => service.unmute(target, key),
  );

  route('POST', '/openapi/v1/notice/{roomId}', ({ params, form }) => {
    const target = room(params);
    const nickName = text(form, 'nickName', NICK_NAME_LIMIT);
    const notice = text(form, 'notice', NOTICE_LIMIT);
    service.notice(target, nickName, notice);
  });
  route('POST', '/openapi/v1/custom/{roomId}', ({ params, form }) => {
    const target = room(params);
    const message = text(form, 'message', CUSTOM_LIMIT);
    const nickName = optionalText(form, 'nickName', NICK_NAME_LIMIT) ?? 'admin';
    const mimeType = optionalText(form, 'mimeType', 20) ?? 'text';
    const sendDate = form.get('sendDate')?.trim() ?? '';
    let sendAt = Date.now();
    if (sendDate !== '') {
      const parsed = parseCompactKoreanTime(sendDate);
      if (parsed === null) invalid('sendDate must be yyyyMMddHHmmss (Korean time)');
      sendAt = Math.max(parsed, sendAt);
    }
    service.custom(target, nickName, message, mimeType, sendAt);
  });
  return router;
}

/** The unauthenticated web helpers under `/api/openapi/` (api-facts §2.5), the simple ones. */
export function vchatCloudWebApi(
  service: VChatCloudService,
): (context: RequestContext) => Promise<void> {
  const router = new Router();
  const target = (form: Params): Room => {
    const roomId = form.get('room_id') ?? '';
    if (roomId === '') throw new VChatError(RESULT.MISSING_REQURIED_PARAM, 'room_id is required');
    return service.room(roomId);
  };
  const add = (path: string, handler: (form: Params) => Record<string, unknown>) =>
    router.add('POST', path, async (context) => {
      const form = await readForm(context);
      try {
        sendJson(context.response, 200, { result_cd: 1, result_msg: '', ...handler(form) });
      } catch (error) {
        if (!(error instanceof VChatError)) throw error;
        sendJson(context.response, 200, {
          result_cd: error.result.code,
          result_msg: error.message,
        });
      }
    });
  add('/api/openapi/getChatRoomInfo', (form) => ({
    param: { room_nm: target(form).settings.roomName },
  }));
  add('/api/openapi/like', (form) => {
    const room = target(form);
    room.likes += 1;
    return { like_cnt: room.likes };
  });
  add('/api/openapi/getLike', (form) => ({ like_cnt: target(form).likes }));
  return async (context) => {
    const match = router.match(context.request.method ?? 'GET', context.url.pathname);
    if (match.kind !== 'found') {
      throw new HttpError(404, 'NOT_FOUND', `No endpoint at ${context.url.pathname}.`);
    }
    await match.handler({ ...context, params: match.params });
  };
}

/** `API_KEY` (case-insensitive, as any header). */
function checkApiKey(context: RequestContext, service: VChatCloudService): void {
  const apiKey = header(context, 'api_key');
  if (apiKey !== service.settings.apiKey) {
    throw new VChatError(
      RESULT.INVALID_API_KEY,
      apiKey === '' ? 'the API_KEY header is required' : 'the API key is not valid',
    );
  }
}

function checkToken(context: RequestContext, service: VChatCloudService): void {
  checkApiKey(context, service);
  const token = header(context, 'x-auth-token');
  if (token === '') {
    throw new VChatError(RESULT.INVALID_TOKEN, 'the X-AUTH-TOKEN header is required');
  }
  const issued = service.tokens.get(token);
  if (issued === undefined) throw new VChatError(RESULT.INVALID_TOKEN, 'the token is not valid');
  if (issued.expiresAt <= Date.now()) {
    throw new VChatError(RESULT.EXPIRED_TOKEN, 'the token has expired; issue a new one');
  }
}

function header(context: RequestContext, name: string): string {
  const value = context.request.headers[name];
  return (Array.isArray(value) ? value[0] : value)?.trim() ?? '';
}

/** Query parameters and the form-encoded body together; the body wins. */
async function readForm(context: RequestContext): Promise<Params> {
  const form: Params = new Map(context.url.searchParams);
  const body = await readBodyText(context.request, 'INVALID_BODY');
  for (const [key, value] of new URLSearchParams(body)) form.set(key, value);
  return form;
}

function invalid(message: string): never {
  throw new VChatError(RESULT.INVALID_PARAM, message);
}

function text(form: Params, name: string, limit: number): string {
  const value = optionalText(form, name, limit);
  if (value === null) throw new VChatError(RESULT.MISSING_REQURIED_PARAM, `${name} is required`);
  return value;
}

function optionalText(form: Params, name: string, limit: number): string | null {
  const value = form.get(name);
  if (value === undefined || value.trim() === '') return null;
  // "Within N characters": counted in characters, not UTF-16 units or bytes.
  if ([...value].length > limit) invalid(`${name} must be at most ${limit} characters`);
  return value;
}

function oneOf<T extends string>(form: Params, name: string, allowed: readonly T[]): T | null {
  const value = form.get(name)?.trim();
  if (value === undefined || value === '') return null;
  if (!(allowed as readonly string[]).includes(value)) {
    invalid(`${name} must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function requiredOneOf<T extends string>(form: Params, name: string, allowed: readonly T[]): T {
  const value = oneOf(form, name, allowed);
  if (value === null) throw new VChatError(RESULT.MISSING_REQURIED_PARAM, `${name} is required`);
  return value;
}

const YES_NO = ['Y', 'N'] as const;

/**
 * The create and modify parameters of the seed. Required ones must be there (10901); a value the
 * documents do not allow is refused (10902). On modify, optional ones left out keep their value.
 */
function readSettings(form: Params, current: RoomSettings | null): RoomSettings {
  const roomName = text(form, 'roomName', ROOM_NAME_LIMIT);
  const maxUserText = form.get('maxUser')?.trim() ?? '';
  if (maxUserText === '')
    throw new VChatError(RESULT.MISSING_REQURIED_PARAM, 'maxUser is required');
  const maxUser = /^\d{1,9}$/.test(maxUserText) ? Number(maxUserText) : NaN;
  if (!(maxUser >= 1 && maxUser <= MAX_USERS))
    invalid(`maxUser must be a whole number, 1–${MAX_USERS}`);
  const gTransStat = requiredOneOf(form, 'gTransStat', YES_NO);
  const roomType = requiredOneOf(form, 'roomType', ['01', '02', '03'] as const);
  const webrtcStat = requiredOneOf(form, 'rtcStat', YES_NO);
  const resolution = oneOf(form, 'resolution', ['243', '360', '480', '720'] as const);
  const template = oneOf(form, 'template', ['01', '02', '03', '04'] as const);
  const gApiKey = optionalText(form, 'gApiKey', 200);
  const webrtcText = form.get('webrtc')?.trim() ?? '';
  let webrtc: number;
  if (webrtcText !== '') {
    webrtc = /^\d{1,3}$/.test(webrtcText) ? Number(webrtcText) : NaN;
    if (!validWebrtcOption(webrtc)) invalid('webrtc is not a valid webRTC option (see note.html)');
    if (webrtcStat === 'N') webrtc = 0;
  } else if (webrtcStat === 'N') {
    webrtc = 0;
  } else {
    // "Automatically grant by webrtcStat" (seed): keep an option already set, else the example's.
    webrtc = current !== null && current.webrtc !== 0 ? current.webrtc : DEFAULT_WEBRTC;
  }
  return {
    roomName,
    maxUser,
    roomType,
    webrtcStat,
    webrtc,
    resolution: resolution ?? current?.resolution ?? '0',
    gTransStat,
    gApiKey: gApiKey ?? current?.gApiKey ?? '',
    template: template ?? current?.template ?? null,
  };
}

/**
 * The modify example sends `roomStatus={A or S or E}` while answers say `active`/`pending`
 * (seed): both are read. A and active resume, S and pending pause, E ends the room now.
 */
function readRoomStatus(form: Params): RoomStatus | 'ended' | null {
  const value = oneOf(form, 'roomStatus', ['active', 'pending', 'A', 'S', 'E'] as const);
  if (value === null) return null;
  if (value === 'A' || value === 'active') return 'active';
  if (value === 'S' || value === 'pending') return 'pending';
  return 'ended';
}

/** A room as `listRoom` (and, with the current count, `getRoomInfo`) answers it: all strings. */
function roomJson(service: VChatCloudService, room: Room, detail: boolean) {
  const { settings } = room;
  const json: Record<string, string> = {
    template: settings.template ?? 'null',
    gTransStat: settings.gTransStat,
    // The English table writes MessageCount; both examples write messageCount (api-facts §2.8).
    messageCount: String(room.messageCount),
    webrtc: String(settings.webrtc),
    gApiKey: settings.gApiKey,
    joinCount: String(room.everJoined.size),
    webrtcStat: settings.webrtcStat,
    endDt: compactKoreanTime(room.endAt),
    userId: SERVICE_USER_ID,
    isPossibleDup: String(room.isPossibleDup),
    resolution: settings.resolution,
    roomId: room.roomId,
    roomName: settings.roomName,
    roomStatus: room.roomStatus,
    startDt: compactKoreanTime(room.startAt),
    roomType: settings.roomType,
    maxUser: String(settings.maxUser),
  };
  if (detail) json['currentUserCount'] = String(service.presentCount(room));
  return json;
}
