import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AutomodRule } from '../../../shared/automod/config';
import type { ErrorInfo } from '../../../shared/contract';
import type { Rule } from '../../../shared/model';
import { formatRuleFile, parseRuleFile } from '../../../shared/ruleFile';
import { formatRuleList, type RuleListError } from '../../../shared/wordfilter';
import { downloadText } from '../lib/download';
import { describeError } from '../lib/errors';
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
  /** The global list's file also carries automod's detector rules (rule file version 2). */
  automod?: {
    rules: AutomodRule[];
    /**
     * Takes a file's detector rules (in place of those with the same id, else added) and saves
     * them: null once saved, else main's refusal.
     */
    onImport: (rules: AutomodRule[]) => Promise<ErrorInfo | null>;
  };
}

type Report =
  | (ImportOutcome & {
      errors: RuleListError[];
      automod: number;
      /** Why the file's detector rules were not saved, when they were not. */
      automodFailed: ErrorInfo | null;
    })
  | { refused: string };

/** Whether a list uses a field of rules v2 that the plain-text format (version 1) cannot carry. */
function needsVersion2(rules: Rule[]): boolean {
  return rules.some(
    (rule) =>
      (rule.action ?? 'flag') !== 'flag' ||
      (rule.scope ?? 'text') !== 'text' ||
      (rule.exceptions ?? []).length > 0 ||
      (rule.exemptUsers ?? []).length > 0,
  );
}

/** Duplicates named in the report; the rest are counted. */
const NAMED_DUPLICATES = 5;

/**
 * The list as plain text, one rule a line (`/…/` for a regex, a trailing `!` for a whole word,
 * `# severity: high` before the rules of that severity): exported as a file, imported from a file
 * or pasted. Lines that are not rules are named by their line number and left out; rules already
 * in the list (or twice in the text) are named and left out.
 *
 * A list using a field of rules v2 (an action, allowed terms, exempt users, a scope) is exported as
 * a version 2 file (shared/ruleFile.ts), and the global list can be exported with automod's
 * detector rules; both versions import, and a malformed version 2 file is refused whole.
 */
export function RuleImportExport({ rules, fileTag, onImport, automod }: RuleImportExportProps) {
  const { t } = useTranslation();
  const formId = useId();
  const [text, setText] = useState('');
  const [report, setReport] = useState<Report | null>(null);

  async function take(replace: boolean): Promise<void> {
    const parsed = parseRuleFile(text);
    if (!parsed.ok) {
      setReport({ refused: parsed.message });
      return;
    }
    const outcome = onImport(parsed.rules, replace);
    const detectors = automod ? parsed.automod.length : 0;
    // Said once main has answered: a refused save is not "taken and saved".
    const automodFailed = automod && detectors > 0 ? await automod.onImport(parsed.automod) : null;
    setReport({ ...outcome, errors: parsed.errors, automod: detectors, automodFailed });
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
      <p className="hint">{t('rules.io.formatV2')}</p>
      <div className="form-actions">
        <button
          type="button"
          disabled={rules.length === 0}
          onClick={() =>
            needsVersion2(rules)
              ? downloadText(`moddeck-rules-${safeTag}.json`, formatRuleFile(rules))
              : downloadText(`moddeck-rules-${safeTag}.txt`, formatRuleList(rules))
          }
        >
          {t('rules.io.export')}
        </button>
        {automod ? (
          <button
            type="button"
            onClick={() =>
              downloadText(`moddeck-rules-${safeTag}.json`, formatRuleFile(rules, automod.rules))
            }
          >
            {t('rules.io.exportV2')}
          </button>
        ) : null}
      </div>
      <div className="field">
        <label htmlFor={`${formId}-file`}>{t('rules.io.file')}</label>
        <input
          id={`${formId}-file`}
          type="file"
          accept=".txt,.json,text/plain,application/json"
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
        <button type="button" disabled={text.trim() === ''} onClick={() => void take(false)}>
          {t('rules.io.add')}
        </button>
        <button type="button" disabled={text.trim() === ''} onClick={() => void take(true)}>
          {t('rules.io.replace')}
        </button>
      </div>
      {report && 'refused' in report ? (
        <p role="alert" className="form-error">
          {t('rules.io.refused', { reason: report.refused })}
        </p>
      ) : null}
      {report && !('refused' in report) ? (
        <div role="status" className="import-report">
          <p>{t('rules.io.added', { count: report.added })}</p>
          {report.automod > 0 && report.automodFailed === null ? (
            <p>{t('rules.io.automodTaken', { count: report.automod })}</p>
          ) : null}
          {report.automodFailed !== null ? (
            <p role="alert" className="form-error">
              {t('rules.io.automodFailed', {
                count: report.automod,
                reason: describeError(t, report.automodFailed),
              })}
            </p>
          ) : null}
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
