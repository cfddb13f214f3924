/**
 * The sandbox: a local emulator of the chat providers (FlipFlop and VChatCloud on one server) with
 * simulated chatters, fault injection and a control API. It is the app's embedded default account,
 * the target of the integration tests, and the benchmarks' load generator. Choices made where the
 * providers' documents are silent: src/sandbox/README.md and src/sandbox/vchatcloud/README.md.
 */
import { MIN_PRESENT } from './core/chatter';
import { ChatterScheduler } from './core/scheduler';
import { Faults, parseFaultRequest } from './core/faults';
import { HttpError, readJsonObject, Router, sendJson } from './core/http';
import { deriveSeed, Random } from './core/random';
import { preciseNow, SandboxServer } from './core/server';
import { chooseSubprotocol } from './stomp/broker';
import { addFlipFlopControl } from './flipflop/control';
import type { Casing } from './flipflop/model';
import { flipFlopRest } from './flipflop/rest';
import { FlipFlopService } from './flipflop/service';
import { eventBusHandlers } from './vchatcloud/bus';
import { addVChatCloudControl } from './vchatcloud/control';
import { renderEnvelopeError, vchatCloudRest, vchatCloudWebApi } from './vchatcloud/rest';
import { VChatCloudService } from './vchatcloud/service';
import {
  handleSockJsHttp,
  SOCKJS_PREFIX,
  SOCKJS_WEBSOCKET_PATH,
  SockJsTransport,
} from './vchatcloud/sockjs';

export { STARTER_FORBIDDEN_WORDS } from './core/words';
export type { Casing } from './flipflop/model';
export type { FaultRequest, FaultView, RestFailure } from './core/faults';
export type {
  ChatterChatEvent,
  ChatterEvent,
  ChatterUser,
  RaidOptions,
  SpamKind,
} from './core/chatter';
export { ChatterScript, isChatEvent, MIN_PRESENT, poolFor, SPAM_KINDS } from './core/chatter';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Loopback by default; the sandbox has no authentication worth exposing. */
  host?: string;
  /** Same seed, same rooms, same chatter. Default 1. */
  seed?: number;
  /** Video rooms with an open chat room and live chatter (one more has no chat room). Default 4. */
  rooms?: number;
  /** Chatter events per second per room. Default 5. */
  ratePerRoom?: number;
  /**
   * Chatters present in each live room at the start (FlipFlop and VChatCloud), 5–50,000; the
   * room's pool of people is six times as many. Joins and leaves keep it near that. Default 20.
   * At a high `ratePerRoom`, more people present keep each one at a human rate.
   */
  presentPerRoom?: number;
  /** Key style of Gossip message bodies. Default `snake`, as the WebSocket document shows. */
  casing?: Casing;
  /** The server's STOMP heart-beat interval, both directions, ms. Default 25000. */
  heartbeatMs?: number;
  /**
   * Gossip behaves like brokers that keep a socket open after an ERROR frame (a refused CONNECT
   * or SUBSCRIBE), as RabbitMQ's Web-STOMP does. Default false.
   */
  strict?: boolean;
  /** How long a chat token works, ms. Default one hour. */
  tokenTtlMs?: number;
  /** Whether chatters burst now and then. Default true. */
  bursts?: boolean;
  /** Share of chat messages with a forbidden word (plain or disguised). Default 0.1. */
  forbiddenShare?: number;
  /** Share of chat messages sent to the moderator as direct messages. Default 0.02. */
  directShare?: number;
  /**
   * Share of chat messages that start a spam episode (repeats, a raid, a flood, caps, a link,
   * mentions, a hostile name), 0..1. Default 0: tests and benchmarks see the chatter they always did.
   */
  spamShare?: number;
  /**
   * Every this many ms, a copy-paste raid of `raidUsers` fresh users hits one FlipFlop room (the
   * rooms in turn), the first after that long. Default 0: never.
   */
  raidEveryMs?: number;
  /** Fresh users in each of those raids. Default 8. */
  raidUsers?: number;
  appApiKey?: string;
  appApiSecret?: string;
  /** `messageId` in REST answers as a JSON string (default) or as the documents' bare Long. */
  restMessageIds?: 'string' | 'number';
  /** Messages kept per room for REST and control look-ups; older ones are forgotten. */
  messagesPerRoom?: number;
  /** VChatCloud rooms with live chatter (one more is paused). Default 2. */
  vchatcloudRooms?: number;
  /** VChatCloud `API_KEY` (fixed, so a stored embedded account keeps working). */
  vchatcloudApiKey?: string;
  /** Counts in event-bus pushes as JSON numbers (default, as the examples) or as strings. */
  vchatcloudNumbers?: 'number' | 'string';
  /** Messages and notices a VChatCloud join reply replays. Default 50. */
  vchatcloudHistorySize?: number;
  /** Event-bus frames as binary UTF-8 JSON (default) or as text. */
  eventbusFrames?: 'binary' | 'text';
  /** An event-bus socket that sends no `ping` frame this long is closed (1001); 0 never. */
  eventbusPingTimeoutMs?: number;
  /**
   * MESSAGE frames remembered per connection for `GET /__sandbox/connections/{id}/deliveries`;
   * past it the oldest half is forgotten. A load generator keeps it small.
   */
  deliveryLogLimit?: number;
}

export interface SandboxFlipFlop {
  /** `http://127.0.0.1:PORT`; REST paths such as `/v2/apps/me/...` are appended. */
  baseUrl: string;
  appApiKey: string;
  appApiSecret: string;
  /** The app user the moderator chats as. */
  moderator: { appUserId: string; appUserName: string };
}

/** What a VChatCloud account needs to point at the sandbox. */
export interface SandboxVChatCloud {
  /** `http://127.0.0.1:PORT`: the origin under which `/openapi/...` lives. */
  baseUrl: string;
  apiKey: string;
  /** `ws://127.0.0.1:PORT/eventbus/websocket`. */
  eventbusUrl: string;
  /** `http://127.0.0.1:PORT/eventbus`: where SockJS clients (the JS SDK, Vert.x's) connect. */
  sockJsUrl: string;
  /** Who the moderator joins rooms as. */
  moderator: { clientKey: string; nickName: string };
}

export interface Sandbox {
  flipflop: SandboxFlipFlop;
  vchatcloud: SandboxVChatCloud;
  /** `/__sandbox/...` lives under this base. */
  control: { baseUrl: string };
  /** Stops everything; leaves no listener, timer or socket behind. */
  close(): Promise<void>;
}

const DEFAULTS = {
  port: 0,
  host: '127.0.0.1',
  seed: 1,
  rooms: 4,
  ratePerRoom: 5,
  presentPerRoom: 20,
  casing: 'snake' as Casing,
  heartbeatMs: 25_000,
  strict: false,
  tokenTtlMs: 60 * 60 * 1000,
  bursts: true,
  forbiddenShare: 0.1,
  directShare: 0.02,
  spamShare: 0,
  raidEveryMs: 0,
  raidUsers: 8,
  appApiKey: 'sandbox-app-key',
  appApiSecret: 'sandbox-app-secret',
  restMessageIds: 'string' as 'string' | 'number',
  messagesPerRoom: 50_000,
  vchatcloudRooms: 2,
  // The documented form: five dash-separated groups, the last a timestamp (api-facts §2.2).
  vchatcloudApiKey: 'sndbox-vchat0-apikey-000001-20240101000000',
  vchatcloudNumbers: 'number' as 'number' | 'string',
  vchatcloudHistorySize: 50,
  eventbusFrames: 'binary' as 'binary' | 'text',
  // The Vert.x bridge's default ping timeout.
  eventbusPingTimeoutMs: 10_000,
  deliveryLogLimit: 1_000_000,
};

/**
 * The app's embedded sandbox shows spam: now and then a spammer in the chatter, and a small raid
 * in one room about every minute and a half (the first after that long).
 */
export const DEMO_SPAM = {
  spamShare: 0.005,
  raidEveryMs: 90_000,
  raidUsers: 8,
} as const satisfies SandboxOptions;

/**
 * Most chatters present per room: a room's pool is six times as many, and a VChatCloud room's
 * `maxUser` (twice as many) stays within the 100,000 its REST API allows.
 */
export const MAX_PRESENT = 50_000;

const MODERATOR = { appUserId: 'moderator1', appUserName: 'Moderator' };
/** "운영자" (operator) is the nickname of the `userManager` in the documents' example. */
const VCHAT_MODERATOR = { clientKey: 'moderator1', nickName: '운영자' };

/** Starts a sandbox and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const settings = { ...DEFAULTS, ...withoutUndefined(options) };
  checkSettings(settings);
  const faults = new Faults(new Random(deriveSeed(settings.seed, 'faults')));
  const server = new SandboxServer(faults);
  const port = await server.listen(settings.host, settings.port);
  // A wildcard address is reachable on loopback; URLs must name a host a client can dial.
  const host = ['0.0.0.0', '::', ''].includes(settings.host)
    ? '127.0.0.1'
    : settings.host.includes(':')
      ? `[${settings.host}]`
      : settings.host;
  const baseUrl = `http://${host}:${port}`;

  const scheduler = new ChatterScheduler();
  const flipflop = new FlipFlopService(
    {
      ...settings,
      moderator: MODERATOR,
      httpBaseUrl: baseUrl,
      webSocketUrl: `ws://${host}:${port}/gossip`,
    },
    scheduler,
  );
  const vchatcloud = new VChatCloudService(
    {
      seed: settings.seed,
      rooms: settings.vchatcloudRooms,
      ratePerRoom: settings.ratePerRoom,
      presentPerRoom: settings.presentPerRoom,
      tokenTtlMs: settings.tokenTtlMs,
      bursts: settings.bursts,
      forbiddenShare: settings.forbiddenShare,
      directShare: settings.directShare,
      spamShare: settings.spamShare,
      apiKey: settings.vchatcloudApiKey,
      numbers: settings.vchatcloudNumbers,
      frames: settings.eventbusFrames,
      pingTimeoutMs: settings.eventbusPingTimeoutMs,
      historySize: settings.vchatcloudHistorySize,
      moderator: VCHAT_MODERATOR,
    },
    scheduler,
    eventBusHandlers,
  );
  const faultTargets = {
    dropConnections: () => {
      flipflop.broker.dropAll('dropped');
      vchatcloud.bus.dropAll('dropped');
    },
    expireTokens: () => {
      flipflop.expireTokens();
      vchatcloud.expireTokens();
    },
    // Gossip sockets only: the event bus has no silent mode yet.
    silenceConnections: () => flipflop.broker.silenceAll(),
  };

  const control = new Router();
  control.add('GET', '/__sandbox/faults', ({ response }) => sendJson(response, 200, faults.view()));
  control.add('POST', '/__sandbox/faults', async ({ request, response }) => {
    faults.apply(parseFaultRequest(await readJsonObject(request, 'INVALID_FAULT')), faultTargets);
    sendJson(response, 200, faults.view());
  });
  control.add('DELETE', '/__sandbox/faults', ({ response }) => {
    faults.clear();
    sendJson(response, 200, faults.view());
  });
  control.add('POST', '/__sandbox/reset', async ({ request, response }) => {
    const body = await readJsonObject(request, 'INVALID_REQUEST');
    const seed = body?.['seed'] ?? flipflop.seed;
    if (typeof seed !== 'number' || !Number.isInteger(seed)) {
      throw new HttpError(400, 'INVALID_REQUEST', 'seed must be a whole number.');
    }
    faults.clear();
    server.forgetRequests();
    flipflop.reset(seed);
    vchatcloud.reset(seed);
    sendJson(response, 200, { seed });
  });
  control.add('GET', '/__sandbox/requests', ({ response }) => {
    sendJson(response, 200, { now: preciseNow(), requests: server.requestLog() });
  });
  addFlipFlopControl(control, flipflop);
  addVChatCloudControl(control, vchatcloud);

  server.mountHttp({
    prefix: '/__sandbox/',
    emulated: false,
    handle: async (context) => {
      const match = control.match(context.request.method ?? 'GET', context.url.pathname);
      if (match.kind !== 'found') {
        throw new HttpError(
          match.kind === 'notFound' ? 404 : 405,
          match.kind === 'notFound' ? 'NOT_FOUND' : 'METHOD_NOT_ALLOWED',
          `${context.request.method ?? ''} ${context.url.pathname} is not a control endpoint.`,
        );
      }
      await match.handler({ ...context, params: match.params });
    },
  });
  server.mountHttp({ prefix: '/v2/', emulated: true, handle: flipFlopRest(flipflop) });
  server.mountWebSocket('/gossip', (socket) => flipflop.broker.accept(socket), {
    chooseProtocol: chooseSubprotocol,
  });
  server.mountHttp({
    prefix: '/openapi/',
    emulated: true,
    handle: vchatCloudRest(vchatcloud),
    renderError: renderEnvelopeError,
  });
  server.mountHttp({
    prefix: '/api/openapi/',
    emulated: true,
    handle: vchatCloudWebApi(vchatcloud),
    renderError: renderEnvelopeError,
  });
  server.mountWebSocket('/eventbus/websocket', (socket) => vchatcloud.bus.accept(socket));
  server.mountHttp({ prefix: SOCKJS_PREFIX, emulated: false, handle: handleSockJsHttp });
  server.mountWebSocket(SOCKJS_WEBSOCKET_PATH, (socket) =>
    vchatcloud.bus.acceptTransport(
      new SockJsTransport(socket, vchatcloud.bus.options.sockJsHeartbeatMs),
    ),
  );
  scheduler.start();
  // The sandbox's own raids, for a demo: the FlipFlop rooms with an open chat, in turn.
  let raided = 0;
  const raids =
    settings.raidEveryMs > 0
      ? setInterval(() => {
          const open = [...flipflop.rooms.values()].filter((room) => flipflop.openChat(room));
          const room = open[raided % Math.max(open.length, 1)];
          raided += 1;
          if (room) flipflop.raid(room, { users: settings.raidUsers });
        }, settings.raidEveryMs)
      : null;
  raids?.unref();

  let closed: Promise<void> | null = null;
  return {
    flipflop: {
      baseUrl,
      appApiKey: settings.appApiKey,
      appApiSecret: settings.appApiSecret,
      moderator: { ...MODERATOR },
    },
    vchatcloud: {
      baseUrl,
      apiKey: settings.vchatcloudApiKey,
      eventbusUrl: `ws://${host}:${port}/eventbus/websocket`,
      sockJsUrl: `http://${host}:${port}${SOCKJS_PREFIX}`,
      moderator: { ...VCHAT_MODERATOR },
    },
    control: { baseUrl },
    close() {
      closed ??= (async () => {
        if (raids !== null) clearInterval(raids);
        scheduler.stop();
        scheduler.clear();
        flipflop.close();
        vchatcloud.close();
        await server.close();
      })();
      return closed;
    },
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Partial<T>;
}

function checkSettings(settings: typeof DEFAULTS): void {
  const problems: string[] = [];
  if (!Number.isInteger(settings.port) || settings.port < 0 || settings.port > 65535) {
    problems.push('port must be 0–65535');
  }
  if (!Number.isInteger(settings.seed)) problems.push('seed must be a whole number');
  for (const key of ['rooms', 'vchatcloudRooms'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 0 || settings[key] > 1000) {
      problems.push(`${key} must be 0–1000`);
    }
  }
  if (settings.vchatcloudNumbers !== 'number' && settings.vchatcloudNumbers !== 'string') {
    problems.push('vchatcloudNumbers must be number or string');
  }
  if (settings.eventbusFrames !== 'binary' && settings.eventbusFrames !== 'text') {
    problems.push('eventbusFrames must be binary or text');
  }
  if (!(settings.eventbusPingTimeoutMs >= 0))
    problems.push('eventbusPingTimeoutMs must be 0 or more');
  if (!(Number.isInteger(settings.vchatcloudHistorySize) && settings.vchatcloudHistorySize >= 0)) {
    problems.push('vchatcloudHistorySize must be a whole number, 0 or more');
  }
  if (!(settings.ratePerRoom >= 0)) problems.push('ratePerRoom must be 0 or more');
  if (!(
    Number.isInteger(settings.presentPerRoom) &&
    settings.presentPerRoom >= MIN_PRESENT &&
    settings.presentPerRoom <= MAX_PRESENT
  )) {
    problems.push(`presentPerRoom must be a whole number, ${MIN_PRESENT}–${MAX_PRESENT}`);
  }
  if (settings.casing !== 'snake' && settings.casing !== 'camel') {
    problems.push('casing must be snake or camel');
  }
  if (!(settings.heartbeatMs >= 0)) problems.push('heartbeatMs must be 0 or more');
  if (!(settings.tokenTtlMs > 0)) problems.push('tokenTtlMs must be more than 0');
  for (const key of ['messagesPerRoom', 'deliveryLogLimit'] as const) {
    if (!Number.isInteger(settings[key]) || settings[key] < 1) {
      problems.push(`${key} must be a whole number, 1 or more`);
    }
  }
  if (!(Number.isInteger(settings.raidEveryMs) && settings.raidEveryMs >= 0)) {
    problems.push('raidEveryMs must be a whole number, 0 or more');
  }
  if (!(
    Number.isInteger(settings.raidUsers) &&
    settings.raidUsers >= 1 &&
    settings.raidUsers <= 500
  )) {
    problems.push('raidUsers must be 1–500');
  }
  for (const key of ['forbiddenShare', 'directShare', 'spamShare'] as const) {
    if (!(settings[key] >= 0 && settings[key] <= 1)) problems.push(`${key} must be 0–1`);
  }
  if (problems.length > 0) throw new Error(`startSandbox: ${problems.join('; ')}`);
}
