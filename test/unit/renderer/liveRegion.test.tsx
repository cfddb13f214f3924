import { act } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ANNOUNCE_INTERVAL_MS, useAnnouncer } from '../../../src/renderer/src/stores/announcer';
import { batchOf, chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

function region(): HTMLElement {
  const found = document.querySelector<HTMLElement>('[aria-live="polite"].announcer');
  if (!found) throw new Error('no live region');
  return found;
}

async function liveDeck() {
  const deck = fakeDeck([
    { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a0' })] },
  ]);
  renderDeck();
  await findRow('a0', A);
  return deck;
}

describe('the live region', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.useRealTimers();
  });

  it('is in the page from the start, polite, and not part of any feed', async () => {
    await liveDeck();
    expect(region()).toHaveAttribute('aria-atomic', 'true');
    expect(region()).toBeEmptyDOMElement();
    expect(region().closest('[role="feed"]')).toBeNull();
  });

  it('announces a flagged message with its room, user and text', async () => {
    const { bridge } = await liveDeck();
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, {
            id: 'a1',
            user: { id: 'u1', name: 'mallory' },
            text: 'you are bad',
            flags: [{ ruleId: 'r1', start: 8, end: 11 }],
          }),
        ]),
      ),
    );
    await findRow('a1', A);
    expect(region()).toHaveTextContent('Flagged in Alpha: mallory: you are bad');
  });

  it('announces a direct message to the moderator', async () => {
    const { bridge } = await liveDeck();
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, {
            id: 'dm1',
            kind: 'dm',
            user: { id: 'u2', name: 'trent' },
            text: 'someone is spamming',
            toModerator: true,
          }),
        ]),
      ),
    );
    await findRow('dm1', A);
    expect(region()).toHaveTextContent('Direct message from trent in Alpha: someone is spamming');
  });

  it('announces a first-time chatter raised to the Flagged queue, and not one only marked', async () => {
    const { bridge } = await liveDeck();
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, { id: 'f0', user: { id: 'u3', name: 'quiet' }, first: 'marked' }),
          chatEvent(A, {
            id: 'f1',
            user: { id: 'u4', name: 'peggy' },
            text: 'hi, new here',
            first: 'raised',
          }),
        ]),
      ),
    );
    await findRow('f1', A);
    // The raised one alone: the marked one is not counted in.
    expect(region().textContent).toBe('First message in Alpha: peggy: hi, new here');
  });

  it('says nothing of ordinary messages, nor of what the moderator sent', async () => {
    const { bridge } = await liveDeck();
    act(() =>
      bridge.emit(
        'feed.batch',
        batchOf([
          chatEvent(A, { id: 'a1', text: 'just chatting' }),
          chatEvent(A, { id: 'a2', kind: 'join', text: '' }),
          chatEvent(A, {
            id: 'a3',
            kind: 'dm',
            text: 'a word from the moderator',
            fromModerator: true,
            receivers: ['u1'],
          }),
        ]),
      ),
    );
    await findRow('a3', A);
    expect(region()).toBeEmptyDOMElement();
  });

  it('gathers what arrives close together into one announcement', () => {
    vi.useFakeTimers();
    const flagged = (id: string) =>
      chatEvent(A, { id, text: `bad ${id}`, flags: [{ ruleId: 'r1', start: 0, end: 3 }] });
    const { consider } = useAnnouncer.getState();

    consider([flagged('f1')]);
    expect(useAnnouncer.getState().current).toMatchObject({ count: 1, latest: { id: 'f1' } });

    consider([flagged('f2'), chatEvent(A, { id: 'plain' })]);
    consider([flagged('f3')]);
    // Still the first: the next waits for the interval.
    expect(useAnnouncer.getState().current).toMatchObject({ count: 1, latest: { id: 'f1' } });
    vi.advanceTimersByTime(ANNOUNCE_INTERVAL_MS);
    expect(useAnnouncer.getState().current).toMatchObject({ count: 2, latest: { id: 'f3' } });
  });
});
