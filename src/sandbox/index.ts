/**
 * The sandbox: a local emulator of the chat providers (FlipFlop now; VChatCloud joins the same
 * server later) with simulated chatters, fault injection and a control API. It is the app's
 * embedded default account, the target of the integration tests, and the benchmarks' load
 * generator. Choices made where the providers' documents are silent: src/sandbox/README.md.
 */
import { ChatterScheduler } from './core/scheduler';
import { Faults, parseFaultRequest } from './core/faults';
import { HttpError, readJsonObject, Router, sendJson } from './core/http';
import { deriveSeed, Random } from './core/random';
import { SandboxServer } from './core/server';
import { chooseSubprotocol } from './stomp/broker';
import { addFlipFlopControl } from './flipflop/control';
import type { Casing } from './flipflop/model';
import { flipFlopRest } from './flipflop/rest';
import { FlipFlopService } from './flipflop/service';

export { STARTER_FORBIDDEN_WORDS } from './core/words';
export type { Casing } from './flipflop/model';
export type { FaultRequest, FaultView, RestFailure } from './core/faults';
export type { ChatterChatEvent, ChatterEvent, ChatterUser } from './core/chatter';
export { ChatterScript, isChatEvent } from './core/chatter';

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
  /** Key style of Gossip message bodies. Default `snake`, as the WebSocket document shows. */
  casing?: Casing;
  /** The server's STOMP heart-beat interval, both directions, ms. Default 25000. */
  heartbeatMs?: number;
  /** How long a chat token works, ms. Default one hour. */
  tokenTtlMs?: number;
  /** Whether chatters burst now and then. Default true. */
  bursts?: boolean;
  /** Share of chat messages with a forbidden word (plain or disguised). Default 0.1. */
  forbiddenShare?: number;
  /** Share of chat messages sent to the moderator as direct messages. Default 0.02. */
  directShare?: number;
  appApiKey?: string;
  appApiSecret?: string;
  /** `messageId` in REST answers as a JSON string (default) or as the documents' bare Long. */
  restMessageIds?: 'string' | 'number';
  /** Messages kept per room for REST and control look-ups; older ones are forgotten. */
  messagesPerRoom?: number;
}

export interface SandboxFlipFlop {
  /** `http://127.0.0.1:PORT`; REST paths such as `/v2/apps/me/...` are appended. */
  baseUrl: string;
  appApiKey: string;
  appApiSecret: string;
  /** The app user the moderator chats as. */
  moderator: { appUserId: string; appUserName: string };
}

export interface Sandbox {
  flipflop: SandboxFlipFlop;
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
  casing: 'snake' as Casing,
  heartbeatMs: 25_000,
  tokenTtlMs: 60 * 60 * 1000,
  bursts: true,
  forbiddenShare: 0.1,
  directShare: 0.02,
  appApiKey: 'sandbox-app-key',
  appApiSecret: 'sandbox-app-secret',
  restMessageIds: 'string' as 'string' | 'number',
  messagesPerRoom: 50_000,
};

const MODERATOR = { appUserId: 'moderator1', appUserName: 'Moderator' };

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
  const faultTargets = {
    dropConnections: () => flipflop.broker.dropAll('dropped'),
    expireTokens: () => flipflop.expireTokens(),
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
    flipflop.reset(seed);
    sendJson(response, 200, { seed });
  });
  addFlipFlopControl(control, flipflop);

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
  scheduler.start();

  let closed: Promise<void> | null = null;
  return {
    flipflop: {
      baseUrl,
      appApiKey: settings.appApiKey,
      appApiSecret: settings.appApiSecret,
      moderator: { ...MODERATOR },
    },
    control: { baseUrl },
    close() {
      closed ??= (async () => {
        scheduler.stop();
        scheduler.clear();
        flipflop.close();
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
  if (!Number.isInteger(settings.rooms) || settings.rooms < 0 || settings.rooms > 1000) {
    problems.push('rooms must be 0–1000');
  }
  if (!(settings.ratePerRoom >= 0)) problems.push('ratePerRoom must be 0 or more');
  if (settings.casing !== 'snake' && settings.casing !== 'camel') {
    problems.push('casing must be snake or camel');
  }
  if (!(settings.heartbeatMs >= 0)) problems.push('heartbeatMs must be 0 or more');
  if (!(settings.tokenTtlMs > 0)) problems.push('tokenTtlMs must be more than 0');
  for (const key of ['forbiddenShare', 'directShare'] as const) {
    if (!(settings[key] >= 0 && settings[key] <= 1)) problems.push(`${key} must be 0–1`);
  }
  if (problems.length > 0) throw new Error(`startSandbox: ${problems.join('; ')}`);
}
