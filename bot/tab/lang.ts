/** Which language the page speaks: Japanese first; English when the person asks for it. */
import type { Lang } from './messages';

export interface LangHints {
  /** The person's own choice on this page (the switch), remembered in the browser. */
  chosen?: string | null;
  /** Teams' or Outlook's locale (`app.getContext().app.locale`), e.g. `en-us`. */
  hostLocale?: string | null;
  /** `navigator.languages`, most preferred first. */
  browser?: readonly string[];
}

const asLang = (tag: string | null | undefined): Lang | null => {
  const primary = (tag ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'ja' ? 'ja' : primary === 'en' ? 'en' : null;
};

/**
 * The switch wins; then the host's locale (only English or Japanese change anything:
 * other languages read Japanese, the desk's own); then the browser's first Japanese or
 * English preference; then Japanese.
 */
export function pickLang(h: LangHints): Lang {
  const chosen = asLang(h.chosen);
  if (chosen) return chosen;
  if (h.hostLocale) return asLang(h.hostLocale) ?? 'ja';
  for (const tag of h.browser ?? []) {
    const lang = asLang(tag);
    if (lang) return lang;
  }
  return 'ja';
}
