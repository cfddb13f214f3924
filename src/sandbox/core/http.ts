/**
 * The small HTTP toolkit every emulated service and the control API share: a path router with
 * `{name}` parameters, JSON answers, JSON bodies, and errors that carry a status and a code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that becomes an HTTP answer `{ errorCode, errorMessage }` with this status. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    /** Headers the answer carries besides its content type (e.g. `retry-after`). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export interface RequestContext {
  request: IncomingMessage;
  response: ServerResponse;
  url: URL;
  /** Path parameters by name, already percent-decoded. */
  params: Record<string, string>;
}

export type RouteHandler = (context: RequestContext) => Promise<void> | void;

interface Route {
  method: string;
  segments: string[];
  handler: RouteHandler;
}

export type RouteMatch =
  | { kind: 'found'; handler: RouteHandler; params: Record<string, string> }
  | { kind: 'wrongMethod' }
  | { kind: 'notFound' };

/** Routes `METHOD /a/{b}/c` patterns; a segment in braces matches any one path segment. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: RouteHandler): this {
    this.routes.push({ method, segments: splitPath(pattern), handler });
    return this;
  }

  match(method: string, pathname: string): RouteMatch {
    const segments = splitPath(pathname);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = matchSegments(route.segments, segments);
      if (params === null) continue;
      if (route.method !== method) {
        pathMatched = true;
        continue;
      }
      return { kind: 'found', handler: route.handler, params };
    }
    return pathMatched ? { kind: 'wrongMethod' } : { kind: 'notFound' };
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

function matchSegments(pattern: string[], path: string[]): Record<string, string> | null {
  if (pattern.length !== path.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < pattern.length; index += 1) {
    const expected = pattern[index] ?? '';
    const actual = path[index] ?? '';
    if (expected.startsWith('{') && expected.endsWith('}')) {
      let decoded: string;
      try {
        decoded = decodeURIComponent(actual);
      } catch {
        return null;
      }
      params[expected.slice(1, -1)] = decoded;
    } else if (expected !== actual) {
      return null;
    }
  }
  return params;
}

export function sendJson(
  response: ServerResponse,
  status: number,
  value: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  sendJsonText(response, status, JSON.stringify(value), headers);
}

/** For answers whose JSON is written by hand (19-digit numbers that JSON.stringify would round). */
export function sendJsonText(
  response: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

export function sendNoContent(response: ServerResponse): void {
  response.writeHead(204);
  response.end();
}

export function sendError(response: ServerResponse, error: HttpError): void {
  sendJson(
    response,
    error.status,
    { errorCode: error.errorCode, errorMessage: error.message },
    error.headers,
  );
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Bodies the server read before handing the request on (`receiveBody`); `null`: too large. */
const received = new WeakMap<IncomingMessage, Buffer | null>();

/**
 * Reads the whole body now, for `readBodyText` to find later. A service reads a request in full
 * before it is slow to act on it, so a client that stops waiting (a latency fault) does not stop
 * the call; read after the client has gone, the body would be lost with its socket.
 */
export async function receiveBody(request: IncomingMessage): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        received.set(request, null);
        request.resume();
        return;
      }
      chunks.push(chunk);
    }
  } catch {
    // The client went away before it finished sending: the handler finds out when it reads.
    return;
  }
  received.set(request, Buffer.concat(chunks));
}

/** The raw request body as text; refuses bodies over 1 MiB. */
export async function readBodyText(request: IncomingMessage, invalidCode: string): Promise<string> {
  const early = received.get(request);
  if (early === null) {
    throw new HttpError(400, invalidCode, 'The request body is larger than 1 MiB.');
  }
  if (early !== undefined) return early.toString('utf8');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(400, invalidCode, 'The request body is larger than 1 MiB.');
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The body parsed as a JSON object. An empty body gives `null` (some endpoints take none, and the
 * documents' curl examples send `-d ''`); anything else that is not a JSON object is refused with
 * `invalidCode`.
 */
export async function readJsonObject(
  request: IncomingMessage,
  invalidCode: string,
): Promise<Record<string, unknown> | null> {
  const text = await readBodyText(request, invalidCode);
  if (text.trim() === '') return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new HttpError(400, invalidCode, 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HttpError(400, invalidCode, 'The request body must be a JSON object.');
  }
  return value as Record<string, unknown>;
}

/** The body of a control API's `PUT …/rate`: `{ perSecond }`, a number, 0 or more. */
export async function readRate(request: IncomingMessage, invalidCode: string): Promise<number> {
  const perSecond = (await readJsonObject(request, invalidCode))?.['perSecond'];
  if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond < 0) {
    throw new HttpError(400, invalidCode, 'perSecond must be a number, 0 or more.');
  }
  return perSecond;
}
