import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { z } from 'zod';
import { en as zodEn, fr as zodFr } from 'zod/locales';
import { en } from './en';
import { fr } from './fr';

export const LANGUAGES = ['fr', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'ruche.language';

function storedLanguage(): Language | null {
  const value = localStorage.getItem(STORAGE_KEY);
  return LANGUAGES.find((language) => language === value) ?? null;
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  z.config(language === 'en' ? zodEn() : zodFr());
}

/** An empty required field reads "Required" rather than zod's "too small" wording. */
z.config({
  customError: (issue) =>
    issue.code === 'too_small' && issue.input === '' ? i18next.t('errors.required') : undefined,
});
i18next.on('languageChanged', applyLanguage);
void i18next.use(initReactI18next).init({
  resources: { fr: { translation: fr }, en: { translation: en } },
  lng: storedLanguage() ?? 'fr',
  fallbackLng: 'fr',
  supportedLngs: [...LANGUAGES],
  initAsync: false,
  interpolation: { escapeValue: false },
});

/** The language chosen in the switcher, kept in localStorage. */
export function setLanguage(language: Language): void {
  localStorage.setItem(STORAGE_KEY, language);
  void i18next.changeLanguage(language);
}

/** Follows the user's profile language unless a language was chosen on this browser. */
export function applyUserLanguage(language: Language): void {
  if (!storedLanguage()) void i18next.changeLanguage(language);
}
