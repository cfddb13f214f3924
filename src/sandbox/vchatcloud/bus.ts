/**
 * What VChatCloud's chat server does with each client → server address (api-facts §2.7 table):
 * `c2s.join`, `c2s.leave`, `c2s.send.message`, `c2s.whisper.message`, `c2s.sendcustom` and
 * `c2s.clientlist`. Anything else has no handler, as on a Vert.x bus.
 */
import { NO_HANDLERS, type BusConnection, type EventBusHandlers } from './eventbus';
import { RESULT, VChatError, type Person } from './model';
import type { VChatCloudService } from './service';

export function eventBusHandlers(service: VChatCloudService): EventBusHandlers {
  return {
    request(connection, address, body) {
      const fields = readBody(body);
      switch (address) {
        case 'c2s.join':
          return join(service, connection, fields);
        case 'c2s.leave': {
          const roomId = required(fields, 'roomId');
          service.leave(connection, roomId);
          return { roomId };
        }
        case 'c2s.send.message': {
          const room = service.room(required(fields, 'roomId'));
          const message = required(fields, 'message');
          const person = writer(service, connection, room, fields);
          const notice = fields['messageType'] === 'notice';
          const stored = service.publishMessage(
            room,
            person,
            notice ? 'notice' : 'message',
            message,
            optional(fields, 'mimeType') ?? 'text',
          );
          return { roomId: room.roomId, messageCount: service.count(stored.messageCount) };
        }
        case 'c2s.whisper.message': {
          const room = service.room(required(fields, 'roomId'));
          const receiver = required(fields, 'receivedClientKey');
          const message = required(fields, 'message');
          const person = writer(service, connection, room, fields);
          return service.whisper(
            room,
            person,
            receiver,
            message,
            optional(fields, 'mimeType') ?? 'text',
          );
        }
        case 'c2s.sendcustom': {
          const room = service.room(required(fields, 'roomId'));
          const message = required(fields, 'message');
          const person = writer(service, connection, room, fields);
          service.publishCustom(room, person, message, optional(fields, 'mimeType') ?? 'text');
          return { roomId: room.roomId };
        }
        case 'c2s.clientlist': {
          const room = service.room(required(fields, 'roomId'));
          return {
            clientlist: service.present(room).map((person) => ({
              roomId: room.roomId,
              clientKey: person.clientKey,
              nickName: person.nickName,
              grade: room.muted.has(person.clientKey) ? 'userMute' : person.grade,
              userInfo: person.userInfo,
            })),
          };
        }
        default:
          return NO_HANDLERS;
      }
    },
    closed(connection) {
      service.connectionClosed(connection);
    },
  };
}

function join(service: VChatCloudService, connection: BusConnection, fields: Fields) {
  const roomId = required(fields, 'roomId');
  const clientKey = required(fields, 'clientKey');
  const nickName = required(fields, 'nickName');
  const person: Person = {
    clientKey,
    nickName,
    // The old JS SDK defaults the grade to "user" (api-facts §2.7).
    grade: optional(fields, 'grade') ?? 'user',
    userInfo: readUserInfo(fields['userInfo']),
  };
  return service.join(connection, person, optional(fields, 'password'), roomId);
}

/** Who writes: the socket's session in the room, muted and exiled people refused. */
function writer(
  service: VChatCloudService,
  connection: BusConnection,
  room: Parameters<VChatCloudService['sessionPerson']>[1],
  fields: Fields,
): Person {
  const person = service.sessionPerson(connection, room, optional(fields, 'clientKey'));
  service.checkMayWrite(room, person.clientKey);
  const nickName = optional(fields, 'nickName');
  return nickName === null ? person : { ...person, nickName };
}

type Fields = Record<string, unknown>;

function readBody(body: unknown): Fields {
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as unknown;
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        return parsed as Fields;
      }
    } catch {
      // Not JSON text: treated as an empty body, so the required fields are missing.
    }
    return {};
  }
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Fields) : {};
}

/** A required string (numbers are taken as their text); 10901 when it is missing or blank. */
function required(fields: Fields, name: string): string {
  const value = optional(fields, name);
  if (value === null) {
    throw new VChatError(RESULT.MISSING_REQURIED_PARAM, `${name} is required`);
  }
  return value;
}

function optional(fields: Fields, name: string): string | null {
  const value = fields[name];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  return value.trim() !== '' ? value : null;
}

/** `userInfo` as the join sent it: an object, or a JSON string of one (Flutter encodes it). */
function readUserInfo(value: unknown): Record<string, unknown> | null {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}
