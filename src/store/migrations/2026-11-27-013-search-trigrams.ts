import { sql, type Kysely, type Migration } from 'kysely';
import { COMMON_DOCS, keyPair, searchKeys } from '../pg-trigrams';
import type { Dialect } from '../store';

/** Documents read per step while the term list is counted. */
const BATCH = 2000;
/** Rows written per statement. */
const WRITE = 5000;

/**
 * PostgreSQL: the search documents' own term list (`src/store/pg-trigrams.ts`), so that
 * a two-character term finds the keys that contain it, with how many documents hold each
 * (counting stops at `COMMON_DOCS`) and the pair each has in its second and third
 * characters. Counted here from the documents there are. SQLite has this already: the
 * FTS5 index's own term list.
 */
export function searchTrigrams(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`CREATE TABLE consultation_search_trigram (
        trigram text COLLATE "C" PRIMARY KEY,
        pair text COLLATE "C" NOT NULL,
        docs integer NOT NULL)`.execute(db);

      const docs = new Map<string, number>();
      for (let after = -1; ;) {
        const { rows } = await sql<{ id: number; body: string }>`
          SELECT consultation_id AS id, body FROM consultation_search
          WHERE consultation_id > ${after} ORDER BY consultation_id LIMIT ${BATCH}`.execute(db);
        for (const r of rows) {
          for (const k of searchKeys(r.body))
            docs.set(k, Math.min((docs.get(k) ?? 0) + 1, COMMON_DOCS));
        }
        if (rows.length < BATCH) break;
        after = rows[rows.length - 1]!.id;
      }
      const keys = [...docs.keys()];
      for (let i = 0; i < keys.length; i += WRITE) {
        const part = keys.slice(i, i + WRITE);
        await sql`INSERT INTO consultation_search_trigram (trigram, pair, docs)
          SELECT * FROM unnest(${part}::text[], ${part.map(keyPair)}::text[],
            ${part.map((k) => docs.get(k)!)}::int[])`.execute(db);
      }
      await sql`CREATE INDEX consultation_search_trigram_pair
        ON consultation_search_trigram (pair)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`DROP TABLE IF EXISTS consultation_search_trigram`.execute(db);
    },
  };
}
