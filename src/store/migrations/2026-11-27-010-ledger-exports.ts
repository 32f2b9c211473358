import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/**
 * Every export of personal data from the ledger (the CSV, the 事例集): who, when, what
 * range or which records, how many, and whether the file was completed. Kept with the
 * records, not only in logs that rotate away, so supervisors can see it in the tab.
 */
export function ledgerExports(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('ledger_export')
        .addColumn('id', pg ? 'serial' : 'integer', (c) =>
          pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('at', pg ? 'timestamptz' : 'text', (c) => c.notNull())
        .addColumn('range_from', 'text')
        .addColumn('range_to', 'text')
        .addColumn('record_count', 'integer', (c) => c.notNull())
        .addColumn('consultation_ids', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .execute();
      await sql`CREATE INDEX ledger_export_at ON ledger_export (at)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('ledger_export').ifExists().execute();
    },
  };
}
