import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  sameAddresses,
  type Account,
  type AccountDraft,
  type ProviderId,
} from '../../../shared/model';
import { ErrorCode } from '../../../shared/errors';
import { describeError } from '../lib/errors';
import { useAccounts } from '../stores/accounts';

interface Fields {
  provider: ProviderId;
  name: string;
  baseUrl: string;
  appApiKey: string;
  eventbusUrl: string;
  moderatorId: string;
  moderatorName: string;
  secret: string;
}

function fieldsOf(account: Account | undefined): Fields {
  if (!account) {
    return {
      provider: 'flipflop',
      name: '',
      baseUrl: '',
      appApiKey: '',
      eventbusUrl: '',
      moderatorId: '',
      moderatorName: '',
      secret: '',
    };
  }
  if (account.provider === 'flipflop') {
    return {
      provider: 'flipflop',
      name: account.name,
      baseUrl: account.baseUrl,
      appApiKey: account.appApiKey,
      eventbusUrl: '',
      moderatorId: account.moderator?.appUserId ?? '',
      moderatorName: account.moderator?.appUserName ?? '',
      secret: '',
    };
  }
  return {
    provider: 'vchatcloud',
    name: account.name,
    baseUrl: account.baseUrl,
    appApiKey: '',
    eventbusUrl: account.eventbusUrl,
    moderatorId: account.moderator.clientKey,
    moderatorName: account.moderator.nickName,
    secret: '',
  };
}

function draftOf(fields: Fields, id: string | undefined): AccountDraft {
  const secret = fields.secret === '' ? {} : { secret: fields.secret };
  const identity = id === undefined ? {} : { id };
  if (fields.provider === 'flipflop') {
    const moderator =
      fields.moderatorId.trim() === ''
        ? {}
        : {
            moderator: {
              appUserId: fields.moderatorId,
              ...(fields.moderatorName.trim() === '' ? {} : { appUserName: fields.moderatorName }),
            },
          };
    return {
      ...identity,
      provider: 'flipflop',
      name: fields.name,
      baseUrl: fields.baseUrl,
      appApiKey: fields.appApiKey,
      ...moderator,
      ...secret,
    };
  }
  return {
    ...identity,
    provider: 'vchatcloud',
    name: fields.name,
    baseUrl: fields.baseUrl,
    eventbusUrl: fields.eventbusUrl,
    moderator: { clientKey: fields.moderatorId, nickName: fields.moderatorName },
    ...secret,
  };
}

interface AccountFormProps {
  /** The account to edit; a new account when absent. */
  account?: Account;
  onDone: () => void;
}

/**
 * Adds or edits an account. The secret field is write-only: it starts empty, says whether a
 * secret is saved, and is cleared once saved. It is required again, and says why, as soon as the
 * account's address differs from the saved one (main refuses a new address without the secret).
 * On failure every field keeps what was typed.
 */
export function AccountForm({ account, onDone }: AccountFormProps) {
  const { t } = useTranslation();
  const save = useAccounts((state) => state.save);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(account));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const formId = useId();
  const isFlipFlop = fields.provider === 'flipflop';

  function update<K extends keyof Fields>(key: K, value: Fields[K]): void {
    setFields((current) => ({ ...current, [key]: value }));
  }

  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await save(draftOf(fields, account?.id));
    setBusy(false);
    if (result.ok) {
      setFields((current) => ({ ...current, secret: '' }));
      onDone();
    } else {
      // Main's words name the field or the keychain's problem; this refusal has a sentence of its own.
      setError(
        result.error.code === ErrorCode.SecretRequired
          ? describeError(t, result.error)
          : result.error.message,
      );
    }
  }

  const field = (
    key: keyof Fields,
    label: string,
    options: { type?: string; optional?: boolean; hint?: string } = {},
  ) => {
    const id = `${formId}-${key}`;
    return (
      <div className="field">
        <label htmlFor={id}>
          {label}
          {options.optional ? (
            <span className="field-optional"> ({t('accountForm.optional')})</span>
          ) : null}
        </label>
        <input
          id={id}
          type={options.type ?? 'text'}
          value={fields[key]}
          required={!options.optional}
          autoComplete="off"
          spellCheck={false}
          onChange={(event) => update(key, event.target.value as never)}
          {...(options.hint ? { placeholder: options.hint } : {})}
        />
      </div>
    );
  };

  const secretId = `${formId}-secret`;
  const secretSaved = account?.hasSecret === true;
  const addressChanged =
    account !== undefined &&
    !sameAddresses(account, {
      provider: fields.provider,
      baseUrl: fields.baseUrl,
      eventbusUrl: fields.eventbusUrl,
    });

  return (
    <form
      className="account-form"
      onSubmit={(event) => void submit(event)}
      aria-labelledby={`${formId}-heading`}
    >
      <h2 id={`${formId}-heading`}>
        {account
          ? t('accountForm.headingEdit', { name: account.name })
          : t('accountForm.headingNew')}
      </h2>
      <div className="field">
        <label htmlFor={`${formId}-provider`}>{t('accountForm.provider')}</label>
        <select
          id={`${formId}-provider`}
          value={fields.provider}
          disabled={account !== undefined}
          onChange={(event) => update('provider', event.target.value as ProviderId)}
        >
          <option value="flipflop">{t('accountForm.providers.flipflop')}</option>
          <option value="vchatcloud">{t('accountForm.providers.vchatcloud')}</option>
        </select>
      </div>
      {field('name', t('accountForm.name'))}
      {field('baseUrl', t('accountForm.baseUrl'), {
        type: 'url',
        hint: t('accountForm.baseUrlHint'),
      })}
      {isFlipFlop
        ? field('appApiKey', t('accountForm.appApiKey'))
        : field('eventbusUrl', t('accountForm.eventbusUrl'), { type: 'url' })}
      <div className="field">
        <label htmlFor={secretId}>
          {isFlipFlop ? t('accountForm.appApiSecret') : t('accountForm.apiKey')}
        </label>
        <input
          id={secretId}
          type="password"
          value={fields.secret}
          required={!secretSaved || addressChanged}
          autoComplete="new-password"
          placeholder={
            addressChanged
              ? t('accountForm.secretPlaceholderAgain')
              : secretSaved
                ? t('accountForm.secretPlaceholderSaved')
                : t('accountForm.secretPlaceholderNew')
          }
          {...(addressChanged ? { 'aria-describedby': `${secretId}-again` } : {})}
          onChange={(event) => update('secret', event.target.value)}
        />
        {addressChanged ? (
          <p id={`${secretId}-again`} className="hint">
            {t('accountForm.secretAgain')}
          </p>
        ) : null}
      </div>
      {isFlipFlop
        ? field('moderatorId', t('accountForm.moderatorUserId'), { optional: true })
        : field('moderatorId', t('accountForm.clientKey'))}
      {isFlipFlop
        ? field('moderatorName', t('accountForm.moderatorUserName'), { optional: true })
        : field('moderatorName', t('accountForm.nickName'))}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          {t('accounts.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('accountForm.saving') : t('accountForm.save')}
        </button>
      </div>
    </form>
  );
}
