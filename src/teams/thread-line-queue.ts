import { NOTICE_EXPIRES_MS, NOTICE_LEASE_MS } from '../consultation/notice-queue';
import type { Store } from '../store/store';
import { ThreadLineRepository, type OwedLine } from './thread-line.repository';

export type { OwedLine } from './thread-line.repository';

/**
 * The lines for cards' threads that Teams refused (down longer than the retries), owed
 * until the catch-up says them. Saying one is: `take` it (no one else says it for the
 * lease, as a notice's), send it, `done`. One taken and not done (Teams still down, the
 * process stopped) is owed again when its lease ends; `release` frees it at once.
 */
export class ThreadLineQueue {
  private readonly repo = new ThreadLineRepository();

  constructor(
    private readonly store: Store,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  /** Keeps a message Teams refused, as it would have been sent. */
  keep(consultationId: number, text: string, saidAt: string): Promise<void> {
    return this.repo.add(this.store.db, consultationId, text, saidAt, this.now());
  }

  /**
   * Whether lines are still owed to the record's thread. A new line waits behind them
   * (kept too), so the thread reads in the order things happened.
   */
  holds(consultationId: number): Promise<boolean> {
    return this.repo.holds(this.store.db, consultationId);
  }

  /** Lines free to take that were kept at least `olderThanMs` ago, oldest first. */
  owed(q: { olderThanMs: number; limit: number }): Promise<OwedLine[]> {
    const now = this.clock().getTime();
    const keptBy = new Date(now - q.olderThanMs).toISOString();
    return this.repo.owed(this.store.db, new Date(now).toISOString(), keptBy, q.limit);
  }

  /** Takes a line to say it; false when someone else has it (or it is done). */
  take(id: number): Promise<boolean> {
    const now = this.clock();
    const until = new Date(now.getTime() + NOTICE_LEASE_MS).toISOString();
    return this.repo.take(this.store.db, id, now.toISOString(), until);
  }

  /** Whether a line is too old to say: a day after it was said, it would only confuse. */
  expired(line: OwedLine): boolean {
    return this.clock().getTime() - Date.parse(line.saidAt) >= NOTICE_EXPIRES_MS;
  }

  /** The line was said, or is not to be said any more. */
  done(id: number): Promise<void> {
    return this.repo.delete(this.store.db, id);
  }

  /** Saying it failed: free to take again at once (the next catch-up, say). */
  release(id: number): Promise<void> {
    return this.repo.release(this.store.db, id);
  }

  private now(): string {
    return this.clock().toISOString();
  }
}
