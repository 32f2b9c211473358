/**
 * The one way the web form's pages put text into HTML: a tagged template (`markup`, not
 * `html`, so that formatters leave the pages' own layout alone) whose every
 * interpolated value is escaped, unless it is markup this module made (`Html`).
 * Nothing a consulter typed can become markup: it is text everywhere it is shown.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Markup built by `markup`; only this is inserted into a page unescaped. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Text as HTML: `&`, `<`, `>`, quotes and backticks become entities. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (ch) => ESCAPES[ch]!);
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

function render(part: Part): string {
  if (part === null || part === undefined || part === false) return '';
  if (part instanceof Html) return part.value;
  if (Array.isArray(part)) return (part as readonly Part[]).map(render).join('');
  return escapeHtml(String(part));
}

/**
 * `markup` on `<p>${text}</p>` escapes `text`; nested `markup` results, arrays of them, and
 * `null`/`undefined`/`false` (nothing) are allowed. Use it in attribute values only
 * inside double quotes.
 */
export function markup(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new Html(out);
}

/** Markup from a constant this module controls (never from input). */
export const raw = (markup: string): Html => new Html(markup);
