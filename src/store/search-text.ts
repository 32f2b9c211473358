/**
 * Search works on substrings of normalised text: NFKC folds full-width letters and
 * digits to half-width (ＬｏｃｋＢｉｔ → LockBit) and half-width katakana to full-width,
 * then case is folded.
 */
export function normalizeForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

/** The words of a query: normalised, split on any white space, duplicates dropped. */
export function searchTerms(query: string): string[] {
  const terms = normalizeForSearch(query)
    .split(/\s+/u)
    .filter((t) => t.length > 0);
  return [...new Set(terms)];
}

/**
 * The indexed document. Fields are joined by a newline and the text ends with two, so
 * that every 1- or 2-character substring is the start of some trigram — which is how
 * short queries are answered from the trigram index.
 */
export function searchDocument(fields: ReadonlyArray<string | null | undefined>): string {
  const parts = fields.filter((f): f is string => !!f && f.trim().length > 0);
  return normalizeForSearch(parts.join('\n')) + '\n\n';
}

/** Characters in a query term measured as the trigram tokenizer counts them (code points). */
export function charLength(term: string): number {
  return [...term].length;
}

/** The highest code point: `term + MAX_CHAR` bounds every string that starts with `term`. */
export const MAX_CHAR = String.fromCodePoint(0x10ffff);
