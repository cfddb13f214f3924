import { describe, expect, it } from 'vitest';
import { testConnection } from '../../src/main/services/accounts/connectionTest';
import { Redactor } from '../../src/main/services/accounts/redactor';
import { AppError } from '../../src/shared/errors';

describe('the connection test', () => {
  it('says one room in the singular', async () => {
    const answer = await testConnection(
      { listRooms: () => Promise.resolve([{} as never]) },
      (text) => text,
    );
    expect(answer).toEqual({ ok: true, message: 'Connected: 1 room', roomCount: 1 });
  });

  it('redacts a secret the provider echoed in its error', async () => {
    const redactor = new Redactor();
    redactor.add('hunter2-secret');
    const answer = await testConnection(
      {
        listRooms: () =>
          Promise.reject(new AppError('AUTH', 'the service said: bad secret hunter2-secret')),
      },
      (text) => redactor.redact(text),
    );
    expect(answer.ok).toBe(false);
    expect(answer.code).toBe('AUTH');
    expect(answer.message).toMatch(/^the service said: bad secret /);
    expect(answer.message).not.toContain('hunter2-secret');
  });
});
