/**
 * Fault injection shared by every emulated service. Dropping connections and expiring tokens
 * happen once, when asked; refusing connections, failing REST calls and added latency persist
 * until cleared (refusing also ends by itself after its duration).
 */
import { HttpError } from './http';
import type { Random } from './random';

export interface RestFailure {
  /** Share of emulated REST calls that fail, 0..1. */
  rate: number;
  /** 500 and 503: the service failed; 429: it refuses more calls for now (a rate limit). */
  status: 500 | 503 | 429;
  /** Sent as the failures' `Retry-After` header (whole seconds), when given. */
  retryAfterSeconds?: number;
}

/** The longest `retryAfterSeconds` a fault may ask for: an hour. */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** The body of `POST /__sandbox/faults`. */
export interface FaultRequest {
  dropConnections?: boolean;
  refuseConnectionsForMs?: number;
  restFailure?: RestFailure;
  latencyMs?: number;
  expireTokens?: boolean;
  silenceConnections?: boolean;
}

/** What `GET /__sandbox/faults` shows. */
export interface FaultView {
  refuseConnectionsUntil: string | null;
  restFailure: RestFailure | null;
  latencyMs: number;
}

/** What a fault does to the services; each emulated service registers its part. */
export interface FaultTargets {
  dropConnections(): void;
  expireTokens(): void;
  /** Open live connections go silent without closing (a network path that died). */
  silenceConnections(): void;
}

const FAULT_KEYS = new Set([
  'dropConnections',
  'refuseConnectionsForMs',
  'restFailure',
  'latencyMs',
  'expireTokens',
  'silenceConnections',
]);

/** Validates a fault request body; answers 400 `INVALID_FAULT` with the reason otherwise. */
export function parseFaultRequest(body: Record<string, unknown> | null): FaultRequest {
  const invalid = (why: string) => new HttpError(400, 'INVALID_FAULT', why);
  if (body === null || Object.keys(body).length === 0) throw invalid('Name at least one fault.');
  for (const key of Object.keys(body)) {
    if (!FAULT_KEYS.has(key)) throw invalid(`Unknown fault "${key}".`);
  }
  const request: FaultRequest = {};
  for (const key of ['dropConnections', 'expireTokens', 'silenceConnections'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'boolean') throw invalid(`${key} must be true or false.`);
    request[key] = value;
  }
  for (const key of ['refuseConnectionsForMs', 'latencyMs'] as const) {
    const value = body[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw invalid(`${key} must be a number of milliseconds, 0 or more.`);
    }
    request[key] = value;
  }
  const failure = body['restFailure'];
  if (failure !== undefined) {
    if (typeof failure !== 'object' || failure === null || Array.isArray(failure)) {
      throw invalid('restFailure must be { rate, status, retryAfterSeconds? }.');
    }
    const { rate, status, retryAfterSeconds, ...unknown } = failure as Record<string, unknown>;
    const extra = Object.keys(unknown)[0];
    if (extra !== undefined) throw invalid(`Unknown restFailure field "${extra}".`);
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw invalid('restFailure.rate must be a number from 0 to 1.');
    }
    if (status !== 500 && status !== 503 && status !== 429) {
      throw invalid('restFailure.status must be 500, 503 or 429.');
    }
    if (
      retryAfterSeconds !== undefined &&
      (typeof retryAfterSeconds !== 'number' ||
        !Number.isInteger(retryAfterSeconds) ||
        retryAfterSeconds < 0 ||
        retryAfterSeconds > MAX_RETRY_AFTER_SECONDS)
    ) {
      throw invalid(
        `restFailure.retryAfterSeconds must be a whole number of seconds from 0 to ${MAX_RETRY_AFTER_SECONDS}.`,
      );
    }
    request.restFailure = {
      rate,
      status,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  }
  return request;
}

export class Faults {
  private refuseUntil = 0;
  private restFailure: RestFailure | null = null;
  private latency = 0;

  constructor(
    private readonly random: Random,
    private readonly now: () => number = Date.now,
  ) {}

  apply(request: FaultRequest, targets: FaultTargets): void {
    if (request.refuseConnectionsForMs !== undefined) {
      this.refuseUntil = this.now() + request.refuseConnectionsForMs;
    }
    if (request.restFailure !== undefined) {
      this.restFailure = request.restFailure.rate > 0 ? request.restFailure : null;
    }
    if (request.latencyMs !== undefined) this.latency = request.latencyMs;
    if (request.dropConnections === true) targets.dropConnections();
    if (request.expireTokens === true) targets.expireTokens();
    if (request.silenceConnections === true) targets.silenceConnections();
  }

  clear(): void {
    this.refuseUntil = 0;
    this.restFailure = null;
    this.latency = 0;
  }

  refusingConnections(): boolean {
    return this.now() < this.refuseUntil;
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** How this emulated REST call should fail, or null to let it through. */
  rollRestFailure(): RestFailure | null {
    if (this.restFailure === null) return null;
    return this.random.next() < this.restFailure.rate ? this.restFailure : null;
  }

  view(): FaultView {
    return {
      refuseConnectionsUntil: this.refusingConnections()
        ? new Date(this.refuseUntil).toISOString()
        : null,
      restFailure: this.restFailure,
      latencyMs: this.latency,
    };
  }
}
