/**
 * Two-character search on PostgreSQL. pg_trgm indexes the trigrams of each search
 * document, and a term of three or more characters is found through them; a term of two
 * has no trigram of its own, so `LIKE '%ab%'` reads every document.
 *
 * The store keeps its own term list, as SQLite's FTS5 index has one: every key of the
 * search documents with the number of documents that hold it (`consultation_search_trigram`,
 * no link to any record). A key is a trigram of three word characters (`abX`, `Xab`), or
 * a pair of word characters alone with the characters on either side (`「ab」`, ` ab\n`),
 * which pg_trgm indexes as a word of its own. A pair is then found through the keys that
 * contain it, each an indexed `LIKE`, when they are held by few documents; a common pair
 * goes the row-by-row way, which stops early.
 *
 * Counts stop at `COMMON_DOCS`: a key held by that many documents is common, and is never
 * written again (so writers never wait for each other on it); a key held by none is
 * deleted, so the list keeps nothing of an erased document but what is common anyway.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { MAX_CHAR } from './search-text';
import type { Db, Trx } from './store';

type Conn = Db | Trx;

/** A key held by this many documents is common; its count is not kept any further. */
export const COMMON_DOCS = 1001;

/** A word character: a letter or a digit of any script. */
const WORD = /^[\p{L}\p{N}]$/u;

/**
 * The keys of a search document: every three word characters in a row, and every pair of
 * word characters alone between two other characters, with those two. Every occurrence
 * of a pair of word characters is inside one of them (a document starts with its number
 * and ends with a newline, so a pair always has characters on both sides).
 */
export function searchKeys(body: string): Set<string> {
  const chars = [...body];
  const word = chars.map((c) => WORD.test(c));
  const keys = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) {
    if (word[i] && word[i + 1] && word[i + 2]) keys.add(chars[i]! + chars[i + 1] + chars[i + 2]);
    if (i + 3 < chars.length && !word[i] && word[i + 1] && word[i + 2] && !word[i + 3]) {
      keys.add(chars[i]! + chars[i + 1] + chars[i + 2] + chars[i + 3]);
    }
  }
  return keys;
}

/** The pair a key holds in its second and third characters (how `Xab` and `「ab」` are found). */
export const keyPair = (key: string): string => [...key].slice(1, 3).join('');

/**
 * Brings the term list from a document's old text to its new one ('' for none): keys
 * the document gains count one more document, keys it loses one fewer. Rows are written
 * in key order, so two writers wait for each other rather than deadlock.
 */
export async function moveDocument(trx: Trx, oldBody: string, newBody: string): Promise<void> {
  if (oldBody === newBody) return;
  const before = searchKeys(oldBody);
  const after = searchKeys(newBody);
  const added = [...after].filter((k) => !before.has(k));
  const removed = [...before].filter((k) => !after.has(k));
  const changed = [...added, ...removed];
  if (changed.length === 0) return;
  // Most keys of a document are common already: only the others are written.
  const { rows } = await sql<{ trigram: string; docs: number }>`
    SELECT trigram, docs FROM consultation_search_trigram
    WHERE trigram = ANY (${changed}::text[])`.execute(trx);
  const known = new Map(rows.map((r) => [r.trigram, Number(r.docs)]));
  const fresh = added.filter((k) => !known.has(k));
  const counted = changed.filter((k) => (known.get(k) ?? COMMON_DOCS) < COMMON_DOCS);
  if (fresh.length > 0) {
    // A writer adding the same new key meanwhile: counted once more, not twice inserted.
    await sql`INSERT INTO consultation_search_trigram AS t (trigram, pair, docs)
      SELECT k, p, 1 FROM unnest(${fresh}::text[], ${fresh.map(keyPair)}::text[]) AS n (k, p)
      ORDER BY k COLLATE "C"
      ON CONFLICT (trigram) DO UPDATE SET docs = t.docs + 1 WHERE t.docs < ${COMMON_DOCS}`.execute(
      trx,
    );
  }
  if (counted.length > 0) {
    await sql`UPDATE consultation_search_trigram
      SET docs = docs + CASE WHEN trigram = ANY (${added}::text[]) THEN 1 ELSE -1 END
      WHERE trigram = ANY (${counted}::text[]) AND docs < ${COMMON_DOCS}`.execute(trx);
  }
  const gone = removed.filter((k) => (known.get(k) ?? COMMON_DOCS) <= 1);
  if (gone.length > 0) {
    await sql`DELETE FROM consultation_search_trigram
      WHERE trigram = ANY (${gone}::text[]) AND docs <= 0`.execute(trx);
  }
}

/**
 * The condition that finds the documents holding `pair` through the index, or null when
 * the pair is common (its keys are held by more documents than a search counts) or has
 * a character that is no word character (it has no keys).
 */
export async function pairCondition(db: Conn, pair: string): Promise<RawBuilder<SqlBool> | null> {
  // A pair with a character that is no word character has no keys: read row by row.
  if (![...pair].every((c) => WORD.test(c))) return null;
  const { rows } = await sql<{ trigram: string; docs: number }>`
    SELECT trigram, docs FROM consultation_search_trigram
      WHERE trigram >= ${pair} AND trigram < ${pair + MAX_CHAR}
    UNION
    SELECT trigram, docs FROM consultation_search_trigram WHERE pair = ${pair}`.execute(db);
  let docs = 0;
  for (const r of rows) docs += Number(r.docs);
  if (docs >= COMMON_DOCS) return null;
  // Held by no document at all.
  if (rows.length === 0) return sql<SqlBool>`false`;
  const patterns = rows.map((r) => `%${escapeLike(r.trigram)}%`);
  // `strpos` checks the pair itself, and is no index condition the planner could prefer.
  return sql<SqlBool>`(s.body LIKE ANY (${patterns}::text[]) AND strpos(s.body, ${pair}) > 0)`;
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
