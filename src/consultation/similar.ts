/**
 * How alike two consultations read: the share of character trigrams their subjects and
 * details have in common (the Dice coefficient). Japanese has no spaces between words,
 * and trigrams find 「暗号化」 in 「ファイルが暗号化された」 and 「暗号化されたファイル」
 * alike, as the desk's search does; no dictionary is needed.
 */

/** Past cases shown with a record, and how many of its category's latest closed ones are compared. */
export const SIMILAR_SHOWN = 3;
export const SIMILAR_CANDIDATES = 200;

/** Characters of a record's text that are compared: enough for what a case is about. */
const COMPARED_CHARS = 600;

/** The text a record is compared by: its subject and what the consulter said. */
export function comparedText(c: { subject: string; details: string }): string {
  return `${c.subject}\n${c.details}`;
}

/** A text's distinct trigrams, each a number, in ascending order (`trigramsOf`). */
export type Trigrams = Float64Array;

/**
 * The distinct trigrams of a text, in a normal form: full-width letters and digits made
 * half-width, case folded, spaces and punctuation left out (they say nothing of what a
 * case is about). Only the first `COMPARED_CHARS` characters count. Each trigram is a
 * number made of its three UTF-16 code units, and they are kept sorted, so two texts are
 * compared in one pass over both (several times faster than sets of strings).
 */
export function trigramsOf(text: string): Trigrams {
  const normal = text
    .slice(0, COMPARED_CHARS * 2)
    .normalize('NFKC')
    .toLowerCase();
  const units: number[] = [];
  for (let i = 0; i < normal.length && units.length < COMPARED_CHARS; i++) {
    const u = normal.charCodeAt(i);
    if (!isFiller(u)) units.push(u);
  }
  const all = new Float64Array(Math.max(0, units.length - 2));
  for (let i = 0; i < all.length; i++) {
    all[i] = units[i]! * 0x1_0000_0000 + units[i + 1]! * 0x1_0000 + units[i + 2]!;
  }
  all.sort();
  let n = 0;
  for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[i - 1]) all[n++] = all[i]!;
  return all.subarray(0, n);
}

/**
 * Whether a UTF-16 code unit (of NFKC text) is a space, a control, or ASCII, general or
 * CJK punctuation and symbols: what says nothing of what a case is about. Tested unit by
 * unit, as a regular expression over the text costs more than the rest of the work.
 */
function isFiller(u: number): boolean {
  return (
    u <= 0x2f ||
    (u >= 0x3a && u <= 0x40) ||
    (u >= 0x5b && u <= 0x60) ||
    (u >= 0x7b && u <= 0xbf) ||
    (u >= 0x2000 && u <= 0x2bff) ||
    (u >= 0x3000 && u <= 0x303f) ||
    u === 0x30fb
  );
}

/** From 0 (nothing in common) to 1 (the same trigrams). */
export function likeness(a: Trigrams, b: Trigrams): number {
  if (a.length === 0 || b.length === 0) return 0;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    if (a[i]! < b[j]!) i++;
    else if (a[i]! > b[j]!) j++;
    else {
      shared++;
      i++;
      j++;
    }
  }
  return (2 * shared) / (a.length + b.length);
}

/**
 * The candidates that read most like `c`, with how alike each is: the most alike first,
 * then the newest received; at most `limit`.
 */
export function mostAlike<T extends { subject: string; details: string; receivedAt: string }>(
  c: { subject: string; details: string },
  candidates: readonly T[],
  limit: number,
): Array<{ consultation: T; likeness: number }> {
  const mine = trigramsOf(comparedText(c));
  return candidates
    .map((r) => ({ consultation: r, likeness: likeness(mine, trigramsOf(comparedText(r))) }))
    .sort(
      (a, b) =>
        b.likeness - a.likeness ||
        b.consultation.receivedAt.localeCompare(a.consultation.receivedAt),
    )
    .slice(0, limit);
}
