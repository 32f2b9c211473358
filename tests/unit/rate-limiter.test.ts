import { RateLimiter, TEAMS_CONVERSATION_LIMITS } from '../../bot/outbound/rate-limiter';

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
