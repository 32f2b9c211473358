/**
 * HTML built from templates whose interpolations are escaped, so a record's text can
 * never become markup. Views return `Html`; only `ledger.ts` puts it into the page.
 */

export interface Html {
  readonly __html: string;
}

export type Part = Html | string | number | boolean | null | undefined | readonly Part[];

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch] ?? ch);
}

const isHtml = (p: unknown): p is Html =>
  typeof p === 'object' && p !== null && typeof (p as Html).__html === 'string';

function render(part: Part): string {
  if (part === null || part === undefined || part === false || part === true) return '';
  if (Array.isArray(part)) return part.map(render).join('');
  if (isHtml(part)) return part.__html;
  return escapeHtml(String(part));
}

/** `markup\`<p>${text}</p>\``: strings and numbers are escaped; `Html` and lists of it are kept. */
export function markup(strings: TemplateStringsArray, ...parts: Part[]): Html {
  let out = strings[0] ?? '';
  for (let i = 0; i < parts.length; i++) out += render(parts[i]) + (strings[i + 1] ?? '');
  return { __html: out };
}

/** Markup that is already safe (a constant); never pass user data. */
export const trusted = (text: string): Html => ({ __html: text });

export const toString = (h: Part): string => render(h);

/** `attr('selected', cond)`: a boolean attribute, or nothing. */
export const flag = (name: string, on: boolean): Html => trusted(on ? ` ${name}` : '');

/** A link's address when it is one the page may open (web, mail, phone, Teams); otherwise `#`. */
export function safeHref(url: string): string {
  return /^(https?:|mailto:|tel:|msteams:)/i.test(url.trim()) ? url.trim() : '#';
}
