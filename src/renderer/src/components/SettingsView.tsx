import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../lib/errors';
import { useSettings } from '../stores/settings';
import { AuditSettings } from './AuditSettings';
import { AutomodSettings } from './AutomodSettings';
import { GeneralSettings } from './GeneralSettings';
import { HistorySettings } from './HistorySettings';
import { HoldSettings } from './HoldSettings';
import { ShieldSettings } from './ShieldSettings';
import { NotificationSettings } from './NotificationSettings';
import { ReasonSettings } from './ReasonSettings';
import { ShortcutSettings } from './ShortcutSettings';
import { WordRuleSettings } from './WordRuleSettings';

const SECTIONS = [
  'general',
  'notifications',
  'shortcuts',
  'rules',
  'automod',
  'held',
  'history',
  'reasons',
  'audit',
] as const;
type Section = (typeof SECTIONS)[number];

/**
 * Settings: general (theme, language, scrollback), notifications, shortcuts, forbidden words,
 * automod, held messages, the audit log, the message history and the reason templates.
 */
export function SettingsView() {
  const { t } = useTranslation();
  const status = useSettings((state) => state.status);
  const error = useSettings((state) => state.error);
  const ready = useSettings((state) => state.settings !== null);
  const [section, setSection] = useState<Section>('general');
  const tabs = useRef<Partial<Record<Section, HTMLButtonElement | null>>>({});

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const at = SECTIONS.indexOf(section);
    let next: Section | undefined;
    if (event.key === 'ArrowDown' || event.key === 'ArrowRight')
      next = SECTIONS[(at + 1) % SECTIONS.length];
    else if (event.key === 'ArrowUp' || event.key === 'ArrowLeft')
      next = SECTIONS[(at - 1 + SECTIONS.length) % SECTIONS.length];
    else if (event.key === 'Home') next = SECTIONS[0];
    else if (event.key === 'End') next = SECTIONS[SECTIONS.length - 1];
    if (!next) return;
    event.preventDefault();
    setSection(next);
    tabs.current[next]?.focus();
  }

  return (
    <div className="settings-view">
      <h1 className="settings-title">{t('settings.title')}</h1>
      {status === 'error' && error ? (
        <p className="form-error" role="alert">
          {t('settings.loadFailed', { reason: describeError(t, error) })}
        </p>
      ) : null}
      {!ready && status !== 'error' ? <p>{t('app.loading')}</p> : null}
      {ready ? (
        <div className="settings-layout">
          <div
            className="settings-tabs"
            role="tablist"
            aria-orientation="vertical"
            aria-label={t('settings.sections')}
            onKeyDown={onKeyDown}
          >
            {SECTIONS.map((name) => (
              <button
                key={name}
                ref={(element) => {
                  tabs.current[name] = element;
                }}
                type="button"
                role="tab"
                id={`settings-tab-${name}`}
                aria-selected={section === name}
                aria-controls={`settings-panel-${name}`}
                tabIndex={section === name ? 0 : -1}
                onClick={() => setSection(name)}
              >
                {t(`settings.${name}.title`)}
              </button>
            ))}
          </div>
          <section
            className="settings-panel"
            role="tabpanel"
            id={`settings-panel-${section}`}
            aria-labelledby={`settings-tab-${section}`}
          >
            <h2>{t(`settings.${section}.title`)}</h2>
            {section === 'general' ? <GeneralSettings /> : null}
            {section === 'notifications' ? <NotificationSettings /> : null}
            {section === 'shortcuts' ? <ShortcutSettings /> : null}
            {section === 'rules' ? <WordRuleSettings /> : null}
            {section === 'automod' ? <AutomodSettings /> : null}
            {section === 'held' ? (
              <>
                <HoldSettings />
                <ShieldSettings />
              </>
            ) : null}
            {section === 'audit' ? <AuditSettings /> : null}
            {section === 'history' ? <HistorySettings /> : null}
            {section === 'reasons' ? <ReasonSettings /> : null}
          </section>
        </div>
      ) : null}
    </div>
  );
}
