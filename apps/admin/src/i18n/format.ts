import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export interface Formatters {
  dateTime: (iso: string | null) => string;
  date: (iso: string | null) => string;
  time: (iso: string) => string;
  number: (value: number) => string;
  monthName: (month: number) => string;
}

/** Date and number formatting in the UI language. */
export function useFormatters(): Formatters {
  const { i18n } = useTranslation();
  const locale = i18n.language;
  return useMemo(() => {
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const time = new Intl.DateTimeFormat(locale, { timeStyle: 'medium' });
    const month = new Intl.DateTimeFormat(locale, { month: 'long', timeZone: 'UTC' });
    const number = new Intl.NumberFormat(locale);
    return {
      dateTime: (iso) => (iso ? dateTime.format(new Date(iso)) : '—'),
      date: (iso) => (iso ? date.format(new Date(iso)) : '—'),
      time: (iso) => time.format(new Date(iso)),
      number: (value) => number.format(value),
      monthName: (m) => month.format(Date.UTC(2000, m - 1, 1)),
    };
  }, [locale]);
}
