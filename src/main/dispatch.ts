/**
 * Turns the handler table into one function: (channel, raw input) → result envelope. It checks the
 * channel against the contract, validates the input and the output with the contract's schemas,
 * and maps anything thrown to `{ ok: false, error }` with its code and message redacted. Electron's
 * `ipc.ts` and the browser host both carry requests to it; neither knows any channel by name.
 */
import type { z } from 'zod';
import { describeUnknownName } from '../shared/channels';
import {
  isRequestChannel,
  requests,
  type RequestChannel,
  type RequestOutput,
  type Result,
} from '../shared/contract';
import { ErrorCode } from '../shared/errors';
import { describeIssues, thrownWords, toErrorInfo } from './errors';
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
  // The code too: a provider's code is the service's own text (FlipFlop's `errorCode`).
  function failure(code: string, message: string): Result<never> {
    return { ok: false, error: { code: redact(code), message: redact(message) } };
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
        log.error('request failed', { channel, error: thrownWords(error) });
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
 * The most values an input may hold, counted once per path that reaches them, as the walk below
 * and the schemas visit them. The largest input the app sends, a `settings.set` of the word rules,
 * holds about 5 values per rule: 50,000 for a full list of 10,000, 250,000 for that and four full
 * room lists. Electron's IPC keeps shared references, so a few dozen objects that each point twice
 * at the next are 2^depth paths: this is what keeps one such input from holding main for minutes.
 */
export const MAX_INPUT_VALUES = 1_000_000;

const TOO_LARGE = `The request holds more than ${MAX_INPUT_VALUES.toLocaleString('en')} values (one reached by two paths counts twice), far more than any request needs.`;

/** A problem `findIllFormed` found, with the keys from it up to the input, innermost first. */
interface Problem {
  what: string;
  keys: string[];
}

/**
 * Why a request's raw input cannot be handled whatever its channel, or null when it can: a string
 * (a value or a key, at any depth, inside fields the schema leaves open too) with a lone UTF-16
 * surrogate, which `encodeURIComponent` and the providers' encoders throw on; a value that contains
 * itself (structured clone carries cycles over IPC); nesting past `MAX_INPUT_DEPTH`; more than
 * `MAX_INPUT_VALUES` values.
 */
export function findIllFormed(input: unknown): string | null {
  const ancestors = new Set<object>();
  let values = 0;
  const visit = (value: unknown, depth: number): Problem | null => {
    values += 1;
    if (values > MAX_INPUT_VALUES) return { what: TOO_LARGE, keys: [] };
    if (typeof value === 'string') {
      return value.isWellFormed() ? null : { what: BROKEN_TEXT, keys: [] };
    }
    if (typeof value !== 'object' || value === null) return null;
    if (ancestors.has(value)) return { what: 'the value contains itself.', keys: [] };
    if (depth >= MAX_INPUT_DEPTH) {
      return { what: `nested more than ${MAX_INPUT_DEPTH} levels deep.`, keys: [] };
    }
    ancestors.add(value);
    try {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        if (!key.isWellFormed()) return { what: `a key ${BROKEN_TEXT}`, keys: [] };
        const found = visit(record[key], depth + 1);
        if (found !== null) {
          // The path is built only for the problem reported, on the way back up.
          found.keys.push(key);
          return found;
        }
      }
      return null;
    } finally {
      ancestors.delete(value);
    }
  };
  const found = visit(input, 0);
  if (found === null) return null;
  // Too many values is the whole input's problem, not the one where counting stopped.
  if (found.what === TOO_LARGE || found.keys.length === 0) return found.what;
  return `${found.keys.reverse().join('.')}: ${found.what}`;
}

const BROKEN_TEXT =
  'contains a broken character (half of a UTF-16 surrogate pair), so it cannot be sent as it is.';
