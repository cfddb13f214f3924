/** i18next set up for English and Korean, following the OS language unless Settings say otherwise. */
import i18next, { type i18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ko } from './ko';

export const resources = { en: { translation: en }, ko: { translation: ko } } as const;
export type LanguageCode = keyof typeof resources;

/** Picks a supported language from the OS/browser preferences, English otherwise. */
export function systemLanguage(preferred: readonly string[]): LanguageCode {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko' || base === 'en') return base;
  }
  return 'en';
}

export function createI18n(language: LanguageCode): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources,
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false }, // React escapes; strings are rendered as text.
    returnNull: false,
    initAsync: false,
  });
  return instance;
}
