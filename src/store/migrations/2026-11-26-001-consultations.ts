import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../store';

/** The consultation record, its numbering, notes, answers, linked emails and history. */
export function consultations(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const id = pg ? 'serial' : 'integer';
  const ts = pg ? 'timestamptz' : 'text';
  const pk = (c: import('kysely').ColumnDefinitionBuilder) =>
    pg ? c.primaryKey() : c.primaryKey().autoIncrement();

  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('number_sequence')
        .addColumn('fiscal_year', 'integer', (c) => c.primaryKey())
        .addColumn('last_value', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('consultation')
        .addColumn('id', id, pk)
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('fiscal_year', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('received_at', ts, (c) => c.notNull())
        .addColumn('consulter_organisation', 'text')
        .addColumn('consulter_person', 'text')
        .addColumn('consulter_email', 'text')
        .addColumn('consulter_phone', 'text')
        .addColumn('consulter_industry', 'text')
        .addColumn('consulter_employees', 'integer')
        .addColumn('consulter_municipality', 'text')
        .addColumn('category_id', 'text', (c) => c.notNull())
        .addColumn('urgency', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('situation', 'text', (c) => c.notNull())
        .addColumn('first_line_owner_id', 'text')
        .addColumn('first_line_owner_name', 'text')
        .addColumn('specialist_id', 'text')
        .addColumn('specialist_name', 'text')
        .addColumn('coordination_needed', 'integer')
        .addColumn('coordination_reason', 'text')
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('card_conversation_id', 'text')
        .addColumn('card_activity_id', 'text')
        .addColumn('created_by_id', 'text', (c) => c.notNull())
        .addColumn('created_by_name', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .addColumn('updated_at', ts, (c) => c.notNull())
        .addColumn('closed_at', ts)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addUniqueConstraint('consultation_fy_seq', ['fiscal_year', 'seq'])
        .execute();

      const index = (name: string, columns: string[]) =>
        db.schema.createIndex(name).on('consultation').columns(columns).execute();
      await index('consultation_received', ['received_at', 'id']);
      await index('consultation_state_received', ['state', 'received_at']);
      await index('consultation_channel_received', ['channel', 'received_at']);
      // With the state, a count by category, state and received time reads the index alone.
      await index('consultation_category_received', ['category_id', 'received_at', 'state']);
      await index('consultation_owner', ['first_line_owner_id', 'state']);
      await index('consultation_specialist', ['specialist_id', 'state']);

      const child = (table: string) =>
        db.schema
          .createTable(table)
          .addColumn('id', id, pk)
          .addColumn('consultation_id', 'integer', (c) =>
            c.notNull().references('consultation.id').onDelete('cascade'),
          );

      await child('consultation_note')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();

      await child('consultation_answer')
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('author_name', 'text', (c) => c.notNull())
        .addColumn('line', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('delivery', 'text', (c) => c.notNull())
        .addColumn('created_at', ts, (c) => c.notNull())
        .execute();

      await child('consultation_email')
        .addColumn('graph_message_id', 'text', (c) => c.notNull())
        .addColumn('internet_message_id', 'text', (c) => c.notNull().unique())
        .addColumn('conversation_id', 'text')
        .addColumn('subject', 'text')
        .addColumn('received_at', ts)
        .addColumn('linked_at', ts, (c) => c.notNull())
        .execute();

      await child('consultation_history')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text', (c) => c.notNull())
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('at', ts, (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text')
        .addColumn('before_json', 'text')
        .addColumn('after_json', 'text')
        .addColumn('request_id', 'text')
        .addUniqueConstraint('consultation_history_request', ['request_id', 'action'])
        .execute();

      for (const t of ['consultation_note', 'consultation_answer', 'consultation_email']) {
        await db.schema.createIndex(`${t}_consultation`).on(t).column('consultation_id').execute();
      }
      await db.schema
        .createIndex('consultation_history_consultation')
        .on('consultation_history')
        .columns(['consultation_id', 'id'])
        .execute();
      await db.schema
        .createIndex('consultation_email_conversation')
        .on('consultation_email')
        .column('conversation_id')
        .execute();

      // History is append-only: the database itself refuses to change or remove an entry.
      if (pg) {
        await sql`CREATE FUNCTION consultation_history_append_only() RETURNS trigger
          LANGUAGE plpgsql AS $$ BEGIN
            RAISE EXCEPTION 'consultation_history is append-only';
          END $$`.execute(db);
        await sql`CREATE TRIGGER consultation_history_append_only
          BEFORE UPDATE OR DELETE ON consultation_history
          FOR EACH ROW EXECUTE FUNCTION consultation_history_append_only()`.execute(db);
      } else {
        for (const op of ['UPDATE', 'DELETE']) {
          await sql
            .raw(
              `CREATE TRIGGER consultation_history_no_${op.toLowerCase()}
               BEFORE ${op} ON consultation_history
               BEGIN SELECT RAISE(ABORT, 'consultation_history is append-only'); END`,
            )
            .execute(db);
        }
      }

      // Japanese has no spaces between words, so search is by substring over trigrams.
      if (pg) {
        await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
        await db.schema
          .createTable('consultation_search')
          .addColumn('consultation_id', 'integer', (c) =>
            c.primaryKey().references('consultation.id').onDelete('cascade'),
          )
          .addColumn('body', 'text', (c) => c.notNull())
          .execute();
        await sql`CREATE INDEX consultation_search_trgm ON consultation_search
          USING gin (body gin_trgm_ops)`.execute(db);
      } else {
        await sql`CREATE VIRTUAL TABLE consultation_fts USING fts5(
          body, tokenize = 'trigram', content = '', contentless_delete = 1)`.execute(db);
        // The index's own term list: how 1- and 2-character queries find their trigrams.
        await sql`CREATE VIRTUAL TABLE consultation_fts_terms
          USING fts5vocab(consultation_fts, row)`.execute(db);
      }
    },

    async down(db: Kysely<unknown>) {
      for (const t of [
        'consultation_fts_terms',
        'consultation_fts',
        'consultation_search',
        'consultation_history',
        'consultation_email',
        'consultation_answer',
        'consultation_note',
        'consultation',
        'number_sequence',
      ]) {
        await db.schema.dropTable(t).ifExists().execute();
      }
      if (pg) await sql`DROP FUNCTION IF EXISTS consultation_history_append_only()`.execute(db);
    },
  };
}
