import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../src/renderer/src/App';
import { useView } from '../../../src/renderer/src/stores/view';
import type { ConnectionTest } from '../../../src/shared/contract';
import type { Account, AccountDraft, SecretStoreStatus } from '../../../src/shared/model';
import { appInfoAnswer, installFakeBridge } from './fakeBridge';
import { renderWithI18n } from './render';
import { resetStores } from './storeFixtures';

const SECRET = 'sec-very-private-9d1f';

function savedAccount(): Account {
  return {
    id: 'acc_1',
    provider: 'flipflop',
    name: 'Evening show',
    baseUrl: 'https://api.flipflop.example',
    appApiKey: 'key-1',
    hasSecret: true,
  };
}

/** A main process that keeps secrets to itself, as the real one does. */
function fakeMain(
  options: { secretStore?: SecretStoreStatus; test?: (id: string) => ConnectionTest } = {},
) {
  const accounts = [savedAccount()];
  const secrets = new Map<string, string>([['acc_1', 'old-secret-0000']]);
  const bridge = installFakeBridge({
    'app.info': () => appInfoAnswer(options.secretStore),
    'accounts.list': () => ({ ok: true, value: accounts }),
    'accounts.save': (draft: AccountDraft) => {
      const { secret, id, ...fields } = draft;
      const accountId = id ?? 'acc_new';
      if (secret !== undefined) secrets.set(accountId, secret);
      const account = { ...fields, id: accountId, hasSecret: secrets.has(accountId) } as Account;
      const index = accounts.findIndex((entry) => entry.id === accountId);
      if (index === -1) accounts.push(account);
      else accounts[index] = account;
      return { ok: true, value: account };
    },
    'accounts.testDraft': (draft) => ({
      ok: true,
      value: options.test?.(draft.id ?? 'acc_new') ?? {
        ok: true,
        message: 'Connected: 5 rooms',
        roomCount: 5,
      },
    }),
    'accounts.test': ({ accountId }) => ({
      ok: true,
      value: options.test?.(accountId) ?? { ok: true, message: 'Connected: 5 rooms', roomCount: 5 },
    }),
    'settings.get': () => ({
      ok: false,
      error: { code: 'NOT_FOUND', message: 'not in this test' },
    }),
  });
  return { bridge, secrets };
}

function renderAccounts() {
  useView.getState().setView('accounts');
  return renderWithI18n(<App />);
}

describe('account settings and secrets', () => {
  beforeEach(resetStores);

  it('sends a replaced secret once, one way, and never shows it again', async () => {
    const { bridge, secrets } = fakeMain();
    const user = userEvent.setup();
    renderAccounts();

    await user.click(await screen.findByRole('button', { name: 'Edit Evening show' }));
    const field = screen.getByLabelText('App API secret');
    expect(field).toHaveValue('');
    expect(field).toHaveAttribute('type', 'password');
    expect(field).toHaveAttribute('autocomplete', 'new-password');
    await user.type(field, SECRET);
    await user.click(screen.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByLabelText('App API secret')).not.toBeInTheDocument());
    expect(secrets.get('acc_1')).toBe(SECRET);
    expect(screen.getByText('Secret saved in the keychain')).toBeInTheDocument();
    // Nothing on screen carries it, and only the draft's test and its save ever held it.
    expect(document.body.innerHTML).not.toContain(SECRET);
    const carrying = bridge.calls.filter((call) =>
      JSON.stringify(call.input ?? null).includes(SECRET),
    );
    expect(carrying.map((call) => call.channel)).toEqual(['accounts.testDraft', 'accounts.save']);

    // Editing again starts from an empty field that says a secret is saved.
    await user.click(screen.getByRole('button', { name: 'Edit Evening show' }));
    const again = screen.getByLabelText('App API secret');
    expect(again).toHaveValue('');
    expect(again).toHaveAttribute('placeholder', 'Saved in the keychain — type to replace');
  });

  it('leaves the saved secret alone when the field is left empty', async () => {
    const { bridge, secrets } = fakeMain();
    const user = userEvent.setup();
    renderAccounts();
    await user.click(await screen.findByRole('button', { name: 'Edit Evening show' }));
    const name = screen.getByLabelText('Display name');
    await user.clear(name);
    await user.type(name, 'Late show');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Late show');
    const save = bridge.calls.find((call) => call.channel === 'accounts.save');
    expect(save?.input).not.toHaveProperty('secret');
    expect(secrets.get('acc_1')).toBe('old-secret-0000');
  });

  it('asks for the secret again, and says why, as soon as the address differs from the saved one', async () => {
    const { bridge, secrets } = fakeMain();
    const user = userEvent.setup();
    renderAccounts();
    await user.click(await screen.findByRole('button', { name: 'Edit Evening show' }));
    const secret = screen.getByLabelText('App API secret');
    const address = screen.getByLabelText('API address');
    const why =
      'The address changed, so enter the secret again: ModDeck sends a saved secret only to the address it was entered for.';
    expect(secret).not.toBeRequired();
    expect(screen.queryByText(why)).not.toBeInTheDocument();

    await user.clear(address);
    await user.type(address, 'https://capture.example');
    expect(secret).toBeRequired();
    expect(secret).toHaveAccessibleDescription(why);
    expect(secret).toHaveAttribute('placeholder', 'Enter it again for the new address');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(bridge.calls.filter((call) => call.channel === 'accounts.save')).toEqual([]);

    // The same address written another way is the same address.
    await user.clear(address);
    await user.type(address, 'HTTPS://API.flipflop.example/');
    expect(secret).not.toBeRequired();
    expect(screen.queryByText(why)).not.toBeInTheDocument();

    await user.clear(address);
    await user.type(address, 'https://capture.example');
    await user.type(secret, SECRET);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(secrets.get('acc_1')).toBe(SECRET));
  });

  it('tests the connection and says what happened in words', async () => {
    let answer: ConnectionTest = { ok: true, message: 'Connected: 5 rooms', roomCount: 5 };
    fakeMain({ test: () => answer });
    const user = userEvent.setup();
    renderAccounts();
    const test = await screen.findByRole('button', { name: 'Test connection of Evening show' });

    await user.click(test);
    const item = test.closest('li') as HTMLElement;
    expect(await within(item).findByText('Connected: 5 rooms')).toBeInTheDocument();

    answer = {
      ok: false,
      code: 'INVALID_APP_CREDENTIALS',
      message: 'The service refused the app API key or secret.',
    };
    await user.click(test);
    expect(
      await within(item).findByText(
        'Could not connect: The service rejected the account’s API key or secret',
      ),
    ).toBeInTheDocument();

    // A code the window has no sentence for: the service's words, said to be a failure once.
    answer = { ok: false, code: 'E42', message: 'refused' };
    await user.click(test);
    expect(
      await within(item).findByText('Could not connect: refused (code E42)'),
    ).toBeInTheDocument();
  });

  it('tests the connection in Korean too', async () => {
    fakeMain();
    const user = userEvent.setup();
    useView.getState().setView('accounts');
    renderWithI18n(<App />, 'ko');
    await user.click(await screen.findByRole('button', { name: 'Evening show 연결 테스트' }));
    expect(await screen.findByText('연결됨: 방 5개')).toBeInTheDocument();
  });

  it('names the secret store and the reason once', async () => {
    const reason = 'The OS keychain is not available (no Secret Service is running).';
    fakeMain({ secretStore: { kind: 'safeStorage', reason } });
    renderAccounts();
    const line = await screen.findByText(/Electron safeStorage/);
    expect(line).toHaveTextContent(
      `Secrets are encrypted with Electron safeStorage in ModDeck’s data folder, not kept in the OS keychain. Why: ${reason}`,
    );
    expect(line.textContent?.split('Secret Service').length).toBe(2);
  });

  it('says why the keychain is not in use in Korean too, quoting the keychain’s own words', async () => {
    fakeMain({
      secretStore: {
        kind: 'safeStorage',
        reason: 'The OS keychain is not available (no Secret Service is running).',
        cause: 'keychainUnavailable',
        detail: 'no Secret Service is running',
      },
    });
    useView.getState().setView('accounts');
    renderWithI18n(<App />, 'ko');
    const line = await screen.findByText(/safeStorage/);
    expect(line).toHaveTextContent(
      '비밀 값은 OS 키체인이 아니라 ModDeck 데이터 폴더에 Electron safeStorage로 암호화되어 보관됩니다. 이유: OS 키체인을 사용할 수 없습니다(no Secret Service is running).',
    );
    expect(line).not.toHaveTextContent('The OS keychain');
  });
});
