/**
 * Work done after a user has been answered (posting and updating cards, notifying),
 * so invokes answer fast. Failures are reported, never thrown at the user's request.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown, what: string) => void) {}

  run(what: string, task: () => Promise<void>): void {
    // Not before the current request is answered: the database driver is synchronous, so
    // a task started in this turn's microtasks would run its first queries before the
    // answer is written. The next turn of the event loop comes after it.
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(task)
      .catch((err: unknown) => this.onError(err, what))
      .finally(() => this.running.delete(p));
    this.running.add(p);
  }

  /** Resolves when every task started so far (and any they started) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}

/**
 * A catch-up's round: `attempt` each item in order, one failure not stopping the others.
 * Returns how many it did (one for each item `attempt` answered true for, or the number it
 * answered); after trying them all, throws the first failure (what failed stays owed for
 * the next round).
 */
export async function attemptEach<T>(
  items: readonly T[],
  attempt: (item: T) => Promise<boolean | number>,
): Promise<number> {
  let done = 0;
  let failure: unknown = null;
  for (const item of items) {
    try {
      done += Number(await attempt(item));
    } catch (err) {
      failure ??= err;
    }
  }
  if (failure) throw failure;
  return done;
}
