/** The rule configuration: its defaults, and bad parameters refused in words. */
import { describe, expect, it } from 'vitest';
import {
  AutomodConfigError,
  createAutomod,
  defaultAutomodConfig,
  parseAutomodConfig,
} from '../../../src/shared/automod';

function problems(input: unknown): string[] {
  try {
    parseAutomodConfig(input);
  } catch (error) {
    if (error instanceof AutomodConfigError) return error.problems;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('automod configuration', () => {
  it('has one rule of each detector, all flagging, with the documented defaults', () => {
    const config = defaultAutomodConfig();
    expect(config.rules.map((rule) => rule.kind)).toEqual([
      'repeats',
      'raid',
      'flood',
      'newChatters',
      'caps',
      'symbols',
      'links',
      'mentions',
      'length',
      'namePattern',
    ]);
    expect(config.rules.every((rule) => rule.action === 'flag' && rule.enabled)).toBe(true);
    const params = Object.fromEntries(config.rules.map((rule) => [rule.kind, rule.params]));
    expect(params['repeats']).toEqual({
      count: 3,
      windowMs: 30_000,
      similarity: 0.5,
      minShingles: 6,
      shortCount: 5,
    });
    expect(params['raid']).toMatchObject({
      users: 5,
      windowMs: 60_000,
      similarity: 0.4,
      minShingles: 16,
    });
    expect(params['flood']).toEqual({ messages: 5, windowMs: 3000 });
    expect(params['caps']).toEqual({ scope: 'text', minCapitals: 8, minShare: 0.7 });
    expect(params['symbols']).toEqual({ scope: 'text', minRun: 10 });
    expect(params['namePattern']).toEqual({ scope: 'name', patterns: [] });
    expect(config.limits).toEqual({
      maxRooms: 64,
      maxUsers: 10_000,
      recentPerRoom: 256,
      raidsPerRoom: 8,
    });
  });

  it('fills in what a rule leaves out', () => {
    const config = parseAutomodConfig({
      rules: [{ id: 'fast', kind: 'flood', params: { messages: 8 } }],
    });
    expect(config.rules[0]).toEqual({
      id: 'fast',
      kind: 'flood',
      enabled: true,
      action: 'flag',
      severity: 'medium',
      exemptUsers: [],
      params: { messages: 8, windowMs: 3000 },
    });
  });

  it.each([
    {
      name: 'a count below its minimum',
      rules: [{ id: 'r1', kind: 'repeats', params: { count: 1 } }],
      problem: /^rules\[0\] \(r1\)\.params\.count: .*>=2/,
    },
    {
      name: 'a similarity above 1',
      rules: [{ id: 'r1', kind: 'raid', params: { similarity: 1.5 } }],
      problem: /^rules\[0\] \(r1\)\.params\.similarity: .*<=1/,
    },
    {
      name: 'an unknown kind',
      rules: [{ id: 'r1', kind: 'vibes' }],
      problem: /^rules\[0\] \(r1\)\.kind: /,
    },
    {
      name: 'an unknown action',
      rules: [{ id: 'r1', kind: 'caps', action: 'ban' }],
      problem: /^rules\[0\] \(r1\)\.action: .*"flag"\|"hold"\|"hide"/,
    },
    {
      name: 'a domain with a scheme',
      rules: [{ id: 'l', kind: 'links', params: { allowedDomains: ['https://x.com'] } }],
      problem:
        'rules[0] (l).params.allowedDomains[0]: a domain is written like example.com (no scheme, no path)',
    },
    {
      name: 'a regex the word filter refuses',
      rules: [
        { id: 'n', kind: 'namePattern', params: { patterns: [{ pattern: '(a', kind: 'regex' }] } },
      ],
      problem: /^rules\[0\] \(n\)\.params\.patterns\[0\]: the regex does not compile/,
    },
    {
      name: 'a regex with a backreference',
      rules: [
        {
          id: 'n',
          kind: 'namePattern',
          params: { patterns: [{ pattern: '(a)\\1', kind: 'regex' }] },
        },
      ],
      problem: /^rules\[0\] \(n\)\.params\.patterns\[0\]: /,
    },
    {
      name: 'two rules with one id',
      rules: [
        { id: 'same', kind: 'caps' },
        { id: 'same', kind: 'links' },
      ],
      problem: 'rules[1] (same).id: the rule id "same" is used twice',
    },
  ])('refuses $name', ({ rules, problem }) => {
    const found = problems({ rules });
    expect(found).toHaveLength(1);
    if (typeof problem === 'string') expect(found[0]).toBe(problem);
    else expect(found[0]).toMatch(problem);
  });

  it('refuses a configuration that is not one, from createAutomod too', () => {
    expect(problems(null)).toHaveLength(1);
    expect(problems({ rules: [], limits: { maxUsers: 0 } })[0]).toMatch(/^limits\.maxUsers: /);
    expect(() => createAutomod({ rules: [{ id: '', kind: 'caps' }] })).toThrow(
      /Automod configuration: rules\[0\]\.id: Too small/,
    );
  });
});
