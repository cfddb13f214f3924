import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/renderer/src/components/App';
import { useAccounts } from '../../../src/renderer/src/stores/accounts';
import { useUi } from '../../../src/renderer/src/stores/ui';
import type { Account, AccountDraft } from '../../../src/shared/model';
import { appInfoAnswer, installFakeBridge } from './fakeBridge';
import { renderWithI18n } from './render';

function fakeMain(initial: Account[] = []) {
  const accounts = [...initial];
  return installFakeBridge({
    'app.info': () => appInfoAnswer(),
    'accounts.list': () => ({ ok: true, value: accounts }),
    'accounts.save': (draft: AccountDraft) => {
      if (draft.name === 'Broken') {
        return {
          ok: false,
          error: { code: 'KEYCHAIN_UNAVAILABLE', message: 'The keychain is locked.' },
        };
      }
      const { secret, ...fields } = draft;
      const account = { ...fields, id: 'acc_new', hasSecret: secret !== undefined } as Account;
      accounts.push(account);
      return { ok: true, value: account };
    },
  });
}

describe('the accounts screen', () => {
  beforeEach(() => {
    useAccounts.setState({ accounts: [], appInfo: null, status: 'idle', error: null });
    // The deck is the default view; these tests are about the Accounts view.
    useUi.setState(useUi.getInitialState(), true);
    useUi.getState().setView('accounts');
  });

  it('adds a FlipFlop account through window.moderator', async () => {
    const bridge = fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);

    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await user.type(screen.getByLabelText('Display name'), 'Evening show');
    await user.type(screen.getByLabelText('API address'), 'https://api.flipflop.example');
    await user.type(screen.getByLabelText('App API key'), 'key-123');
    await user.type(screen.getByLabelText('App API secret'), 'sec-456');
    await user.type(screen.getByLabelText(/Moderator app user ID/), 'mod7');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.getByText('Evening show')).toBeInTheDocument());
    expect(screen.getByText('Secret saved in the keychain')).toBeInTheDocument();
    expect(screen.queryByLabelText('App API secret')).not.toBeInTheDocument();
    expect(bridge.calls.filter((call) => call.channel === 'accounts.save')).toEqual([
      {
        channel: 'accounts.save',
        input: {
          provider: 'flipflop',
          name: 'Evening show',
          baseUrl: 'https://api.flipflop.example',
          appApiKey: 'key-123',
          moderator: { appUserId: 'mod7' },
          secret: 'sec-456',
        },
      },
    ]);
  });

  it('keeps everything typed and shows the reason when saving fails', async () => {
    fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);

    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await user.type(screen.getByLabelText('Display name'), 'Broken');
    await user.type(screen.getByLabelText('API address'), 'https://api.flipflop.example');
    await user.type(screen.getByLabelText('App API key'), 'key-123');
    await user.type(screen.getByLabelText('App API secret'), 'sec-456');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('The keychain is locked.');
    expect(screen.getByLabelText('Display name')).toHaveValue('Broken');
    expect(screen.getByLabelText('App API secret')).toHaveValue('sec-456');
  });

  it('never shows a secret when editing, only that one is saved', async () => {
    fakeMain([
      {
        id: 'acc_1',
        provider: 'flipflop',
        name: 'Saved one',
        baseUrl: 'https://api.flipflop.example',
        appApiKey: 'key-1',
        hasSecret: true,
      },
    ]);
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Edit Saved one' }));
    const secret = screen.getByLabelText('App API secret');
    expect(secret).toHaveValue('');
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toHaveAttribute('placeholder', 'Saved in the keychain — type to replace');
    expect(secret).not.toBeRequired();
  });

  it('follows accounts.changed events from main', async () => {
    const bridge = fakeMain();
    renderWithI18n(<App />);
    await screen.findByText(/No accounts yet/);
    bridge.emit('accounts.changed', [
      {
        id: 'acc_sandbox',
        provider: 'flipflop',
        name: 'Sandbox',
        baseUrl: 'http://127.0.0.1:4000',
        appApiKey: 'sandbox',
        sandbox: true,
        hasSecret: true,
      },
    ]);
    expect(await screen.findByText('Sandbox', { selector: '.account-name' })).toBeInTheDocument();
  });
});
