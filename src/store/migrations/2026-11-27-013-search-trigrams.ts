import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * PostgreSQL: the set of every trigram of three word characters in the search documents
 * (`src/store/pg-trigrams.ts`), by itself and by its last two characters, so that a
 * two-character term finds the trigrams that contain it. Filled from the documents there
 * are. SQLite has this already: the FTS5 index's own term list.
 */
export function searchTrigrams(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`CREATE TABLE consultation_search_trigram (
        trigram text COLLATE "C" PRIMARY KEY,
        tail text COLLATE "C" NOT NULL)`.execute(db);
      await sql`INSERT INTO consultation_search_trigram (trigram, tail)
        SELECT t, substr(t, 2) FROM (
          SELECT DISTINCT substr(s.body, i, 3) AS t
          FROM consultation_search s,
            LATERAL generate_series(1, char_length(s.body) - 2) AS i
        ) x
        WHERE t ~ '^[[:alnum:]]{3}$'`.execute(db);
      await sql`CREATE INDEX consultation_search_trigram_tail
        ON consultation_search_trigram (tail)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`DROP TABLE IF EXISTS consultation_search_trigram`.execute(db);
    },
  };
}
