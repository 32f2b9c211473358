import { KeyedSemaphore } from '../../src/mail/keyed-semaphore';

/** A task that runs until `release()` is called. */
function gate() {
  let release!: () => void;
  const done = new Promise<void>((r) => (release = r));
  return { release, done };
}

describe('KeyedSemaphore', () => {
  test('runs at most `limit` tasks per key, the rest in order of arrival', async () => {
    const lanes = new KeyedSemaphore(2);
    const started: number[] = [];
    const gates = [gate(), gate(), gate(), gate()];
    const runs = gates.map((g, i) =>
      lanes.run('a', async () => {
        started.push(i);
        await g.done;
        return i;
      }),
    );
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1]);
    expect(lanes.active('a')).toBe(2);

    gates[1]!.release();
    await runs[1];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual([0, 1, 2]);
    expect(lanes.active('a')).toBe(2);

    gates.forEach((g) => g.release());
    await expect(Promise.all(runs)).resolves.toEqual([0, 1, 2, 3]);
    expect(lanes.active('a')).toBe(0);
  });

  test('keys do not wait for each other, and a failed task frees its place', async () => {
    const lanes = new KeyedSemaphore(1);
    const held = gate();
    const a = lanes.run('a', () => held.done);
    await expect(lanes.run('b', async () => 'b ran')).resolves.toBe('b ran');
    held.release();
    await a;

    await expect(lanes.run('a', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lanes.run('a', async () => 'after')).resolves.toBe('after');
  });

  test('refuses a limit below 1', () => {
    expect(() => new KeyedSemaphore(0)).toThrow(RangeError);
  });
});
