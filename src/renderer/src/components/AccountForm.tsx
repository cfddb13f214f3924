import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ConnectionTest, ErrorInfo } from '../../../shared/contract';
import { ErrorCode } from '../../../shared/errors';
import {
  sameAddresses,
  type Account,
  type AccountDraft,
  type ProviderId,
} from '../../../shared/model';
import {
  FIELD_ORDER,
  accountProblems,
  describeProblem,
  withFieldLabels,
  type AccountFields as Fields,
  type FieldKey,
} from '../lib/accountFields';
import { describeError } from '../lib/errors';
import { useAccounts } from '../stores/accounts';

const NO_GOSSIP = { gossipVirtualHost: '', gossipLogin: '', gossipPasscode: '' };

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
      ...NO_GOSSIP,
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
      gossipVirtualHost: account.gossip?.virtualHost ?? '',
      gossipLogin: account.gossip?.login ?? '',
      gossipPasscode: '',
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
    ...NO_GOSSIP,
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
    const virtualHost = fields.gossipVirtualHost.trim();
    const login = fields.gossipLogin.trim();
    const gossip =
      virtualHost === '' && login === ''
        ? {}
        : {
            gossip: {
              ...(virtualHost === '' ? {} : { virtualHost }),
              ...(login === '' ? {} : { login }),
            },
          };
    return {
      ...identity,
      provider: 'flipflop',
      name: fields.name,
      baseUrl: fields.baseUrl,
      appApiKey: fields.appApiKey,
      ...moderator,
      ...gossip,
      ...(login !== '' && fields.gossipPasscode !== ''
        ? { gossipPasscode: fields.gossipPasscode }
        : {}),
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

/** Where a save stands: the connection test runs first, and a failed one offers to save anyway. */
type Phase =
  | { step: 'idle' }
  | { step: 'testing' }
  | { step: 'saving' }
  | { step: 'testFailed'; reason: string };

/**
 * Adds or edits an account. Saving tests the connection first and saves only when it works,
 * offering to save anyway when it does not (a service down for a minute must not block the
 * moderator). Every problem names the field as the form labels it. The secret field is
 * write-only: it starts empty, says whether a secret is saved, and is cleared once saved. It is
 * required again, and says why, as soon as the account's address differs from the saved one (main
 * refuses a new address without the secret). On failure every field keeps what was typed.
 */
export function AccountForm({ account, onDone }: AccountFormProps) {
  const { t } = useTranslation();
  const save = useAccounts((state) => state.save);
  const testDraft = useAccounts((state) => state.testDraft);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(account));
  const [error, setError] = useState<string | null>(null);
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [shown, setShown] = useState<Partial<Record<FieldKey, string>>>({});
  const inputs = useRef<Partial<Record<FieldKey, HTMLInputElement | null>>>({});
  const formId = useId();
  const isFlipFlop = fields.provider === 'flipflop';
  const busy = phase.step === 'testing' || phase.step === 'saving';

  const labels: Record<FieldKey, string> = {
    name: t('accountForm.name'),
    baseUrl: t('accountForm.baseUrl'),
    appApiKey: t('accountForm.appApiKey'),
    eventbusUrl: t('accountForm.eventbusUrl'),
    moderatorId: isFlipFlop ? t('accountForm.moderatorUserId') : t('accountForm.clientKey'),
    moderatorName: isFlipFlop ? t('accountForm.moderatorUserName') : t('accountForm.nickName'),
    secret: isFlipFlop ? t('accountForm.appApiSecret') : t('accountForm.apiKey'),
    gossipVirtualHost: t('accountForm.gossipVirtualHost'),
    gossipLogin: t('accountForm.gossipLogin'),
    gossipPasscode: t('accountForm.gossipPasscode'),
  };

  function update<K extends keyof Fields>(key: K, value: Fields[K]): void {
    setFields((current) => ({ ...current, [key]: value }));
    if (key !== 'provider') setShown((current) => ({ ...current, [key]: undefined }));
    if (phase.step === 'testFailed') setPhase({ step: 'idle' });
  }

  const secretSaved = account?.hasSecret === true;
  const addressChanged =
    account !== undefined &&
    !sameAddresses(account, {
      provider: fields.provider,
      baseUrl: fields.baseUrl,
      eventbusUrl: fields.eventbusUrl,
    });

  async function submit(event: FormEvent, options: { test: boolean }): Promise<void> {
    event.preventDefault();
    setError(null);
    const draft = draftOf(fields, account?.id);
    const problems = accountProblems(draft, fields, !secretSaved || addressChanged);
    const found = FIELD_ORDER.filter((key) => problems[key]);
    if (found.length > 0) {
      setShown(
        Object.fromEntries(
          found.map((key) => [key, describeProblem(t, labels[key], problems[key]!)]),
        ),
      );
      setPhase({ step: 'idle' });
      inputs.current[found[0]!]?.focus();
      return;
    }
    setShown({});
    let tested: ConnectionTest | undefined;
    if (options.test) {
      setPhase({ step: 'testing' });
      const answer = await testDraft(draft);
      if (!answer.ok) {
        setPhase({ step: 'testFailed', reason: words(answer.error) });
        return;
      }
      if (!answer.value.ok) {
        setPhase({
          step: 'testFailed',
          reason: answer.value.code
            ? describeError(t, { code: answer.value.code, message: answer.value.message })
            : answer.value.message,
        });
        return;
      }
      tested = answer.value;
    }
    setPhase({ step: 'saving' });
    const result = await save(draft, tested);
    if (result.ok) {
      setFields((current) => ({ ...current, secret: '', gossipPasscode: '' }));
      setPhase({ step: 'idle' });
      onDone();
    } else {
      setPhase({ step: 'idle' });
      setError(words(result.error));
    }
  }

  /** Main's refusal in words: its own sentence for a known code, fields named as labelled. */
  function words(problem: ErrorInfo): string {
    if (problem.code === ErrorCode.SecretRequired) return describeError(t, problem);
    if (problem.code === ErrorCode.InvalidInput)
      return withFieldLabels(problem.message, (key) => labels[key]);
    // Main's words name the keychain's problem.
    return problem.message;
  }

  const field = (
    key: FieldKey,
    options: { type?: string; optional?: boolean; hint?: string } = {},
  ) => {
    const id = `${formId}-${key}`;
    const problem = shown[key];
    return (
      <div className="field">
        <label htmlFor={id}>
          {labels[key]}
          {options.optional ? (
            <span className="field-optional"> ({t('accountForm.optional')})</span>
          ) : null}
        </label>
        <input
          id={id}
          ref={(element) => {
            inputs.current[key] = element;
          }}
          type={options.type ?? 'text'}
          value={fields[key]}
          required={!options.optional}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? `${id}-problem` : undefined}
          onChange={(event) => update(key, event.target.value)}
          {...(options.hint ? { placeholder: options.hint } : {})}
        />
        {problem ? (
          <p id={`${id}-problem`} className="form-error">
            {problem}
          </p>
        ) : null}
      </div>
    );
  };

  const secretId = `${formId}-secret`;
  const secretProblem = shown.secret;
  const describedBy = [
    ...(addressChanged ? [`${secretId}-again`] : []),
    ...(secretProblem ? [`${secretId}-problem`] : []),
  ].join(' ');
  const problemFields = FIELD_ORDER.filter((key) => shown[key]);

  return (
    <form
      className="account-form"
      noValidate
      onSubmit={(event) => void submit(event, { test: true })}
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
      {field('name')}
      {field('baseUrl', { type: 'url', hint: t('accountForm.baseUrlHint') })}
      {isFlipFlop ? field('appApiKey') : field('eventbusUrl', { type: 'url' })}
      <div className="field">
        <label htmlFor={secretId}>{labels.secret}</label>
        <input
          id={secretId}
          ref={(element) => {
            inputs.current.secret = element;
          }}
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
          aria-invalid={secretProblem ? true : undefined}
          {...(describedBy ? { 'aria-describedby': describedBy } : {})}
          onChange={(event) => update('secret', event.target.value)}
        />
        {addressChanged ? (
          <p id={`${secretId}-again`} className="hint">
            {t('accountForm.secretAgain')}
          </p>
        ) : null}
        {secretProblem ? (
          <p id={`${secretId}-problem`} className="form-error">
            {secretProblem}
          </p>
        ) : null}
      </div>
      {field('moderatorId', { optional: isFlipFlop })}
      {field('moderatorName', { optional: isFlipFlop })}
      {isFlipFlop ? (
        // Most deployments need none of these: the chat token is the Gossip sign-in.
        <details
          className="account-advanced"
          open={fields.gossipLogin !== '' || fields.gossipVirtualHost !== ''}
        >
          <summary>{t('accountForm.gossipSection')}</summary>
          {field('gossipVirtualHost', {
            optional: true,
            hint: t('accountForm.gossipVirtualHostHint'),
          })}
          {field('gossipLogin', { optional: true })}
          {field('gossipPasscode', {
            type: 'password',
            optional: true,
            hint:
              account?.provider === 'flipflop' && account.hasGossipPasscode === true
                ? t('accountForm.secretPlaceholderSaved')
                : t('accountForm.gossipPasscodeHint'),
          })}
        </details>
      ) : null}
      {problemFields.length > 0 ? (
        <p className="form-error" role="alert">
          {t('accountForm.checkFields', {
            fields: problemFields.map((key) => labels[key]).join(', '),
          })}
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      {phase.step === 'testing' ? (
        <p className="connection-check" role="status">
          {t('accounts.testing')}
        </p>
      ) : null}
      {phase.step === 'testFailed' ? (
        <div className="connection-check connection-check-failed" role="alert">
          <p>
            <span aria-hidden="true">✗ </span>
            {t('accounts.testFailed', { reason: phase.reason })}
          </p>
          <p>{t('accountForm.saveAnywayHint')}</p>
        </div>
      ) : null}
      <div className="form-actions">
        <button type="button" onClick={onDone}>
          {t('accounts.cancel')}
        </button>
        {phase.step === 'testFailed' ? (
          <button type="button" onClick={(event) => void submit(event, { test: false })}>
            {t('accountForm.saveAnyway')}
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={busy}>
          {phase.step === 'testing'
            ? t('accountForm.testing')
            : phase.step === 'saving'
              ? t('accountForm.saving')
              : t('accountForm.save')}
        </button>
      </div>
    </form>
  );
}
