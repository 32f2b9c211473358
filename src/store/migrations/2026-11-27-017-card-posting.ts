import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * Open records whose channel card was never posted (no intake channel yet, or Teams
 * down longer than the retries) are posted by the catch-up. `card_posting_until` is the
 * lease of the one instance posting a record's card, so that two never post it twice.
 * The records without a card are found through `consultation_card` (its activity id is
 * null).
 */
export function cardPosting(dialect: Dialect): Migration {
  const ts = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('consultation').addColumn('card_posting_until', ts).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.alterTable('consultation').dropColumn('card_posting_until').execute();
    },
  };
}
