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

export type RowAction = 'hide' | 'unhide' | 'delete' | 'mute' | 'exile' | 'looksFine';

/** A row button's text and its tooltip (what it does and its key). */
export interface RowActionText {
  label: string;
  title: string;
}

/** Texts every message row fills in, from templates translated once per language. */
export interface RowText {
  /** The row's accessible name: who, when, what. */
  label(user: string, time: string, text: string): string;
  /** The author button's tooltip. */
  openUser(user: string): string;
  /** A join or leave, said in words. */
  presence(kind: 'join' | 'leave', user: string): string;
  /** The accessible name of a row that says something about a user instead of quoting them. */
  presenceLabel(time: string, text: string): string;
  /** Which rules flagged a message (its accessible name, a flagged word's tooltip). */
  flaggedBy(rules: string): string;
  /** The name of the word filter's flag of a message too long to read whole. */
  overLong: string;
  /** An automod flag's marker, its accessible name: "Automod: same message 4 times in 20 s". */
  automod(reason: string): string;
  /** Beside an author muted or exiled in the row's room. */
  muted: string;
  exiled: string;
}

export interface DeckText {
  t: TFunction;
  formatters: Formatters;
  keys: Record<BindingName, string>;
  /** The row buttons' texts, translated once per language and keymap rather than once per row. */
  actions: Record<RowAction, RowActionText>;
  rows: RowText;
}

const ACTION_TEXT: Record<RowAction, { label: string; hint: string; binding: BindingName }> = {
  hide: { label: 'row.hide', hint: 'row.hide', binding: 'hide' },
  unhide: { label: 'row.unhide', hint: 'row.unhide', binding: 'unhide' },
  delete: { label: 'row.delete', hint: 'row.delete', binding: 'delete' },
  mute: { label: 'row.mute', hint: 'row.muteHint', binding: 'mute' },
  exile: { label: 'row.exile', hint: 'row.exileHint', binding: 'exile' },
  looksFine: { label: 'row.looksFine', hint: 'row.looksFineHint', binding: 'markHandled' },
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
        key: keyLabel(keys[text.binding]),
      }),
    },
  ]);
  return Object.fromEntries(entries) as Record<RowAction, RowActionText>;
}

/**
 * A translation with placeholders, as a function of their values: `t` runs once, with markers in
 * place of the values, and each call joins the pieces (a busy deck mounts over a thousand rows a
 * second, and `t` with interpolation was a few percent of the page's time).
 */
export function template<Name extends string>(
  t: TFunction,
  key: string,
  names: readonly Name[],
): (values: Record<Name, string>) => string {
  const marked = t(
    key,
    Object.fromEntries(names.map((name, index) => [name, `\uE000${index}\uE000`])),
  );
  const pieces = marked.split(/\uE000(\d+)\uE000/);
  return (values) => {
    let out = pieces[0] ?? '';
    for (let index = 1; index < pieces.length; index += 2) {
      out += values[names[Number(pieces[index])] as Name] + (pieces[index + 1] ?? '');
    }
    return out;
  };
}

export function rowText(t: TFunction): RowText {
  const label = template(t, 'row.label', ['user', 'time', 'text']);
  const openUser = template(t, 'row.openUser', ['user']);
  const joined = template(t, 'row.join', ['user']);
  const left = template(t, 'row.leave', ['user']);
  const presenceLabel = template(t, 'row.presenceLabel', ['time', 'text']);
  const flaggedBy = template(t, 'row.flaggedBy', ['rules']);
  const automod = template(t, 'row.automod', ['reason']);
  return {
    label: (user, time, text) => label({ user, time, text }),
    openUser: (user) => openUser({ user }),
    presence: (kind, user) => (kind === 'join' ? joined : left)({ user }),
    presenceLabel: (time, text) => presenceLabel({ time, text }),
    flaggedBy: (rules) => flaggedBy({ rules }),
    overLong: t('row.overLong'),
    automod: (reason) => automod({ reason }),
    muted: t('row.standing.muted'),
    exiled: t('row.standing.exiled'),
  };
}

export const DeckTextContext = createContext<DeckText | null>(null);

export function useDeckText(): DeckText {
  const value = useContext(DeckTextContext);
  if (!value) throw new Error('useDeckText is only for components inside the deck.');
  return value;
}
