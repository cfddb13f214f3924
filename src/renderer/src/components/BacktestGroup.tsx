import { useTranslation } from 'react-i18next';
import type { BacktestRow } from '../lib/ruleDraft';
import { BacktestMessage } from './BacktestMessage';

/** Messages listed per group at most; the heading's count covers them all. */
const SHOWN = 50;

interface BacktestGroupProps {
  heading: string;
  /** The list's accessible name. */
  label: string;
  hits: readonly BacktestRow[];
  labelOf: (ruleId: string) => string;
}

/** One group of a backtest's messages under its heading; at most {@link SHOWN} listed. */
export function BacktestGroup({ heading, label, hits, labelOf }: BacktestGroupProps) {
  const { t } = useTranslation();
  return (
    <>
      <h4 className="subheading">{heading}</h4>
      {hits.length === 0 ? (
        <p className="hint">{t('rules.backtest.none')}</p>
      ) : (
        <ul className="backtest-list" aria-label={label}>
          {hits.slice(0, SHOWN).map((hit) => (
            <BacktestMessage key={hit.key} hit={hit} labelOf={labelOf} />
          ))}
        </ul>
      )}
    </>
  );
}
