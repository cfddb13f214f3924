import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { MAX_SCANNED_UNITS, type ExplainedHit } from '../../../shared/wordfilter';
import { useFormatters } from '../hooks/useFormatters';
import { describeMasked } from '../lib/maskedLetters';
import { compileUsable } from '../lib/ruleDraft';
import { FlaggedText } from './FlaggedText';

interface RulePreviewProps {
  rules: Rule[];
  labelOf: (ruleId: string) => string;
}

/**
 * Try the draft list on a sample text: what the text reads as once normalised, and each hit on
 * the original text with the rule that made it. Hits found with masked letters (`b*tch`) or in
 * display order (a right-to-left override) show the reading they were found in, and say which
 * symbols stood for which letters.
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
              spans={readingSpans(explanation.hits, undefined)}
              titleOf={titleOf}
            />
          </p>
          {explanation.alternate !== undefined ? (
            <p>
              <span className="explain-label">{t('rules.preview.alternate')}</span>{' '}
              <FlaggedText
                text={explanation.alternate}
                spans={readingSpans(explanation.hits, 'alternate')}
                titleOf={titleOf}
              />
            </p>
          ) : null}
          {explanation.displayed !== undefined ? (
            <p>
              <span className="explain-label">{t('rules.preview.displayed')}</span>{' '}
              <FlaggedText
                text={explanation.displayed}
                spans={readingSpans(explanation.hits, 'displayed')}
                titleOf={titleOf}
              />
            </p>
          ) : null}
          {explanation.hits.length === 0 ? (
            <p className="hint">{t('rules.preview.noHits')}</p>
          ) : (
            <ul className="explain-hits" aria-label={t('rules.preview.hits')}>
              {explanation.hits.map((hit, index) => {
                const values = {
                  text: hit.text,
                  normalized: hit.normalizedText,
                  rule: labelOf(hit.ruleId),
                };
                const masked = describeMasked(t, sample, [hit]);
                return (
                  <li key={index}>
                    {masked !== null
                      ? t('rules.preview.hitMasked', { ...values, masked })
                      : hit.reading === 'displayed'
                        ? t('rules.preview.hitDisplayed', values)
                        : t('rules.preview.hit', values)}
                  </li>
                );
              })}
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

/** The hits found in one reading of the sample, as spans of that reading's text. */
function readingSpans(hits: readonly ExplainedHit[], reading: ExplainedHit['reading']) {
  return hits
    .filter((hit) => hit.reading === reading)
    .map((hit) => ({ ruleId: hit.ruleId, start: hit.normalizedStart, end: hit.normalizedEnd }));
}
