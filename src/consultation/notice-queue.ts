import type { Store } from '../store/store';
import { NoticeRepository, type NoticeOutcome, type OwedNotice } from './notice.repository';

export type { NewNotice, NoticeKind, NoticeOutcome, OwedNotice } from './notice.repository';

/** How long one delivery may take before another instance (or a later catch-up) tries again. */
export const NOTICE_LEASE_MS = 2 * 60_000;

/** A notice not delivered within a day is given up (`failed`): it would only confuse by then. */
export const NOTICE_EXPIRES_MS = 24 * 60 * 60_000;

/**
 * The notices changes owe until they are delivered. Delivering one is: `take` it (no one
 * else delivers it for `NOTICE_LEASE_MS`), send it, `finish` it. One that is taken and
 * not finished (Teams down, the process stopped) is owed again when its lease ends.
 * The change writes its notices itself, in its transaction (`NoticeRepository.add`).
 */
export class NoticeQueue {
  private readonly repo = new NoticeRepository();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /**
   * Notices owed and free to take: of one record (right after its change), or of any
   * record written at least `olderThanMs` ago (a catch-up leaves fresh ones to the change).
   */
  owed(
    q: { consultationId: number } | { olderThanMs: number; limit: number },
  ): Promise<OwedNotice[]> {
    const now = this.clock();
    return this.repo.owed(
      this.store.db,
      now.toISOString(),
      'consultationId' in q
        ? q
        : { writtenBy: new Date(now.getTime() - q.olderThanMs).toISOString(), limit: q.limit },
    );
  }

  /** Takes a notice to deliver it; false when someone else has it (or it is done). */
  take(id: number): Promise<boolean> {
    const now = this.clock();
    const until = new Date(now.getTime() + NOTICE_LEASE_MS).toISOString();
    return this.repo.take(this.store.db, id, now.toISOString(), until);
  }

  /** Whether a notice is too old to deliver (`NOTICE_EXPIRES_MS`). */
  expired(notice: OwedNotice): boolean {
    return this.clock().getTime() - Date.parse(notice.at) >= NOTICE_EXPIRES_MS;
  }

  /** The notice went out, turned out no longer true, or is given up. */
  finish(id: number, outcome: NoticeOutcome): Promise<void> {
    return this.repo.finish(this.store.db, id, this.clock().toISOString(), outcome);
  }

  /** A delivery that failed: free to take again at once (the next catch-up, say). */
  release(id: number): Promise<void> {
    return this.repo.release(this.store.db, id);
  }
}
