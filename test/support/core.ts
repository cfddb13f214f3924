import type { RequestChannel, RequestOutput, Result } from '../../src/shared/contract';
import { createCore, type Core } from '../../src/main/core';
import { silentLogger } from '../../src/main/logger';
import { Redactor } from '../../src/main/services/redactor';
import { MemorySecretStore, type SecretStore } from '../../src/main/services/secrets';

export interface TestCore {
  core: Core;
  secrets: SecretStore;
  redactor: Redactor;
}

/** The real core on a real folder, with secrets in memory. */
export async function buildTestCore(
  userDataDir: string,
  secrets: SecretStore = new MemorySecretStore(),
): Promise<TestCore> {
  const redactor = new Redactor();
  const core = await createCore({
    userDataDir,
    secretStore: secrets,
    redactor,
    log: silentLogger,
    app: { name: 'ModDeck', version: '0.0.0-test', platform: 'test' },
  });
  return { core, secrets, redactor };
}

/** Calls a channel through the core's dispatcher, typed by the contract. */
export function call<C extends RequestChannel>(
  core: Core,
  channel: C,
  input?: unknown,
): Promise<Result<RequestOutput<C>>> {
  return core.dispatch(channel, input) as Promise<Result<RequestOutput<C>>>;
}

/** Asserts a result is ok and returns its value. */
export function valueOf<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}
