/**
 * Two-character search on PostgreSQL. pg_trgm indexes the trigrams of each search
 * document, and a term of three or more characters is found through them; a term of two
 * is not (no trigram of its own), so `LIKE '%ab%'` reads every document. The store keeps
 * the set of every trigram of three word characters it has indexed
 * (`consultation_search_trigram`, no link to any record); a pair is then found through
 * the trigrams that contain it (`abX`, `Xab`) and, where it stands alone between
 * non-word characters, through pg_trgm's padded word trigrams (`<<%`). A pair with many
 * such trigrams is common, and is left to the row-by-row search, which stops early.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Db, Trx } from './store';

type Conn = Db | Trx;

/** Pairs with more trigrams than this are common: searching row by row is faster. */
export const MAX_PAIR_TRIGRAMS = 64;

/** The highest code point: the upper bound of a prefix range. */
const MAX_CHAR = String.fromCodePoint(0x10ffff);

/**
 * Adds the document's trigrams of three word characters to the set (in order, so two
 * writers adding the same new ones wait for each other rather than deadlock).
 */
export async function addTrigrams(trx: Trx, body: string): Promise<void> {
  await sql`INSERT INTO consultation_search_trigram (trigram, tail)
    SELECT t, substr(t, 2) FROM (
      SELECT DISTINCT substr(${body}::text, i, 3) AS t
      FROM generate_series(1, char_length(${body}::text) - 2) AS i
    ) x
    WHERE t ~ '^[[:alnum:]]{3}$'
    ORDER BY t COLLATE "C"
    ON CONFLICT DO NOTHING`.execute(trx);
}

/** The set's trigrams that contain `pair`, or null when there are more than `max`. */
export async function pairTrigrams(
  db: Conn,
  pair: string,
  max = MAX_PAIR_TRIGRAMS,
): Promise<string[] | null> {
  const { rows } = await sql<{ trigram: string }>`
    (SELECT trigram FROM consultation_search_trigram
      WHERE trigram >= ${pair} AND trigram < ${pair + MAX_CHAR} LIMIT ${max + 1})
    UNION
    (SELECT trigram FROM consultation_search_trigram WHERE tail = ${pair} LIMIT ${max + 1})`.execute(
    db,
  );
  return rows.length > max ? null : rows.map((r) => r.trigram);
}

/**
 * The condition that finds documents holding `pair` through the index: one of its
 * trigrams, or the pair as a word of its own; then the pair itself (`strpos`, which the
 * planner cannot mistake for an index condition).
 */
export function pairCondition(pair: string, trigrams: readonly string[]): RawBuilder<SqlBool> {
  const alternatives = [
    ...(trigrams.length > 0
      ? [sql<SqlBool>`s.body LIKE ANY (${trigrams.map((t) => `%${escapeLike(t)}%`)}::text[])`]
      : []),
    sql<SqlBool>`${pair} <<% s.body`,
  ];
  return sql<SqlBool>`((${sql.join(alternatives, sql` OR `)}) AND strpos(s.body, ${pair}) > 0)`;
}

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
