import type { TFunction } from 'i18next';
import type { Match } from '../../../shared/wordfilter';

/**
 * Which symbols of `text` stood for which letters in these matches (`“*” for “i”`), for the rule
 * editor's preview and backtest; null when no match has masked letters.
 */
export function describeMasked(
  t: TFunction,
  text: string,
  matches: readonly Pick<Match, 'masked'>[],
): string | null {
  const letters = matches
    .flatMap((match) => match.masked ?? [])
    .map((masked) =>
      t('rules.masked.letter', {
        symbol: text.slice(masked.start, masked.end),
        letter: masked.letter,
      }),
    );
  return letters.length === 0 ? null : letters.join(t('rules.masked.separator'));
}
