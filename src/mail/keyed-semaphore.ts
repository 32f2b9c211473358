/**
 * At most `limit` tasks at a time per key; the rest wait their turn in order. Graph
 * allows an app 4 concurrent requests per mailbox, so the mail gateway keys on it.
 */
export class KeyedSemaphore {
  private readonly slots = new Map<string, { active: number; waiting: (() => void)[] }>();

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('limit must be 1 or more');
  }

  /** Runs `task` once fewer than `limit` tasks of the same key are running. */
  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    await this.acquire(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  /** Tasks running now for this key (for tests and diagnostics). */
  active(key: string): number {
    return this.slots.get(key)?.active ?? 0;
  }

  private acquire(key: string): Promise<void> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { active: 0, waiting: [] };
      this.slots.set(key, slot);
    }
    if (slot.active < this.limit) {
      slot.active++;
      return Promise.resolve();
    }
    const queue = slot.waiting;
    return new Promise((resolve) => queue.push(resolve));
  }

  private release(key: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    const next = slot.waiting.shift();
    // The freed place passes straight to the next in line, so `active` stays the same.
    if (next) next();
    else if (--slot.active === 0) this.slots.delete(key);
  }
}
