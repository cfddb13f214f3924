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
import { keyLabel } from './useKeys';

export type RowAction = 'hide' | 'unhide' | 'delete' | 'mute' | 'exile';

/** A row button's text and its tooltip (what it does and its key). */
export interface RowActionText {
  label: string;
  title: string;
}

export interface DeckText {
  t: TFunction;
  formatters: Formatters;
  keys: Record<BindingName, string>;
  /** The row buttons' texts, translated once per language and keymap rather than once per row. */
  actions: Record<RowAction, RowActionText>;
}

const ACTION_TEXT: Record<RowAction, { label: string; hint: string }> = {
  hide: { label: 'row.hide', hint: 'row.hide' },
  unhide: { label: 'row.unhide', hint: 'row.unhide' },
  delete: { label: 'row.delete', hint: 'row.delete' },
  mute: { label: 'row.mute', hint: 'row.muteHint' },
  exile: { label: 'row.exile', hint: 'row.exileHint' },
};

export function rowActionText(
  t: TFunction,
  keys: Record<BindingName, string>,
): Record<RowAction, RowActionText> {
  const entries = Object.entries(ACTION_TEXT).map(([action, text]) => [
    action,
    {
      label: t(text.label),
      title: t('row.actionHint', {
        action: t(text.hint),
        key: keyLabel(keys[action as RowAction]),
      }),
    },
  ]);
  return Object.fromEntries(entries) as Record<RowAction, RowActionText>;
}

export const DeckTextContext = createContext<DeckText | null>(null);

export function useDeckText(): DeckText {
  const value = useContext(DeckTextContext);
  if (!value) throw new Error('useDeckText is only for components inside the deck.');
  return value;
}
