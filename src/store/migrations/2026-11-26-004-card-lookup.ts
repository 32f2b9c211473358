import type { Kysely, Migration } from 'kysely';

/**
 * A message in the thread under a consultation's card names the card's message id: the
 * record is found by it (staff discussion there becomes the record's notes).
 */
export function cardLookup(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('consultation_card')
        .on('consultation')
        .columns(['card_activity_id', 'card_conversation_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('consultation_card').ifExists().execute();
    },
  };
}
