import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatEvent } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import type { Account, Rule, Settings } from '../../../src/shared/model';
import { parseRuleList } from '../../../src/shared/wordfilter';
import { T0, chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';
const B = 'acc/beta';

/** Rules as an import would make them: the ids come from the text. */
function rules(text: string): Rule[] {
  return parseRuleList(text).rules;
}

function at(seconds: number): Pick<ChatEvent, 'createdAt' | 'receivedAt'> {
  return { createdAt: T0 + seconds * 1000, receivedAt: T0 + seconds * 1000 };
}

const flipflop: Account = {
  id: 'acc',
  provider: 'flipflop',
  name: 'Evening show',
  baseUrl: 'https://api.flipflop.example',
  appApiKey: 'key',
  hasSecret: true,
};

/**
 * Two rooms with buffered messages; "bad" is a global rule and flags what it matches. `alsoInAlpha`
 * adds messages to the first room, 40 s on.
 */
function deckWithRules(
  saved: Settings['rules'],
  handlers: Parameters<typeof fakeDeck>[1] = {},
  alsoInAlpha: Array<{ id: string; text: string }> = [],
) {
  const bad = saved.global.find((rule) => rule.pattern === 'bad');
  const flag = (text: string) =>
    bad && text.includes('bad')
      ? [{ ruleId: bad.id, start: text.indexOf('bad'), end: text.indexOf('bad') + 3 }]
      : [];
  const message = (roomKey: string, id: string, text: string, seconds: number) =>
    chatEvent(roomKey, {
      id,
      text,
      flags: flag(text),
      user: { id: `u-${id}`, name: `user-${id}` },
      ...at(seconds),
    });
  const deck = fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          message(A, 'a1', 'what a bad take', 10),
          message(A, 'a2', 'buy cheap sp4m here', 20),
          message(A, 'a3', 'hello everyone', 30),
          ...alsoInAlpha.map(({ id, text }) => message(A, id, text, 40)),
        ],
      },
      {
        accountId: 'acc',
        roomId: 'beta',
        name: 'Beta',
        events: [message(B, 'b1', 'SPAM SPAM', 15), message(B, 'b2', 'bad vibes', 25)],
      },
    ],
    {
      'accounts.list': () => ({ ok: true, value: [flipflop] }),
      ...handlers,
    },
    { rules: saved },
  );
  return deck;
}

async function openRuleEditor(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a3', A);
  await findRow('b2', B);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: 'Forbidden words' }));
  return screen.findByRole('tabpanel', { name: 'Forbidden words' });
}

function ruleLabels(panel: HTMLElement): string[] {
  return [...panel.querySelectorAll('.rule-list .rule-label')].map(
    (label) => label.textContent ?? '',
  );
}

function setCalls(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls
    .filter((call) => call.channel === 'settings.set')
    .map((call) => call.input as RequestInput<'settings.set'>)
    .filter((patch) => patch.rules !== undefined);
}

describe('the forbidden-word editor', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('exports the list as a plain-text file and imports it back to the same rules', async () => {
    const saved = rules('bad\nass!\n/b[a4]d+/\n/sc[a@]m/!\n\\#1 fan\nwow\\!\n');
    expect(saved).toHaveLength(6);
    const { bridge } = deckWithRules({ global: saved, rooms: {} });
    const downloads: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push({ name: this.download, blob: blobs.get(this.href) as Blob });
    });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    expect(ruleLabels(panel)).toEqual(['bad', 'ass', '/b[a4]d+/', '/sc[a@]m/', '#1 fan', 'wow!']);

    await user.click(within(panel).getByRole('button', { name: 'Export as a file' }));
    expect(downloads).toHaveLength(1);
    expect(downloads[0]?.name).toBe('moddeck-rules-global.txt');
    const exported = await downloads[0]!.blob.text();
    expect(exported).toBe('bad\nass!\n/b[a4]d+/\n/sc[a@]m/!\n\\#1 fan\nwow\\!\n');

    // Lose two rules, then bring the file back in place of the list.
    await user.click(within(panel).getByRole('button', { name: 'Delete rule bad' }));
    await user.click(within(panel).getByRole('button', { name: 'Delete rule /sc[a@]m/' }));
    expect(ruleLabels(panel)).toHaveLength(4);
    const file = new File([exported], 'moddeck-rules-global.txt', { type: 'text/plain' });
    await user.upload(within(panel).getByLabelText('Import from a file'), file);
    await waitFor(() =>
      expect(within(panel).getByLabelText('Or paste rules')).toHaveValue(exported),
    );
    await user.click(within(panel).getByRole('button', { name: 'Replace the list' }));
    expect(within(panel).getByText('6 rules added to the draft.')).toBeInTheDocument();
    expect(ruleLabels(panel)).toEqual(['bad', 'ass', '/b[a4]d+/', '/sc[a@]m/', '#1 fan', 'wow!']);
    // The same rules, ids and all: nothing to save.
    expect(within(panel).getByRole('button', { name: 'Save rules' })).toBeDisabled();
    expect(setCalls(bridge)).toEqual([]);
  });

  it('reports the lines that are not rules by number and imports the rest', async () => {
    deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    const paste = within(panel).getByLabelText('Or paste rules');
    await user.type(
      paste,
      'scam{Enter}/unclosed{Enter}{Enter}# a comment{Enter}/(?=a)b/{Enter}bad',
    );
    await user.click(within(panel).getByRole('button', { name: 'Add to the list' }));

    const report = within(panel)
      .getByText('1 rule added to the draft.')
      .closest('div') as HTMLElement;
    expect(
      within(report).getByText('2 lines are not rules and were left out:'),
    ).toBeInTheDocument();
    const lines = within(report)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^Line 2: a regex ends with \//);
    expect(lines[1]).toMatch(/^Line 5: lookarounds /);
    expect(ruleLabels(panel)).toEqual(['bad', 'scam']);
    // What could not be read stays in the box to be fixed.
    expect(paste).toHaveValue('scam\n/unclosed\n\n# a comment\n/(?=a)b/\nbad');
  });

  it('adds, edits and deletes rules in a draft, and saves the list', async () => {
    const { bridge } = deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    const add = within(panel).getByRole('form', { name: 'Add a rule' });

    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'bad');
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));
    expect(within(add).getByText('This rule is already in the list.')).toBeInTheDocument();

    await user.clear(within(add).getByLabelText('Word, phrase or pattern'));
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'kys(?!a)');
    await user.selectOptions(within(add).getByLabelText('Kind'), 'regex');
    expect(within(add).getByText(/^Not a valid rule: lookarounds /)).toBeInTheDocument();
    expect(within(add).getByRole('button', { name: 'Add rule' })).toBeDisabled();

    await user.clear(within(add).getByLabelText('Word, phrase or pattern'));
    // `[[` types one `[` (user-event reads `[` as the start of a key name).
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'sp[[a4]m');
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));
    expect(ruleLabels(panel)).toEqual(['bad', '/sp[a4]m/']);
    expect(within(panel).getByText('Unsaved changes')).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Edit rule bad' }));
    const edit = within(panel).getByRole('form', { name: 'Edit rule bad' });
    await user.clear(within(edit).getByLabelText('Word, phrase or pattern'));
    await user.type(within(edit).getByLabelText('Word, phrase or pattern'), 'badword');
    await user.click(within(edit).getByLabelText('Whole word only'));
    await user.click(within(edit).getByRole('button', { name: 'Update rule' }));
    expect(ruleLabels(panel)).toEqual(['badword', '/sp[a4]m/']);

    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    expect(await within(panel).findByText(/The rules are saved/)).toBeInTheDocument();
    expect(setCalls(bridge)).toEqual([
      { rules: { global: rules('badword!\n/sp[a4]m/\n'), rooms: {} } },
    ]);
    expect(within(panel).queryByText('Unsaved changes')).not.toBeInTheDocument();
  });

  it('explains a sample: the normalised form and each hit on the original text', async () => {
    deckWithRules({ global: rules('bad\nscam!\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    await user.type(within(panel).getByLabelText('Sample text'), 'so B4D, s c a m!');
    const result = within(panel).getByRole('status', { name: 'What the rules find' });
    expect(within(result).getByText('As read:').parentElement).toHaveTextContent(
      'As read: so ⚑bad ⚑scam',
    );
    const marks = [...result.querySelectorAll('p:first-child mark')].map(
      (mark) => mark.textContent,
    );
    expect(marks).toEqual(['B4D', 's c a m']);
    const hits = within(result)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
    expect(hits).toEqual([
      '“B4D” read as “bad”, matched by bad',
      '“s c a m” read as “scam”, matched by scam',
    ]);
  });

  it('says which letters a sample masked, and shows the reading it was found in', async () => {
    deckWithRules({ global: rules('bad\nbitch\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    await user.type(within(panel).getByLabelText('Sample text'), 'you b#tch');
    const result = within(panel).getByRole('status', { name: 'What the rules find' });
    expect(within(result).getByText('With masks as letters:').parentElement).toHaveTextContent(
      'With masks as letters: you ⚑b*tch',
    );
    const marks = [...result.querySelectorAll('p:first-child mark')].map(
      (mark) => mark.textContent,
    );
    expect(marks).toEqual(['b#tch']);
    expect(
      within(result)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['“b#tch” read as “b*tch”, matched by bitch; masked letters: “#” for “i”']);
  });

  it('finds a word a right-to-left override reverses, and says how it is displayed', async () => {
    deckWithRules({ global: rules('bad\nidiot\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    await user.type(within(panel).getByLabelText('Sample text'), 'you \u202etoidi\u202c');
    const result = within(panel).getByRole('status', { name: 'What the rules find' });
    expect(within(result).getByText('As displayed:').parentElement).toHaveTextContent(
      'As displayed: you ⚑idiot',
    );
    expect(
      within(result)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['“toidi” is displayed as “idiot”, matched by idiot']);
  });

  it('backtests a draft on the buffered messages: what it newly flags, what stays flagged, and what would stop being flagged, apart', async () => {
    const { bridge } = deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    // The draft drops "bad" and adds "spam" and "vibes".
    await user.click(within(panel).getByRole('button', { name: 'Delete rule bad' }));
    for (const word of ['spam', 'vibes']) {
      await user.type(within(panel).getByLabelText('Word, phrase or pattern'), word);
      await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    }
    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );

    const result = within(panel).getByRole('region', { name: 'Backtest result' });
    expect(result).toHaveTextContent(
      'Scanned 5 messages in 2 rooms: 2 newly flagged, 1 flagged already, 1 would no longer be flagged.',
    );
    const texts = (name: string) =>
      within(within(result).getByRole('list', { name }))
        .getAllByRole('listitem')
        .map((item) => ({
          room: item.querySelector('.row-room')?.textContent,
          marked: [...item.querySelectorAll('mark')].map((mark) => mark.textContent),
        }));
    expect(within(result).getByRole('heading', { name: 'Newly flagged (2)' })).toBeInTheDocument();
    expect(texts('Messages the list would newly flag')).toEqual([
      { room: 'Alpha', marked: ['sp4m'] },
      { room: 'Beta', marked: ['SPAM', 'SPAM'] },
    ]);
    expect(
      within(result).getByRole('heading', { name: 'Flagged already, still flagged (1)' }),
    ).toBeInTheDocument();
    expect(texts('Messages flagged today that the list still flags')).toEqual([
      { room: 'Beta', marked: ['vibes'] },
    ]);
    expect(texts('Messages that would no longer be flagged')).toEqual([
      { room: 'Alpha', marked: ['bad'] },
    ]);
    // A backtest saves nothing.
    expect(setCalls(bridge)).toEqual([]);

    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'hello');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    expect(
      within(panel).getByText('The list changed since this backtest; run it again.'),
    ).toBeInTheDocument();
  });

  it('backtests masked letters: the span as typed, and which letters were masked', async () => {
    deckWithRules({ global: rules('bad\n'), rooms: {} }, {}, [{ id: 'a4', text: 'you b#tch' }]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('a4', A);
    const panel = await openRuleEditor(user);

    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'bitch');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );

    const result = within(panel).getByRole('region', { name: 'Backtest result' });
    const [item] = within(
      within(result).getByRole('list', { name: 'Messages the list would newly flag' }),
    ).getAllByRole('listitem');
    expect([...item!.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['b#tch']);
    expect(item).toHaveTextContent('Masked letters: “#” for “i”');
  });

  it('marks a saved rule this version cannot run, and tries and backtests the list without it', async () => {
    // Saved by an earlier version, whose regex engine had lookaheads.
    const ahead: Rule = { id: 'r-ahead', pattern: 'sp[a4]m(?!x)', kind: 'regex' };
    const { bridge } = deckWithRules({ global: [...rules('bad\n'), ahead], rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);

    const items = within(panel).getAllByRole('listitem');
    expect(items.map((item) => item.querySelector('.badge-left-out')?.textContent ?? null)).toEqual(
      [null, expect.stringMatching(/^Not in use: lookarounds /) as string],
    );
    expect(items[1]!.querySelector('.badge-left-out')).toHaveAttribute(
      'title',
      'This version cannot run this rule, so messages are checked without it. Change it or delete it.',
    );

    await user.type(within(panel).getByLabelText('Sample text'), 'bad sp4m');
    const result = within(panel).getByRole('status', { name: 'What the rules find' });
    expect(
      within(result)
        .getAllByRole('listitem')
        .map((item) => item.textContent),
    ).toEqual(['“bad” read as “bad”, matched by bad']);

    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );
    expect(within(panel).getByRole('region', { name: 'Backtest result' })).toHaveTextContent(
      'Scanned 5 messages in 2 rooms: 0 newly flagged, 2 flagged already, 0 would no longer be flagged.',
    );

    // The rest of the list can still be changed and saved, the rule with it as it was.
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'hello');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    expect(await within(panel).findByText(/The rules are saved/)).toBeInTheDocument();
    expect(setCalls(bridge)).toEqual([
      { rules: { global: [...rules('bad\n'), ahead, ...rules('hello\n')], rooms: {} } },
    ]);
  });

  it('backtests a room’s own list with the global rules it adds to', async () => {
    deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    await user.selectOptions(within(panel).getByLabelText('List'), 'Room Beta');
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'vibes');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );
    // Only Beta's messages; "bad vibes" was flagged already (by the global "bad"): not new.
    expect(within(panel).getByRole('region', { name: 'Backtest result' })).toHaveTextContent(
      'Scanned 2 messages in 1 room: 0 newly flagged, 1 flagged already, 0 would no longer be flagged.',
    );
  });

  it('pushes the list’s plain words to a FlipFlop app’s banned words', async () => {
    const pushed: RequestInput<'bannedWords.set'>[] = [];
    deckWithRules(
      { global: rules('bad\nscam!\n/sp[a4]m/\n'), rooms: {} },
      {
        'bannedWords.set': (input) => {
          pushed.push(input);
          return { ok: true, value: { words: input.words } };
        },
      },
    );
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    expect(
      within(panel).getByText(
        '1 rule stays in ModDeck: FlipFlop takes plain words on the text only, with no allowed terms or exempt users.',
      ),
    ).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Send 2 words' }));
    expect(await within(panel).findByText('2 words sent to Evening show.')).toBeInTheDocument();
    expect(pushed).toEqual([{ accountId: 'acc', words: ['bad', 'scam'] }]);
  });

  it('keeps the draft and says why when main refuses to save it', async () => {
    deckWithRules(
      { global: rules('bad\n'), rooms: {} },
      {
        'settings.set': () => ({
          ok: false,
          error: { code: 'INVALID_INPUT', message: 'A word rule is not valid' },
        }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'scam');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'The rules were not saved: The request was not valid',
    );
    expect(ruleLabels(panel)).toEqual(['bad', 'scam']);
  });

  it('sets a rule’s severity in the form, shows it on the rule, and saves and exports it', async () => {
    const { bridge } = deckWithRules({ global: rules('bad\n'), rooms: {} });
    const downloads: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
      const url = `blob:test/${blobs.size}`;
      blobs.set(url, blob as Blob);
      return url;
    });
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined);
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement,
    ) {
      downloads.push({ name: this.download, blob: blobs.get(this.href) as Blob });
    });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'kys');
    await user.selectOptions(within(add).getByLabelText('Severity'), 'high');
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));
    // The form is ready for the next rule, at normal severity.
    expect(within(add).getByLabelText('Severity')).toHaveValue('normal');

    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    expect(await within(panel).findByText(/The rules are saved/)).toBeInTheDocument();
    // Only the severity changes: the list is unsaved again, and the rule keeps its id.
    await user.click(within(panel).getByRole('button', { name: 'Edit rule bad' }));
    const edit = within(panel).getByRole('form', { name: 'Edit rule bad' });
    expect(within(edit).getByLabelText('Severity')).toHaveValue('normal');
    await user.selectOptions(within(edit).getByLabelText('Severity'), 'low');
    await user.click(within(edit).getByRole('button', { name: 'Update rule' }));
    expect(within(panel).getByText('Unsaved changes')).toBeInTheDocument();
    const badges = [...panel.querySelectorAll('.rule-list .rule-item')].map((item) => [
      item.querySelector('.rule-label')?.textContent,
      item.querySelector('[class*="badge-severity"]')?.textContent ?? null,
    ]);
    expect(badges).toEqual([
      ['bad', 'Low severity'],
      ['kys', 'High severity'],
    ]);
    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(setCalls(bridge)).toHaveLength(2));
    const [bad] = rules('bad\n');
    const [kys] = rules('kys\n');
    expect(setCalls(bridge).map((patch) => patch.rules?.global)).toEqual([
      [bad, { ...kys, severity: 'high' }],
      [
        { ...bad, severity: 'low' },
        { ...kys, severity: 'high' },
      ],
    ]);

    await user.click(within(panel).getByRole('button', { name: 'Export as a file' }));
    expect(downloads.map((download) => download.name)).toEqual(['moddeck-rules-global.txt']);
    expect(await downloads[0]?.blob.text()).toBe('# severity: low\nbad\n# severity: high\nkys\n');
  });

  it('says which imported rules were already in the list, or twice in the text, and leaves them out', async () => {
    deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    await user.type(
      within(panel).getByLabelText('Or paste rules'),
      'bad{Enter}scam{Enter}scam!{Enter}scam',
    );
    await user.click(within(panel).getByRole('button', { name: 'Add to the list' }));
    const report = within(panel)
      .getByText('2 rules added to the draft.')
      .closest('div') as HTMLElement;
    expect(report).toHaveTextContent(
      '2 rules are already in the list and were left out: bad, scam',
    );
    expect(ruleLabels(panel)).toEqual(['bad', 'scam', 'scam']);
  });

  it('keeps a draft across sections and lists, and asks before leaving Settings with it unsaved', async () => {
    const { bridge } = deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    let panel = await openRuleEditor(user);
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'scam');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'half typ');

    await user.click(screen.getByRole('tab', { name: 'General' }));
    await user.click(screen.getByRole('tab', { name: 'Forbidden words' }));
    panel = await screen.findByRole('tabpanel', { name: 'Forbidden words' });
    await user.selectOptions(within(panel).getByLabelText('List'), 'Room Beta');
    await user.selectOptions(within(panel).getByLabelText('List'), 'Global (every room)');
    expect(ruleLabels(panel)).toEqual(['bad', 'scam']);
    expect(within(panel).getByLabelText('Word, phrase or pattern')).toHaveValue('half typ');

    await user.click(screen.getByRole('button', { name: 'Deck' }));
    let dialog = screen.getByRole('alertdialog', { name: 'Forbidden-word changes are not saved' });
    expect(dialog).toHaveTextContent('Not saved: Global (every room).');
    expect(within(dialog).getByRole('button', { name: 'Save and leave' })).toHaveFocus();
    // Tab goes round the question's three answers; Esc stays, with the focus back where it was.
    await user.tab();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Stay in Settings' })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole('button', { name: 'Save and leave' })).toHaveFocus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Deck' })).toHaveFocus();
    expect(ruleLabels(screen.getByRole('tabpanel', { name: 'Forbidden words' }))).toEqual([
      'bad',
      'scam',
    ]);

    await user.click(screen.getByRole('button', { name: 'Accounts' }));
    dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Save and leave' }));
    await waitFor(() => expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument());
    expect(screen.getByRole('button', { name: 'Accounts' })).toHaveAttribute(
      'aria-current',
      'page',
    );
    expect(setCalls(bridge)).toEqual([{ rules: { global: rules('bad\nscam\n'), rooms: {} } }]);

    // Saved: leaving again asks nothing.
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(screen.getByRole('button', { name: 'Deck' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('shows the message of a notification clicked while Settings asks about unsaved rules, once answered', async () => {
    const { bridge } = deckWithRules({ global: rules('bad\n'), rooms: {} });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    const panel = await openRuleEditor(user);
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'scam');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));

    act(() => bridge.emit('notification.open', { roomKey: A, id: 'a2' }));
    const dialog = screen.getByRole('alertdialog', {
      name: 'Forbidden-word changes are not saved',
    });
    await user.click(within(dialog).getByRole('button', { name: 'Discard and leave' }));
    const target = await findRow('a2', A);
    expect(target).toHaveClass('row-focused');
  });

  it('discards the draft when asked to, and stays with it when saving fails', async () => {
    deckWithRules(
      { global: rules('bad\n'), rooms: {} },
      {
        'settings.set': () => ({
          ok: false,
          error: { code: 'STORAGE', message: 'disk full' },
        }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    const panel = await openRuleEditor(user);
    await user.type(within(panel).getByLabelText('Word, phrase or pattern'), 'scam');
    await user.click(within(panel).getByRole('button', { name: 'Add rule' }));
    await user.click(screen.getByRole('button', { name: 'Deck' }));
    const dialog = screen.getByRole('alertdialog');
    await user.click(within(dialog).getByRole('button', { name: 'Save and leave' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /^Global \(every room\) was not saved: /,
    );
    expect(screen.getByRole('button', { name: 'Settings' })).toHaveAttribute(
      'aria-current',
      'page',
    );

    await user.click(within(dialog).getByRole('button', { name: 'Discard and leave' }));
    expect(screen.getByRole('button', { name: 'Deck' })).toHaveAttribute('aria-current', 'page');
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Forbidden words' }));
    expect(ruleLabels(await screen.findByRole('tabpanel', { name: 'Forbidden words' }))).toEqual([
      'bad',
    ]);
  });
});
