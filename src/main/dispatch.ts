/**
 * Turns the handler table into one function: (channel, raw input) → result envelope. It checks the
 * channel against the contract, validates the input and the output with the contract's schemas,
 * and maps anything thrown to `{ ok: false, error }` with a redacted message. Electron's `ipc.ts`
 * and the browser host both carry requests to it; neither knows any channel by name.
 */
import { z } from 'zod';
import { describeUnknownName } from '../shared/channels';
import {
  isRequestChannel,
  requests,
  type ErrorInfo,
  type RequestChannel,
  type RequestOutput,
  type Result,
} from '../shared/contract';
import { AppError, ErrorCode } from '../shared/errors';
import type { Logger } from './logger';

/** What a handler receives: the input after its schema parsed it (defaults applied). */
export type HandlerInput<C extends RequestChannel> = z.output<(typeof requests)[C]['input']>;

export type HandlerTable = {
  [C in RequestChannel]: (input: HandlerInput<C>) => Promise<RequestOutput<C>> | RequestOutput<C>;
};

export type Dispatcher = (channel: unknown, input: unknown) => Promise<Result<unknown>>;

export interface DispatcherOptions {
  handlers: HandlerTable;
  redact: (text: string) => string;
  log: Logger;
}

export function createDispatcher({ handlers, redact, log }: DispatcherOptions): Dispatcher {
  function failure(code: string, message: string): Result<never> {
    return { ok: false, error: { code, message: redact(message) } };
  }

  return async function dispatch(channel, input) {
    if (!isRequestChannel(channel)) {
      return failure(ErrorCode.UnknownChannel, describeUnknownName(channel, 'request'));
    }
    const spec = requests[channel];
    const illFormed = findIllFormed(input);
    if (illFormed !== null) return failure(ErrorCode.InvalidInput, illFormed);
    const parsed = spec.input.safeParse(input);
    if (!parsed.success) {
      return failure(ErrorCode.InvalidInput, describeIssues(parsed.error));
    }
    let value: unknown;
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      value = await handler(parsed.data);
    } catch (error) {
      const info = toErrorInfo(error);
      if (info.code === ErrorCode.Internal) {
        log.error('request failed', { channel, error: describeThrown(error) });
      }
      return failure(info.code, info.message);
    }
    // Parsing the output also strips any field the contract does not name, so nothing a handler
    // returns by mistake (a secret, an internal object) can reach the renderer.
    const output = spec.output.safeParse(value);
    if (!output.success) {
      log.error('handler returned a value outside the contract', {
        channel,
        issues: describeIssues(output.error),
      });
      return failure(ErrorCode.Internal, 'ModDeck produced an answer it could not check.');
    }
    return { ok: true, value: output.data };
  };
}

/** Inputs nest a few levels at most (settings, broadcast data); deeper ones are refused. */
const MAX_INPUT_DEPTH = 32;

/**
 * Why a request's raw input cannot be handled whatever its channel, or null when it can: a string
 * (a value or a key, at any depth, inside fields the schema leaves open too) with a lone UTF-16
 * surrogate, which `encodeURIComponent` and the providers' encoders throw on; a value that contains
 * itself (structured clone carries cycles over IPC); nesting past `MAX_INPUT_DEPTH`.
 */
export function findIllFormed(input: unknown): string | null {
  const ancestors = new Set<object>();
  const at = (path: readonly string[], problem: string): string =>
    path.length === 0 ? problem : `${path.join('.')}: ${problem}`;
  const visit = (value: unknown, path: readonly string[]): string | null => {
    if (typeof value === 'string') return value.isWellFormed() ? null : at(path, BROKEN_TEXT);
    if (typeof value !== 'object' || value === null) return null;
    if (ancestors.has(value)) return at(path, 'the value contains itself.');
    if (path.length >= MAX_INPUT_DEPTH) {
      return at(path, `nested more than ${MAX_INPUT_DEPTH} levels deep.`);
    }
    ancestors.add(value);
    try {
      for (const [key, item] of Object.entries(value)) {
        if (!key.isWellFormed()) return at(path, `a key ${BROKEN_TEXT}`);
        const found = visit(item, [...path, key]);
        if (found !== null) return found;
      }
      return null;
    } finally {
      ancestors.delete(value);
    }
  };
  return visit(input, []);
}

const BROKEN_TEXT =
  'contains a broken character (half of a UTF-16 surrogate pair), so it cannot be sent as it is.';

/** Maps anything thrown to an envelope error; only `AppError` messages are shown as they are. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof z.ZodError) {
    return { code: ErrorCode.InvalidInput, message: describeIssues(error) };
  }
  return {
    code: ErrorCode.Internal,
    message: `Something went wrong inside ModDeck: ${describeThrown(error)}`,
  };
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** "name: must not be empty; baseUrl: must be a https:// URL" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.map(String).join('.');
      return path === '' ? issue.message : `${path}: ${issue.message}`;
    })
    .join('; ');
}
