import type { Store } from '../store/store';
import { TeamsRepository, type KnownPerson, type StoredReference } from './teams.repository';

const INTAKE_CHANNEL = 'intake-channel';
const personalKey = (aadObjectId: string) => `personal:${aadObjectId}`;

/**
 * What the bot remembers about Teams: the desk's intake channel, each person's 1:1
 * chat, and the names of the people it has met. Kept in the database, so any instance
 * can post after a restart. References are opaque here (Bot Framework's shape).
 */
export class DeskService<Ref = unknown> {
  private readonly repo = new TeamsRepository();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  intakeChannel(): Promise<StoredReference<Ref> | null> {
    return this.repo.getReference<Ref>(this.store.db, INTAKE_CHANNEL);
  }

  async setIntakeChannel(conversationId: string, reference: Ref): Promise<void> {
    await this.repo.putReference(
      this.store.db,
      INTAKE_CHANNEL,
      conversationId,
      reference,
      this.now(),
    );
  }

  personalChat(aadObjectId: string): Promise<StoredReference<Ref> | null> {
    return this.repo.getReference<Ref>(this.store.db, personalKey(aadObjectId));
  }

  async setPersonalChat(
    aadObjectId: string,
    conversationId: string,
    reference: Ref,
  ): Promise<void> {
    await this.repo.putReference(
      this.store.db,
      personalKey(aadObjectId),
      conversationId,
      reference,
      this.now(),
    );
  }

  async rememberPeople(people: readonly KnownPerson[]): Promise<void> {
    const at = this.now();
    for (const p of people) await this.repo.upsertPerson(this.store.db, p, at);
  }

  /** Remembers the language a person chose for the bot's words. */
  async setLanguage(aadObjectId: string, language: 'ja' | 'en'): Promise<void> {
    await this.repo.setLanguage(this.store.db, aadObjectId, language, this.now());
  }

  people(aadObjectIds: readonly string[]): Promise<KnownPerson[]> {
    return this.repo.people(this.store.db, aadObjectIds);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
