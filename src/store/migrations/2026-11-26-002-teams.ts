import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * Where the bot can post (conversation references, so a restart or a second instance
 * can still post), and the people it has met (Teams ids and display names).
 */
export function teams(dialect: Dialect): Migration {
  const ts = dialect === 'postgres' ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('teams_reference')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('conversation_id', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('person')
        .addColumn('aad_object_id', 'text', (c) => c.primaryKey())
        .addColumn('teams_user_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('locale', 'text')
        // The language the person chose in chat (`ja` / `en`), over their Teams locale.
        .addColumn('language', 'text')
        .addColumn('updated_at', ts, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('person').ifExists().execute();
      await db.schema.dropTable('teams_reference').ifExists().execute();
    },
  };
}
