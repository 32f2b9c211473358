import type { Store } from '../store/store';
import { TeamsRepository, type KnownPerson, type StoredReference } from './teams.repository';

const INTAKE_CHANNEL = 'intake-channel';
const personalKey = (aadObjectId: string) => `personal:${aadObjectId}`;

/**
 * How long the intake channel and a person, once read, are used without reading them
 * again: every change and every turn needs them. What this instance writes it keeps at
 * once; what another instance writes reaches this one within this time.
 */
export const KEPT_MS = 10_000;

/**
 * Whether a channel's reference is in team `teamId`. One kept without its team (by a
 * version before teams were kept) is taken to be in the team whose first channel it is:
 * the first channel's id is the team's.
 */
const inTeam = (ref: StoredReference, teamId: string): boolean =>
  (ref.teamId ?? ref.conversationId) === teamId;

/** People kept at most (the desk's staff and the people writing to it lately). */
const PEOPLE_KEPT = 1_000;

/**
 * What the bot remembers about Teams: the desk's intake channel, each person's 1:1
 * chat, and the names of the people it has met. Kept in the database, so any instance
 * can post after a restart. References are opaque here (Bot Framework's shape).
 */
export class DeskService<Ref = unknown> {
  private readonly repo = new TeamsRepository();
  private channel: { value: StoredReference<Ref>; until: number } | null = null;
  private readonly persons = new Map<string, { value: KnownPerson | null; until: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Takes a day for the morning summary; false when it was taken (on any instance). */
  claimDigestDay(day: string): Promise<boolean> {
    return this.repo.claimDigestDay(this.store.db, day, this.now());
  }

  releaseDigestDay(day: string): Promise<void> {
    return this.repo.releaseDigestDay(this.store.db, day);
  }

  async intakeChannel(): Promise<StoredReference<Ref> | null> {
    const now = this.clock().getTime();
    if (this.channel && now < this.channel.until) return this.channel.value;
    const value = await this.repo.getReference<Ref>(this.store.db, INTAKE_CHANNEL);
    // None set yet is not kept: the app may be installed in a team on another instance.
    this.channel = value ? { value, until: now + KEPT_MS } : null;
    return value;
  }

  /** Sets the intake channel: `conversationId` in team `teamId`. */
  async setIntakeChannel(
    conversationId: string,
    reference: Ref,
    teamId: string | null = null,
  ): Promise<void> {
    const updatedAt = this.now();
    this.channel = null;
    await this.repo.putReference(
      this.store.db,
      INTAKE_CHANNEL,
      conversationId,
      reference,
      updatedAt,
      teamId,
    );
    this.channel = {
      value: { conversationId, reference, updatedAt, teamId },
      until: this.clock().getTime() + KEPT_MS,
    };
  }

  /** Whether the intake channel is in team `teamId` (`inTeam`). */
  async intakeIsInTeam(teamId: string): Promise<boolean> {
    const intake = await this.intakeChannel();
    return !!intake && inTeam(intake, teamId);
  }

  /**
   * Forgets the intake channel if it is `conversationId` (Teams deleted it); whether it
   * was. Until another is set, new cards have nowhere to go, and their creators are told.
   */
  async forgetIntakeChannel(conversationId: string): Promise<boolean> {
    this.channel = null;
    return this.repo.dropReference(this.store.db, INTAKE_CHANNEL, conversationId);
  }

  /**
   * Forgets the intake channel if it is in team `teamId` (the app was removed from the
   * team, or the team deleted): the channel it was, if it was. Read as it is now, and
   * forgotten only if it still is that channel.
   */
  async forgetIntakeTeam(teamId: string): Promise<string | null> {
    this.channel = null;
    const intake = await this.intakeChannel();
    if (!intake || !inTeam(intake, teamId)) return null;
    return (await this.forgetIntakeChannel(intake.conversationId)) ? intake.conversationId : null;
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
    for (const p of people) {
      await this.repo.upsertPerson(this.store.db, p, at);
      this.persons.delete(p.aadObjectId);
    }
  }

  /** Remembers the language a person chose for the bot's words. */
  async setLanguage(aadObjectId: string, language: 'ja' | 'en'): Promise<void> {
    await this.repo.setLanguage(this.store.db, aadObjectId, language, this.now());
    this.persons.delete(aadObjectId);
  }

  /** One person as the bot knows them (kept `KEPT_MS`: every turn asks for its sender). */
  async person(aadObjectId: string): Promise<KnownPerson | null> {
    const now = this.clock().getTime();
    const kept = this.persons.get(aadObjectId);
    if (kept && now < kept.until) return kept.value;
    const [value = null] = await this.repo.people(this.store.db, [aadObjectId]);
    if (this.persons.size >= PEOPLE_KEPT) this.persons.clear();
    this.persons.set(aadObjectId, { value, until: now + KEPT_MS });
    return value;
  }

  people(aadObjectIds: readonly string[]): Promise<KnownPerson[]> {
    return this.repo.people(this.store.db, aadObjectIds);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
