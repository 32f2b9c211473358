import { attemptEach, Background } from '../../bot/background';

describe('work done after the person has been answered', () => {
  it('starts only on a later turn of the event loop, not among the current request’s microtasks', async () => {
    const background = new Background(() => undefined);
    const order: string[] = [];
    background.run('task', async () => void order.push('task'));
    // What the request still does in this turn (write its answer) comes first.
    for (let i = 0; i < 50; i++) await Promise.resolve();
    order.push('answered');
    await background.idle();
    expect(order).toEqual(['answered', 'task']);
  });

  it('reports a failure with what failed, and idle() waits for work that starts more work', async () => {
    const failures: string[] = [];
    const background = new Background((err, what) =>
      failures.push(`${what}: ${(err as Error).message}`),
    );
    const done: string[] = [];
    background.run('outer', async () => {
      background.run('inner', async () => void done.push('inner'));
      throw new Error('Teams said no');
    });
    await background.idle();
    expect(done).toEqual(['inner']);
    expect(failures).toEqual(['outer: Teams said no']);
  });
});

describe('a catch-up round', () => {
  it('tries every item in order whatever fails, counts what was done, then throws the first failure', async () => {
    const tried: number[] = [];
    const round = attemptEach([1, 2, 3, 4, 5], async (n) => {
      tried.push(n);
      if (n === 2) throw new Error('Teams said no to 2');
      if (n === 4) throw new Error('Teams said no to 4');
      return n !== 3;
    });
    await expect(round).rejects.toThrow('Teams said no to 2');
    expect(tried).toEqual([1, 2, 3, 4, 5]);
    await expect(attemptEach([1, 2, 3], async (n) => n !== 2)).resolves.toBe(2);
    await expect(attemptEach([], async () => true)).resolves.toBe(0);
    // An item that is several things (a thread's lines said as one message) counts each.
    await expect(attemptEach([[1, 2], [], [3]], async (lines) => lines.length)).resolves.toBe(3);
  });
});
