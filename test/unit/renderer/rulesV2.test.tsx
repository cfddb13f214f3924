/**
 * Rules, version 2, in the editor: a word rule's action, allowed terms, exempt users and scope;
 * the version 2 file with automod's detector rules; a detector's parameters with their defaults
 * and anchors; and the detector backtest over the buffered messages.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultAutomodConfig } from '../../../src/shared/automod';
import type { ChatEvent } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import type { Account } from '../../../src/shared/model';
import { formatRuleFile } from '../../../src/shared/ruleFile';
import { parseRuleList } from '../../../src/shared/wordfilter';
import { T0, chatEvent, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';
const V = 'vcc/village';

const FLIPFLOP: Account = {
  id: 'acc',
  provider: 'flipflop',
  name: 'Evening show',
  baseUrl: 'https://api.flipflop.example',
  appApiKey: 'key',
  hasSecret: true,
};
const VILLAGE: Account = {
  id: 'vcc',
  provider: 'vchatcloud',
  name: 'Village',
  baseUrl: 'https://vchatcloud.example',
  eventbusUrl: 'wss://vchatcloud.example/eventbus/websocket',
  moderator: { clientKey: 'moderator', nickName: 'Mod' },
  hasSecret: true,
};

const SPAM = 'buy cheap followers at followerz dot shop now';

function message(roomKey: string, id: string, userId: string, text: string, seconds: number) {
  return chatEvent(roomKey, {
    id,
    text,
    user: { id: userId, name: `${userId}-name` },
    createdAt: T0 + seconds * 1000,
    receivedAt: T0 + seconds * 1000,
  });
}

/** A FlipFlop room where one chatter repeats a line, and a VChatCloud room. */
function deck(
  accounts: Account[] = [FLIPFLOP],
  rules = parseRuleList('bad\n').rules,
  handlers: Parameters<typeof fakeDeck>[1] = {},
) {
  const alpha: ChatEvent[] = [
    message(A, 'a1', 'spammer', SPAM, 1),
    message(A, 'a2', 'fan', 'gg', 2),
    message(A, 'a3', 'spammer', `${SPAM}!!`, 3),
    message(A, 'a4', 'spammer', `BUY ${SPAM.slice(4)}`, 4),
    message(A, 'a5', 'fan', 'what a game', 5),
  ];
  return fakeDeck(
    [
      { accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: alpha },
      {
        accountId: 'vcc',
        roomId: 'village',
        name: 'Village',
        events: [message(V, 'v1', 'other', 'hello', 2)],
      },
    ],
    { 'accounts.list': () => ({ ok: true, value: accounts }), ...handlers },
    { rules: { global: rules, rooms: {} } },
  );
}

function patches(bridge: { calls: Array<{ channel: string; input: unknown }> }) {
  return bridge.calls
    .filter((call) => call.channel === 'settings.set')
    .map((call) => call.input as RequestInput<'settings.set'>)
    .filter((patch) => patch.layout === undefined);
}

async function openTab(user: ReturnType<typeof userEvent.setup>, tab: string) {
  await findRow('a5', A);
  await user.click(screen.getByRole('button', { name: 'Settings' }));
  await user.click(await screen.findByRole('tab', { name: tab }));
  return screen.findByRole('tabpanel', { name: tab });
}

describe('word rules v2 in the editor', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('sets a rule’s action, allowed terms, exempt users and scope, shows them, and saves them', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'ass');
    await user.type(within(add).getByLabelText('Allowed terms'), 'assistant, class');
    await user.type(within(add).getByLabelText('Exempt users'), 'u1,Mina');
    await user.selectOptions(within(add).getByLabelText('Looks at'), 'both');
    expect(within(add).queryByText(/puts it in the Held column/)).toBeNull();
    await user.selectOptions(within(add).getByLabelText('Action'), 'hide');
    // Hold and hide act now: the hint says what each does.
    expect(
      within(add).getByText(/Hold hides a match at once and puts it in the Held column/),
    ).toBeInTheDocument();
    expect(within(add).queryByText(/for now/)).toBeNull();
    // Only FlipFlop here: it can hide, so nothing more is said.
    expect(within(add).queryByText(/cannot hide/)).toBeNull();
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));

    const item = panel.querySelector('.rule-list .rule-item:nth-child(2)') as HTMLElement;
    expect(item.querySelector('.rule-label')?.textContent).toBe('ass');
    expect([...item.querySelectorAll('.badge')].map((badge) => badge.textContent)).toEqual(
      expect.arrayContaining(['Hide', 'Text and name', '2 allowed terms', '2 exempt users']),
    );
    // The backtest says what it leaves out.
    expect(
      within(panel).getByText(/The backtest reads chatters’ display names too/),
    ).toBeInTheDocument();
    await user.click(within(panel).getByRole('button', { name: 'Save rules' }));
    await waitFor(() => expect(patches(bridge)).toHaveLength(1));
    const saved = patches(bridge)[0]?.rules?.global?.[1];
    expect(saved).toMatchObject({
      pattern: 'ass',
      action: 'hide',
      exceptions: ['assistant', 'class'],
      exemptUsers: ['u1', 'Mina'],
      scope: 'both',
    });
    expect(saved?.id).toBe(parseRuleList('ass\n').rules[0]?.id);

    // The edit form opens with the rule's fields.
    await user.click(within(panel).getByRole('button', { name: 'Edit rule ass' }));
    const edit = within(panel).getByRole('form', { name: 'Edit rule ass' });
    expect(within(edit).getByLabelText('Allowed terms')).toHaveValue('assistant, class');
    expect(within(edit).getByLabelText('Looks at')).toHaveValue('both');
    expect(within(edit).getByLabelText('Action')).toHaveValue('hide');
  });

  it('backtests a word rule without the users it exempts', async () => {
    deck([FLIPFLOP], []);
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'followers');
    await user.type(within(add).getByLabelText('Exempt users'), 'SPAMMER');
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));
    const run = within(panel).getByRole('button', { name: 'Backtest against buffered messages' });
    const summary = () =>
      within(within(panel).getByRole('region', { name: 'Backtest result' })).getByRole('status')
        .textContent;
    await user.click(run);
    expect(summary()).toMatch(/: 0 newly flagged/);

    await user.click(within(panel).getByRole('button', { name: 'Edit rule followers' }));
    const edit = within(panel).getByRole('form', { name: 'Edit rule followers' });
    await user.clear(within(edit).getByLabelText('Exempt users'));
    await user.click(within(edit).getByRole('button', { name: 'Update rule' }));
    await user.click(run);
    expect(summary()).toMatch(/: 3 newly flagged/);
  });

  it('backtests a rule on names against chatters’ display names and marks the name it matches', async () => {
    fakeDeck(
      [
        {
          accountId: 'acc',
          roomId: 'alpha',
          name: 'Alpha',
          events: [
            chatEvent(A, { id: 'n1', text: 'hello all', user: { id: 'bot', name: 'xXScamKing' } }),
            // The moderator's own message: main reads no name of it.
            chatEvent(A, {
              id: 'n2',
              text: 'be nice',
              user: { id: 'moderator', name: 'scam patrol' },
              fromModerator: true,
            }),
            chatEvent(A, { id: 'n3', text: 'what a scam', user: { id: 'fan', name: 'Fan' } }),
          ],
        },
      ],
      { 'accounts.list': () => ({ ok: true, value: [FLIPFLOP] }) },
      { rules: { global: [], rooms: {} } },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('n3', A);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Forbidden words' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Forbidden words' });
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'scam');
    await user.selectOptions(within(add).getByLabelText('Looks at'), 'name');
    await user.click(within(add).getByRole('button', { name: 'Add rule' }));
    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );
    const result = within(panel).getByRole('region', { name: 'Backtest result' });
    expect(within(result).getByRole('status').textContent).toMatch(/: 1 newly flagged/);
    const rows = within(
      within(result).getByRole('list', { name: 'Messages the list would newly flag' }),
    ).getAllByRole('listitem');
    expect(rows.map((row) => row.getAttribute('data-message-id'))).toEqual(['n1']);
    const name = rows[0]!.querySelector('.backtest-name-hit') as HTMLElement;
    expect(within(name).getByText('Name')).toHaveClass('badge');
    // The name as written, its matched span marked (after the flag glyph).
    expect(name.textContent).toBe('Name xX⚑ScamKing');
    expect([...name.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['Scam']);
    // The text is not marked: the rule reads names only.
    expect(rows[0]!.querySelectorAll('mark')).toHaveLength(1);
  });

  it('says where a service cannot hide that hold and hide only flag', async () => {
    deck([FLIPFLOP, VILLAGE]);
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.selectOptions(within(add).getByLabelText('Action'), 'hold');
    expect(
      within(add).getByText(/VChatCloud cannot hide messages: in its rooms this rule only flags/),
    ).toBeInTheDocument();
  });

  it('refuses an allowed term with nothing to match', async () => {
    deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const add = within(panel).getByRole('form', { name: 'Add a rule' });
    await user.type(within(add).getByLabelText('Word, phrase or pattern'), 'ass');
    await user.type(within(add).getByLabelText('Allowed terms'), '!!');
    expect(
      within(add).getByText(/an allowed term has no letters or digits to match/),
    ).toBeInTheDocument();
    expect(within(add).getByRole('button', { name: 'Add rule' })).toBeDisabled();
  });

  it('imports a version 2 file: word rules into the draft, detector rules saved', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const automod = defaultAutomodConfig().rules.map((rule) =>
      rule.kind === 'flood' ? { ...rule, params: { messages: 7, windowMs: 4000 } } : rule,
    );
    const file = formatRuleFile(
      [{ id: 'x', pattern: 'scam', kind: 'term', exceptions: ['scampi'], scope: 'name' }],
      automod,
    );
    const paste = within(panel).getByLabelText('Or paste rules');
    await user.click(paste);
    await user.paste(file);
    await user.click(within(panel).getByRole('button', { name: 'Add to the list' }));
    // Reported once main has saved the detector rules.
    expect(await within(panel).findByText('1 rule added to the draft.')).toBeInTheDocument();
    expect(
      within(panel).getByText('10 automod detector rules taken and saved.'),
    ).toBeInTheDocument();
    await waitFor(() =>
      expect(
        patches(bridge)
          .at(-1)
          ?.automod?.config.rules?.find((rule) => rule.kind === 'flood')?.params,
      ).toEqual({ messages: 7, windowMs: 4000 }),
    );
    const item = panel.querySelector('.rule-list .rule-item:nth-child(2)') as HTMLElement;
    expect(item.textContent).toContain('Display name');

    await user.clear(paste);
    await user.paste('{ "version": 3 }');
    await user.click(within(panel).getByRole('button', { name: 'Add to the list' }));
    expect(within(panel).getByRole('alert').textContent).toBe(
      'Nothing was imported. The file cannot be imported: it says version 3; ModDeck reads versions 1 and 2.',
    );
  });
  it('says a file’s detector rules were not saved when main refuses them', async () => {
    const { bridge } = deck([FLIPFLOP], parseRuleList('bad\n').rules, {
      'settings.set': () => ({
        ok: false,
        error: { code: 'STORAGE', message: 'disk full' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Forbidden words');
    const automod = defaultAutomodConfig().rules.map((rule) =>
      rule.kind === 'flood' ? { ...rule, params: { messages: 7, windowMs: 4000 } } : rule,
    );
    await user.click(within(panel).getByLabelText('Or paste rules'));
    await user.paste(formatRuleFile([{ id: 'x', pattern: 'scam', kind: 'term' }], automod));
    await user.click(within(panel).getByRole('button', { name: 'Add to the list' }));

    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'The file’s 10 automod detector rules were not saved: ModDeck could not write to its data folder',
    );
    expect(within(panel).getByText('1 rule added to the draft.')).toBeInTheDocument();
    expect(within(panel).queryByText(/taken and saved/)).toBeNull();
    expect(patches(bridge)).toHaveLength(1);
  });
});

describe('detector rules in the editor', () => {
  beforeEach(resetStores);
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('shows a parameter with its default and anchor, saves a valid change, and refuses a bad one', async () => {
    const { bridge } = deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Automod');
    const details = panel.querySelector('details[data-rule-id="automod-repeats"]') as HTMLElement;
    await user.click(within(details).getByText('Repeated messages: parameters'));
    const count = within(details).getByLabelText('Messages');
    expect(count).toHaveValue(3);
    expect(count).toHaveAccessibleDescription(
      'Default: 3 Chatterino flags the 3rd similar message in 5 s; Stream 5 in its window.',
    );
    const window = within(details).getByLabelText('Within (seconds)');
    expect(window).toHaveValue(30);

    await user.clear(count);
    await user.type(count, '4');
    await user.clear(window);
    await user.type(window, '20');
    await waitFor(() => {
      const rule = patches(bridge)
        .at(-1)
        ?.automod?.config.rules?.find((entry) => entry.id === 'automod-repeats');
      expect(rule?.params).toMatchObject({ count: 4, windowMs: 20_000 });
    });
    const before = patches(bridge).length;
    await user.clear(count);
    await user.type(count, '1');
    expect(within(details).getByRole('alert').textContent).toMatch(/^Not saved: .*>=2/);
    expect(patches(bridge)).toHaveLength(before);
  });

  it('backtests a detector over the buffered messages in time order, with its reasons', async () => {
    deck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openTab(user, 'Automod');
    const details = panel.querySelector('details[data-rule-id="automod-repeats"]') as HTMLElement;
    await user.click(within(details).getByText('Repeated messages: parameters'));
    await user.click(within(details).getByRole('button', { name: 'Backtest Repeated messages' }));
    const result = within(details).getByRole('region', {
      name: 'What Repeated messages would flag',
    });
    // The third copy is flagged, and names the two before it, as the feed flags them.
    expect(within(result).getByRole('status').textContent).toBe(
      'Replayed 6 messages in time order: 3 flagged.',
    );
    const rows = within(result).getAllByRole('listitem');
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row.textContent).toMatch(/^spammer-name: same message 3 times in \d+ s /);
    }
    expect(rows.map((row) => row.textContent?.slice(-SPAM.length - 4))).toEqual([
      expect.stringContaining(SPAM) as unknown,
      expect.stringContaining(`${SPAM}!!`) as unknown,
      expect.stringContaining(`BUY ${SPAM.slice(4)}`) as unknown,
    ]);

    // The crowd's detector flags nothing here.
    const raid = panel.querySelector('details[data-rule-id="automod-raid"]') as HTMLElement;
    await user.click(within(raid).getByText('Copy-paste raids: parameters'));
    await user.click(within(raid).getByRole('button', { name: 'Backtest Copy-paste raids' }));
    expect(within(raid).getByRole('status').textContent).toBe(
      'It would flag none of the buffered messages.',
    );
  });

  it('says where a service cannot hide that hold and hide only flag', async () => {
    deck([VILLAGE]);
    const user = userEvent.setup();
    renderDeck();
    await findRow('v1', V);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await user.click(await screen.findByRole('tab', { name: 'Automod' }));
    const panel = await screen.findByRole('tabpanel', { name: 'Automod' });
    expect(
      within(panel).getByText(
        'VChatCloud cannot hide messages: in its rooms hold and hide only flag.',
      ),
    ).toBeInTheDocument();
  });
});
