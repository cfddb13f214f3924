import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import {
  compileRules,
  RuleError,
  type Explanation,
  type Matcher,
} from '../../../shared/wordfilter';
import { HighlightedText } from './HighlightedText';

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
  const sampleId = useId();
  const [sample, setSample] = useState('');
  // Compiled once per list, not once per keystroke in the sample.
  const compiled = useMemo((): { matcher: Matcher } | { problem: string } => {
    try {
      return { matcher: compileRules(rules) };
    } catch (error) {
      if (error instanceof RuleError) {
        return {
          problem: t('rules.ruleInvalid', { rule: labelOf(error.ruleId), reason: error.reason }),
        };
      }
      throw error;
    }
  }, [rules, labelOf, t]);
  const outcome = useMemo((): { explanation: Explanation } | { problem: string } | null => {
    if (sample === '') return null;
    if ('problem' in compiled) return compiled;
    return { explanation: compiled.matcher.explain(sample) };
  }, [compiled, sample]);

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
      {outcome && 'problem' in outcome ? (
        <p className="form-error" role="alert">
          {outcome.problem}
        </p>
      ) : null}
      {outcome && 'explanation' in outcome ? (
        <div className="explain" role="status" aria-label={t('rules.preview.result')}>
          <p>
            <span className="explain-label">{t('rules.preview.original')}</span>{' '}
            <HighlightedText text={sample} spans={outcome.explanation.hits} labelOf={labelOf} />
          </p>
          <p>
            <span className="explain-label">{t('rules.preview.normalized')}</span>{' '}
            <HighlightedText
              text={outcome.explanation.normalized}
              spans={outcome.explanation.hits.map((hit) => ({
                ruleId: hit.ruleId,
                start: hit.normalizedStart,
                end: hit.normalizedEnd,
              }))}
              labelOf={labelOf}
            />
          </p>
          {outcome.explanation.hits.length === 0 ? (
            <p className="hint">{t('rules.preview.noHits')}</p>
          ) : (
            <ul className="explain-hits" aria-label={t('rules.preview.hits')}>
              {outcome.explanation.hits.map((hit, index) => (
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
        </div>
      ) : null}
    </section>
  );
}
