import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../src/shared/model';
import { MAX_SCANNED_UNITS, compileRules } from '../../../src/shared/wordfilter';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

const rules = {
  global: [
    { id: 'r-bad', pattern: 'badword' },
    { id: 'r-re', pattern: 'sc[a@]m+', kind: 'regex' as const },
  ],
  rooms: { [A]: [{ id: 'r-room', pattern: 'spoiler' }] },
};

function deckWith(events: Parameters<typeof chatEvent>[1][], language: 'en' | 'ko' = 'en') {
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
    { rules: { ...defaultSettings().rules, ...rules }, language },
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

  it('shows a message longer than the word filter reads as over-long, marking only what it found', async () => {
    // The word filter's own flags: a hit before the cap, and the over-long flag for the rest.
    const text = `badword ${'x'.repeat(MAX_SCANNED_UNITS)} badword`;
    const flags = compileRules([...rules.global, ...rules.rooms[A]]).match(text);
    deckWith([{ id: 'long', text, flags }]);
    renderDeck();
    const message = await findRow('long', A);

    const badge = within(message).getByText('Over-long message');
    expect(badge).toHaveAttribute(
      'title',
      'Longer than 4,096 characters: only its start was checked against the word rules.',
    );
    expect(message).toHaveAccessibleName(/Flagged by rule: badword, Over-long message$/);
    expect(message).toHaveAttribute('data-flagged', 'true');
    // The word before the cap is marked; the unread rest is not, and nothing was found in it.
    expect(marks(message).map((mark) => mark.textContent)).toEqual(['badword']);
  });

  it('names the over-long flag in Korean', async () => {
    const text = 'x'.repeat(MAX_SCANNED_UNITS + 1);
    deckWith([{ id: 'long', text, flags: compileRules([]).match(text) }], 'ko');
    renderDeck();
    const message = await findRow('long', A);
    expect(within(message).getByText('너무 긴 메시지')).toHaveAttribute(
      'title',
      '4,096자보다 깁니다. 앞부분만 금지어 규칙으로 검사했습니다.',
    );
    expect(message).toHaveAccessibleName(/걸린 규칙: 너무 긴 메시지$/);
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
