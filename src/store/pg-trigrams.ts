/**
 * One- and two-character search on PostgreSQL. pg_trgm indexes the trigrams of each
 * search document, and a term of three or more characters is found through them; a
 * shorter term has no trigram of its own, so `LIKE '%ab%'` reads every document.
 *
 * The store keeps its own term list, as SQLite's FTS5 index has one: every key of the
 * search documents with the number of documents that hold it (`consultation_search_trigram`,
 * no link to any record). A key is a trigram of three word characters (`abX`, `Xab`); a
 * pair of word characters alone with the characters on either side (`「ab」`, ` ab\n`);
 * a word character alone with its neighbours (`「a」`); or the last two word characters
 * of a word with the character after them (`ab。`). pg_trgm indexes a word's edges, so
 * each key is one indexed `LIKE`. Every pair of word characters in a document is inside
 * a key, and every word character is a key's first or second character, so a short term
 * is found through the keys that contain it, when they are held by few documents; a
 * common term goes the row-by-row way, which stops early.
 *
 * Counts stop at `COMMON_DOCS`: a key held by that many documents is common, and is never
 * written again (so writers never wait for each other on it); a key held by none is
 * deleted, so the list keeps nothing of an erased document but what is common anyway.
 */
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { MAX_CHAR } from './search-text';
import type { Db, Trx } from './store';

type Conn = Db | Trx;

/** A key held by this many documents is common; its count is not kept any further. */
export const COMMON_DOCS = 1001;
/** A short term whose keys add up to this many documents is common (`shortTermCondition`). */
const LOOKUP_DOCS = 5 * COMMON_DOCS;

/** A word character: a letter or a digit of any script. */
const WORD = /^[\p{L}\p{N}]$/u;
export const isWordCharacter = (c: string): boolean => WORD.test(c);

/**
 * The keys of a search document: every three word characters in a row; every pair of
 * word characters alone between two other characters, with those two; every word
 * character alone, with its two neighbours; and every word's last two characters with
 * the one after them. Every occurrence of a pair of word characters is inside one of
 * them, and every word character is the first or second character of one (a document
 * starts with its number and ends with a newline, so a word always has a character
 * after it, and one before it unless it is the number).
 */
export function searchKeys(body: string): Set<string> {
  const chars = [...body];
  const word = chars.map(isWordCharacter);
  const keys = new Set<string>();
  for (let i = 0; i + 2 < chars.length; i++) {
    if (!word[i + 1]) continue;
    const three = chars[i]! + chars[i + 1] + chars[i + 2];
    // `abc`; a word's last two with the character after them, `ab。`; a character alone, `「a」`
    if (word[i] || !word[i + 2]) keys.add(three);
    // A pair alone, `「ab」`.
    else if (i + 3 < chars.length && !word[i + 3]) keys.add(three + chars[i + 3]);
  }
  return keys;
}

/**
 * What a key holds from its second character (its second and third): how a term is
 * found in `Xab`, `「ab」` or `「a」`, where it does not start the key.
 */
export const keyPair = (key: string): string => [...key].slice(1, 3).join('');

/** Documents read per step while the term list is counted. */
const COUNT_BATCH = 2000;
/** Rows written per statement while the term list is counted. */
const COUNT_WRITE = 5000;

/**
 * Counts the term list again from the search documents there are (what a migration does
 * when the keys change), in one go: whatever it held is replaced.
 */
export async function countTermList(db: Kysely<unknown>): Promise<void> {
  const docs = new Map<string, number>();
  for (let after = -1; ;) {
    const { rows } = await sql<{ id: number; body: string }>`
      SELECT consultation_id AS id, body FROM consultation_search
      WHERE consultation_id > ${after} ORDER BY consultation_id LIMIT ${COUNT_BATCH}`.execute(db);
    for (const r of rows) {
      for (const k of searchKeys(r.body))
        docs.set(k, Math.min((docs.get(k) ?? 0) + 1, COMMON_DOCS));
    }
    if (rows.length < COUNT_BATCH) break;
    after = rows[rows.length - 1]!.id;
  }
  await sql`DELETE FROM consultation_search_trigram`.execute(db);
  const keys = [...docs.keys()];
  for (let i = 0; i < keys.length; i += COUNT_WRITE) {
    const part = keys.slice(i, i + COUNT_WRITE);
    await sql`INSERT INTO consultation_search_trigram (trigram, pair, docs)
      SELECT * FROM unnest(${part}::text[], ${part.map(keyPair)}::text[],
        ${part.map((k) => docs.get(k)!)}::int[])`.execute(db);
  }
}

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
 * The condition that finds the documents holding `term` (one or two word characters)
 * through the index, or null when the term is common (one of its keys is held by as many
 * documents as a search counts, or all of them by several times that) or has a character
 * that is no word character (it has no keys).
 */
export async function shortTermCondition(
  db: Conn,
  term: string,
): Promise<RawBuilder<SqlBool> | null> {
  // A term with a character that is no word character has no keys: read row by row.
  if (![...term].every(isWordCharacter)) return null;
  // The keys that hold the term from their first character, and from their second.
  const { rows } = await sql<{ trigram: string; docs: number }>`
    SELECT trigram, docs FROM consultation_search_trigram
      WHERE trigram >= ${term} AND trigram < ${term + MAX_CHAR}
    UNION
    SELECT trigram, docs FROM consultation_search_trigram
      WHERE pair >= ${term} AND pair < ${term + MAX_CHAR}`.execute(db);
  // A key held by as many documents as a search counts makes the term common. Otherwise a
  // document holding the term often holds several of its keys, so their counts add up to
  // more than the documents that hold it: the lookup is tried up to `LOOKUP_DOCS`, and the
  // search stops it once it has found more documents than it counts.
  let docs = 0;
  for (const r of rows) {
    if (Number(r.docs) >= COMMON_DOCS) return null;
    docs += Number(r.docs);
  }
  if (docs >= LOOKUP_DOCS || rows.length >= COMMON_DOCS) return null;
  // Held by no document at all.
  if (rows.length === 0) return sql<SqlBool>`false`;
  const patterns = rows.map((r) => `%${escapeLike(r.trigram)}%`);
  // `strpos` checks the term itself, and is no index condition the planner could prefer.
  return sql<SqlBool>`(s.body LIKE ANY (${patterns}::text[]) AND strpos(s.body, ${term}) > 0)`;
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
