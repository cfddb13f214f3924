import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Rule } from '../../../shared/model';
import { formatRuleList, parseRuleList, type RuleListError } from '../../../shared/wordfilter';
import { downloadText } from '../lib/download';
import { ruleLabel } from '../stores/settings';

/** What an import took into the draft, and the rules it left out as already there. */
export interface ImportOutcome {
  added: number;
  duplicates: Rule[];
}

interface RuleImportExportProps {
  rules: Rule[];
  /** The file name's distinctive part: `global` or the room. */
  fileTag: string;
  /** Takes imported rules into the draft; `replace` drops the ones there. */
  onImport: (rules: Rule[], replace: boolean) => ImportOutcome;
}

interface Report extends ImportOutcome {
  errors: RuleListError[];
}

/** Duplicates named in the report; the rest are counted. */
const NAMED_DUPLICATES = 5;

/**
 * The list as plain text, one rule a line (`/…/` for a regex, a trailing `!` for a whole word,
 * `# severity: high` before the rules of that severity): exported as a file, imported from a file
 * or pasted. Lines that are not rules are named by their line number and left out; rules already
 * in the list (or twice in the text) are named and left out.
 */
export function RuleImportExport({ rules, fileTag, onImport }: RuleImportExportProps) {
  const { t } = useTranslation();
  const formId = useId();
  const [text, setText] = useState('');
  const [report, setReport] = useState<Report | null>(null);

  function take(replace: boolean): void {
    const parsed = parseRuleList(text);
    setReport({ ...onImport(parsed.rules, replace), errors: parsed.errors });
    if (parsed.errors.length === 0) setText('');
  }

  async function readFile(file: File | undefined): Promise<void> {
    if (!file) return;
    setText(await file.text());
    setReport(null);
  }

  const safeTag = fileTag.replace(/[^A-Za-z0-9_-]+/g, '-');
  return (
    <section className="rule-import" aria-labelledby={`${formId}-heading`}>
      <h3 id={`${formId}-heading`} className="subheading">
        {t('rules.io.title')}
      </h3>
      <p className="hint">{t('rules.io.format')}</p>
      <div className="form-actions">
        <button
          type="button"
          disabled={rules.length === 0}
          onClick={() => downloadText(`moddeck-rules-${safeTag}.txt`, formatRuleList(rules))}
        >
          {t('rules.io.export')}
        </button>
      </div>
      <div className="field">
        <label htmlFor={`${formId}-file`}>{t('rules.io.file')}</label>
        <input
          id={`${formId}-file`}
          type="file"
          accept=".txt,text/plain"
          onChange={(event) => void readFile(event.target.files?.[0])}
        />
      </div>
      <div className="field">
        <label htmlFor={`${formId}-text`}>{t('rules.io.paste')}</label>
        <textarea
          id={`${formId}-text`}
          rows={4}
          value={text}
          spellCheck={false}
          onChange={(event) => {
            setText(event.target.value);
            setReport(null);
          }}
        />
      </div>
      <div className="form-actions">
        <button type="button" disabled={text.trim() === ''} onClick={() => take(false)}>
          {t('rules.io.add')}
        </button>
        <button type="button" disabled={text.trim() === ''} onClick={() => take(true)}>
          {t('rules.io.replace')}
        </button>
      </div>
      {report ? (
        <div role="status" className="import-report">
          <p>{t('rules.io.added', { count: report.added })}</p>
          {report.duplicates.length > 0 ? (
            <p>
              {t('rules.io.duplicates', { count: report.duplicates.length })}{' '}
              {report.duplicates.slice(0, NAMED_DUPLICATES).map((rule, index) => (
                <span key={rule.id}>
                  {index > 0 ? ', ' : null}
                  <code>
                    <bdi>{ruleLabel(rule)}</bdi>
                  </code>
                </span>
              ))}
              {report.duplicates.length > NAMED_DUPLICATES
                ? ` ${t('rules.io.andMore', { count: report.duplicates.length - NAMED_DUPLICATES })}`
                : null}
            </p>
          ) : null}
          {report.errors.length > 0 ? (
            <>
              <p className="form-error">{t('rules.io.skipped', { count: report.errors.length })}</p>
              <ul className="import-errors">
                {report.errors.map((error) => (
                  <li key={error.line}>
                    {t('rules.io.lineError', { line: error.line, reason: error.message })}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
