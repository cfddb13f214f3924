import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { keyLabel, useKeys } from '../hooks/useKeys';
import { BINDING_NAMES, KEYMAP, keyOfEvent, type BindingName } from '../keymap';
import { describeError } from '../lib/errors';
import { bindingUsing, overridesWith, RESERVED_KEYS } from '../lib/keymapEdit';
import { selectKeymapOverrides, useSettings } from '../stores/settings';

const MODIFIERS = new Set(['Control', 'Alt', 'Shift', 'Meta']);

type Notice = { kind: 'refused' | 'saved'; text: string } | null;

/**
 * Every binding of the deck's keymap: press "Change" and then the new key. A key another binding
 * uses is refused (nothing is saved), and each binding, or all of them, can go back to its default.
 */
export function ShortcutSettings() {
  const { t } = useTranslation();
  const keys = useKeys();
  const overrides = useSettings(selectKeymapOverrides);
  const update = useSettings((state) => state.update);
  const [capturing, setCapturing] = useState<BindingName | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  // A modifier pressed alone binds on release, unless another key joined it.
  const pendingModifier = useRef<string | null>(null);

  function describe(name: BindingName): string {
    const { command } = KEYMAP[name];
    const first = BINDING_NAMES.find((other) => KEYMAP[other].command === command);
    const text = t(`help.commands.${command}`);
    return first === name ? text : t('settings.shortcuts.alternative', { action: text });
  }

  async function bind(name: BindingName, key: string | null): Promise<void> {
    const next = key ?? KEYMAP[name].defaultKey;
    if (RESERVED_KEYS.has(next)) {
      setNotice({
        kind: 'refused',
        text: t('settings.shortcuts.reserved', { key: keyLabel(next) }),
      });
      return;
    }
    const other = bindingUsing(keys, next, name);
    if (other) {
      setNotice({
        kind: 'refused',
        text: t('settings.shortcuts.conflict', { key: keyLabel(next), action: describe(other) }),
      });
      return;
    }
    const result = await update({ keymap: overridesWith(overrides, name, key) });
    setNotice(
      result.ok
        ? {
            kind: 'saved',
            text: t('settings.shortcuts.bound', { action: describe(name), key: keyLabel(next) }),
          }
        : { kind: 'refused', text: describeError(t, result.error) },
    );
  }

  function onCaptureKeyDown(name: BindingName, event: KeyboardEvent<HTMLButtonElement>): void {
    if (event.key === 'Tab') {
      setCapturing(null);
      return;
    }
    event.preventDefault();
    event.stopPropagation();
    if (event.key === 'Escape') {
      setCapturing(null);
      setNotice(null);
      return;
    }
    if (MODIFIERS.has(event.key)) {
      pendingModifier.current = event.key;
      return;
    }
    pendingModifier.current = null;
    setCapturing(null);
    void bind(name, keyOfEvent(event));
  }

  function onCaptureKeyUp(name: BindingName, event: KeyboardEvent<HTMLButtonElement>): void {
    if (pendingModifier.current !== event.key) return;
    pendingModifier.current = null;
    setCapturing(null);
    void bind(name, event.key);
  }

  return (
    <div className="settings-section">
      <p className="hint">{t('settings.shortcuts.hint')}</p>
      <div aria-live="polite">
        {notice ? (
          <p className={notice.kind === 'refused' ? 'form-error' : 'hint'}>{notice.text}</p>
        ) : null}
      </div>
      <table className="shortcut-table">
        <thead>
          <tr>
            <th scope="col">{t('settings.shortcuts.action')}</th>
            <th scope="col">{t('settings.shortcuts.key')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('settings.shortcuts.change')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {BINDING_NAMES.map((name) => {
            const action = describe(name);
            const isDefault = keys[name] === KEYMAP[name].defaultKey;
            return (
              <tr key={name} data-binding={name}>
                <th scope="row">{action}</th>
                <td>
                  <kbd>{keyLabel(keys[name])}</kbd>
                </td>
                <td className="shortcut-actions">
                  {capturing === name ? (
                    <button
                      type="button"
                      className="capturing"
                      autoFocus
                      aria-label={t('settings.shortcuts.pressNamed', { action })}
                      onKeyDown={(event) => onCaptureKeyDown(name, event)}
                      onKeyUp={(event) => onCaptureKeyUp(name, event)}
                      onBlur={() => setCapturing(null)}
                    >
                      {t('settings.shortcuts.press')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      aria-label={t('settings.shortcuts.changeNamed', { action })}
                      onClick={() => {
                        setNotice(null);
                        setCapturing(name);
                      }}
                    >
                      {t('settings.shortcuts.change')}
                    </button>
                  )}
                  <button
                    type="button"
                    disabled={isDefault}
                    aria-label={t('settings.shortcuts.resetNamed', { action })}
                    onClick={() => void bind(name, null)}
                  >
                    {t('settings.shortcuts.reset')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <button
        type="button"
        disabled={Object.keys(overrides).length === 0}
        onClick={() => {
          setNotice(null);
          void update({ keymap: {} }).then((result) =>
            setNotice(
              result.ok
                ? { kind: 'saved', text: t('settings.shortcuts.allReset') }
                : { kind: 'refused', text: describeError(t, result.error) },
            ),
          );
        }}
      >
        {t('settings.shortcuts.resetAll')}
      </button>
    </div>
  );
}
