/**
 * A sliding-window limit per key (the sender's address), in memory. One instance
 * limits its own traffic; with several instances each keeps its own count, which is
 * enough to stop a script hammering the form through one of them.
 */
export interface RateLimit {
  /** Events allowed per window. */
  limit: number;
  windowMs: number;
}

export type Take = { ok: true; release(): void } | { ok: false; retryAfterSeconds: number };

export class SlidingWindowLimiter {
  private readonly events = new Map<string, number[]>();

  constructor(
    private readonly rule: RateLimit,
    private readonly now: () => number = Date.now,
    /** Keys remembered at most; the least recently seen are forgotten first. */
    private readonly maxKeys = 10_000,
  ) {}

  /**
   * Counts one event for `key` if the window has room (synchronously, so requests
   * arriving together cannot all pass). `release()` gives the slot back, for an event
   * that did not happen after all (the database was down).
   */
  take(key: string): Take {
    const now = this.now();
    const recent = this.recent(key, now);
    if (recent.length >= this.rule.limit) {
      const retryAfterMs = recent[0]! + this.rule.windowMs - now;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) };
    }
    recent.push(now);
    this.events.delete(key); // re-inserted last: most recently seen
    this.events.set(key, recent);
    if (this.events.size > this.maxKeys) this.events.delete(this.events.keys().next().value!);
    let released = false;
    return {
      ok: true,
      release: () => {
        if (released) return;
        released = true;
        const list = this.events.get(key);
        const i = list?.lastIndexOf(now) ?? -1;
        if (list && i >= 0) list.splice(i, 1);
      },
    };
  }

  private recent(key: string, now: number): number[] {
    const since = now - this.rule.windowMs;
    return (this.events.get(key) ?? []).filter((at) => at > since);
  }
}
