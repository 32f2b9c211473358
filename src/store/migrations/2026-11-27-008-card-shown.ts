import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Which version of its record each channel card shows. A card whose update could not
 * reach Teams (down longer than the retries, or the process stopped first) is behind its
 * record, and the partial index finds the few such cards without reading the table.
 * Cards posted before this migration are taken to be up to date.
 */
export function cardShown(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('consultation').addColumn('card_version', 'integer').execute();
      await sql`UPDATE consultation SET card_version = version
        WHERE card_activity_id IS NOT NULL`.execute(db);
      await sql`CREATE INDEX consultation_card_behind ON consultation (id)
        WHERE card_activity_id IS NOT NULL
          AND (card_version IS NULL OR card_version < version)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('consultation_card_behind').ifExists().execute();
      await db.schema.alterTable('consultation').dropColumn('card_version').execute();
    },
  };
}
