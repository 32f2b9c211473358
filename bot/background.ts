/**
 * Work done after a user has been answered (posting and updating cards, notifying),
 * so invokes answer fast. Failures are reported, never thrown at the user's request.
 */
export class Background {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown, what: string) => void) {}

  run(what: string, task: () => Promise<void>): void {
    const p = Promise.resolve()
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
