import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/renderer/src/App';
import { useAccounts } from '../../../src/renderer/src/stores/accounts';
import { useView } from '../../../src/renderer/src/stores/view';
import type { ConnectionTest } from '../../../src/shared/contract';
import type { Account, AccountDraft } from '../../../src/shared/model';
import { appInfoAnswer, installFakeBridge } from './fakeBridge';
import { renderWithI18n } from './render';

function fakeMain(initial: Account[] = [], test?: (draft: AccountDraft) => ConnectionTest) {
  const accounts = [...initial];
  return installFakeBridge({
    'accounts.testDraft': (draft) => ({
      ok: true,
      value: test?.(draft) ?? { ok: true, message: 'Connected: 3 rooms', roomCount: 3 },
    }),
    'app.info': () => appInfoAnswer(),
    'accounts.list': () => ({ ok: true, value: accounts }),
    'accounts.save': (draft: AccountDraft) => {
      if (draft.name === 'Refused') {
        return {
          ok: false,
          error: {
            code: 'INVALID_INPUT',
            message: 'baseUrl: must be a https:// URL; moderator.appUserId: must not be empty',
          },
        };
      }
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

async function fillFlipFlop(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.type(screen.getByLabelText('Display name'), 'Evening show');
  await user.type(screen.getByLabelText('API address'), 'https://api.flipflop.example');
  await user.type(screen.getByLabelText('App API key'), 'key-123');
  await user.type(screen.getByLabelText('App API secret'), 'sec-456');
}

describe('the accounts screen', () => {
  beforeEach(() => {
    useAccounts.setState({ accounts: [], appInfo: null, status: 'idle', error: null });
    // The deck is the default view; these tests are about the Accounts view.
    useView.setState(useView.getInitialState(), true);
    useView.getState().setView('accounts');
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

  it('sends a chat server login, passcode and virtual host only when a login is given', async () => {
    const bridge = fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);

    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await fillFlipFlop(user);
    await user.click(screen.getByText(/Chat server sign-in/));
    await user.type(screen.getByLabelText(/Virtual host/), 'chat-vhost');
    await user.type(screen.getByLabelText(/Chat server login/), 'ops');
    await user.type(screen.getByLabelText(/Chat server passcode/), 'pass-9');
    expect(screen.getByLabelText(/Chat server passcode/)).toHaveAttribute('type', 'password');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.getByText('Evening show')).toBeInTheDocument());
    expect(bridge.calls.filter((call) => call.channel === 'accounts.save')).toEqual([
      {
        channel: 'accounts.save',
        input: {
          provider: 'flipflop',
          name: 'Evening show',
          baseUrl: 'https://api.flipflop.example',
          appApiKey: 'key-123',
          gossip: { virtualHost: 'chat-vhost', login: 'ops' },
          gossipPasscode: 'pass-9',
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

  it('tests the connection before saving, and saves with the answer shown', async () => {
    const bridge = fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await fillFlipFlop(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Connected: 3 rooms/)).toBeInTheDocument();
    const requests = bridge.calls.filter(
      (call) => call.channel.startsWith('accounts.') && call.channel !== 'accounts.list',
    );
    expect(requests.map((call) => call.channel)).toEqual(['accounts.testDraft', 'accounts.save']);
    expect(requests[0]?.input).toEqual(requests[1]?.input);
  });

  it('saves nothing when the test fails, says why, and offers to save anyway', async () => {
    const bridge = fakeMain([], () => ({
      ok: false,
      code: 'INVALID_APP_CREDENTIALS',
      message: 'refused',
    }));
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await fillFlipFlop(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not connect: The service rejected the account’s API key or secret',
    );
    expect(bridge.calls.filter((call) => call.channel === 'accounts.save')).toEqual([]);
    expect(screen.getByLabelText('App API secret')).toHaveValue('sec-456');

    await user.click(screen.getByRole('button', { name: 'Save anyway' }));
    await waitFor(() => expect(screen.getByText('Evening show')).toBeInTheDocument());
    expect(bridge.calls.filter((call) => call.channel === 'accounts.save')).toHaveLength(1);
    expect(bridge.calls.filter((call) => call.channel === 'accounts.testDraft')).toHaveLength(1);
  });

  it('names each field that is wrong as the form labels it, and sends nothing', async () => {
    const bridge = fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await user.type(screen.getByLabelText('API address'), 'http://api.flipflop.example');
    await user.type(screen.getByLabelText('App API key'), 'key-123');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    expect(screen.getByRole('alert')).toHaveTextContent(
      'Check these fields: Display name, API address, App API secret.',
    );
    expect(screen.getByLabelText('Display name')).toHaveAccessibleDescription(
      'Display name must not be empty.',
    );
    expect(screen.getByLabelText('API address')).toHaveAccessibleDescription(
      'API address must start with https:// (http:// only for this computer: localhost, 127.x.x.x or [::1]).',
    );
    expect(screen.getByLabelText('API address')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('App API secret')).toHaveAccessibleDescription(
      'App API secret must not be empty.',
    );
    expect(screen.getByLabelText('Display name')).toHaveFocus();
    expect(document.body.textContent).not.toContain('baseUrl');
    expect(bridge.calls.filter((call) => call.channel.startsWith('accounts.t'))).toEqual([]);

    // Typing in a field clears what was said about it.
    await user.type(screen.getByLabelText('Display name'), 'Evening show');
    expect(screen.getByLabelText('Display name')).not.toHaveAttribute('aria-invalid');
  });

  it('names the field as the form does when main refuses the draft', async () => {
    fakeMain();
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Add account' }));
    await fillFlipFlop(user);
    await user.clear(screen.getByLabelText('Display name'));
    await user.type(screen.getByLabelText('Display name'), 'Refused');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'API address: must be a https:// URL; Moderator app user ID: must not be empty',
    );
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

  it('keeps the test of the saved details when a test of the old ones answers after the save', async () => {
    const saved: Account = {
      id: 'acc_vc',
      provider: 'vchatcloud',
      name: 'Night rooms',
      baseUrl: 'https://vchatcloud.example',
      eventbusUrl: 'wss://vchatcloud.example:9001/eventbus/websocket',
      moderator: { clientKey: 'mod1', nickName: 'Moderator' },
      hasSecret: true,
    };
    let answerOldTest: (answer: ConnectionTest) => void = () => undefined;
    installFakeBridge({
      'app.info': () => appInfoAnswer(),
      'accounts.list': () => ({ ok: true, value: [saved] }),
      'accounts.test': () =>
        new Promise((resolve) => {
          answerOldTest = (answer) => resolve({ ok: true, value: answer });
        }),
      'accounts.testDraft': () => ({
        ok: true,
        value: { ok: true, message: 'Connected: 3 rooms', roomCount: 3 },
      }),
      'accounts.save': (draft: AccountDraft) => {
        const { secret, ...fields } = draft;
        return {
          ok: true,
          value: {
            ...fields,
            id: saved.id,
            hasSecret: secret !== undefined || saved.hasSecret,
          } as Account,
        };
      },
    });
    const user = userEvent.setup();
    renderWithI18n(<App />);
    await user.click(await screen.findByRole('button', { name: 'Test connection of Night rooms' }));
    expect(await screen.findByText('Testing the connection…')).toBeInTheDocument();

    // The key is wrong: the moderator enters the right one while the test still waits.
    await user.click(screen.getByRole('button', { name: 'Edit Night rooms' }));
    await user.type(screen.getByLabelText('API key'), 'the-right-key');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText(/Connected: 3 rooms/)).toBeInTheDocument();

    answerOldTest({ ok: false, code: '90001', message: 'INVALID_API_KEY' });
    await waitFor(() =>
      expect(useAccounts.getState().checks['acc_vc']).toMatchObject({ status: 'done' }),
    );
    expect(screen.getByText(/Connected: 3 rooms/)).toBeInTheDocument();
    expect(document.body.textContent).not.toContain('INVALID_API_KEY');
  });
});
