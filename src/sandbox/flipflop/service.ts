/**
 * The emulated FlipFlop service: video rooms with chat rooms, members, messages, chat tokens and
 * banned words, the Gossip broker that carries the live feed, and one chatter source per room.
 * REST (`rest.ts`), Gossip (`gossip.ts`) and the control API (`control.ts`) all act through it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  ChatterScript,
  poolFor,
  type ChatterEvent,
  type ChatterUser,
  type RaidOptions,
} from '../core/chatter';
import { MessageIdGenerator } from '../core/ids';
import { ALPHANUMERIC, deriveSeed, Random } from '../core/random';
import type { ChatterScheduler, ChatterSource } from '../core/scheduler';
import { StompBroker } from '../stomp/broker';
import { gossipHooks, type GossipSession } from './gossip';
import {
  directTopic,
  messageBody,
  newChatRoom,
  roomTopic,
  type AppUser,
  type Casing,
  type ChatRoom,
  type ChatToken,
  type ChatUser,
  type MessageType,
  type StoredMessage,
  type VideoRoom,
} from './model';

export interface FlipFlopSettings {
  seed: number;
  rooms: number;
  ratePerRoom: number;
  /** See `SandboxOptions.presentPerRoom`. */
  presentPerRoom: number;
  casing: Casing;
  heartbeatMs: number;
  /** See `SandboxOptions.strict`. */
  strict: boolean;
  tokenTtlMs: number;
  bursts: boolean;
  forbiddenShare: number;
  directShare: number;
  /** See `SandboxOptions.spamShare`. */
  spamShare: number;
  appApiKey: string;
  appApiSecret: string;
  /** How REST answers carry `messageId`: a JSON string (default) or the documents' bare Long. */
  restMessageIds: 'string' | 'number';
  messagesPerRoom: number;
  /** Deliveries remembered per connection for the control API. */
  deliveryLogLimit: number;
  moderator: { appUserId: string; appUserName: string };
  /** `http://host:port`, for avatar URLs. */
  httpBaseUrl: string;
  /** The `chatServerWebSocketUrl` handed out with chat tokens. */
  webSocketUrl: string;
}

/** What a chat message is made of before it gets an id. */
export interface OutgoingMessage {
  user: ChatUser;
  messageType: MessageType;
  message: string | null;
  customType: string | null;
  data: unknown;
  /** Null sends to the room topic; a list sends to each receiver's direct-message topic. */
  receivers: string[] | null;
}

export const APP_ID = 'ffl-sandbox-1';
const FIRST_VIDEO_ROOM_ID = 1001;
const CHANNEL_KEY_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

const LIVE_TITLES = [
  'Late-night lo-fi study session',
  '오늘의 요리 라이브',
  'Speedrun practice: any%',
  'K-pop dance cover rehearsal',
  '주말 캠핑 브이로그 라이브',
  'Indie game dev Q&A',
  'Morning yoga with chat',
  '보드게임 한판 해요',
  'Street food tour in Busan',
  '새벽 감성 노래방',
];

export class FlipFlopService {
  readonly broker: StompBroker<GossipSession>;
  readonly rooms = new Map<string, VideoRoom>();
  readonly appUsers = new Map<string, AppUser>();
  readonly tokens = new Map<string, ChatToken>();
  /** App-wide, in the order they were set (api-facts §1.5: the paths are not per room). */
  readonly bannedWords = new Set<string>();
  /** WebSocket subscriptions to a room topic per `videoRoomId/userId`, for JOIN and LEAVE. */
  private readonly presence = new Map<string, number>();
  private readonly roomsByChannel = new Map<string, VideoRoom>();
  private readonly ids = new MessageIdGenerator();
  private sources: ChatterSource[] = [];
  private seedValue: number;
  /** Counters for `GET /__sandbox/stats`. */
  readonly stats = { messagesPublished: 0, framesDelivered: 0, sendsDropped: 0 };
  /**
   * What chat-token answers give as `chatServerWebSocketUrl` instead of the sandbox's own Gossip
   * address (a fault: `PUT /__sandbox/chat-server-url`); null gives the sandbox's own.
   */
  chatServerUrl: string | null = null;
  /**
   * Chat channels whose SUBSCRIBE is refused with an ERROR (a fault: `PUT
   * /__sandbox/rooms/{videoRoomId}/subscriptions`), as a broker refuses a destination the user may
   * not read.
   */
  readonly refusedChannels = new Set<string>();

  constructor(
    readonly settings: FlipFlopSettings,
    private readonly scheduler: ChatterScheduler,
  ) {
    this.broker = new StompBroker(gossipHooks(this), {
      heartbeatMs: settings.heartbeatMs,
      strict: settings.strict,
      serverName: 'FlipFlop-Gossip-Sandbox/1.0',
      deliveryLogLimit: settings.deliveryLogLimit,
    });
    this.seedValue = settings.seed;
    this.seedState(settings.seed);
  }

  get appId(): string {
    return APP_ID;
  }

  get seed(): number {
    return this.seedValue;
  }

  /** Back to the seeded initial state; every live connection is closed (1012 "restart"). */
  reset(seed: number): void {
    this.chatServerUrl = null;
    this.refusedChannels.clear();
    this.broker.closeAll(1012, 'sandbox reset');
    this.broker.forgetClosed();
    this.seedValue = seed;
    this.seedState(seed);
  }

  close(): void {
    for (const source of this.sources) this.scheduler.remove(source);
    this.sources = [];
    this.broker.dropAll('sandbox closed');
  }

  roomByChannel(channelKey: string): VideoRoom | undefined {
    return this.roomsByChannel.get(channelKey);
  }

  /** A chat room that takes messages now: created and not closed. */
  openChat(room: VideoRoom): ChatRoom | null {
    return room.chat !== null && room.chat.closedAt === null ? room.chat : null;
  }

  /**
   * Stores a message and delivers it live; the room's chat must be open. `spam` labels a simulated
   * message in the delivery log (its spam kind, or `none`).
   */
  publish(room: VideoRoom, outgoing: OutgoingMessage, spam: string | null = null): StoredMessage {
    const chat = room.chat;
    if (chat === null) throw new Error(`video room ${room.id} has no chat room`);
    const stored: StoredMessage = {
      messageId: this.ids.next(),
      videoRoomId: room.id,
      channelKey: room.channelKey,
      messageType: outgoing.messageType,
      customType: outgoing.customType,
      message: outgoing.message,
      data: outgoing.data,
      user: outgoing.user,
      receiverAppUserIds: outgoing.receivers ?? [],
      createdAt: Date.now(),
      state: 'visible',
    };
    const system = stored.messageType === 'JOIN' || stored.messageType === 'LEAVE';
    if (!system) {
      // JOIN and LEAVE are notices, not chat messages: nothing to hide or delete, not stored.
      chat.messages.set(stored.messageId, stored);
      chat.messageCount += 1;
      if (chat.messages.size > this.settings.messagesPerRoom) {
        const oldest = chat.messages.keys().next().value;
        if (oldest !== undefined) chat.messages.delete(oldest);
      }
    }
    const counts = system ? { total: chat.everJoined.size, participants: chat.members.size } : null;
    this.stats.messagesPublished += 1;
    if (outgoing.receivers === null) {
      const body = messageBody(stored, this.settings.casing, counts);
      this.stats.framesDelivered += this.broker.publish(
        roomTopic(room.channelKey),
        stored.messageId,
        body,
        spam,
      );
    } else {
      let body = messageBody(stored, this.settings.casing, counts);
      for (const receiver of outgoing.receivers) {
        if (this.settings.casing === 'camel' && outgoing.receivers.length > 1) {
          // The camel-case body names its receiver, so each receiver gets its own.
          body = messageBody({ ...stored, receiverAppUserIds: [receiver] }, 'camel', counts);
        }
        this.stats.framesDelivered += this.broker.publish(
          directTopic(room.channelKey, receiver),
          stored.messageId,
          body,
          spam,
        );
      }
    }
    return stored;
  }

  /**
   * A fault: sends `body` as it is, as one MESSAGE frame on the room topic (with a fresh message id
   * and the usual headers), so a client meets a frame it cannot read. Nothing is stored or counted
   * as a published message.
   */
  publishRaw(room: VideoRoom, body: string): { messageId: string; delivered: number } {
    const messageId = this.ids.next();
    const delivered = this.broker.publish(roomTopic(room.channelKey), messageId, body);
    this.stats.framesDelivered += delivered;
    return { messageId, delivered };
  }

  /**
   * A copy-paste raid on the room now (the control API's, or the sandbox's own from time to time):
   * fresh users, each pasting the line with junk around it. Answers the messages' ids in order;
   * none when the room's chat is not open.
   */
  raid(room: VideoRoom, options: RaidOptions = {}): string[] {
    if (this.openChat(room) === null) return [];
    const ids: string[] = [];
    for (const event of room.script.raid(options)) {
      const stored = this.applyChatter(room, event);
      if (stored) ids.push(stored.messageId);
    }
    return ids;
  }

  /**
   * Starts, changes or (at 0) stops a sustained raid on the room: `perSecond` copies of `text`
   * (default one of the spam lines, kept while the raid goes on) a second, each from a fresh user
   * with junk around the line, extra to the room's chatter rate and paced by the same scheduler.
   */
  setRaidRate(room: VideoRoom, perSecond: number, text?: string): VideoRoom['raid'] {
    if (perSecond === 0) room.raid = null;
    else {
      room.raid = {
        perSecond,
        text: text ?? room.raid?.text ?? room.script.raidLine(),
      };
    }
    return room.raid;
  }

  /** Adds a member and announces it with JOIN; nothing happens if they are already there. */
  join(room: VideoRoom, user: ChatUser): void {
    const chat = this.openChat(room);
    if (chat === null || chat.members.has(user.id)) return;
    this.addMember(chat, user, new Date());
    this.publish(room, {
      user,
      messageType: 'JOIN',
      message: '',
      customType: null,
      data: null,
      receivers: null,
    });
  }

  /** Removes a member and announces it with LEAVE. */
  leave(room: VideoRoom, userId: string): void {
    const chat = this.openChat(room);
    const member = chat?.members.get(userId);
    if (chat === null || member === undefined) return;
    chat.members.delete(userId);
    this.publish(room, {
      user: { id: userId, username: member.appUserName, avatar: member.appUserProfileImgUrl },
      messageType: 'LEAVE',
      message: '',
      customType: null,
      data: null,
      receivers: null,
    });
  }

  /** A WebSocket user subscribed to a room topic: their first subscription makes them a member. */
  socketJoined(room: VideoRoom, user: ChatUser): void {
    const key = `${room.id}/${user.id}`;
    const count = (this.presence.get(key) ?? 0) + 1;
    this.presence.set(key, count);
    if (count === 1) this.join(room, user);
  }

  /** Their last subscription to the room topic ended: they leave. */
  socketLeft(room: VideoRoom, userId: string): void {
    const key = `${room.id}/${userId}`;
    const count = (this.presence.get(key) ?? 0) - 1;
    if (count > 0) {
      this.presence.set(key, count);
      return;
    }
    this.presence.delete(key);
    this.leave(room, userId);
  }

  createChatRoom(room: VideoRoom): ChatRoom {
    room.chat = newChatRoom(new Date());
    room.videoRoomState = 'LIVE';
    return room.chat;
  }

  closeChatRoom(room: VideoRoom): ChatRoom {
    const chat = room.chat;
    if (chat === null) throw new Error(`video room ${room.id} has no chat room`);
    if (chat.closedAt === null) {
      chat.closedAt = new Date();
      // The members list is "only available until the ChatRoom is closed" (DB-CHAT).
      chat.members.clear();
    }
    return chat;
  }

  issueToken(kind: 'member' | 'guest', user: AppUser): ChatToken {
    const token: ChatToken = {
      token: randomBytes(24).toString('base64url'),
      userId: user.appUserId,
      userName: user.appUserName,
      avatarProfileUrl: user.appUserProfileImgUrl,
      kind,
      expiresAt: Date.now() + this.settings.tokenTtlMs,
    };
    this.tokens.set(token.token, token);
    return token;
  }

  /** A guest id like the documents' example ("2MwN1UVGBpDL090lFjsXobNQLdq", 27 letters and digits). */
  newGuestId(): string {
    const bytes = randomBytes(27);
    let id = '';
    for (const byte of bytes) id += ALPHANUMERIC[byte % ALPHANUMERIC.length] ?? '';
    return id;
  }

  newGuestName(): string {
    return `GUEST_${randomUUID()}`;
  }

  /** The fault "expire tokens": every token handed out so far stops working at once. */
  expireTokens(): void {
    const past = Date.now() - 1;
    for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, past);
  }

  avatarUrl(userId: string): string {
    return `${this.settings.httpBaseUrl}/__sandbox/avatars/${userId}.svg`;
  }

  private addMember(chat: ChatRoom, user: ChatUser, joinedAt: Date): void {
    chat.members.set(user.id, {
      appUserId: user.id,
      appUserName: user.username,
      appUserProfileImgUrl: user.avatar,
      joinedAt,
      sequence: chat.nextJoinSequence++,
    });
    chat.everJoined.add(user.id);
  }

  private chatUser(user: ChatterUser): ChatUser {
    return {
      id: user.id,
      username: user.name,
      avatar: user.hasAvatar ? this.avatarUrl(user.id) : null,
    };
  }

  private applyChatter(room: VideoRoom, event: ChatterEvent): StoredMessage | null {
    const user = this.chatUser(event.user);
    switch (event.kind) {
      case 'join':
        this.join(room, user);
        return null;
      case 'leave':
        this.leave(room, user.id);
        return null;
      case 'message':
      case 'direct':
        return this.publish(
          room,
          {
            user,
            messageType: event.kind === 'direct' ? 'DM' : 'MESSAGE',
            message: event.text,
            customType: null,
            data: null,
            receivers: event.kind === 'direct' ? [this.settings.moderator.appUserId] : null,
          },
          event.spam ?? 'none',
        );
    }
  }

  private seedState(seed: number): void {
    for (const source of this.sources) this.scheduler.remove(source);
    this.sources = [];
    this.rooms.clear();
    this.roomsByChannel.clear();
    this.appUsers.clear();
    this.tokens.clear();
    this.bannedWords.clear();
    this.presence.clear();

    const { moderator } = this.settings;
    this.appUsers.set(moderator.appUserId, {
      appUserId: moderator.appUserId,
      appUserName: moderator.appUserName,
      appUserProfileImgUrl: null,
    });
    const random = new Random(deriveSeed(seed, 'flipflop/rooms'));
    const titleOffset = random.integer(0, LIVE_TITLES.length - 1);
    const now = new Date();
    const total = this.settings.rooms + 1;
    for (let index = 0; index < total; index += 1) {
      const id = String(FIRST_VIDEO_ROOM_ID + index);
      // The last room is scheduled and has no chat room yet, so "create chat room" has a target.
      const live = index < this.settings.rooms;
      const script = new ChatterScript({
        seed,
        stream: `flipflop/${id}`,
        forbiddenShare: this.settings.forbiddenShare,
        directShare: this.settings.directShare,
        spamShare: this.settings.spamShare,
        bursts: this.settings.bursts,
        poolSize: poolFor(this.settings.presentPerRoom),
        initialMembers: live ? this.settings.presentPerRoom : 0,
      });
      const room: VideoRoom = {
        id,
        title: live
          ? (LIVE_TITLES[(titleOffset + index) % LIVE_TITLES.length] ?? id)
          : 'Coming up: launch Q&A / 곧 시작: 신제품 발표',
        description: live ? 'Live chatter simulated by the sandbox.' : 'No chat room yet.',
        videoRoomState: live ? 'LIVE' : 'SCHEDULED',
        createdAt: now,
        channelKey: random.string(20, CHANNEL_KEY_ALPHABET),
        chat: live ? newChatRoom(now) : null,
        rate: live ? this.settings.ratePerRoom : 0,
        raid: null,
        script,
        adminMessages: [],
      };
      for (const chatter of script.users) {
        const user = this.chatUser(chatter);
        this.appUsers.set(user.id, {
          appUserId: user.id,
          appUserName: user.username,
          appUserProfileImgUrl: user.avatar,
        });
      }
      if (room.chat !== null) {
        for (const chatter of script.initialMembers()) {
          this.addMember(room.chat, this.chatUser(chatter), now);
        }
      }
      this.rooms.set(id, room);
      this.roomsByChannel.set(room.channelKey, room);
      const source: ChatterSource = {
        ratePerSecond: () => (this.openChat(room) === null ? 0 : room.rate),
        step: () => {
          const event = room.script.next();
          this.applyChatter(room, event);
          return !event.burst;
        },
      };
      const raid: ChatterSource = {
        ratePerSecond: () => (this.openChat(room) === null ? 0 : (room.raid?.perSecond ?? 0)),
        step: () => {
          if (room.raid !== null) this.applyChatter(room, room.script.raidCopy(room.raid.text));
          return true;
        },
      };
      this.sources.push(source, raid);
      this.scheduler.add(source);
      this.scheduler.add(raid);
    }
  }
}
