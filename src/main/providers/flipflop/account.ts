/** One FlipFlop account as a `ProviderAccount`: REST for rooms and actions, Gossip for live feeds. */
import { CAPABILITIES, type ChatRoomInfo, type RoomSummary } from '../../../shared/chat';
import type { AccountRecord } from '../../../shared/model';
import type { Clock } from '../../clock';
import type {
  AdminMessage,
  DirectMessage,
  LiveListener,
  MembersPage,
  ProviderAccount,
} from '../types';
import type { ReconnectPolicy } from '../backoff';
import { GossipFeed } from './gossip';
import type { ChatRoomDto, ChatTokenDto, FlipFlopRest, VideoRoomDto } from './rest';

type FlipFlopRecord = Extract<AccountRecord, { provider: 'flipflop' }>;

export interface FlipFlopAccountOptions {
  record: FlipFlopRecord;
  rest: FlipFlopRest;
  clock: Clock;
  random: () => number;
  reconnect?: ReconnectPolicy;
  heartbeatMs?: number;
  /** Builds the Gossip WebSocket (see `GossipOptions`). */
  webSocketFactory?: (url: string) => unknown;
  /** CONNECT's `host` (see `GossipOptions`). */
  virtualHost?: string;
  /** CONNECT's `login` and `passcode` (see `GossipOptions`). */
  credentials?: () => Promise<{ login: string; passcode: string } | null>;
}

/** The list is paged; a moderator's app rarely has more than a few hundred rooms. */
const MAX_ROOM_PAGES = 10;
/** The name a guest token gets when the account names no moderator user. */
const GUEST_NAME = 'ModDeck moderator';

export function createFlipFlopAccount(options: FlipFlopAccountOptions): ProviderAccount {
  const { record, rest } = options;
  let token: Promise<ChatTokenDto> | null = null;
  let tokenUserId: string | null = null;

  function chatToken(): Promise<ChatTokenDto> {
    token ??= (
      record.moderator
        ? rest.memberChatToken(record.moderator.appUserId)
        : rest.guestChatToken(GUEST_NAME)
    ).then(
      (answer) => {
        tokenUserId = answer.userId;
        return answer;
      },
      (error: unknown) => {
        token = null;
        throw error;
      },
    );
    return token;
  }

  return {
    provider: 'flipflop',
    label: 'FlipFlop',
    capabilities: CAPABILITIES.flipflop,
    moderatorUserId: () => record.moderator?.appUserId ?? tokenUserId,
    moderatorName: () => record.moderator?.appUserName ?? record.name,

    async listRooms(): Promise<RoomSummary[]> {
      const rooms: VideoRoomDto[] = [];
      for (let page = 0; page < MAX_ROOM_PAGES; page += 1) {
        const answer = await rest.listVideoRooms(page);
        rooms.push(...answer.content);
        const pages = answer.totalPages ?? 1;
        if (answer.last === true || page + 1 >= pages || answer.content.length === 0) break;
      }
      return rooms.map((room) => summary(record.id, room));
    },

    async resolveRoom(roomId) {
      const [videoRoom, chatRoom] = await Promise.all([
        rest.getVideoRoom(roomId),
        rest.getChatRoom(roomId),
      ]);
      return {
        name: videoRoom.title ?? `Video room ${roomId}`,
        channel: chatRoom.channelKey,
        chatOpen: !chatRoom.closed,
      };
    },

    openLive(listener: LiveListener, downSince?: number) {
      return new GossipFeed({
        token: chatToken,
        invalidateToken: () => {
          token = null;
        },
        listener,
        clock: options.clock,
        random: options.random,
        ...(options.reconnect ? { reconnect: options.reconnect } : {}),
        ...(downSince === undefined ? {} : { downSince }),
        ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
        ...(options.webSocketFactory ? { webSocketFactory: options.webSocketFactory } : {}),
        ...(options.virtualHost ? { virtualHost: options.virtualHost } : {}),
        ...(options.credentials ? { credentials: options.credentials } : {}),
      });
    },

    hide: (roomId, messageId, watch) => rest.hideMessage(roomId, messageId, watch),
    unhide: (roomId, messageId) => rest.unhideMessage(roomId, messageId),
    delete: (roomId, messageId) => rest.deleteMessage(roomId, messageId),
    broadcast: (roomId, message: AdminMessage) => rest.broadcast(roomId, withoutUndefined(message)),
    // One call for every receiver: it reaches them all or fails.
    direct: async (roomId, message: DirectMessage) => ({
      messageId: await rest.direct(roomId, withoutUndefined(message)),
    }),

    async members(roomId, cursor, count): Promise<MembersPage> {
      const page = await rest.listMembers(roomId, cursor, count);
      const asked = count ?? 20;
      const more =
        page.content.length > 0 && page.content.length >= asked && page.nextCursor != null;
      return {
        members: page.content.map((member) => ({
          id: member.appUserId,
          name: member.appUserName ?? member.appUserId,
          ...(member.appUserProfileImgUrl ? { avatar: member.appUserProfileImgUrl } : {}),
          ...(member.joinedAt === null || member.joinedAt === undefined
            ? {}
            : { joinedAt: member.joinedAt }),
        })),
        nextCursor: more ? String(page.nextCursor) : null,
      };
    },

    chatRoom: {
      get: async (roomId) => chatRoomInfo(roomId, await rest.getChatRoom(roomId)),
      create: async (roomId) => chatRoomInfo(roomId, await rest.createChatRoom(roomId)),
      close: async (roomId) => chatRoomInfo(roomId, await rest.closeChatRoom(roomId)),
    },

    bannedWords: {
      set: (words) => rest.setBannedWords(words),
      unset: (words) => rest.unsetBannedWords(words),
    },
  };
}

function summary(accountId: string, room: VideoRoomDto): RoomSummary {
  const chat = room.chat;
  // `chat.created`/`closed` say whether the chat room exists (FFL-IOS); older answers only carry
  // `createdAt`/`closedAt` once it does (FFL-SRV), and a bare channelKey is pre-assigned (§1.2).
  const created = chat?.created ?? (chat?.createdAt !== undefined && chat.createdAt !== null);
  const closed = chat?.closed ?? (chat?.closedAt !== undefined && chat.closedAt !== null);
  return {
    accountId,
    roomId: room.id,
    provider: 'flipflop',
    name: room.title ?? `Video room ${room.id}`,
    chat: !created ? 'none' : closed ? 'closed' : 'open',
    ...(room.videoRoomState ? { state: room.videoRoomState } : {}),
  };
}

function chatRoomInfo(roomId: string, dto: ChatRoomDto): ChatRoomInfo {
  return {
    roomId,
    channelKey: dto.channelKey,
    closed: dto.closed,
    messageCount: dto.totalChatMessageCount,
    memberCount: dto.totalChatMemberCount,
    createdAt: dto.createdAt ?? 0,
  };
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
