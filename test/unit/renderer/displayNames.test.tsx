import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
/** U+202E reverses what follows: drawn as it comes, this name reads "admin". */
const spoofer = { id: 'u-spoof', name: '\u202Enimda\u202C' };

/** The isolate (`<bdi>`) that holds exactly `text` inside `container`. */
function isolateWith(container: HTMLElement, text: string): HTMLElement {
  const found = [...container.querySelectorAll<HTMLElement>('bdi')].find(
    (element) => element.textContent === text,
  );
  if (!found) throw new Error(`no <bdi> with "${text}" in ${container.outerHTML}`);
  return found;
}

describe('chatters’ names', () => {
  beforeEach(resetStores);

  it('show without bidi controls, isolated, in the row and on the user card', async () => {
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'j1', user: spoofer, kind: 'join', text: '' }),
          chatEvent(A, { id: 'm1', user: spoofer, text: 'trust me' }),
        ],
      },
    ]);
    const user = userEvent.setup();
    renderDeck();

    const message = await findRow('m1', A);
    expect(isolateWith(message, 'nimda')).toHaveClass('row-user');
    expect(message.textContent).not.toMatch(BIDI_CONTROL);
    expect(message.getAttribute('aria-label')).toMatch(/^nimda, /);

    const join = await findRow('j1', A);
    expect(isolateWith(join, 'nimda').parentElement).toHaveTextContent(/^nimda joined$/);
    expect(join.textContent).not.toMatch(BIDI_CONTROL);

    await user.click(within(message).getByRole('button', { name: 'nimda' }));
    const card = await screen.findByRole('dialog', { name: 'nimda' });
    expect(isolateWith(card, 'nimda')).toBeInTheDocument();
    expect(card.textContent).not.toMatch(BIDI_CONTROL);
  });
});
