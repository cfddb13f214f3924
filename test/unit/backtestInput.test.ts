/** `history.backtestDetector`'s input: the rule through automod's parser, the window bounded. */
import { describe, expect, it } from 'vitest';
import { createDispatcher, type HandlerInput, type HandlerTable } from '../../src/main/dispatch';
import { silentLogger } from '../../src/main/logger';
import { REQUEST_CHANNELS } from '../../src/shared/contract';

function dispatcher() {
  const received: Array<HandlerInput<'history.backtestDetector'>> = [];
  const fail = () => {
    throw new Error('not part of this test');
  };
  const backtest: Partial<HandlerTable> = {
    'history.backtestDetector': (input) => {
      received.push(input);
      return { scanned: 0, flagged: 0, hits: [], from: null, to: null, hours: 1, maxMessages: 1 };
    },
  };
  const handlers = {
    ...Object.fromEntries(REQUEST_CHANNELS.map((channel) => [channel, fail])),
    ...backtest,
  } as HandlerTable;
  return {
    dispatch: createDispatcher({ handlers, redact: (text) => text, log: silentLogger }),
    received,
  };
}

describe('a detector backtest’s input', () => {
  it('refuses a bad rule or window with a sentence that names it, and never runs the backtest', async () => {
    const { dispatch, received } = dispatcher();
    const refusals: Array<[unknown, string]> = [
      [{}, 'rule: Invalid input: expected object, received undefined'],
      [{ rule: 'caps' }, 'rule: Invalid input: expected object, received string'],
      [
        { rule: { id: 'x', kind: 'spam' } },
        "rule: (x) kind: Invalid discriminator value. Expected 'repeats' | 'raid' | 'flood' | 'newChatters' | 'caps' | 'symbols' | 'links' | 'mentions' | 'length' | 'namePattern'",
      ],
      [
        { rule: { id: 'f', kind: 'flood', params: { messages: 0 } } },
        'rule: (f) params.messages: Too small: expected number to be >=2',
      ],
      [
        { rule: { id: 'c', kind: 'caps' }, hours: 0 },
        'hours: Too small: expected number to be >=1',
      ],
      [
        { rule: { id: 'c', kind: 'caps' }, hours: 169, maxMessages: 200_001 },
        'hours: Too big: expected number to be <=168; maxMessages: Too big: expected number to be <=200000',
      ],
      [
        { rule: { id: 'c', kind: 'caps' }, maxMessages: 2.5 },
        'maxMessages: Invalid input: expected int, received number',
      ],
    ];
    for (const [input, message] of refusals) {
      expect(await dispatch('history.backtestDetector', input)).toEqual({
        ok: false,
        error: { code: 'INVALID_INPUT', message },
      });
    }
    expect(received).toEqual([]);
  });

  it('hands the handler the rule as automod fills it in, and the last 24 h up to 200,000 messages by default', async () => {
    const { dispatch, received } = dispatcher();
    const result = await dispatch('history.backtestDetector', {
      rule: { id: 'automod-flood', kind: 'flood', params: { messages: 5 }, enabled: false },
    });
    expect(result.ok).toBe(true);
    expect(received).toEqual([
      {
        rule: {
          id: 'automod-flood',
          kind: 'flood',
          enabled: false,
          action: 'flag',
          severity: 'medium',
          exemptUsers: [],
          params: { messages: 5, windowMs: expect.any(Number) as unknown },
        },
        hours: 24,
        maxMessages: 200_000,
      },
    ]);
  });
});
