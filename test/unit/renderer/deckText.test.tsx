import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/shared/model';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

const rules = {
  global: [
    { id: 'r-bad', pattern: 'badword' },
    { id: 'r-re', pattern: 'sc[a@]m+', kind: 'regex' as const },
  ],
  rooms: { [A]: [{ id: 'r-room', pattern: 'spoiler' }] },
};

function deckWith(events: Parameters<typeof chatEvent>[1][]) {
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: events.map((overrides) => chatEvent(A, overrides)),
      },
    ],
    {},
    { rules: { ...defaultSettings().rules, ...rules } },
  );
}

function marks(element: HTMLElement): HTMLElement[] {
  return [...element.querySelectorAll<HTMLElement>('mark')];
}

describe('message text', () => {
  beforeEach(resetStores);

  it('highlights exactly the flagged characters and names the rule on hover', async () => {
    const text = 'you are a b4dw0rd, really';
    deckWith([{ id: 'm1', text, flags: [{ ruleId: 'r-bad', start: 10, end: 17 }] }]);
    renderDeck();
    const message = await findRow('m1', A);

    const found = marks(message);
    expect(found.map((mark) => mark.textContent)).toEqual(['b4dw0rd']);
    expect(found[0]).toHaveAttribute('title', 'Flagged by rule: badword');
    // A glyph marks the span as well as the colour, outside the highlighted characters.
    const glyph = found[0]?.previousElementSibling;
    expect(glyph).toHaveTextContent('⚑');
    expect(glyph).toHaveAttribute('aria-hidden', 'true');
    // Nothing added to or lost from the text itself.
    const shown = message.querySelector('.message-text');
    expect(shown?.textContent?.replace('⚑', '')).toBe(text);
    expect(message).toHaveAccessibleName(/Flagged by rule: badword$/);
    expect(message).toHaveAttribute('data-flagged', 'true');
  });

  it('marks several spans, room rules and regex rules, and shows an unknown rule by its id', async () => {
    const text = 'spoiler: scaam here and x';
    deckWith([
      {
        id: 'm1',
        text,
        flags: [
          { ruleId: 'r-room', start: 0, end: 7 },
          { ruleId: 'r-re', start: 9, end: 14 },
          { ruleId: 'r-gone', start: 24, end: 25 },
        ],
      },
    ]);
    renderDeck();
    const message = await findRow('m1', A);

    expect(marks(message).map((mark) => [mark.textContent, mark.title])).toEqual([
      ['spoiler', 'Flagged by rule: spoiler'],
      ['scaam', 'Flagged by rule: /sc[a@]m+/'],
      ['x', 'Flagged by rule: r-gone'],
    ]);
  });

  it('splits overlapping spans so each piece names every rule that covers it', async () => {
    deckWith([
      {
        id: 'm1',
        text: 'abcdef',
        flags: [
          { ruleId: 'r-bad', start: 0, end: 4 },
          { ruleId: 'r-room', start: 2, end: 6 },
        ],
      },
    ]);
    renderDeck();
    const message = await findRow('m1', A);
    expect(marks(message).map((mark) => [mark.textContent, mark.title])).toEqual([
      ['ab', 'Flagged by rule: badword'],
      ['cd', 'Flagged by rule: badword, spoiler'],
      ['ef', 'Flagged by rule: spoiler'],
    ]);
  });

  it('renders hostile chat text as inert text', async () => {
    const markup = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const bidi = 'abc\u202Edcba txt.exe';
    deckWith([
      { id: 'html', text: markup },
      { id: 'link', text: 'javascript:alert(1)' },
      { id: 'bidi', text: bidi, user: { id: 'u', name: '\u202Eevil' } },
    ]);
    renderDeck();
    const html = await findRow('html', A);

    expect(html.querySelector('.message-text')?.textContent).toBe(markup);
    expect(document.querySelector('img, script')).toBeNull();
    expect(within(column(A)).queryAllByRole('link')).toEqual([]);
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();

    // Bidi controls in the text stay inside its own isolated element; a name loses them.
    const bidiRow = await findRow('bidi', A);
    const isolated = bidiRow.querySelector('bdi.message-text');
    expect(isolated?.textContent).toBe(bidi);
    expect(bidiRow.querySelector('bdi.row-user')?.textContent).toBe('evil');
  });

  it('clamps a 10,000-character message until the moderator asks for all of it', async () => {
    const text = `${'lorem ipsum '.repeat(833)}1234`;
    expect(text).toHaveLength(10_000);
    deckWith([{ id: 'long', text }]);
    const user = userEvent.setup();
    renderDeck();
    const message = await findRow('long', A);

    expect(message.querySelector('.message-text')?.textContent).toBe(text);
    expect(message.querySelector('.row-text-clamped')).not.toBeNull();
    await user.click(within(message).getByRole('button', { name: 'Show all 10,000 characters' }));
    expect(message.querySelector('.row-text-clamped')).toBeNull();
    expect(within(message).getByRole('button', { name: 'Show less' })).toBeInTheDocument();
  });

  it('gives every row an accessible name with user, time, text and state', async () => {
    deckWith([
      { id: 'm1', text: 'hello there', user: { id: 'u1', name: 'alice' }, state: 'hidden' },
    ]);
    renderDeck();
    const message = await findRow('m1', A);
    expect(message).toHaveAccessibleName(/^alice, \d\d:\d\d:\d\d: hello there\. Hidden$/);
    expect(screen.queryAllByRole('log')).toEqual([]);
    expect(message.closest('[aria-live]')).toBeNull();
  });
});
