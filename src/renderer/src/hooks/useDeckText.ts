/**
 * The translation function, formatters and key bindings for the deck's rows, read once by the
 * deck and handed down by context. `useTranslation` copies the i18n instance for every component
 * that mounts it; a busy deck mounts rows all the time (8 rooms × 50 msg/s), so rows read this
 * context instead. The deck re-renders the value when the language or the keymap changes.
 */
import type { TFunction } from 'i18next';
import { createContext, useContext } from 'react';
import type { BindingName } from '../keymap';
import type { Formatters } from './useFormatters';

export interface DeckText {
  t: TFunction;
  formatters: Formatters;
  keys: Record<BindingName, string>;
}

export const DeckTextContext = createContext<DeckText | null>(null);

export function useDeckText(): DeckText {
  const value = useContext(DeckTextContext);
  if (!value) throw new Error('useDeckText is only for components inside the deck.');
  return value;
}
