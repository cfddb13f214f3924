import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { useFormatters } from '../hooks/useFormatters';
import { backtestDraft, sameRules, type DraftBacktest, type RuleScope } from '../lib/ruleDraft';
import { useFeed } from '../stores/feed';
import { useSettings } from '../stores/settings';
import { BacktestMessage } from './BacktestMessage';

interface RuleBacktestProps {
  scope: RuleScope;
  draft: Rule[];
  labelOf: (ruleId: string) => string;
}

/** Messages listed per group at most; the counts cover them all. */
const SHOWN = 50;

/**
 * Runs the draft list over the messages the deck holds for the rooms it applies to, before it is
 * saved: what it would flag (and what it flags that today's rules do not), and what would stop
 * being flagged.
 */
export function RuleBacktest({ scope, draft, labelOf }: RuleBacktestProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const headingId = useId();
  const [outcome, setOutcome] = useState<{ draft: Rule[]; result: DraftBacktest } | null>(null);

  function run(): void {
    const saved = useSettings.getState().settings?.rules ?? { global: [], rooms: {} };
    const result = backtestDraft(useFeed.getState().rooms, saved, scope, draft);
    setOutcome({ draft, result });
  }

  const stale = outcome !== null && !sameRules(outcome.draft, draft);
  const number = (value: number) => formatters.number.format(value);
  return (
    <section className="rule-backtest" aria-labelledby={headingId}>
      <h3 id={headingId} className="subheading">
        {t('rules.backtest.title')}
      </h3>
      <p className="hint">
        {scope === 'global' ? t('rules.backtest.hintGlobal') : t('rules.backtest.hintRoom')}
      </p>
      <button type="button" onClick={run}>
        {t('rules.backtest.run')}
      </button>
      {outcome ? (
        <div className="backtest-result" aria-label={t('rules.backtest.result')} role="region">
          <p role="status">
            {t('rules.backtest.summary', {
              messages: t('rules.backtest.messages', {
                count: outcome.result.scanned,
                formatted: number(outcome.result.scanned),
              }),
              rooms: t('rules.backtest.rooms', {
                count: outcome.result.rooms,
                formatted: number(outcome.result.rooms),
              }),
              flagged: number(outcome.result.flagged.length),
              newly: number(outcome.result.newlyFlagged.size),
              stopped: number(outcome.result.noLongerFlagged.length),
            })}
          </p>
          {stale ? <p className="hint">{t('rules.backtest.stale')}</p> : null}
          <h4 className="subheading">
            {t('rules.backtest.flagged', { count: outcome.result.flagged.length })}
          </h4>
          {outcome.result.flagged.length === 0 ? (
            <p className="hint">{t('rules.backtest.none')}</p>
          ) : (
            <ul className="backtest-list" aria-label={t('rules.backtest.flaggedList')}>
              {outcome.result.flagged.slice(0, SHOWN).map((hit) => (
                <BacktestMessage
                  key={hit.key}
                  hit={hit}
                  isNew={outcome.result.newlyFlagged.has(hit.key)}
                  labelOf={labelOf}
                />
              ))}
            </ul>
          )}
          <h4 className="subheading">
            {t('rules.backtest.stopped', { count: outcome.result.noLongerFlagged.length })}
          </h4>
          {outcome.result.noLongerFlagged.length === 0 ? (
            <p className="hint">{t('rules.backtest.none')}</p>
          ) : (
            <ul className="backtest-list" aria-label={t('rules.backtest.stoppedList')}>
              {outcome.result.noLongerFlagged.slice(0, SHOWN).map((hit) => (
                <BacktestMessage key={hit.key} hit={hit} isNew={false} labelOf={labelOf} />
              ))}
            </ul>
          )}
        </div>
      ) : null}
    </section>
  );
}
