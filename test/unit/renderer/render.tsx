import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { I18nextProvider } from 'react-i18next';
import { createI18n, type LanguageCode } from '../../../src/renderer/src/i18n';

/** Renders with the app's i18n, in English unless told otherwise. */
export function renderWithI18n(ui: ReactElement, language: LanguageCode = 'en'): RenderResult {
  return render(<I18nextProvider i18n={createI18n(language)}>{ui}</I18nextProvider>);
}
