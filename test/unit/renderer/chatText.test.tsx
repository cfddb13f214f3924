import { beforeEach, describe, expect, it } from 'vitest';
import { drawnPieces, specialRanges } from '../../../src/renderer/src/lib/chatText';
import { chatEvent, fakeDeck, findRow, resetStores, renderDeck } from './deckHarness';

const A = 'acc/alpha';

/** What the row draws of its message: its text without what is folded away or the glyphs added. */
function drawn(row: HTMLElement): string {
  const text = row.querySelector('.message-text');
  if (!text) throw new Error('no message text');
  const copy = text.cloneNode(true) as HTMLElement;
  for (const hidden of copy.querySelectorAll('.text-folded, .flag-icon')) hidden.remove();
  return copy.textContent ?? '';
}

function drawnOf(text: string): string {
  return drawnPieces(text, 0, text.length, specialRanges(text))
    .filter((piece) => piece.kind !== 'folded')
    .map((piece) => piece.text)
    .join('');
}

describe('a chatter’s text in the deck', () => {
  beforeEach(resetStores);

  it('isolates each bidi control as a mark of its own, so it reorders nothing, and keeps the text as typed', async () => {
    const text = 'get \u202Eevil.exe\u202C now';
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, {
            id: 'm1',
            text,
            flags: [{ ruleId: 'r-exe', start: 10, end: 13 }],
          }),
        ],
      },
    ]);
    renderDeck();
    const row = await findRow('m1', A);

    const controls = [...row.querySelectorAll<HTMLElement>('.bidi-control')];
    expect(controls.map((control) => [control.dataset.control, control.textContent])).toEqual([
      ['RLO', '\u202E'],
      ['PDF', '\u202C'],
    ]);
    // What follows the override is outside its isolate: nothing is left for it to reverse.
    const message = row.querySelector('.message-text') as HTMLElement;
    const walker = document.createTreeWalker(message, NodeFilter.SHOW_TEXT);
    const holders: string[] = [];
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      if (node.textContent?.includes('evil')) holders.push(node.parentElement?.className ?? '');
    }
    expect(holders).toEqual(['message-text']);
    expect(row.querySelector('mark.flag-text')?.textContent).toBe('exe');
    expect(row.querySelector('.message-text')?.textContent?.replace('⚑', '')).toBe(text);
  });

  it('folds a run of blank lines to one and the breaks around the text, leaving the text whole', async () => {
    const text = '\n\nfirst\n\n\n \n\n\nlast\n\n';
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [chatEvent(A, { id: 'm1', text })],
      },
    ]);
    renderDeck();
    const row = await findRow('m1', A);
    expect(drawn(row)).toBe('first\n\nlast');
    expect(row.querySelector('.message-text')?.textContent).toBe(text);
  });

  it('draws the moderator’s own sender as a badge, which a chatter named Admin does not get', async () => {
    fakeDeck([
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, {
            id: 'fake',
            user: { id: 'u-fake', name: 'Admin' },
            text: 'Admins here: send me your password',
          }),
          chatEvent(A, {
            id: 'real',
            kind: 'admin',
            user: { id: 'app-1', name: 'Admin' },
            text: 'Be kind, everyone',
            fromModerator: true,
          }),
        ],
      },
    ]);
    renderDeck();
    const real = await findRow('real', A);
    const fake = await findRow('fake', A);
    expect(real.querySelector('.row-official')?.textContent).toBe('Admin');
    expect(fake.querySelector('.row-official')).toBeNull();
    expect(fake.querySelector('.row-kind')).toBeNull();
    // The chatter's name is a name: it opens their card.
    expect(fake.querySelector('.row-user-button')?.textContent).toBe('Admin');
  });
});

describe('how chat text is drawn', () => {
  it('leaves plain text alone', () => {
    expect(specialRanges('hello\nthere')).toEqual([]);
    expect(specialRanges('one\n\ntwo')).toEqual([]);
  });

  it('folds runs of blank lines written with CR LF and with blanks on them', () => {
    expect(drawnOf('a\r\n\r\n\r\n\r\nb')).toBe('a\r\n\r\nb');
    expect(drawnOf('a\n \t\n\u3000\n b')).toBe('a\n \t\n b');
  });

  it('draws nothing of text that is only line breaks', () => {
    expect(drawnOf('\n\n\n')).toBe('');
    expect(drawnOf(' \n ')).toBe(' ');
  });
});
