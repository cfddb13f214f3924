import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { MAX_SCANNED_UNITS } from '../../../shared/wordfilter';
import { useFormatters } from '../hooks/useFormatters';
import { compileUsable } from '../lib/ruleDraft';
import { FlaggedText } from './FlaggedText';

interface RulePreviewProps {
  rules: Rule[];
  labelOf: (ruleId: string) => string;
}

/**
 * Try the draft list on a sample text: what the text reads as once normalised, and each hit on
 * the original text with the rule that made it.
 */
export function RulePreview({ rules, labelOf }: RulePreviewProps) {
  const { t } = useTranslation();
  const titleOf = (ruleIds: readonly string[]) =>
    t('row.flaggedBy', { rules: ruleIds.map(labelOf).join(', ') });
  const formatters = useFormatters();
  const sampleId = useId();
  const [sample, setSample] = useState('');
  // Compiled once per list, not once per keystroke in the sample.
  const matcher = useMemo(() => compileUsable(rules), [rules]);
  const explanation = useMemo(
    () => (sample === '' ? null : matcher.explain(sample)),
    [matcher, sample],
  );

  return (
    <section className="rule-preview" aria-labelledby={`${sampleId}-heading`}>
      <h3 id={`${sampleId}-heading`} className="subheading">
        {t('rules.preview.title')}
      </h3>
      <div className="field">
        <label htmlFor={sampleId}>{t('rules.preview.sample')}</label>
        <textarea
          id={sampleId}
          rows={2}
          value={sample}
          spellCheck={false}
          onChange={(event) => setSample(event.target.value)}
        />
      </div>
      {explanation ? (
        <div className="explain" role="status" aria-label={t('rules.preview.result')}>
          <p>
            <span className="explain-label">{t('rules.preview.original')}</span>{' '}
            <FlaggedText text={sample} spans={explanation.hits} titleOf={titleOf} />
          </p>
          <p>
            <span className="explain-label">{t('rules.preview.normalized')}</span>{' '}
            <FlaggedText
              text={explanation.normalized}
              spans={explanation.hits.map((hit) => ({
                ruleId: hit.ruleId,
                start: hit.normalizedStart,
                end: hit.normalizedEnd,
              }))}
              titleOf={titleOf}
            />
          </p>
          {explanation.hits.length === 0 ? (
            <p className="hint">{t('rules.preview.noHits')}</p>
          ) : (
            <ul className="explain-hits" aria-label={t('rules.preview.hits')}>
              {explanation.hits.map((hit, index) => (
                <li key={index}>
                  {t('rules.preview.hit', {
                    text: hit.text,
                    normalized: hit.normalizedText,
                    rule: labelOf(hit.ruleId),
                  })}
                </li>
              ))}
            </ul>
          )}
          {explanation.scanned < sample.length ? (
            <p className="hint">
              {t('rules.preview.overLong', {
                formatted: formatters.number.format(MAX_SCANNED_UNITS),
              })}
            </p>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
