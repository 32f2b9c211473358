import { sql, type Kysely, type Migration } from 'kysely';
import { countTermList, isWordCharacter } from '../pg-trigrams';
import type { Dialect } from '../store';

/**
 * PostgreSQL: the term list gains the keys that find one character (`「a」`, a word's
 * `ab。`; `src/store/pg-trigrams.ts`), counted again from the documents there are.
 * Going down takes them out again: what is left is what the earlier keys were, counted
 * the same way.
 */
export function singleCharacterKeys(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await countTermList(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      // The new keys are the three-character ones that end in no word character.
      const { rows } = await sql<{ trigram: string }>`
        SELECT trigram FROM consultation_search_trigram
        WHERE char_length(trigram) = 3`.execute(db);
      const added = rows.map((r) => r.trigram).filter((k) => !isWordCharacter([...k][2]!));
      if (added.length === 0) return;
      await sql`DELETE FROM consultation_search_trigram
        WHERE trigram = ANY (${added}::text[])`.execute(db);
    },
  };
}
