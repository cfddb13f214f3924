import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { BINDING_NAMES, KEYMAP, type Command } from '../keymap';
import { keepTabInside } from '../lib/focusTrap';
import { useView } from '../stores/view';

/** The `?` overlay: every binding of the keymap, as the moderator has it. Tab stays inside it. */
export function KeyboardHelp() {
  const { t } = useTranslation();
  const keys = useKeys();
  const setHelp = useView((state) => state.setHelp);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const previous = document.activeElement;
    ref.current?.focus();
    return () => {
      if (previous instanceof HTMLElement) previous.focus({ preventScroll: true });
    };
  }, []);

  // Bindings of one command share a line: "j / ↓  Next message".
  const rows: { command: Command; keys: string[] }[] = [];
  for (const name of BINDING_NAMES) {
    const { command } = KEYMAP[name];
    const row = rows.find((entry) => entry.command === command);
    if (row) row.keys.push(keys[name]);
    else rows.push({ command, keys: [keys[name]] });
  }

  return (
    <div className="overlay" onClick={() => setHelp(false)}>
      <div
        ref={ref}
        className="help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-heading"
        tabIndex={-1}
        onKeyDown={keepTabInside}
        onClick={(event) => event.stopPropagation()}
      >
        <div className="panel-header">
          <h2 id="help-heading">{t('help.title')}</h2>
          <button
            type="button"
            className="icon-button"
            aria-label={t('help.close')}
            onClick={() => setHelp(false)}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
        <table className="help-table">
          <tbody>
            {rows.map((row) => (
              <tr key={row.command} data-command={row.command}>
                <td className="help-keys">
                  {row.keys.map((key, index) => (
                    <span key={key}>
                      {index > 0 ? <span className="help-or"> / </span> : null}
                      <kbd>{keyLabel(key)}</kbd>
                    </span>
                  ))}
                </td>
                <td>{t(`help.commands.${row.command}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">{t('help.reasons')}</p>
        <p className="hint">{t('help.typing')}</p>
      </div>
    </div>
  );
}
