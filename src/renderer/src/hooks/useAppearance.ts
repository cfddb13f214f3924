/**
 * Applies the theme and the language from Settings to the page: `data-theme` on the root element
 * (absent for "system", where the stylesheet follows the OS), and the UI language (the OS
 * language for "system"), with `lang` set so screen readers pronounce the UI right. Until the
 * settings are read, the page keeps what it started with (the OS language and theme).
 */
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { systemLanguage } from '../i18n';
import { useSettings } from '../stores/settings';

export function useAppearance(): void {
  const { i18n } = useTranslation();
  const theme = useSettings((state) => state.settings?.theme);
  const language = useSettings((state) => state.settings?.language);

  useEffect(() => {
    if (theme === undefined) return;
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    if (language === undefined) return;
    const code = language === 'system' ? systemLanguage(navigator.languages) : language;
    if (i18n.language !== code) void i18n.changeLanguage(code);
    document.documentElement.lang = code;
  }, [language, i18n]);
}
