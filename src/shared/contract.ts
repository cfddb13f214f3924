/**
 * The IPC contract: every request channel with the zod schema of its input and output, and every
 * event main pushes to the window with the schema of its payload. The preload, `src/main/ipc.ts`
 * and the browser test host are generic over this table; adding a channel is one entry here,
 * one name in `channels.ts` and one handler in `src/main/core.ts`.
 */
import { z } from 'zod';
import type { EventName, RequestChannel } from './channels';
import {
  Account,
  AccountDraft,
  AccountId,
  SecretStoreStatus,
  Settings,
  SettingsPatch,
} from './model';

export { REQUEST_CHANNELS, EVENT_NAMES, isRequestChannel, isEventName } from './channels';
export type { RequestChannel, EventName } from './channels';

const None = z.undefined();

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  platform: z.string(),
  secretStore: SecretStoreStatus,
  /** Problems found at start-up that the moderator should know about, in words. */
  warnings: z.array(z.string()),
});
export type AppInfo = z.infer<typeof AppInfo>;

interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

export const requests = {
  'app.info': { input: None, output: AppInfo },
  'accounts.list': { input: None, output: z.array(Account) },
  'accounts.save': { input: AccountDraft, output: Account },
  'accounts.remove': { input: z.object({ id: AccountId }), output: z.object({ id: AccountId }) },
  'settings.get': { input: None, output: Settings },
  'settings.set': { input: SettingsPatch, output: Settings },
} satisfies Record<RequestChannel, ChannelSpec>;

export const events = {
  'accounts.changed': z.array(Account),
  'settings.changed': Settings,
} satisfies Record<EventName, z.ZodType>;

export type RequestInput<C extends RequestChannel> = z.input<(typeof requests)[C]['input']>;
export type RequestOutput<C extends RequestChannel> = z.output<(typeof requests)[C]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export interface ErrorInfo {
  /** A provider's `errorCode`, a VChatCloud result code, or one of ours (`src/shared/errors.ts`). */
  code: string;
  /** Plain words, safe to show; never contains a secret. */
  message: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** Arguments of `invoke`: channels without input may omit it. */
export type InvokeArgs<C extends RequestChannel> =
  RequestInput<C> extends undefined ? [input?: undefined] : [input: RequestInput<C>];

/**
 * What the preload exposes as `window.moderator`, and what the browser host and the tests install
 * in its place. The renderer reaches it only through `src/renderer/src/lib/api.ts`.
 */
export interface ModeratorBridge {
  invoke<C extends RequestChannel>(
    channel: C,
    ...args: InvokeArgs<C>
  ): Promise<Result<RequestOutput<C>>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}
