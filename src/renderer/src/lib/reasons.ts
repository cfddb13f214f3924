/** Reason templates: the moderator's own from Settings, or the defaults in the window's language. */
import type { TFunction } from 'i18next';

/** The default templates, in order (1 is spam), under `reasons.defaults` in every language. */
export const DEFAULT_REASONS = ['spam', 'harassment', 'slur', 'offTopic', 'advertising'] as const;

/**
 * How long after a hide, delete, mute or exile the number keys pick a reason for it (unless
 * another key comes first): as long as the toast that lists the reasons stays.
 */
export const REASON_KEYS_MS = 5000;

/** The templates in order: template N is picked by key N. */
export function reasonTemplates(
  saved: readonly string[] | null | undefined,
  t: TFunction,
): string[] {
  return saved ? [...saved] : DEFAULT_REASONS.map((key) => t(`reasons.defaults.${key}`));
}
