import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import type { RequestInput } from '../../../src/shared/contract';
import { column, renderDeck, resetStores } from './deckHarness';
import { A, V, ready, vchatDeck } from './vchatcloudFixture';

describe('a VChatCloud room’s own messages', () => {
  beforeEach(resetStores);

  async function menuItems(user: ReturnType<typeof userEvent.setup>, name: string) {
    await ready();
    const source = name === 'Square' ? column(V) : column(A);
    await user.click(within(source).getByRole('button', { name: `Menu for ${name}` }));
    return screen.getAllByRole('menuitem').map((item) => item.textContent);
  }

  it('offers a notice and a custom message instead of a broadcast, only on VChatCloud rooms', async () => {
    vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    expect(await menuItems(user, 'Square')).toEqual([
      'Members',
      'Notice…',
      'Custom message…',
      'Direct message…',
      'Room settings',
      'Shield this room',
      'Move left',
      'Move right',
      'Close column',
    ]);
    await user.keyboard('{Escape}');
    const flipflop = await menuItems(user, 'Alpha');
    expect(flipflop).toContain('Broadcast…');
    expect(flipflop).not.toContain('Notice…');
    expect(flipflop).not.toContain('Custom message…');
  });

  it('sends a notice of at most 100 characters to the room', async () => {
    const sent: RequestInput<'admin.broadcast'>[] = [];
    vchatDeck({
      'admin.broadcast': (input) => {
        sent.push(input);
        return {
          ok: true,
          value: { results: [{ roomKey: V, ok: true, messageId: 'notice-1' }] },
        };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    await menuItems(user, 'Square');
    await user.click(screen.getByRole('menuitem', { name: 'Notice…' }));
    const panel = await screen.findByRole('dialog', { name: 'Notice' });
    const text = within(panel).getByRole('textbox', { name: 'Notice text' });
    const send = within(panel).getByRole('button', { name: 'Send notice' });
    expect(send).toBeDisabled();

    await user.click(text);
    await user.paste('가'.repeat(101));
    expect(within(panel).getByText('101 of 100 characters')).toHaveClass('form-error');
    expect(send).toBeDisabled();

    await user.clear(text);
    await user.type(text, 'Quiet hours start now');
    expect(within(panel).getByText('21 of 100 characters')).toBeInTheDocument();
    await user.click(send);
    expect(await within(panel).findByText('Notice sent.')).toBeInTheDocument();
    expect(sent).toEqual([
      { roomKeys: [V], messageType: 'MESSAGE', message: 'Quiet hours start now' },
    ]);
    expect(text).toHaveValue('');
  });

  it('keeps a notice being written on Esc, and asks before discarding it', async () => {
    vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await menuItems(user, 'Square');
    await user.click(screen.getByRole('menuitem', { name: 'Notice…' }));
    const panel = await screen.findByRole('dialog', { name: 'Notice' });
    const text = within(panel).getByRole('textbox', { name: 'Notice text' });
    await user.type(text, 'Quiet hours{Escape}');
    const question = within(panel).getByRole('group', {
      name: 'Discard the message you are writing?',
    });
    expect(text).toHaveValue('Quiet hours');
    await user.click(within(question).getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('dialog', { name: 'Notice' })).not.toBeInTheDocument();
  });

  it('carries a notice being written on to the room’s custom message opened in its place', async () => {
    vchatDeck();
    const user = userEvent.setup();
    renderDeck();
    await menuItems(user, 'Square');
    await user.click(screen.getByRole('menuitem', { name: 'Notice…' }));
    const notice = await screen.findByRole('dialog', { name: 'Notice' });
    await user.type(within(notice).getByRole('textbox', { name: 'Notice text' }), 'Quiet hours');

    await menuItems(user, 'Square');
    await user.click(screen.getByRole('menuitem', { name: 'Custom message…' }));
    const custom = await screen.findByRole('dialog', { name: 'Custom message' });
    expect(notice).not.toBeInTheDocument();
    await user.click(within(custom).getByRole('radio', { name: 'Notice' }));
    expect(
      within(screen.getByRole('dialog', { name: 'Notice' })).getByRole('textbox', {
        name: 'Notice text',
      }),
    ).toHaveValue('Quiet hours');
  });

  it('sends a custom message now, or schedules it', async () => {
    const sent: RequestInput<'admin.custom'>[] = [];
    vchatDeck({
      'admin.custom': (input) => {
        sent.push(input);
        return { ok: true, value: { roomKey: input.roomKey, sendDate: input.sendDate ?? null } };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    await menuItems(user, 'Square');
    await user.click(screen.getByRole('menuitem', { name: 'Custom message…' }));
    const panel = await screen.findByRole('dialog', { name: 'Custom message' });
    const message = within(panel).getByRole('textbox', { name: 'Message' });

    await user.click(message);
    await user.paste('{"type":"poll","question":"Pizza?"}');
    await user.click(within(panel).getByRole('button', { name: 'Send custom message' }));
    expect(await within(panel).findByText('Custom message sent.')).toBeInTheDocument();

    await user.click(message);
    await user.paste('{"type":"quiz"}');
    fireEvent.change(within(panel).getByLabelText(/Send at/), {
      target: { value: '2026-03-01T21:30' },
    });
    await user.click(within(panel).getByRole('button', { name: 'Schedule custom message' }));
    expect(await within(panel).findByText(/^Custom message scheduled for /)).toBeInTheDocument();
    expect(sent).toEqual([
      { roomKey: V, message: '{"type":"poll","question":"Pizza?"}' },
      { roomKey: V, message: '{"type":"quiz"}', sendDate: new Date('2026-03-01T21:30').getTime() },
    ]);

    // The notice is a click away in the same panel.
    await user.click(within(panel).getByRole('radio', { name: 'Notice' }));
    expect(within(panel).getByRole('textbox', { name: 'Notice text' })).toBeInTheDocument();
  });

  it('keeps a VChatCloud room out of a broadcast it cannot carry, and marks it left out', async () => {
    const sent: RequestInput<'admin.broadcast'>[] = [];
    vchatDeck({
      'admin.broadcast': (input) => {
        sent.push(input);
        return {
          ok: true,
          value: {
            results: input.roomKeys.map((roomKey) => ({
              roomKey,
              ok: true as const,
              messageId: 'x',
            })),
          },
        };
      },
    });
    const user = userEvent.setup();
    renderDeck();
    await menuItems(user, 'Alpha');
    await user.click(screen.getByRole('menuitem', { name: 'Broadcast…' }));
    const composer = await screen.findByRole('dialog', { name: 'Admin message' });
    const square = within(composer).getByRole('checkbox', { name: /Square/ });
    expect(square).toBeEnabled();
    await user.click(square);

    await user.click(within(composer).getByRole('radio', { name: 'Command' }));
    // Still ticked, as the moderator chose, and marked as left out.
    expect(square).toBeChecked();
    expect(square.closest('label')).toHaveTextContent(
      'Square (VChatCloud: text only, at most 100 characters) left out',
    );
    await user.type(within(composer).getByRole('textbox', { name: 'Text' }), 'reload');
    await user.click(within(composer).getByRole('button', { name: 'Send to 1 room' }));
    await waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]?.roomKeys).toEqual([A]);
  });
});
