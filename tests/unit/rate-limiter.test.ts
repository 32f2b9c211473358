import {
  RateLimiter,
  TEAMS_APP_LIMITS,
  TEAMS_CONVERSATION_LIMITS,
} from '../../bot/outbound/rate-limiter';

/** A clock that only moves when the limiter sleeps. */
function virtualTime() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms) };
}

describe('outbound rate limits per conversation', () => {
  test('never more than 7 a second, 8 in two seconds, 60 in thirty seconds', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter(TEAMS_CONVERSATION_LIMITS, time.now, time.sleep);
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 130 }, () =>
        limiter.schedule('conv-a', async () => void started.push(time.now())),
      ),
    );
    expect(started).toHaveLength(130);
    const maxIn = (ms: number) =>
      Math.max(...started.map((t) => started.filter((s) => s >= t && s < t + ms).length));
    expect(maxIn(1_000)).toBe(7);
    expect(maxIn(2_000)).toBe(8);
    expect(maxIn(30_000)).toBe(60);
    expect(started).toEqual([...started].sort((a, b) => a - b));
  });

  test('conversations do not wait for each other, and a failure does not block the queue', async () => {
    const time = virtualTime();
    const limiter = new RateLimiter([{ limit: 1, windowMs: 1_000 }], time.now, time.sleep);
    const failing = limiter.schedule('a', async () => {
      throw new Error('502');
    });
    await expect(failing).rejects.toThrow('502');
    const b = await limiter.schedule('b', async () => time.now());
    expect(b).toBe(0);
    const a = await limiter.schedule('a', async () => time.now());
    expect(a).toBe(1_000);
  });
});

/**
 * A clock for many sleepers at once: time moves to the earliest wake-up only when
 * everything else has run.
 */
function eventTime() {
  let t = 0;
  const timers: Array<{ at: number; wake: () => void }> = [];
  return {
    now: () => t,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: t + ms, wake })),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      void work.then(
        () => (done = true),
        () => (done = true),
      );
      for (;;) {
        await new Promise((r) => setImmediate(r));
        if (done || timers.length === 0) return work;
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift()!;
        t = Math.max(t, next.at);
        next.wake();
      }
    },
  };
}

describe('the app-wide limit across conversations', () => {
  test('never more than 30 a second in all, while each conversation keeps its own pace', async () => {
    const time = eventTime();
    const limiter = new RateLimiter(
      TEAMS_CONVERSATION_LIMITS,
      time.now,
      time.sleep,
      TEAMS_APP_LIMITS,
    );
    const started: Array<{ conv: string; at: number }> = [];
    // 40 conversations (a notice to every specialist, say), 3 messages each.
    const send = (conv: string) =>
      limiter.schedule(conv, async () => void started.push({ conv, at: time.now() }));
    await time.run(
      Promise.all(
        Array.from({ length: 40 }, (_, i) => Promise.all([0, 1, 2].map(() => send(`conv-${i}`)))),
      ),
    );

    expect(started).toHaveLength(120);
    const maxIn = (times: number[], ms: number) =>
      Math.max(...times.map((t) => times.filter((s) => s >= t && s < t + ms).length));
    const at = started.map((s) => s.at);
    expect(maxIn(at, 1_000)).toBe(30);
    // Below the app's limit nobody waits: the first 30 went at once.
    expect(at.filter((t) => t === 0)).toHaveLength(30);
    for (let i = 0; i < 40; i++) {
      const own = started.filter((s) => s.conv === `conv-${i}`).map((s) => s.at);
      expect(maxIn(own, 1_000)).toBeLessThanOrEqual(7);
    }
  });
});
