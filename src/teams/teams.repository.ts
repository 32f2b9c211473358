import type { Db, Trx } from '../store/store';

type Conn = Db | Trx;

export interface StoredReference<R = unknown> {
  conversationId: string;
  reference: R;
  updatedAt: string;
  /** The team of a channel's reference, when it was kept with it. */
  teamId: string | null;
}

export interface KnownPerson {
  aadObjectId: string;
  teamsUserId: string;
  name: string;
  locale: string | null;
  /** The language the person chose, when they did. */
  language?: 'ja' | 'en' | null;
}

/** Conversation references and the people the bot has met. */
export class TeamsRepository {
  /** Takes a day for the morning summary; false when another instance took it first. */
  async claimDigestDay(db: Conn, day: string, at: string): Promise<boolean> {
    const result = await db
      .insertInto('channel_digest')
      .values({ day, at })
      .onConflict((oc) => oc.column('day').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Gives a day back, when its summary could not be posted: the next try posts it. */
  async releaseDigestDay(db: Conn, day: string): Promise<void> {
    await db.deleteFrom('channel_digest').where('day', '=', day).execute();
  }

  async getReference<R>(db: Conn, key: string): Promise<StoredReference<R> | null> {
    const row = await db
      .selectFrom('teams_reference')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row
      ? {
          conversationId: row.conversation_id,
          reference: JSON.parse(row.reference) as R,
          updatedAt: row.updated_at,
          teamId: row.team_id,
        }
      : null;
  }

  async putReference(
    db: Conn,
    key: string,
    conversationId: string,
    reference: unknown,
    at: string,
    teamId: string | null = null,
  ): Promise<void> {
    const values = {
      conversation_id: conversationId,
      reference: JSON.stringify(reference),
      updated_at: at,
      team_id: teamId,
    };
    await db
      .insertInto('teams_reference')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }

  /** Removes the reference under `key` if it still names `conversationId`; whether it did. */
  async dropReference(db: Conn, key: string, conversationId: string): Promise<boolean> {
    const result = await db
      .deleteFrom('teams_reference')
      .where('key', '=', key)
      .where('conversation_id', '=', conversationId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async upsertPerson(db: Conn, p: KnownPerson, at: string): Promise<void> {
    const values = { teams_user_id: p.teamsUserId, name: p.name, locale: p.locale, updated_at: at };
    await db
      .insertInto('person')
      .values({ aad_object_id: p.aadObjectId, ...values })
      .onConflict((oc) => oc.column('aad_object_id').doUpdateSet(values))
      .execute();
  }

  async setLanguage(
    db: Conn,
    aadObjectId: string,
    language: 'ja' | 'en',
    at: string,
  ): Promise<void> {
    await db
      .updateTable('person')
      .set({ language, updated_at: at })
      .where('aad_object_id', '=', aadObjectId)
      .execute();
  }

  async people(db: Conn, aadObjectIds: readonly string[]): Promise<KnownPerson[]> {
    if (aadObjectIds.length === 0) return [];
    const rows = await db
      .selectFrom('person')
      .selectAll()
      .where('aad_object_id', 'in', [...aadObjectIds])
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      aadObjectId: r.aad_object_id,
      teamsUserId: r.teams_user_id,
      name: r.name,
      locale: r.locale,
      language: r.language === 'ja' || r.language === 'en' ? r.language : null,
    }));
  }
}
