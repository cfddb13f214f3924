import { describe, expect, it } from 'vitest';
import { chatServerProblem } from '../../src/main/providers/flipflop/gossip';
import { HttpUrl, isLoopbackHost, secureUrlProblem, WsUrl } from '../../src/shared/model';

const WS = { secure: 'wss:', plain: 'ws:' };

describe('addresses ModDeck sends credentials to', () => {
  it('takes wss:// anywhere and ws:// only on this machine, without credentials', () => {
    for (const good of [
      'wss://chat.example.com/gossip',
      'ws://127.0.0.1:9000/gossip',
      'ws://127.8.9.10/gossip',
      'ws://localhost/gossip',
      'ws://[::1]:9000/gossip',
      'ws://127.1/gossip',
    ]) {
      expect(secureUrlProblem(good, WS), good).toBeNull();
    }
    const bad: Array<[string, string]> = [
      ['/gossip', 'not-a-url'],
      ['', 'not-a-url'],
      ['chat.example.com/gossip', 'not-a-url'],
      ['http://chat.example.com/gossip', 'scheme'],
      ['https://chat.example.com/gossip', 'scheme'],
      ['ws://chat.example.com/gossip', 'scheme'],
      ['ws://0.0.0.0/gossip', 'scheme'],
      ['ws://128.0.0.1/gossip', 'scheme'],
      ['ws://localhost.example.com/gossip', 'scheme'],
      ['javascript:alert(1)', 'scheme'],
      ['wss://moderator:hunter22@chat.example.com/gossip', 'credentials'],
      ['ws://token@127.0.0.1/gossip', 'credentials'],
    ];
    for (const [address, problem] of bad)
      expect(secureUrlProblem(address, WS), address).toBe(problem);
  });

  it('names the loopback hosts as URL writes them', () => {
    expect(['127.0.0.1', '127.255.0.9', 'localhost', '[::1]'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['10.0.0.1', '0.0.0.0', '::1', '127.0.0.1.example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });

  it('applies the same rule to account addresses', () => {
    expect(HttpUrl.safeParse('http://127.0.0.2:8080/').data).toBe('http://127.0.0.2:8080');
    expect(HttpUrl.safeParse('http://api.example.com').success).toBe(false);
    expect(WsUrl.safeParse('ws://user:pw@localhost/eventbus').success).toBe(false);
  });

  it('says in words what is wrong with a chat server address, without repeating it', () => {
    expect(chatServerProblem('wss://chat.example.com/gossip')).toBeNull();
    const words = chatServerProblem('wss://moderator:hunter22@chat.example.com/gossip');
    expect(words).toBe(
      'The chat server address FlipFlop gave has a user name or password in it, so ModDeck did not connect; it will ask for a new chat token and try again.',
    );
    expect(chatServerProblem('http://chat.example.com/gossip')).toContain(
      'is not a wss:// address',
    );
    expect(chatServerProblem('/gossip')).toContain('is not a full URL');
  });
});
