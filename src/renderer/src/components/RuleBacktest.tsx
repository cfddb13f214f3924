import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { useFormatters } from '../hooks/useFormatters';
import {
  backtestDraft,
  compileUsable,
  sameRules,
  type DraftBacktest,
  type RuleScope,
} from '../lib/ruleDraft';
import { useFeed } from '../stores/feed';
import { useRooms } from '../stores/rooms';
import { useSettings } from '../stores/settings';
import { BacktestGroup } from './BacktestGroup';

interface RuleBacktestProps {
  scope: RuleScope;
  draft: Rule[];
  labelOf: (ruleId: string) => string;
}

/**
 * Runs the draft list over the messages the deck holds for the rooms it applies to, before it is
 * saved: what it would newly flag, what is flagged today and stays flagged, and what would stop
 * being flagged, each in a list of its own.
 */
export function RuleBacktest({ scope, draft, labelOf }: RuleBacktestProps) {
  const { t } = useTranslation();
  const formatters = useFormatters();
  const headingId = useId();
  const [outcome, setOutcome] = useState<{ draft: Rule[]; result: DraftBacktest } | null>(null);

  function run(): void {
    const saved = useSettings.getState().settings?.rules ?? { global: [], rooms: {} };
    const openRooms = useRooms.getState().byKey;
    const result = backtestDraft(
      useFeed.getState().rooms,
      saved,
      scope,
      draft,
      compileUsable,
      (roomKey) => openRooms[roomKey]?.moderatorUserId ?? undefined,
    );
    setOutcome({ draft, result });
  }

  const stale = outcome !== null && !sameRules(outcome.draft, draft);
  const newly =
    outcome?.result.flagged.filter((hit) => outcome.result.newlyFlagged.has(hit.key)) ?? [];
  const already =
    outcome?.result.flagged.filter((hit) => !outcome.result.newlyFlagged.has(hit.key)) ?? [];
  const number = (value: number) => formatters.number.format(value);
  return (
    <section className="rule-backtest" aria-labelledby={headingId}>
      <h3 id={headingId} className="subheading">
        {t('rules.backtest.title')}
      </h3>
      <p className="hint">
        {scope === 'global' ? t('rules.backtest.hintGlobal') : t('rules.backtest.hintRoom')}
      </p>
      {draft.some((rule) => (rule.scope ?? 'text') !== 'text') ? (
        <p className="hint">{t('rules.v2.backtestNames')}</p>
      ) : null}
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
              newly: number(newly.length),
              already: number(already.length),
              stopped: number(outcome.result.noLongerFlagged.length),
            })}
          </p>
          {stale ? <p className="hint">{t('rules.backtest.stale')}</p> : null}
          <BacktestGroup
            heading={t('rules.backtest.newly', { count: newly.length })}
            label={t('rules.backtest.newlyList')}
            hits={newly}
            labelOf={labelOf}
          />
          <BacktestGroup
            heading={t('rules.backtest.already', { count: already.length })}
            label={t('rules.backtest.alreadyList')}
            hits={already}
            labelOf={labelOf}
          />
          <BacktestGroup
            heading={t('rules.backtest.stopped', { count: outcome.result.noLongerFlagged.length })}
            label={t('rules.backtest.stoppedList')}
            hits={outcome.result.noLongerFlagged}
            labelOf={labelOf}
          />
        </div>
      ) : null}
    </section>
  );
}
