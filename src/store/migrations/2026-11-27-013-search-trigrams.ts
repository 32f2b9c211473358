import { sql, type Kysely, type Migration } from 'kysely';
import { countTermList } from '../pg-trigrams';
import type { Dialect } from '../store';

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

      await countTermList(db);
      await sql`CREATE INDEX consultation_search_trigram_pair
        ON consultation_search_trigram (pair)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`DROP TABLE IF EXISTS consultation_search_trigram`.execute(db);
    },
  };
}
