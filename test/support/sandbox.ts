/** A fresh sandbox per test, its control API, and a core with an account pointing at it. */
import { onTestFinished } from 'vitest';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import type { Core } from '../../src/main/core';

export type SandboxOptions = NonNullable<Parameters<typeof startSandbox>[0]>;

export async function useSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = await startSandbox({ port: 0, seed: 1, ...options });
  onTestFinished(() => sandbox.close());
  return sandbox;
}

/** The sandbox's `/__sandbox/` inspection and fault API over real HTTP. */
export function control(sandbox: Sandbox) {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${sandbox.control.baseUrl}/__sandbox${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
    delete: <T>(path: string) => request<T>('DELETE', path),
    rooms: () =>
      request<
        Array<{
          videoRoomId: string;
          title: string;
          channelKey: string;
          chatRoom: { created: boolean; closed: boolean };
          ratePerSecond: number;
        }>
      >('GET', '/rooms'),
    setRate: (videoRoomId: string, perSecond: number) =>
      request<unknown>('PUT', `/rooms/${videoRoomId}/rate`, { perSecond }),
    say: (
      videoRoomId: string,
      message: {
        userId: string;
        userName?: string;
        message: string;
        messageType?: 'MESSAGE' | 'DM';
        receiver?: string;
      },
    ) => request<{ messageId: string }>('POST', `/rooms/${videoRoomId}/messages`, message),
    /**
     * A copy-paste raid on the room now: `users` fresh users (default 12) paste `text` (default
     * one of the sandbox's spam lines) with junk around it. Answers the messages' ids in order.
     */
    raid: (videoRoomId: string, options: { users?: number; text?: string } = {}) =>
      request<{ messageIds: string[] }>('POST', `/rooms/${videoRoomId}/raid`, options),
    /** Sends `body` as it is in one MESSAGE frame on the room topic (a fault). */
    rawMessage: (videoRoomId: string, body: string) =>
      request<{ messageId: string; delivered: number }>(
        'POST',
        `/rooms/${videoRoomId}/raw-messages`,
        { body },
      ),
    message: (videoRoomId: string, messageId: string) =>
      request<{ messageId: string; state: 'visible' | 'hidden' | 'deleted' }>(
        'GET',
        `/rooms/${videoRoomId}/messages/${messageId}`,
      ),
    faults: (faults: Record<string, unknown>) => request<unknown>('POST', '/faults', faults),
    clearFaults: () => request<unknown>('DELETE', '/faults'),
    connections: () =>
      request<
        Array<{
          id: string;
          userId: string;
          open: boolean;
          delivered: number;
          subscriptions: Array<{ id: string; destination: string }>;
        }>
      >('GET', '/connections'),
    deliveries: (connectionId: string) =>
      request<
        Array<{
          subscription: string;
          destination: string;
          messageId: string;
          /** A simulated message's spam kind, `none` for ordinary chatter, else null. */
          spam: string | null;
        }>
      >('GET', `/connections/${connectionId}/deliveries`),
    tokens: () =>
      request<Array<{ token: string; userId: string; kind: string; expiresAt: string | number }>>(
        'GET',
        '/tokens',
      ),
  };
}

/** Adds the sandbox as a FlipFlop account of the core, as a moderator would. */
export async function addSandboxAccount(
  core: Core,
  sandbox: Sandbox,
  name = 'Sandbox',
): Promise<string> {
  const account = await core.accounts.save({
    provider: 'flipflop',
    name,
    baseUrl: sandbox.flipflop.baseUrl,
    appApiKey: sandbox.flipflop.appApiKey,
    moderator: sandbox.flipflop.moderator,
    secret: sandbox.flipflop.appApiSecret,
  });
  return account.id;
}

/** Adds the sandbox as a VChatCloud account of the core, as a moderator would. */
export async function addVChatCloudAccount(
  core: Core,
  sandbox: Sandbox,
  name = 'Sandbox VChatCloud',
): Promise<string> {
  const account = await core.accounts.save({
    provider: 'vchatcloud',
    name,
    baseUrl: sandbox.vchatcloud.baseUrl,
    eventbusUrl: sandbox.vchatcloud.eventbusUrl,
    moderator: sandbox.vchatcloud.moderator,
    secret: sandbox.vchatcloud.apiKey,
  });
  return account.id;
}
