import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * The 1:1 notices a change owes (a dispatch to its specialist, an answer to the case's
 * first-line owner), written with the change itself: one that could not be delivered —
 * Teams down, a stop in between — is still owed afterwards, and delivered then.
 */
export function notices(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const ts = pg ? 'timestamptz' : 'text';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('notice')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('consultation_id', 'integer', (c) =>
          c.notNull().references('consultation.id').onDelete('cascade'),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('recipient_id', 'text', (c) => c.notNull())
        .addColumn('by_id', 'text', (c) => c.notNull())
        .addColumn('by_name', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('taken_until', ts)
        .addColumn('done_at', ts)
        .addColumn('outcome', 'text')
        .execute();
      await sql`CREATE INDEX notice_owed ON notice (consultation_id, id)
        WHERE done_at IS NULL`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('notice').ifExists().execute();
    },
  };
}
