import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useShallow } from 'zustand/react/shallow';
import { parseRoomKey } from '../../../shared/chat';
import type { ErrorInfo } from '../../../shared/contract';
import type { Rule } from '../../../shared/model';
import { describeError } from '../lib/errors';
import { isPlainWord, plainWords, type RuleScope } from '../lib/ruleDraft';
import { useAccounts } from '../stores/accounts';

interface BannedWordsPushProps {
  scope: RuleScope;
  rules: Rule[];
}

type Outcome = { ok: true; count: number; account: string } | { ok: false; error: ErrorInfo };

/**
 * Adds the list's plain words to a FlipFlop app's own banned words, so the service filters them
 * too. Other rules stay in ModDeck (`isPlainWord`): FlipFlop's list takes words, on the text, with
 * nothing spared.
 */
export function BannedWordsPush({ scope, rules }: BannedWordsPushProps) {
  const { t } = useTranslation();
  const selectId = useId();
  const accounts = useAccounts(
    useShallow((state) => state.accounts.filter((account) => account.provider === 'flipflop')),
  );
  const push = useAccounts((state) => state.pushBannedWords);
  const preferred = scope === 'global' ? undefined : parseRoomKey(scope).accountId;
  const [chosen, setChosen] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  if (accounts.length === 0) return null;

  const accountId = accounts.some((account) => account.id === chosen)
    ? chosen
    : (accounts.find((account) => account.id === preferred)?.id ?? accounts[0]!.id);
  const words = plainWords(rules);
  const left = rules.filter((rule) => !isPlainWord(rule)).length;

  async function send(): Promise<void> {
    setBusy(true);
    setOutcome(null);
    const result = await push(accountId, words);
    setBusy(false);
    const account = accounts.find((entry) => entry.id === accountId)?.name ?? accountId;
    setOutcome(
      result.ok
        ? { ok: true, count: result.value.words.length, account }
        : { ok: false, error: result.error },
    );
  }

  return (
    <section className="banned-words" aria-labelledby={`${selectId}-heading`}>
      <h3 id={`${selectId}-heading`} className="subheading">
        {t('rules.push.title')}
      </h3>
      <p className="hint">{t('rules.push.hint')}</p>
      <div className="inline-field">
        <label htmlFor={selectId}>{t('rules.push.account')}</label>
        <select id={selectId} value={accountId} onChange={(event) => setChosen(event.target.value)}>
          {accounts.map((account) => (
            <option key={account.id} value={account.id}>
              {account.name}
            </option>
          ))}
        </select>
        <button type="button" disabled={busy || words.length === 0} onClick={() => void send()}>
          {t('rules.push.send', { count: words.length })}
        </button>
      </div>
      {left > 0 ? <p className="hint">{t('rules.push.staysHere', { count: left })}</p> : null}
      {outcome?.ok === true ? (
        <p role="status">
          {t('rules.push.done', { count: outcome.count, account: outcome.account })}
        </p>
      ) : null}
      {outcome?.ok === false ? (
        <p className="form-error" role="alert">
          {t('rules.push.failed', { reason: describeError(t, outcome.error) })}
        </p>
      ) : null}
    </section>
  );
}
