/**
 * What FlipFlop's Gossip server decides on top of STOMP (api-facts §1.7): who may connect, which
 * destinations exist and who may subscribe to them, and what a SEND to `/app/chat` or `/app/dm`
 * does.
 */
import { header, type StompFrame } from '../stomp/frame';
import type { ConnectAnswer, StompHooks } from '../stomp/broker';
import type { MessageType, VideoRoom } from './model';
import type { FlipFlopService } from './service';

export interface GossipSession {
  userId: string;
  /** From the CONNECT `username` header (api-facts §1.7). */
  userName: string;
  avatar: string | null;
}

type Destination =
  { kind: 'room'; channelKey: string } | { kind: 'direct'; channelKey: string; userId: string };

const ROOM_TOPIC = /^\/topic\/chat\/([^/]+)$/;
const DIRECT_TOPIC = /^\/topic\/dm\/([^/]+)\/user\/([^/]+)$/;

export function parseTopic(destination: string): Destination | null {
  const room = ROOM_TOPIC.exec(destination);
  if (room !== null) return { kind: 'room', channelKey: room[1] ?? '' };
  const direct = DIRECT_TOPIC.exec(destination);
  if (direct !== null) {
    return { kind: 'direct', channelKey: direct[1] ?? '', userId: direct[2] ?? '' };
  }
  return null;
}

export function gossipHooks(service: FlipFlopService): StompHooks<GossipSession> {
  const roomOf = (destination: string): VideoRoom | undefined => {
    const topic = parseTopic(destination);
    return topic?.kind === 'room' ? service.roomByChannel(topic.channelKey) : undefined;
  };
  return {
    connect(frame: StompFrame): ConnectAnswer<GossipSession> {
      // Gossip's CONNECT carries the chat token and who it belongs to (api-facts §1.7).
      const missing = ['token', 'appid', 'userid', 'username'].filter(
        (name) => (header(frame, name) ?? '') === '',
      );
      if (missing.length > 0) {
        return {
          ok: false,
          message: 'Missing CONNECT headers',
          detail: `CONNECT needs ${missing.join(', ')}.`,
        };
      }
      const token = service.tokens.get(header(frame, 'token') ?? '');
      if (token === undefined) {
        return { ok: false, message: 'Invalid chat token', detail: 'No such chat token.' };
      }
      if (token.expiresAt <= Date.now()) {
        return {
          ok: false,
          message: 'Expired chat token',
          detail: 'Fetch a fresh chat token and connect again.',
        };
      }
      if (header(frame, 'appid') !== service.appId) {
        return { ok: false, message: 'Unknown appid', detail: `This app is "${service.appId}".` };
      }
      if (header(frame, 'userid') !== token.userId) {
        return {
          ok: false,
          message: 'userid does not match the chat token',
          detail: 'Connect with the userId the chat token was issued for.',
        };
      }
      return {
        ok: true,
        userId: token.userId,
        session: {
          userId: token.userId,
          userName: header(frame, 'username') ?? token.userId,
          avatar: token.avatarProfileUrl,
        },
      };
    },

    authorizeSubscribe(session, destination) {
      const topic = parseTopic(destination);
      if (topic === null) return 'Unknown destination';
      if (service.roomByChannel(topic.channelKey) === undefined) return 'Unknown chat channel';
      if (service.refusedChannels.has(topic.channelKey)) return 'Access refused';
      if (topic.kind === 'direct' && topic.userId !== session.userId) {
        return 'A user may only subscribe to their own direct messages';
      }
      return null;
    },

    subscribed(session, destination) {
      const room = roomOf(destination);
      if (room !== undefined) {
        service.socketJoined(room, {
          id: session.userId,
          username: session.userName,
          avatar: session.avatar,
        });
      }
    },

    unsubscribed(session, destination) {
      const room = roomOf(destination);
      if (room !== undefined) service.socketLeft(room, session.userId);
    },

    send(session, frame) {
      const destination = header(frame, 'destination');
      if (destination !== '/app/chat' && destination !== '/app/dm') return 'Unknown destination';
      const direct = destination === '/app/dm';
      const receiver = header(frame, 'receiver');
      if (direct && (receiver === undefined || receiver === '')) return 'Missing receiver header';
      const parsed = parseOutgoing(frame.body);
      if (typeof parsed === 'string') return parsed;
      const room = service.roomByChannel(parsed.channelKey);
      if (room === undefined) return 'Unknown chat channel';
      if (parsed.userId !== session.userId) return 'user.id does not match the connected user';
      if (parsed.messageType === 'JOIN' || parsed.messageType === 'LEAVE') {
        return 'JOIN and LEAVE are sent by the server only';
      }
      const allowed: MessageType[] = direct ? ['DM', 'COMMAND'] : ['MESSAGE', 'COMMAND'];
      if (!allowed.includes(parsed.messageType)) {
        return `message_type must be ${allowed.join(' or ')} on ${destination}`;
      }
      if (service.openChat(room) === null) {
        // A closed (or not yet created) chat room takes no messages; the sender is not told
        // beyond the receipt, since the documents name no error for it.
        service.stats.sendsDropped += 1;
        return null;
      }
      service.publish(room, {
        user: { id: session.userId, username: session.userName, avatar: session.avatar },
        messageType: parsed.messageType,
        message: parsed.message,
        customType: parsed.customType,
        data: parsed.data,
        receivers: direct ? [receiver ?? ''] : null,
      });
      return null;
    },
  };
}

interface ParsedOutgoing {
  channelKey: string;
  userId: string;
  messageType: MessageType;
  message: string;
  customType: string | null;
  data: unknown;
}

/**
 * Reads a SEND body. Required when sending: `channel_key`, `user.id`, `message_type`, `message`
 * (api-facts §1.7). Either casing is accepted, as §1.10 recommends for an emulator.
 */
function parseOutgoing(body: Buffer): ParsedOutgoing | string {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    return 'The body is not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return 'The body is not a JSON object';
  }
  const record = value as Record<string, unknown>;
  const either = (snake: string, camel: string): unknown => record[snake] ?? record[camel];
  const channelKey = either('channel_key', 'channelKey');
  const user = record['user'];
  const userId =
    typeof user === 'object' && user !== null ? (user as Record<string, unknown>)['id'] : undefined;
  const messageType = either('message_type', 'messageType');
  const message = record['message'];
  const customType = either('custom_type', 'customType');
  if (typeof channelKey !== 'string' || channelKey === '') return 'channel_key is required';
  if (typeof userId !== 'string' || userId === '') return 'user.id is required';
  if (typeof messageType !== 'string') return 'message_type is required';
  if (!['MESSAGE', 'DM', 'COMMAND', 'JOIN', 'LEAVE'].includes(messageType)) {
    return `Unknown message_type "${messageType}"`;
  }
  if (typeof message !== 'string') return 'message is required';
  if (customType !== undefined && customType !== null && typeof customType !== 'string') {
    return 'custom_type must be a string';
  }
  return {
    channelKey,
    userId,
    messageType: messageType as MessageType,
    message,
    customType: customType ?? null,
    data: record['data'] ?? null,
  };
}
