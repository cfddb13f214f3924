/**
 * A hold whose hide's outcome is unknown (the service may have hidden it): its row does not say the
 * message is still visible, and approving it goes to main, which shows it again.
 */
import { userEvent } from '@testing-library/user-event';
import { waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ChatEvent, Held } from '../../../src/shared/chat';
import { chatEvent, fakeDeck, findRow, renderDeck } from './deckHarness';

const A = 'acc/alpha';
const RAID = 'automod-raid';

function heldRow(id: string): HTMLElement {
  const found = document.querySelector<HTMLElement>(
    `section[data-column="held"] article[data-message-id="${id}"]`,
  );
  if (!found) throw new Error(`no held row for ${id}`);
  return found;
}

describe('a hold whose hide answered OUTCOME_UNKNOWN', () => {
  it('is not said to be visible, and approving it asks main to review it', async () => {
    const now = Date.now();
    // What main's HoldService.failed → FeedService.holdFailed leaves for a hide that timed out
    // after reaching the service: state unchanged (visible), held.failed = the error code.
    const hold: Held = {
      ruleId: RAID,
      reason: 'copy-paste raid',
      at: now - 60_000,
      failed: 'OUTCOME_UNKNOWN',
    };
    const unknown: ChatEvent = chatEvent(A, {
      id: 'maybe',
      text: 'FREE followers maybe',
      state: 'visible',
      flags: [{ ruleId: RAID, reason: 'copy-paste raid', severity: 'high' }],
      held: hold,
      receivedAt: now - 60_000,
    });
    const { bridge } = fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [unknown, chatEvent(A, { id: 'plain' })],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('plain', A);
    await waitFor(() => heldRow('maybe'));
    expect(heldRow('maybe').querySelector('.held-state')?.textContent).toBe(
      'The service did not answer whether it hid this: it may still be visible. Approve shows it again; deny deletes it.',
    );
    await user.click(heldRow('maybe'));
    await user.keyboard('a');
    await waitFor(() =>
      expect(
        bridge.calls.filter((call) =>
          ['messages.unhide', 'flagged.markHandled'].includes(call.channel),
        ),
      ).toHaveLength(1),
    );
    const sent = bridge.calls
      .filter((call) => ['messages.unhide', 'flagged.markHandled'].includes(call.channel))
      .map((call) => call.channel);
    // Main shows it again if its hide landed after all (moderation.markHandled).
    expect(sent).toEqual(['flagged.markHandled']);
  });
});
