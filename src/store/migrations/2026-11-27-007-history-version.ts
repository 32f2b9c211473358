import type { Kysely, Migration } from 'kysely';

/**
 * Each history entry of a change says which version of the record it made, so a press on
 * a card shown before a note can still go through: what happened since the card's version
 * can be read back. Entries before this migration have none, and count as changes.
 */
export function historyVersion(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('consultation_history').addColumn('version', 'integer').execute();
      await db.schema
        .createIndex('consultation_history_version')
        .on('consultation_history')
        .columns(['consultation_id', 'version'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('consultation_history_version').ifExists().execute();
      await db.schema.alterTable('consultation_history').dropColumn('version').execute();
    },
  };
}
