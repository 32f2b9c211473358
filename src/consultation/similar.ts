/**
 * How alike two consultations read: the share of character trigrams their subjects and
 * details have in common (the Dice coefficient). Japanese has no spaces between words,
 * and trigrams find 「暗号化」 in 「ファイルが暗号化された」 and 「暗号化されたファイル」
 * alike, as the desk's search does; no dictionary is needed.
 */

/** Characters of a record's text that are compared: enough for what a case is about. */
const COMPARED_CHARS = 2000;

/** The text a record is compared by: its subject and what the consulter said. */
export function comparedText(c: { subject: string; details: string }): string {
  return `${c.subject}\n${c.details}`;
}

/**
 * The distinct trigrams of a text, in a normal form: full-width letters and digits made
 * half-width, case folded, spaces and punctuation left out (they say nothing of what a
 * case is about). Only the first `COMPARED_CHARS` characters count.
 */
export function trigramsOf(text: string): Set<string> {
  const chars = Array.from(
    text
      .slice(0, COMPARED_CHARS * 2)
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\s\p{P}\p{S}]+/gu, ''),
  ).slice(0, COMPARED_CHARS);
  const out = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) out.add(chars[i]! + chars[i + 1]! + chars[i + 2]!);
  return out;
}

/** From 0 (nothing in common) to 1 (the same trigrams). */
export function likeness(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const t of small) if (large.has(t)) shared++;
  return (2 * shared) / (a.size + b.size);
}
