import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Account } from '../../../src/shared/model';
import { parseRuleList } from '../../../src/shared/wordfilter';
import { appInfoAnswer, type FakeHandlers } from './fakeBridge';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';
import { V, ready, vchatDeck } from './vchatcloudFixture';

const A = 'acc/alpha';
const B = 'acc/beta';
/** A VChatCloud account, as main lists it. */
const VILLAGE = {
  id: 'vcc',
  provider: 'vchatcloud',
  name: 'Village',
  baseUrl: 'https://vchatcloud.example',
  eventbusUrl: 'wss://vchatcloud.example/eventbus/websocket',
  moderator: { clientKey: 'moderator', nickName: 'Mod' },
} as const;

/**
 * A 2D context that draws any text as solid ink, ten pixels a character. Before checking that a
 * button's visible words are part of its accessible name (WCAG 2.5.3), axe draws the words on a
 * canvas to tell an icon-font ligature from text; jsdom has no canvas, so without this the check
 * ends "incomplete" on every labelled button. Solid ink reads as text, which all of it is here:
 * the app uses no icon font.
 */
function textCanvasContext(canvas: HTMLCanvasElement): CanvasRenderingContext2D {
  const context: Partial<CanvasRenderingContext2D> = {
    canvas,
    measureText: (text: string) => ({ width: text.length * 10 }) as TextMetrics,
    fillText: () => undefined,
    clearRect: () => undefined,
    getImageData: (_x: number, _y: number, width: number, height: number) =>
      ({
        data: new Uint8ClampedArray(Math.ceil(width) * Math.ceil(height) * 4).fill(255),
      }) as ImageData,
  };
  return context as CanvasRenderingContext2D;
}

/** Violations as short lines a failure message can show. */
async function violations(): Promise<string[]> {
  const result = await axe.run(document.body, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  });
  return result.violations.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`),
  );
}

function deck(theme: 'light' | 'dark', handlers: FakeHandlers = {}) {
  const rules = parseRuleList('bad\n/sp[a4]m/\n').rules;
  return fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [
          chatEvent(A, { id: 'a1', text: 'hello' }),
          chatEvent(A, {
            id: 'a2',
            text: 'you are bad',
            flags: [{ ruleId: rules[0]!.id, start: 8, end: 11 }],
          }),
          chatEvent(A, { id: 'a3', text: 'hidden one', state: 'hidden' }),
          chatEvent(A, { id: 'a4', text: 'deleted one', state: 'deleted' }),
          // Held by a rule: in the Held column too, with its check box and buttons.
          chatEvent(A, {
            id: 'a5',
            text: 'FREE followers',
            state: 'hidden',
            flags: [{ ruleId: 'automod-raid', reason: 'copy-paste raid' }],
            held: { ruleId: 'automod-raid', reason: 'copy-paste raid', at: Date.UTC(2026, 0, 1) },
          }),
        ],
      },
      {
        accountId: 'acc',
        roomId: 'beta',
        name: 'Beta',
        events: [
          chatEvent(B, { id: 'b1', kind: 'dm', text: 'help', toModerator: true }),
          chatEvent(B, { id: 'b2', kind: 'join', text: '' }),
        ],
      },
    ],
    {
      'members.list': () => ({
        ok: true,
        value: {
          members: [{ id: 'u1', name: 'Ann', joinedAt: Date.UTC(2026, 0, 1) }],
          nextCursor: 'n',
        },
      }),
      ...handlers,
    },
    { theme, rules: { global: rules, rooms: {} } },
  );
}

describe.each(['light', 'dark'] as const)('accessibility in the %s theme', (theme) => {
  beforeEach(() => {
    resetStores();
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (
      this: HTMLCanvasElement,
    ) {
      return textCanvasContext(this);
    });
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('finds no axe violations on the deck, with a focused row, a side panel and warnings', async () => {
    const answer = appInfoAnswer();
    deck(theme, {
      'app.info': () => ({
        ok: true,
        value: {
          ...answer.value,
          warnings: [
            {
              id: 'profile',
              kind: 'profileDamaged',
              file: '/data/settings.json',
              copy: '/data/settings.json.damaged-2026-11-22T03-00-00.000Z',
              lost: [{ what: 'accounts', count: 1 }],
              message: 'words',
            },
            {
              id: 'audit-1',
              kind: 'auditPending',
              folder: '/data/audit',
              count: 2,
              reason: 'the disk is full',
              message: 'words',
            },
          ],
        },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a4', A);
    await findRow('b2', B);
    expect(screen.getAllByRole('alert')).toHaveLength(2);
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe(theme));
    expect(await violations()).toEqual([]);

    await user.keyboard('j');
    await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
    expect(await violations()).toEqual([]);
    await user.click(screen.getByRole('menuitem', { name: 'Members' }));
    await screen.findByText('Ann');
    expect(await violations()).toEqual([]);
    await user.click(screen.getByRole('button', { name: /^Ann/ }));
    await screen.findByRole('dialog', { name: 'Ann' });
    await user.click(screen.getByRole('button', { name: 'Direct message' }));
    await screen.findByRole('dialog', { name: 'Admin message' });
    expect(await violations()).toEqual([]);
    // Four axe runs over the whole deck: about 3 s alone, more than 5 s on a busy machine.
  }, 30_000);

  it(
    'finds no axe violations on a VChatCloud room: its row actions, an exile to confirm, a user card, a notice and the room forms',
    { timeout: 30_000 },
    async () => {
      const village: Account = { ...VILLAGE, hasSecret: true };
      vchatDeck(
        {
          'accounts.list': () => ({ ok: true, value: [village] }),
          'rooms.list': () => ({
            ok: true,
            value: [
              {
                accountId: 'vcc',
                roomId: 'square',
                provider: 'vchatcloud',
                name: 'Square',
                chat: 'open',
                state: 'active',
              },
            ],
          }),
          'users.restrictions': () => ({ ok: true, value: { muted: ['u-eve'], exiled: [] } }),
        },
        { theme },
      );
      const user = userEvent.setup();
      renderDeck();
      await ready();
      await waitFor(() => expect(document.documentElement.dataset.theme).toBe(theme));

      // Eve's message waits for the exile to be confirmed while her card is open.
      await user.keyboard('jkk{Shift>}K{/Shift}c');
      const card = await screen.findByRole('dialog', { name: 'eve' });
      await within(card).findByText('Muted in Square.');
      expect(within(column(V)).getByRole('group', { name: /^Exile eve/ })).toBeInTheDocument();
      expect(await violations()).toEqual([]);

      await user.click(within(column(V)).getByRole('button', { name: 'Menu for Square' }));
      await user.click(screen.getByRole('menuitem', { name: 'Notice…' }));
      await screen.findByRole('dialog', { name: 'Notice' });
      expect(await violations()).toEqual([]);

      await user.click(
        within(screen.getByRole('banner')).getByRole('button', { name: 'Open room' }),
      );
      await user.click(await screen.findByRole('button', { name: 'New room in Village' }));
      await screen.findByRole('form', { name: 'New room' });
      expect(await violations()).toEqual([]);
    },
  );

  it('finds no axe violations on any section of Settings', { timeout: 30_000 }, async () => {
    deck(theme, {
      'audit.export': () => ({
        ok: false,
        error: { code: 'STORAGE', message: 'Could not read the audit folder.' },
      }),
    });
    const user = userEvent.setup();
    renderDeck();
    await findRow('a4', A);
    await user.click(screen.getByRole('button', { name: 'Settings' }));
    await screen.findByRole('tabpanel', { name: 'General' });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe(theme));

    // Every tab the view offers, so that a new section is checked without being listed here.
    const tabs = within(screen.getByRole('tablist', { name: 'Settings sections' })).getAllByRole(
      'tab',
    );
    const sections = tabs.map((tab) => tab.textContent ?? '');
    expect(sections).toEqual(expect.arrayContaining(['General', 'Forbidden words', 'Audit log']));
    for (const section of sections) {
      await user.click(screen.getByRole('tab', { name: section }));
      await screen.findByRole('tabpanel', { name: section });
      expect(await violations(), section).toEqual([]);
    }

    const audit = screen.getByRole('tabpanel', { name: 'Audit log' });
    await user.click(within(audit).getByRole('button', { name: 'Export as CSV' }));
    await within(audit).findByRole('alert');
    expect(await violations()).toEqual([]);

    await user.click(screen.getByRole('tab', { name: 'Forbidden words' }));
    const panel = screen.getByRole('tabpanel', { name: 'Forbidden words' });
    await user.type(within(panel).getByLabelText('Sample text'), 'so bad');
    await user.click(within(panel).getByRole('button', { name: 'Edit rule bad' }));
    await user.click(
      within(panel).getByRole('button', { name: 'Backtest against buffered messages' }),
    );
    expect(await violations()).toEqual([]);
  });

  it(
    'finds no axe violations on Accounts, with the keychain status, connection-test results, a removal to confirm and an account form open',
    { timeout: 30_000 },
    async () => {
      const accounts: Account[] = [
        {
          id: 'acc',
          provider: 'flipflop',
          name: 'Evening show',
          baseUrl: 'https://api.flipflop.example',
          appApiKey: 'key-1',
          hasSecret: true,
        },
        { ...VILLAGE, hasSecret: false },
      ];
      deck(theme, {
        'app.info': () =>
          appInfoAnswer({ kind: 'safeStorage', reason: 'no Secret Service on this desktop' }),
        'accounts.list': () => ({ ok: true, value: accounts }),
        'accounts.test': ({ accountId }) => ({
          ok: true,
          value:
            accountId === 'acc'
              ? { ok: true, message: 'Connected: 5 rooms', roomCount: 5 }
              : { ok: false, code: 'INVALID_APP_CREDENTIALS', message: 'refused' },
        }),
      });
      const user = userEvent.setup();
      renderDeck();
      await findRow('a4', A);
      await waitFor(() => expect(document.documentElement.dataset.theme).toBe(theme));
      await user.click(screen.getByRole('button', { name: 'Accounts' }));
      await screen.findByRole('heading', { name: 'Accounts' });
      await screen.findByText(/not kept in the OS keychain/);
      expect(await violations()).toEqual([]);

      for (const name of ['Evening show', 'Village']) {
        await user.click(screen.getByRole('button', { name: `Test connection of ${name}` }));
      }
      await screen.findByText('Connected: 5 rooms');
      await screen.findByText(/^Could not connect/);
      const [evening, village] = screen.getAllByRole('listitem') as [HTMLElement, HTMLElement];
      await user.click(within(village).getByRole('button', { name: 'Remove Village' }));
      expect(within(village).getByRole('group', { name: /^Remove Village/ })).toBeInTheDocument();
      await user.click(within(evening).getByRole('button', { name: 'Edit Evening show' }));
      const form = await screen.findByRole('form', { name: 'Edit Evening show' });
      expect(within(form).getByLabelText('App API secret')).toHaveAttribute(
        'placeholder',
        'Saved in the keychain — type to replace',
      );
      expect(await violations()).toEqual([]);
    },
  );
});
