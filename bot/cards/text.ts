/** Text helpers for cards: markdown escaping, truncation, Tokyo time. */

/** Punctuation that starts or ends inline markdown (emphasis, links, code, HTML, entities, templates). */
const INLINE = /[\\`*_[\]()<>~|{}&!]/g;
/** Block markers at the start of a line: headings, quotes, lists, setext underlines. */
const LINE_START = /^([ \t]*)(#|[-+=]|\d+(?=[.)]))/gm;

/**
 * Makes a person's text inert in a TextBlock or a Fact: every character that Adaptive
 * Card markdown (a CommonMark subset) would read as formatting is backslash-escaped,
 * so `**x**`, `[a](http://evil)`, `<script>` or `# h` show exactly as typed.
 *
 * Use it for text rendered as markdown only. Input values, placeholders and choice
 * titles are shown verbatim and must not be escaped (the backslashes would show).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(INLINE, '\\$&')
    .replace(LINE_START, (_m, indent: string, marker: string) =>
      /^\d/.test(marker) ? `${indent}${marker}\\` : `${indent}\\${marker}`,
    );
}

/**
 * Cuts text to at most `max` characters (code points, so no surrogate pair is split),
 * ending with "…" when something was cut.
 */
export function truncate(text: string, max: number): { text: string; truncated: boolean } {
  const chars = Array.from(text);
  if (chars.length <= max) return { text, truncated: false };
  return { text: chars.slice(0, Math.max(0, max - 1)).join('') + '…', truncated: true };
}

const TOKYO_OFFSET_MS = 9 * 60 * 60 * 1000; // Japan has no daylight saving time.
const pad = (n: number) => String(n).padStart(2, '0');

/**
 * An instant as Tokyo wall-clock time: `2026/11/26 14:05` (`full`), `11/26 14:05`
 * (`short`) or the day alone, `2026/11/26` (`date`). An unparsable value is returned
 * unchanged.
 */
export function formatTokyo(iso: string, form: 'full' | 'short' | 'date' = 'full'): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const d = new Date(ms + TOKYO_OFFSET_MS);
  const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  const md = `${d.getUTCMonth() + 1}/${d.getUTCDate()}`;
  const day = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
  if (form === 'short') return `${md} ${time}`;
  return form === 'date' ? day : `${day} ${time}`;
}
