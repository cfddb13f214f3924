import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Member } from '../../../src/shared/chat';
import type { RequestInput } from '../../../src/shared/contract';
import { chatEvent, column, fakeDeck, findRow, renderDeck, resetStores } from './deckHarness';

const A = 'acc/alpha';

const PAGE_ONE: Member[] = [
  { id: 'u-ann', name: 'Ann' },
  { id: 'u-bob', name: 'Bob' },
  { id: 'u-cat', name: 'Catherine' },
];
const PAGE_TWO: Member[] = [
  { id: 'u-dan', name: 'Dan' },
  { id: 'u-cai', name: 'Caitlyn' },
];

/** A members endpoint with two pages behind the cursor `page-2`. */
function membersDeck() {
  const asked: RequestInput<'members.list'>[] = [];
  const deck = fakeDeck(
    [
      {
        accountId: 'acc',
        roomId: 'alpha',
        name: 'Alpha',
        events: [chatEvent(A, { id: 'a1' })],
      },
    ],
    {
      'members.list': (input) => {
        asked.push(input);
        return input.cursor === 'page-2'
          ? { ok: true, value: { members: PAGE_TWO, nextCursor: null } }
          : { ok: true, value: { members: PAGE_ONE, nextCursor: 'page-2' } };
      },
    },
  );
  return { ...deck, asked };
}

async function openMembers(user: ReturnType<typeof userEvent.setup>): Promise<HTMLElement> {
  await findRow('a1', A);
  await user.click(within(column(A)).getByRole('button', { name: 'Menu for Alpha' }));
  await user.click(screen.getByRole('menuitem', { name: 'Members' }));
  return screen.findByRole('dialog', { name: 'Members' });
}

function memberNames(panel: HTMLElement): string[] {
  const list = within(panel).getByRole('list', { name: 'Members of Alpha' });
  return within(list)
    .queryAllByRole('button')
    .map((button) => button.querySelector('.member-name')?.textContent ?? '');
}

describe('the members panel', () => {
  beforeEach(resetStores);

  it('lists a page, then the next one with the provider’s cursor, until there is none', async () => {
    const { asked } = membersDeck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openMembers(user);

    await waitFor(() => expect(memberNames(panel)).toEqual(['Ann', 'Bob', 'Catherine']));
    expect(asked).toEqual([{ roomKey: A, count: 50 }]);

    await user.click(within(panel).getByRole('button', { name: 'Load more' }));
    await waitFor(() =>
      expect(memberNames(panel)).toEqual(['Ann', 'Bob', 'Catherine', 'Dan', 'Caitlyn']),
    );
    expect(asked[1]).toEqual({ roomKey: A, count: 50, cursor: 'page-2' });
    expect(within(panel).queryByRole('button', { name: 'Load more' })).not.toBeInTheDocument();
    expect(within(panel).getByText('Every member is listed.')).toBeInTheDocument();
  });

  it('searches the loaded members by name or id, and says more pages may hold more', async () => {
    membersDeck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openMembers(user);
    await waitFor(() => expect(memberNames(panel)).toHaveLength(3));

    const search = within(panel).getByLabelText('Search members');
    await user.type(search, 'ca');
    expect(memberNames(panel)).toEqual(['Catherine']);
    expect(
      within(panel).getByText(/1 of 3 loaded members matches\. Load more/),
    ).toBeInTheDocument();

    await user.click(within(panel).getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(memberNames(panel)).toEqual(['Catherine', 'Caitlyn']));
    expect(within(panel).getByText('2 of 5 loaded members match.')).toBeInTheDocument();

    await user.clear(search);
    await user.type(search, 'U-DAN');
    expect(memberNames(panel)).toEqual(['Dan']);
  });

  it('says why the members could not be listed', async () => {
    fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'members.list': () => ({ ok: false, error: { code: 'NETWORK', message: 'offline' } }),
      },
    );
    const user = userEvent.setup();
    renderDeck();
    const panel = await openMembers(user);
    expect(await within(panel).findByRole('alert')).toHaveTextContent(
      'The members could not be listed: The service could not be reached',
    );
  });

  it('says in the window’s language that the service refused more calls for now', async () => {
    fakeDeck(
      [{ accountId: 'acc', roomId: 'alpha', name: 'Alpha', events: [chatEvent(A, { id: 'a1' })] }],
      {
        'members.list': () => ({
          ok: false,
          error: {
            code: 'RATE_LIMITED',
            message: 'The service refused more calls for now (HTTP 429).',
          },
        }),
      },
      { language: 'ko' },
    );
    const user = userEvent.setup();
    renderDeck();
    await findRow('a1', A);
    await user.click(within(column(A)).getByRole('button', { name: 'Alpha 메뉴' }));
    await user.click(screen.getByRole('menuitem', { name: '멤버' }));
    const panel = await screen.findByRole('dialog', { name: '멤버' });
    const alert = await within(panel).findByRole('alert');
    expect(alert).toHaveTextContent(
      '멤버 목록을 가져오지 못했습니다: 서비스가 지금은 더 이상 요청을 받지 않습니다. 잠시 기다렸다가 다시 시도하세요',
    );
    expect(alert).not.toHaveTextContent(/RATE_LIMITED|refused/);
  });

  it('opens a member’s card, and goes back to the list as it was loaded', async () => {
    const { asked } = membersDeck();
    const user = userEvent.setup();
    renderDeck();
    const panel = await openMembers(user);
    await waitFor(() => expect(memberNames(panel)).toHaveLength(3));
    await user.click(within(panel).getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(memberNames(panel)).toHaveLength(5));

    await user.click(within(panel).getByRole('button', { name: /^Bob/ }));
    const card = await screen.findByRole('dialog', { name: 'Bob' });
    expect(within(card).getByText('User ID u-bob')).toBeInTheDocument();

    await user.click(within(card).getByRole('button', { name: 'Back' }));
    const again = await screen.findByRole('dialog', { name: 'Members' });
    expect(memberNames(again)).toHaveLength(5);
    expect(asked).toHaveLength(2);

    await user.click(within(again).getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(memberNames(again)).toEqual(['Ann', 'Bob', 'Catherine']));
    expect(asked[2]).toEqual({ roomKey: A, count: 50 });
  });
});
