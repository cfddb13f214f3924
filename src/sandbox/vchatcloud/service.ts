/**
 * The emulated VChatCloud service: rooms, people present (simulated chatters and event-bus
 * sessions), messages and their history, exile and mute, notices and custom messages, REST
 * tokens, and one chatter source per room. REST (`rest.ts`), the event bus (`eventbus.ts`,
 * `bus.ts`) and the control API (`control.ts`) all act through it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { ChatterScript, poolFor, type ChatterEvent, type ChatterUser } from '../core/chatter';
import { ALPHANUMERIC, deriveSeed, Random } from '../core/random';
import type { ChatterScheduler, ChatterSource } from '../core/scheduler';
import { EventBusServer, ReplyThen, type BusConnection, type PreparedFrame } from './eventbus';
import {
  compactKoreanTime,
  DEFAULT_WEBRTC,
  NEVER_ENDS,
  RESULT,
  spacedKoreanTime,
  VChatError,
  type AdminMessage,
  type Person,
  type Room,
  type RoomSettings,
  type RoomStatus,
  type StoredMessage,
} from './model';

export interface VChatCloudSettings {
  seed: number;
  /** Active rooms with live chatter (one more room is `pending`). */
  rooms: number;
  ratePerRoom: number;
  /** See `SandboxOptions.presentPerRoom`. */
  presentPerRoom: number;
  tokenTtlMs: number;
  bursts: boolean;
  forbiddenShare: number;
  directShare: number;
  /** See `SandboxOptions.spamShare`. */
  spamShare: number;
  apiKey: string;
  /** Counts in event-bus pushes as JSON numbers (the examples) or strings (the doc tables). */
  numbers: 'number' | 'string';
  frames: 'binary' | 'text';
  pingTimeoutMs: number;
  /** Messages and notices the join reply replays. */
  historySize: number;
  moderator: { clientKey: string; nickName: string };
}

export interface IssuedToken {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/** The service account that owns every room (`userId` in room answers). */
export const SERVICE_USER_ID = 'sandbox@example.invalid';
/** Who REST notices and custom messages come from on the event bus. */
export const ADMIN_SENDER = { clientKey: 'admin', grade: 'admin' } as const;
export const MODERATOR_GRADES = new Set(['userManager', 'manager', 'admin']);

const ROOM_NAMES = [
  '오늘의 요리 라이브 채팅',
  'Late-night study room',
  '신제품 발표 Q&A',
  'Speedrun chat',
  '주말 캠핑 수다방',
  'Indie dev hangout',
  '새벽 감성 노래방',
  'Morning yoga chat',
];
const PROFILE_IMAGES = 12;
/** Longest an `setTimeout` may wait; later reservations re-arm until they are due. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class VChatCloudService {
  readonly bus: EventBusServer;
  readonly rooms = new Map<string, Room>();
  readonly tokens = new Map<string, IssuedToken>();
  /** Counters for `GET /__sandbox/vchatcloud/stats`. */
  readonly stats = { messagesPublished: 0, framesDelivered: 0, writesRefused: 0 };
  /** Event-bus sessions per room: roomId → clientKey → sockets. */
  private readonly sessions = new Map<string, Map<string, Set<BusConnection>>>();
  private readonly sources = new Map<string, ChatterSource>();
  private readonly reservations = new Set<NodeJS.Timeout>();
  private readonly tokenSecret = randomBytes(32);
  private seedValue: number;

  constructor(
    readonly settings: VChatCloudSettings,
    private readonly scheduler: ChatterScheduler,
    busHandlers: (service: VChatCloudService) => ConstructorParameters<typeof EventBusServer>[0],
  ) {
    this.bus = new EventBusServer(busHandlers(this), {
      frames: settings.frames,
      pingTimeoutMs: settings.pingTimeoutMs,
    });
    this.seedValue = settings.seed;
    this.seedState(settings.seed);
  }

  get seed(): number {
    return this.seedValue;
  }

  /** Back to the seeded rooms; every event-bus socket is closed (1012 "restart"). */
  reset(seed: number): void {
    this.bus.closeAll(1012, 'sandbox reset');
    this.bus.forgetClosed();
    this.seedValue = seed;
    this.seedState(seed);
  }

  close(): void {
    this.clearRooms();
    this.bus.dropAll('sandbox closed');
  }

  // ---------------------------------------------------------------------------------------------
  // REST tokens

  /**
   * An `X-AUTH-TOKEN`. Its form is not documented; it is a JWT here (an HS256 signature over
   * `sub`, `iat`, `exp`), so a client can read when it expires. The service decides validity by
   * its own record, not by the claims: the fault "expire tokens" ends them before their `exp`.
   */
  issueToken(): IssuedToken {
    const now = Date.now();
    const expiresAt = now + this.settings.tokenTtlMs;
    const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const payload = base64url(
      JSON.stringify({
        sub: SERVICE_USER_ID,
        jti: randomBytes(9).toString('base64url'),
        iat: Math.floor(now / 1000),
        exp: Math.ceil(expiresAt / 1000),
      }),
    );
    const signature = createHmac('sha256', this.tokenSecret)
      .update(`${header}.${payload}`)
      .digest('base64url');
    const issued = { token: `${header}.${payload}.${signature}`, issuedAt: now, expiresAt };
    this.tokens.set(issued.token, issued);
    return issued;
  }

  /**
   * A new API key, as re-issuing it on the CMS dashboard does (api-facts §2.2): the old key is
   * refused from now on (`INVALID_API_KEY`, checked before the token), and tokens issued before
   * stay as they were.
   */
  reissueApiKey(): string {
    const group = () => randomBytes(6).toString('hex').slice(0, 6);
    const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
    this.settings.apiKey = `${group()}-${group()}-${group()}-${group()}-${stamp}`;
    return this.settings.apiKey;
  }

  expireTokens(): void {
    const past = Date.now() - 1;
    for (const token of this.tokens.values()) token.expiresAt = Math.min(token.expiresAt, past);
  }

  // ---------------------------------------------------------------------------------------------
  // Rooms

  room(roomId: string): Room {
    const room = this.rooms.get(roomId);
    if (room === undefined) {
      throw new VChatError(RESULT.CHANNEL_NOT_EXISTED, 'the room does not exist');
    }
    return room;
  }

  createRoom(settings: RoomSettings): Room {
    let roomId = randomRoomId();
    while (this.rooms.has(roomId)) roomId = randomRoomId();
    const room = this.newRoom(roomId, settings, 'active', Date.now(), null);
    this.addRoom(room, 0);
    return room;
  }

  modifyRoom(room: Room, settings: RoomSettings, status: RoomStatus | 'ended' | null): void {
    room.settings = settings;
    if (status === 'ended') room.endAt = Math.min(room.endAt, Date.now());
    else if (status !== null) room.roomStatus = status;
  }

  /** The room goes away; sessions in it are simply no longer in any room (nothing is pushed). */
  destroyRoom(room: Room): void {
    const sessions = this.sessions.get(room.roomId);
    for (const connections of sessions?.values() ?? []) {
      for (const connection of connections) connection.sessions.delete(room.roomId);
    }
    this.sessions.delete(room.roomId);
    const source = this.sources.get(room.roomId);
    if (source !== undefined) this.scheduler.remove(source);
    this.sources.delete(room.roomId);
    this.rooms.delete(room.roomId);
  }

  /** Whether people may join and chat now: active and between its start and its end. */
  isOpen(room: Room, now = Date.now()): boolean {
    return room.roomStatus === 'active' && now >= room.startAt && now <= room.endAt;
  }

  /** Everyone present: simulated chatters and event-bus members, each once. */
  present(room: Room): Person[] {
    const people = new Map(room.chatters);
    for (const [clientKey, person] of room.members) people.set(clientKey, person);
    return [...people.values()];
  }

  presentCount(room: Room): number {
    let count = room.chatters.size;
    for (const clientKey of room.members.keys()) if (!room.chatters.has(clientKey)) count += 1;
    return count;
  }

  person(room: Room, clientKey: string): Person | undefined {
    return room.members.get(clientKey) ?? room.chatters.get(clientKey);
  }

  // ---------------------------------------------------------------------------------------------
  // Event-bus sessions

  /** Answers `c2s.join`: the checks in README order, then the session and its reply. */
  join(connection: BusConnection, person: Person, password: string | null, roomId: string) {
    const room = this.room(roomId);
    const now = Date.now();
    if (now > room.endAt) throw new VChatError(RESULT.CHANNEL_AFTER_CLOSED, 'the room has ended');
    if (room.roomStatus !== 'active' || now < room.startAt) {
      throw new VChatError(RESULT.CHANNEL_BEFORE_OPENED, 'the room is not open');
    }
    if (room.exiled.has(person.clientKey)) {
      throw new VChatError(RESULT.CHANNEL_USER_BANED, 'the user is banned from this room');
    }
    if (room.allowedClientKeys !== null && !room.allowedClientKeys.has(person.clientKey)) {
      throw new VChatError(RESULT.USER_NOT_ALLOWED, 'the user is not on the room’s list');
    }
    if (room.password !== null && password !== room.password) {
      throw new VChatError(RESULT.CHANNEL_INVALID_PASSWORD, 'the room password is wrong');
    }
    const alreadyPresent = this.person(room, person.clientKey) !== undefined;
    if (!alreadyPresent && this.presentCount(room) >= room.settings.maxUser) {
      throw new VChatError(RESULT.USER_LIMIT_EXCEEDED, 'the room is full');
    }

    const previous = connection.sessions.get(roomId);
    if (previous !== undefined && previous !== person.clientKey) {
      this.leave(connection, roomId);
    }
    const byKey = this.sessionsOf(roomId);
    const others = [...(byKey.get(person.clientKey) ?? [])].filter((item) => item !== connection);
    if (others.length > 0 && !room.isPossibleDup) {
      // The same clientKey signed in elsewhere: the older sessions are told and leave the room.
      const frame = this.bus.prepare(personal('duplicate.user', roomId, person.clientKey), {
        roomId,
        clientKey: person.clientKey,
        messageDt: now,
      });
      for (const other of others) {
        this.deliver(other, frame);
        other.sessions.delete(roomId);
        byKey.get(person.clientKey)?.delete(other);
      }
    }
    let sockets = byKey.get(person.clientKey);
    if (sockets === undefined) {
      sockets = new Set();
      byKey.set(person.clientKey, sockets);
    }
    sockets.add(connection);
    connection.sessions.set(roomId, person.clientKey);
    room.members.set(person.clientKey, person);
    room.everJoined.add(person.clientKey);
    const reply = {
      roomId,
      roomName: room.settings.roomName,
      clientKey: person.clientKey,
      grade: person.grade,
      webrtc: room.settings.webrtc,
      joinCount: this.count(room.everJoined.size),
      currentUserCount: this.count(this.presentCount(room)),
      retryCount: 0,
      history: room.history.map((message) => historyEntry(room.roomId, message)),
    };
    // The joiner hears its reply first, then everyone (itself included) hears the join.
    return new ReplyThen(reply, () => {
      if (!alreadyPresent && room.members.has(person.clientKey)) this.announceJoin(room, person);
    });
  }

  /** The socket's session in the room ends; the person leaves unless still there otherwise. */
  leave(connection: BusConnection, roomId: string): void {
    const clientKey = connection.sessions.get(roomId);
    if (clientKey === undefined) return;
    connection.sessions.delete(roomId);
    const byKey = this.sessions.get(roomId);
    const sockets = byKey?.get(clientKey);
    sockets?.delete(connection);
    if (sockets !== undefined && sockets.size > 0) return;
    byKey?.delete(clientKey);
    const room = this.rooms.get(roomId);
    const person = room?.members.get(clientKey);
    if (room === undefined || person === undefined) return;
    room.members.delete(clientKey);
    if (!room.chatters.has(clientKey)) this.announceLeave(room, person);
  }

  /** A socket closed: every room it was in sees its person leave. */
  connectionClosed(connection: BusConnection): void {
    for (const roomId of [...connection.sessions.keys()]) this.leave(connection, roomId);
  }

  /** Who writes from this socket in this room; 10107 if the socket has not joined it. */
  sessionPerson(connection: BusConnection, room: Room, clientKey: string | null): Person {
    const joinedAs = connection.sessions.get(room.roomId);
    const person = joinedAs === undefined ? undefined : room.members.get(joinedAs);
    if (person === undefined || (clientKey !== null && clientKey !== joinedAs)) {
      throw new VChatError(RESULT.USER_NOT_EXISTED, 'join the room before writing in it');
    }
    return person;
  }

  // ---------------------------------------------------------------------------------------------
  // Messages

  /** Refuses a write from a muted person (and counts it). */
  checkMayWrite(room: Room, clientKey: string): void {
    if (room.muted.has(clientKey)) {
      this.stats.writesRefused += 1;
      throw new VChatError(RESULT.USER_MUTED, 'the user may not write in this room');
    }
    if (room.exiled.has(clientKey)) {
      this.stats.writesRefused += 1;
      throw new VChatError(RESULT.CHANNEL_USER_BANED, 'the user is banned from this room');
    }
  }

  /**
   * A room message or notice: counted, kept for the history, pushed to everyone joined. `spam`
   * labels a simulated message in the delivery log (its spam kind, or `none`).
   */
  publishMessage(
    room: Room,
    sender: Person,
    kind: 'message' | 'notice',
    message: string,
    mimeType: string,
    spam: string | null = null,
  ): StoredMessage {
    room.messageCount += 1;
    const stored: StoredMessage = {
      kind,
      clientKey: sender.clientKey,
      nickName: sender.nickName,
      grade: sender.grade,
      message,
      mimeType,
      userInfo: sender.userInfo,
      at: Date.now(),
      messageCount: room.messageCount,
    };
    room.history.push(stored);
    if (room.history.length > this.settings.historySize) {
      room.history.splice(0, room.history.length - this.settings.historySize);
    }
    const body: Record<string, unknown> = {
      roomId: room.roomId,
      clientKey: stored.clientKey,
      nickName: stored.nickName,
      message,
      mimeType,
      messageDt: compactKoreanTime(stored.at),
      messageCount: this.count(stored.messageCount),
      grade: stored.grade,
    };
    if (kind === 'notice') body['messageType'] = 'notice';
    if (stored.userInfo !== null) body['userInfo'] = stored.userInfo;
    this.stats.messagesPublished += 1;
    this.pushToRoom(
      room,
      this.bus.prepare(
        `s2c.notify.${kind === 'notice' ? 'notice' : 'message'}/${room.roomId}`,
        body,
        stored.messageCount,
        spam,
      ),
    );
    return stored;
  }

  /**
   * `text` as it is, as one WebSocket message to every socket joined to the room (a fault). Not
   * counted as a message nor kept; returns how many sockets got it.
   */
  publishRaw(room: Room, text: string): number {
    const frame = this.bus.prepareRaw(text);
    let delivered = 0;
    for (const sockets of this.sessions.get(room.roomId)?.values() ?? []) {
      for (const socket of sockets) if (this.deliver(socket, frame)) delivered += 1;
    }
    return delivered;
  }

  /** A custom message (`s2c.notify.custom`): counted, pushed, not kept for the history. */
  publishCustom(room: Room, sender: Person, message: string, mimeType: string): number {
    room.messageCount += 1;
    const at = Date.now();
    this.stats.messagesPublished += 1;
    this.pushToRoom(
      room,
      this.bus.prepare(
        `s2c.notify.custom/${room.roomId}`,
        {
          roomId: room.roomId,
          clientKey: sender.clientKey,
          nickName: sender.nickName,
          message,
          mimeType,
          messageDt: compactKoreanTime(at),
          messageCount: this.count(room.messageCount),
          grade: sender.grade,
        },
        room.messageCount,
      ),
    );
    return at;
  }

  /**
   * A whisper to one person. Delivered to every session of the receiver; a simulated chatter has
   * none, so it is only recorded. 10107 when the receiver is not in the room.
   */
  whisper(
    room: Room,
    sender: Person,
    receiver: string,
    message: string,
    mimeType: string,
    spam: string | null = null,
  ) {
    if (this.person(room, receiver) === undefined) {
      throw new VChatError(RESULT.USER_NOT_EXISTED, 'the receiver is not in the room');
    }
    const at = Date.now();
    const body: Record<string, unknown> = {
      roomId: room.roomId,
      clientKey: sender.clientKey,
      nickName: sender.nickName,
      receivedClientKey: receiver,
      message,
      mimeType,
      messageType: 'whisper',
      messageDt: compactKoreanTime(at),
      grade: sender.grade,
    };
    if (sender.userInfo !== null) body['userInfo'] = sender.userInfo;
    const sockets = this.sessions.get(room.roomId)?.get(receiver);
    let delivered = false;
    if (sockets !== undefined && sockets.size > 0) {
      const frame = this.bus.prepare(personal('whisper', room.roomId, receiver), body, null, spam);
      for (const socket of sockets) delivered = this.deliver(socket, frame) || delivered;
    }
    room.whispers.push({ from: sender.clientKey, to: receiver, message, delivered, at });
    if (room.whispers.length > 1000) room.whispers.splice(0, room.whispers.length - 1000);
    return body;
  }

  /** A REST notice: a room-wide announcement from the service (api-facts §2.3). */
  notice(room: Room, nickName: string, text: string): void {
    const at = Date.now();
    this.publishMessage(room, this.adminSender(nickName), 'notice', text, 'text');
    room.adminMessages.push({
      kind: 'notice',
      nickName,
      message: text,
      mimeType: 'text',
      sendAt: at,
      sentAt: at,
    });
  }

  /** A REST custom message, now or at `sendAt` (note.html "sendDate"). */
  custom(room: Room, nickName: string, message: string, mimeType: string, sendAt: number): void {
    const record: AdminMessage = {
      kind: 'custom',
      nickName,
      message,
      mimeType,
      sendAt,
      sentAt: null,
    };
    room.adminMessages.push(record);
    const send = () => {
      if (this.rooms.get(room.roomId) !== room) return;
      record.sentAt = Date.now();
      this.publishCustom(room, this.adminSender(nickName), message, mimeType);
    };
    if (sendAt <= Date.now()) send();
    else this.reserve(sendAt, send);
  }

  // ---------------------------------------------------------------------------------------------
  // Exile and mute (REST)

  /** Exile = kick + ban (api-facts §2.3): pushed to the room and to the person, who leaves. */
  exile(room: Room, clientKey: string): void {
    if (room.exiled.has(clientKey)) return;
    const nickName = this.person(room, clientKey)?.nickName ?? clientKey;
    const now = Date.now();
    room.exiled.set(clientKey, { clientKey, nickName, since: now });
    this.pushToRoom(
      room,
      this.bus.prepare(`s2c.notify.kick.user/${room.roomId}`, {
        roomId: room.roomId,
        clientKey,
        nickName,
        messageDt: compactKoreanTime(now),
      }),
    );
    this.pushToPerson(room, clientKey, 'kick.user', { roomId: room.roomId, clientKey, nickName });
    // Kicked: out of the room without a leave push (the kick said it).
    const sockets = this.sessions.get(room.roomId)?.get(clientKey);
    for (const socket of sockets ?? []) socket.sessions.delete(room.roomId);
    this.sessions.get(room.roomId)?.delete(clientKey);
    room.members.delete(clientKey);
    room.chatters.delete(clientKey);
  }

  unexile(room: Room, clientKey: string): void {
    const restriction = room.exiled.get(clientKey);
    if (restriction === undefined) return;
    room.exiled.delete(clientKey);
    this.pushToRoom(
      room,
      this.bus.prepare(`s2c.notify.unkick.user/${room.roomId}`, {
        roomId: room.roomId,
        clientKey,
        nickName: restriction.nickName,
        messageDt: compactKoreanTime(Date.now()),
      }),
    );
  }

  mute(room: Room, clientKey: string): void {
    if (room.muted.has(clientKey)) return;
    const nickName = this.person(room, clientKey)?.nickName ?? clientKey;
    const now = Date.now();
    room.muted.set(clientKey, { clientKey, nickName, since: now });
    this.pushToRoom(
      room,
      this.bus.prepare(`s2c.notify.mute.user/${room.roomId}`, {
        roomId: room.roomId,
        clientKey,
        nickName,
        messageDt: compactKoreanTime(now),
      }),
    );
    this.pushToPerson(room, clientKey, 'mute.user', { clientKey, nickName });
  }

  unmute(room: Room, clientKey: string): void {
    const restriction = room.muted.get(clientKey);
    if (restriction === undefined) return;
    room.muted.delete(clientKey);
    this.pushToRoom(
      room,
      this.bus.prepare(`s2c.notify.unmute.user/${room.roomId}`, {
        roomId: room.roomId,
        clientKey,
        nickName: restriction.nickName,
        messageDt: compactKoreanTime(Date.now()),
      }),
    );
    this.pushToPerson(room, clientKey, 'unmute.user', {
      clientKey,
      nickName: restriction.nickName,
    });
  }

  /** A number in a push, as a JSON number or as a string (`numbers` setting). */
  count(value: number): number | string {
    return this.settings.numbers === 'string' ? String(value) : value;
  }

  // ---------------------------------------------------------------------------------------------

  private adminSender(nickName: string): Person {
    return { ...ADMIN_SENDER, nickName, userInfo: null };
  }

  private sessionsOf(roomId: string): Map<string, Set<BusConnection>> {
    let byKey = this.sessions.get(roomId);
    if (byKey === undefined) {
      byKey = new Map();
      this.sessions.set(roomId, byKey);
    }
    return byKey;
  }

  private deliver(connection: BusConnection, frame: PreparedFrame): boolean {
    const delivered = connection.deliver(frame);
    if (delivered) this.stats.framesDelivered += 1;
    return delivered;
  }

  private pushToRoom(room: Room, frame: PreparedFrame): void {
    const byKey = this.sessions.get(room.roomId);
    if (byKey === undefined) return;
    for (const sockets of byKey.values()) {
      for (const socket of sockets) this.deliver(socket, frame);
    }
  }

  /** `s2c.personal.{what}/{roomId}/{clientKey}` to each of the person's sessions. */
  private pushToPerson(
    room: Room,
    clientKey: string,
    what: string,
    body: Record<string, unknown>,
  ): void {
    const sockets = this.sessions.get(room.roomId)?.get(clientKey);
    if (sockets === undefined || sockets.size === 0) return;
    // Personal pushes carry `messageDt` as epoch milliseconds (api-facts §2.7).
    const frame = this.bus.prepare(personal(what, room.roomId, clientKey), {
      ...body,
      messageDt: Date.now(),
    });
    for (const socket of sockets) this.deliver(socket, frame);
  }

  private announceJoin(room: Room, person: Person): void {
    room.everJoined.add(person.clientKey);
    const body: Record<string, unknown> = {
      roomId: room.roomId,
      clientKey: person.clientKey,
      nickName: person.nickName,
      grade: person.grade,
      joinCount: this.count(room.everJoined.size),
      currentUserCount: this.count(this.presentCount(room)),
    };
    if (person.userInfo !== null) body['userInfo'] = person.userInfo;
    this.pushToRoom(room, this.bus.prepare(`s2c.notify.join.user/${room.roomId}`, body));
  }

  private announceLeave(room: Room, person: Person): void {
    this.pushToRoom(
      room,
      this.bus.prepare(`s2c.notify.leave.user/${room.roomId}`, {
        roomId: room.roomId,
        clientKey: person.clientKey,
        nickName: person.nickName,
        grade: person.grade,
        currentUserCount: this.count(this.presentCount(room)),
      }),
    );
  }

  private reserve(at: number, run: () => void): void {
    const timer = setTimeout(
      () => {
        this.reservations.delete(timer);
        if (Date.now() >= at) run();
        else this.reserve(at, run);
      },
      Math.min(Math.max(0, at - Date.now()), MAX_TIMER_MS),
    );
    this.reservations.add(timer);
  }

  private chatterPerson(user: ChatterUser, random: Random): Person {
    return {
      clientKey: user.id,
      nickName: user.name,
      grade: 'user',
      userInfo: { profile: random.integer(1, PROFILE_IMAGES), lang: user.language },
    };
  }

  private applyChatter(room: Room, event: ChatterEvent, people: Map<string, Person>): void {
    let person = people.get(event.user.id);
    if (person === undefined && event.kind === 'message' && event.spam !== null) {
      // A raider or a bot made for the occasion: it joins, writes, and is gone from the pool.
      person = {
        clientKey: event.user.id,
        nickName: event.user.name,
        grade: 'user',
        userInfo: { profile: 1, lang: event.user.language },
      };
      if (this.presentCount(room) >= room.settings.maxUser) return;
      room.chatters.set(person.clientKey, person);
      this.announceJoin(room, person);
    }
    if (person === undefined) return;
    switch (event.kind) {
      case 'join':
        if (room.exiled.has(person.clientKey) || room.chatters.has(person.clientKey)) return;
        if (this.presentCount(room) >= room.settings.maxUser) return;
        room.chatters.set(person.clientKey, person);
        if (!room.members.has(person.clientKey)) this.announceJoin(room, person);
        return;
      case 'leave':
        if (!room.chatters.delete(person.clientKey)) return;
        if (!room.members.has(person.clientKey)) this.announceLeave(room, person);
        return;
      case 'message':
      case 'direct': {
        // The script does not know who was exiled or muted here: their lines go nowhere.
        if (!room.chatters.has(person.clientKey)) return;
        if (room.muted.has(person.clientKey)) {
          this.stats.writesRefused += 1;
          return;
        }
        if (event.kind === 'message') {
          this.publishMessage(room, person, 'message', event.text, 'text', event.spam ?? 'none');
          return;
        }
        const moderator = this.settings.moderator.clientKey;
        if (this.person(room, moderator) === undefined) return;
        this.whisper(room, person, moderator, event.text, 'text', event.spam ?? 'none');
        return;
      }
    }
  }

  private newRoom(
    roomId: string,
    settings: RoomSettings,
    status: RoomStatus,
    now: number,
    script: ChatterScript | null,
  ): Room {
    return {
      roomId,
      settings,
      roomStatus: status,
      isPossibleDup: false,
      startAt: Math.floor(now / 1000) * 1000,
      endAt: NEVER_ENDS,
      password: null,
      allowedClientKeys: null,
      messageCount: 0,
      everJoined: new Set(),
      chatters: new Map(),
      members: new Map(),
      history: [],
      exiled: new Map(),
      muted: new Map(),
      adminMessages: [],
      whispers: [],
      likes: 0,
      rate: 0,
      script:
        script ??
        new ChatterScript({
          seed: this.seedValue,
          stream: `vchatcloud/${roomId}`,
          forbiddenShare: this.settings.forbiddenShare,
          directShare: this.settings.directShare,
          spamShare: this.settings.spamShare,
          bursts: this.settings.bursts,
          initialMembers: 0,
        }),
    };
  }

  /** Registers the room and its chatter source; the chatters' people are fixed per room. */
  private addRoom(room: Room, initialMembers: number): void {
    const random = new Random(deriveSeed(this.seedValue, `vchatcloud/${room.roomId}/people`));
    const people = new Map(
      room.script.users.map((user) => [user.id, this.chatterPerson(user, random)] as const),
    );
    for (const user of room.script.initialMembers().slice(0, initialMembers)) {
      const person = people.get(user.id);
      if (person === undefined) continue;
      room.chatters.set(person.clientKey, person);
      room.everJoined.add(person.clientKey);
    }
    this.rooms.set(room.roomId, room);
    const source: ChatterSource = {
      ratePerSecond: () => (this.isOpen(room) ? room.rate : 0),
      step: () => {
        const event = room.script.next();
        this.applyChatter(room, event, people);
        return !event.burst;
      },
    };
    this.sources.set(room.roomId, source);
    this.scheduler.add(source);
  }

  private clearRooms(): void {
    for (const source of this.sources.values()) this.scheduler.remove(source);
    this.sources.clear();
    for (const timer of this.reservations) clearTimeout(timer);
    this.reservations.clear();
    this.rooms.clear();
    this.sessions.clear();
  }

  private seedState(seed: number): void {
    this.clearRooms();
    this.tokens.clear();
    const random = new Random(deriveSeed(seed, 'vchatcloud/rooms'));
    const nameOffset = random.integer(0, ROOM_NAMES.length - 1);
    const now = Date.now();
    const total = this.settings.rooms + 1;
    const present = this.settings.presentPerRoom;
    for (let index = 0; index < total; index += 1) {
      const roomId = random.string(20, ALPHANUMERIC);
      // The last room is paused, so joins can be refused and "modify" has something to resume.
      const active = index < this.settings.rooms;
      const video = index % 2 === 1;
      const settings: RoomSettings = {
        roomName: active
          ? (ROOM_NAMES[(nameOffset + index) % ROOM_NAMES.length] ?? roomId)
          : '잠시 쉬는 방 / Paused room',
        // Room for the chatters present and the people who join them (300 at the default 20).
        maxUser: active ? Math.max(300, 2 * present) : 100,
        roomType: video ? '02' : '01',
        webrtcStat: video ? 'Y' : 'N',
        webrtc: video ? DEFAULT_WEBRTC : 0,
        resolution: video ? '360' : '0',
        gTransStat: 'N',
        gApiKey: '',
        template: null,
      };
      const script = new ChatterScript({
        seed,
        stream: `vchatcloud/${roomId}`,
        forbiddenShare: this.settings.forbiddenShare,
        directShare: this.settings.directShare,
        spamShare: this.settings.spamShare,
        bursts: this.settings.bursts,
        poolSize: poolFor(present),
        initialMembers: active ? present : 0,
      });
      const room = this.newRoom(roomId, settings, active ? 'active' : 'pending', now, script);
      room.rate = active ? this.settings.ratePerRoom : 0;
      this.addRoom(room, active ? present : 0);
    }
  }
}

/** `s2c.personal.{what}/{roomId}/{clientKey}`: the third segment is the receiver (§2.7). */
export function personal(what: string, roomId: string, clientKey: string): string {
  return `s2c.personal.${what}/${roomId}/${clientKey}`;
}

/**
 * One entry of the join reply's `history` (api-facts §2.7 "History"): `date` spaced and in Korean
 * time, `messageType` null for ordinary messages, and `userInfo` as a JSON string, one of the
 * three shapes clients meet (§2.8 item 3).
 */
function historyEntry(roomId: string, message: StoredMessage) {
  return {
    logType: 'message',
    roomId,
    clientKey: message.clientKey,
    nickName: message.nickName,
    message: message.message,
    mimeType: message.mimeType,
    messageType: message.kind === 'notice' ? 'notice' : null,
    date: spacedKoreanTime(message.at),
    grade: message.grade,
    userInfo: message.userInfo === null ? null : JSON.stringify(message.userInfo),
  };
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function randomRoomId(): string {
  let id = '';
  for (const byte of randomBytes(20)) id += ALPHANUMERIC[byte % ALPHANUMERIC.length] ?? '';
  return id;
}
