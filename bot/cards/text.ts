/** Text helpers for cards: markdown escaping, lines as text blocks, truncation, Tokyo time. */
import type { TextBlock } from './adaptive-card';

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

const NBSP = '\u00a0';

/** Text blocks a text is shown in at most: the lines after the last are run together. */
export const MAX_LINE_BLOCKS = 80;

/**
 * A person's text, line by line as typed, as text blocks: one per line, the first with
 * `first.spacing`, the others close under it, a blank line (or several) shown as a gap.
 * Markdown reads a single line break as a space, so a text in one block loses its lines
 * (an email's numbered steps run together); Teams and other hosts differ on what keeps
 * them, and separate blocks look the same everywhere. `first`'s other properties (colour,
 * size, subtlety) apply to every block. Each line is escaped (`escapeMarkdown`), and
 * indented with no-break spaces where it was with spaces or tabs (a tab is four). No
 * blocks for a text of blank lines.
 */
export function lineBlocks(
  text: string,
  first: Omit<TextBlock, 'type' | 'text'> = {},
): TextBlock[] {
  const { spacing, separator, ...look } = first;
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n(?:[ \t\u3000]*\n)+/)
    .map((p) =>
      p
        .split('\n')
        .map((l) => l.replace(/\s+$/, ''))
        .filter((l) => l !== '')
        // Indented by spaces, a line of its own would be code in markdown: no-break spaces
        // indent it the same and are text.
        .map((l) => l.replace(/^[ \t]+/, (m) => NBSP.repeat(m.replace(/\t/g, '    ').length))),
    )
    .filter((p) => p.length > 0);
  const lines = paragraphs.flatMap((p, i) => p.map((line, j) => ({ line, gap: i > 0 && j === 0 })));
  const kept = lines.slice(0, MAX_LINE_BLOCKS);
  if (lines.length > MAX_LINE_BLOCKS) {
    kept[kept.length - 1]!.line = lines
      .slice(MAX_LINE_BLOCKS - 1)
      .map((l) => l.line)
      .join(' ');
  }
  return kept.map(({ line, gap }, i) => ({
    type: 'TextBlock',
    text: escapeMarkdown(line),
    wrap: true,
    ...look,
    ...(i === 0
      ? { ...(spacing ? { spacing } : {}), ...(separator ? { separator } : {}) }
      : { spacing: gap ? 'medium' : 'none' }),
  }));
}

/**
 * A person's text for a message's markdown (a line in a card's thread), each line a
 * paragraph of its own: markdown reads a single line break as a space, and a message has
 * no text blocks to keep lines apart. Blank lines are dropped; each line is escaped.
 */
export function messageParagraphs(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map(escapeMarkdown)
    .join('\n\n');
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
