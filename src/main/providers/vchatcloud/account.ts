/**
 * One VChatCloud account as a `ProviderAccount`: REST for rooms, users, exile, mute, notices and
 * custom messages; the event bus for live feeds and whispers. The room-wide announcement is a
 * notice, a direct message is a whisper, the members list is the users list. VChatCloud has no
 * message-level moderation (api-facts §2.9), so hide, unhide and delete are absent.
 */
import {
  CAPABILITIES,
  type AdminRoom,
  type AdminRoomChanges,
  type AdminRoomSettings,
  type DirectResult,
  type RoomSummary,
} from '../../../shared/chat';
import { AppError, ErrorCode } from '../../../shared/errors';
import type { AccountRecord } from '../../../shared/model';
import type { Clock } from '../../clock';
import { toErrorInfo } from '../../errors';
import type { AdminMessage, DirectMessage, MembersPage, ProviderAccount } from '../types';
import type { ReconnectPolicy } from '../backoff';
import { EventBusFeed } from './eventbus';
import { parseUserInfo } from './normalize';
import type { RoomDto, RoomForm, VChatCloudRest } from './rest';

type VChatCloudRecord = Extract<AccountRecord, { provider: 'vchatcloud' }>;

export interface VChatCloudAccountOptions {
  record: VChatCloudRecord;
  rest: VChatCloudRest;
  clock: Clock;
  random: () => number;
  reconnect?: ReconnectPolicy;
  heartbeatMs?: number;
  pingIntervalMs?: number;
}

/** chat.html: a notice is at most 100 characters. */
const NOTICE_LIMIT = 100;
const DEFAULT_PAGE = 20;

export function createVChatCloudAccount(options: VChatCloudAccountOptions): ProviderAccount {
  const { record, rest, clock } = options;
  const { clientKey, nickName } = record.moderator;
  /** The feed `openLive` made last: whispers go out on it. */
  let feed: EventBusFeed | null = null;
  let sent = 0;

  const adminRoom = async (roomId: string): Promise<AdminRoom> =>
    toAdminRoom(await rest.getRoom(roomId), clock.now());

  return {
    provider: 'vchatcloud',
    label: 'VChatCloud',
    capabilities: CAPABILITIES.vchatcloud,
    moderatorUserId: () => clientKey,
    moderatorName: () => nickName,

    async listRooms(): Promise<RoomSummary[]> {
      const now = clock.now();
      return (await rest.listRooms()).map((room) => ({
        accountId: record.id,
        roomId: room.roomId,
        provider: 'vchatcloud',
        name: room.roomName,
        chat: isOpen(room, now) ? 'open' : 'closed',
        state: hasEnded(room, now) ? 'ended' : room.roomStatus,
        ...(room.currentUserCount === undefined ? {} : { participants: room.currentUserCount }),
      }));
    },

    async resolveRoom(roomId) {
      const room = await rest.getRoom(roomId);
      return { name: room.roomName, channel: room.roomId, chatOpen: isOpen(room, clock.now()) };
    },

    openLive(listener, downSince) {
      const created = new EventBusFeed({
        url: record.eventbusUrl,
        moderator: { clientKey, nickName },
        listener,
        clock,
        random: options.random,
        ...(options.reconnect ? { reconnect: options.reconnect } : {}),
        ...(downSince === undefined ? {} : { downSince }),
        ...(options.heartbeatMs ? { heartbeatMs: options.heartbeatMs } : {}),
        ...(options.pingIntervalMs ? { pingIntervalMs: options.pingIntervalMs } : {}),
      });
      feed = created;
      return created;
    },

    /** The room-wide announcement is a notice (REST, from the moderator's nickname). */
    async broadcast(roomId, message: AdminMessage) {
      if (message.appUserIds !== undefined && message.appUserIds.length > 0) {
        throw new AppError(
          ErrorCode.Unsupported,
          'VChatCloud notices go to the whole room; whisper to reach one person.',
        );
      }
      if (message.messageType !== 'MESSAGE') {
        throw new AppError(
          ErrorCode.Unsupported,
          'VChatCloud notices carry text only; send a custom message for anything else.',
        );
      }
      const text = message.message?.trim() ?? '';
      if (text === '') throw new AppError(ErrorCode.InvalidInput, 'A notice needs text.');
      if ([...text].length > NOTICE_LIMIT) {
        throw new AppError(
          ErrorCode.InvalidInput,
          `A VChatCloud notice is at most ${NOTICE_LIMIT} characters.`,
        );
      }
      await rest.notice(roomId, nickName, text);
      return `notice-${clock.now()}-${(sent += 1)}`;
    },

    /**
     * A direct message is a whisper to each receiver, on the room's live connection. Each is asked
     * on its own, so one receiver who left (10107) keeps nobody else from getting it; those it
     * missed are named, and only when it reached nobody is it an error.
     */
    async direct(roomId, message: DirectMessage): Promise<DirectResult> {
      if (message.messageType !== 'DM') {
        throw new AppError(ErrorCode.Unsupported, 'VChatCloud whispers carry text only.');
      }
      const text = message.message ?? '';
      if (text.trim() === '') throw new AppError(ErrorCode.InvalidInput, 'A whisper needs text.');
      if (feed === null) throw new AppError(ErrorCode.NotFound, 'Open the room to whisper in it.');
      const undelivered: NonNullable<DirectResult['undelivered']> = [];
      let firstError: unknown = null;
      for (const receiver of message.appUserIds) {
        try {
          await feed.whisper(roomId, receiver, text);
        } catch (error) {
          firstError ??= error;
          undelivered.push({ userId: receiver, error: toErrorInfo(error) });
        }
      }
      if (undelivered.length === message.appUserIds.length) throw firstError;
      const messageId = `whisper-${clock.now()}-${(sent += 1)}`;
      return undelivered.length === 0 ? { messageId } : { messageId, undelivered };
    },

    /** The users list; the service does not page it, so pages are cut here. */
    async members(roomId, cursor, count): Promise<MembersPage> {
      const users = await rest.users(roomId);
      const offset = Math.max(0, Number.parseInt(cursor ?? '0', 10) || 0);
      const size = count ?? DEFAULT_PAGE;
      const page = users.slice(offset, offset + size);
      return {
        members: page.map((user) => {
          const info = parseUserInfo(user.userInfo);
          const profile = info?.['profile'];
          return {
            id: user.clientKey,
            name: user.nickName ?? user.clientKey,
            // A profile given as a URL is shown; VChatCloud's own profile numbers are not.
            ...(typeof profile === 'string' && /^https?:\/\//.test(profile)
              ? { avatar: profile }
              : {}),
          };
        }),
        nextCursor: offset + size < users.length ? String(offset + size) : null,
      };
    },

    users: {
      mute: (roomId, userId) => rest.mute(roomId, userId),
      unmute: (roomId, userId) => rest.unmute(roomId, userId),
      exile: (roomId, userId) => rest.exile(roomId, userId),
      unexile: (roomId, userId) => rest.unexile(roomId, userId),
      async restrictions(roomId) {
        const [muted, exiled] = await Promise.all([rest.mutes(roomId), rest.exiles(roomId)]);
        return {
          muted: muted.map((item) => item.clientKey),
          exiled: exiled.map((item) => item.clientKey),
        };
      },
    },

    customMessage: (roomId, message, sendAt) =>
      rest.custom(roomId, { message, nickName, ...(sendAt === undefined ? {} : { sendAt }) }),

    roomAdmin: {
      get: adminRoom,
      async create(settings: AdminRoomSettings) {
        return adminRoom(await rest.createRoom(roomForm(settings)));
      },
      async modify(roomId, changes: AdminRoomChanges) {
        const { roomStatus, ...settings } = changes;
        await rest.modifyRoom(roomId, {
          ...roomForm(settings),
          // The modify example's letters end a room: `E` (seed).
          ...(roomStatus === undefined
            ? {}
            : { roomStatus: roomStatus === 'ended' ? 'E' : roomStatus }),
        });
        return adminRoom(roomId);
      },
      destroy: (roomId) => rest.destroyRoom(roomId),
    },
  };
}

function roomForm(settings: AdminRoomSettings): RoomForm {
  return {
    roomName: settings.roomName,
    maxUser: settings.maxUser,
    roomType: settings.roomType,
    rtcStat: settings.rtcStat,
    gTransStat: settings.gTransStat,
    gApiKey: settings.gApiKey,
    resolution: settings.resolution,
    template: settings.template,
    webrtc: settings.webrtc,
  };
}

function hasEnded(room: RoomDto, now: number): boolean {
  return room.endDt !== null && now > room.endDt;
}

/** People may chat: active, started and not ended. */
function isOpen(room: RoomDto, now: number): boolean {
  return (
    room.roomStatus === 'active' &&
    (room.startDt === null || now >= room.startDt) &&
    !hasEnded(room, now)
  );
}

function toAdminRoom(room: RoomDto, now: number): AdminRoom {
  return {
    roomId: room.roomId,
    roomName: room.roomName,
    maxUser: room.maxUser,
    roomType: room.roomType,
    roomStatus: room.roomStatus,
    open: isOpen(room, now),
    webrtcStat: room.webrtcStat,
    webrtc: room.webrtc,
    resolution: room.resolution,
    gTransStat: room.gTransStat,
    hasGApiKey: room.gApiKey !== '',
    template: room.template,
    isPossibleDup: room.isPossibleDup,
    startDt: room.startDt,
    endDt: room.endDt,
    messageCount: room.messageCount,
    joinCount: room.joinCount,
    ...(room.currentUserCount === undefined ? {} : { currentUserCount: room.currentUserCount }),
  };
}
