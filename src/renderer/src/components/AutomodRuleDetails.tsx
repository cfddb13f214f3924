import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  AutomodRule,
  AutomodConfigError,
  parseAutomodConfig,
} from '../../../shared/automod/config';
import { backtestDetector, type DetectorBacktest } from '../lib/detectorBacktest';
import { listOf, textOfList } from '../lib/ruleDraft';
import { useFeed } from '../stores/feed';
import { StoredDetectorBacktest } from './StoredDetectorBacktest';
import { DetectorHitText } from './DetectorHitText';

interface AutomodRuleDetailsProps {
  rule: AutomodRule;
  /** The rule's name in the window's language. */
  name: string;
  disabled: boolean;
  /** Saves the rule as changed (already checked against the configuration's schema). */
  onChange: (rule: AutomodRule) => void;
}

/** Flagged messages listed in a backtest; the rest are counted. */
const SHOWN_HITS = 50;

type ParamValue = number | string | readonly unknown[];

/** Parameters whose value is a time in milliseconds, edited in seconds. */
function isWindow(key: string): boolean {
  return key.endsWith('Ms');
}

function shown(key: string, value: ParamValue): string {
  if (Array.isArray(value))
    return value.every((entry) => typeof entry === 'string') ? textOfList(value) : '';
  if (typeof value === 'number') return String(isWindow(key) ? value / 1000 : value);
  return String(value);
}

/**
 * One detector rule's parameters, each with its default and the published setting it beats, its
 * exempt users, and a backtest over the buffered messages, then over the stored history too
 * (`StoredDetectorBacktest`). A change is saved once it is valid.
 */
export function AutomodRuleDetails({ rule, name, disabled, onChange }: AutomodRuleDetailsProps) {
  const { t } = useTranslation();
  const formId = useId();
  const defaults = AutomodRule.parse({ id: rule.id, kind: rule.kind }).params as Record<
    string,
    ParamValue
  >;
  const params = rule.params as Record<string, ParamValue>;
  const [typed, setTyped] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [backtest, setBacktest] = useState<DetectorBacktest | null>(null);

  function take(next: AutomodRule): void {
    try {
      const [checked] = parseAutomodConfig({ rules: [next] }).rules;
      setProblem(null);
      if (checked) onChange(checked);
    } catch (error) {
      if (!(error instanceof AutomodConfigError)) throw error;
      setProblem(error.problems[0]?.replace(/^rules\[0\] \([^)]*\)\.?/, '') ?? error.message);
    }
  }

  function typeParam(key: string, text: string): void {
    setTyped((current) => ({ ...current, [key]: text }));
    const old = params[key];
    let value: ParamValue;
    if (Array.isArray(old)) value = listOf(text);
    else if (typeof old === 'number') {
      const number = Number(text);
      if (text.trim() === '' || !Number.isFinite(number)) {
        setProblem(t('settings.automod.invalidParam', { reason: text }));
        return;
      }
      value = isWindow(key) ? Math.round(number * 1000) : number;
    } else value = text;
    take({ ...rule, params: { ...params, [key]: value } } as AutomodRule);
  }

  const keys = Object.keys(params).filter((key) => key !== 'patterns');
  const notes = t(`settings.automod.notes.${rule.kind}`, { returnObjects: true, defaultValue: {} });
  return (
    <details className="automod-rule-details" data-rule-id={rule.id}>
      <summary>{t('settings.automod.parametersNamed', { rule: name })}</summary>
      {keys.map((key) => {
        const value = params[key]!;
        const id = `${formId}-${key}`;
        const note = (notes as Record<string, string | undefined>)[key];
        const label = t(`settings.automod.params.${key}` as 'settings.automod.params.count');
        const hint = `${t('settings.automod.defaultIs', { value: shown(key, defaults[key]!) || '—' })}${note ? ` ${note}` : ''}`;
        if (key === 'scope') {
          return (
            <div className="field" key={key}>
              <label htmlFor={id}>{label}</label>
              <select
                id={id}
                value={String(value)}
                disabled={disabled}
                aria-describedby={`${id}-hint`}
                onChange={(event) => typeParam(key, event.target.value)}
              >
                {(['text', 'name', 'both'] as const).map((scope) => (
                  <option key={scope} value={scope}>
                    {t(`settings.automod.scopes.${scope}`)}
                  </option>
                ))}
              </select>
              <span className="hint" id={`${id}-hint`}>
                {hint}
              </span>
            </div>
          );
        }
        return (
          <div className="field" key={key}>
            <label htmlFor={id}>{label}</label>
            <input
              id={id}
              type={typeof value === 'number' ? 'number' : 'text'}
              step="any"
              value={typed[key] ?? shown(key, value)}
              disabled={disabled}
              aria-describedby={`${id}-hint`}
              onChange={(event) => typeParam(key, event.target.value)}
            />
            <span className="hint" id={`${id}-hint`}>
              {hint}
            </span>
          </div>
        );
      })}
      {rule.kind === 'namePattern' ? (
        <p className="hint">
          {t('settings.automod.patternsCount', { count: rule.params.patterns.length })}{' '}
          {t('settings.automod.patternsNote')}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${formId}-exempt`}>{t('settings.automod.exemptUsers')}</label>
        <input
          id={`${formId}-exempt`}
          type="text"
          value={typed['#exempt'] ?? textOfList(rule.exemptUsers)}
          disabled={disabled}
          aria-describedby={`${formId}-exempt-hint`}
          onChange={(event) => {
            setTyped((current) => ({ ...current, '#exempt': event.target.value }));
            take({ ...rule, exemptUsers: listOf(event.target.value) });
          }}
        />
        <span className="hint" id={`${formId}-exempt-hint`}>
          {t('settings.automod.exemptUsersHint')}
        </span>
      </div>
      {problem ? (
        <p role="alert" className="form-error">
          {t('settings.automod.invalidParam', { reason: problem })}
        </p>
      ) : null}
      <div className="form-actions">
        <button
          type="button"
          aria-label={t('settings.automod.backtest.runNamed', { rule: name })}
          onClick={() => setBacktest(backtestDetector(useFeed.getState().rooms, rule))}
        >
          {t('settings.automod.backtest.run')}
        </button>
      </div>
      {backtest ? (
        <section
          className="automod-backtest"
          aria-label={t('settings.automod.backtest.result', { rule: name })}
        >
          <p role="status">
            {backtest.flagged.length === 0
              ? t('settings.automod.backtest.none')
              : t('settings.automod.backtest.summary', {
                  count: backtest.scanned,
                  formatted: backtest.scanned,
                  flagged: backtest.flagged.length,
                })}
          </p>
          {backtest.flagged.length > 0 ? (
            <ul>
              {backtest.flagged.slice(0, SHOWN_HITS).map((hit) => (
                <li key={hit.key}>
                  <DetectorHitText
                    userName={hit.userName}
                    reason={hit.reason}
                    why={hit.why}
                    text={hit.text}
                  />
                </li>
              ))}
              {backtest.flagged.length > SHOWN_HITS ? (
                <li>
                  {t('settings.automod.backtest.more', {
                    count: backtest.flagged.length - SHOWN_HITS,
                  })}
                </li>
              ) : null}
            </ul>
          ) : null}
        </section>
      ) : null}
      {backtest ? <StoredDetectorBacktest rule={rule} name={name} /> : null}
    </details>
  );
}
