/** Locale-aware formatters for the current UI language, built once per language. */
import { useTranslation } from 'react-i18next';

export interface Formatters {
  /** 14:03:27 */
  time: Intl.DateTimeFormat;
  /** A date and time, short: 2026. 1. 15. 오후 9:03 / 1/15/26, 9:03 PM */
  dateTime: Intl.DateTimeFormat;
  number: Intl.NumberFormat;
  /** One decimal at most: messages per second. */
  rate: Intl.NumberFormat;
}

const cache = new Map<string, Formatters>();

export function formattersFor(language: string): Formatters {
  let formatters = cache.get(language);
  if (!formatters) {
    formatters = {
      time: new Intl.DateTimeFormat(language, {
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        hourCycle: 'h23',
      }),
      dateTime: new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'short' }),
      number: new Intl.NumberFormat(language),
      rate: new Intl.NumberFormat(language, { maximumFractionDigits: 1 }),
    };
    cache.set(language, formatters);
  }
  return formatters;
}

export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  return formattersFor(i18n.language);
}
