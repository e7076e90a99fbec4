// The Stripe hand-over limiter: never more than `max` at once, and every piece of work runs.
import { handOverLimit } from '../../stripe-relay/outbox';

describe('handOverLimit', () => {
  it('runs at most max hand-overs at once, and all of them in the end', async () => {
    const limit = handOverLimit(3);
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_v, i) =>
        limit(async () => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((r) => setTimeout(r, 5));
          running -= 1;
          done.push(i);
        }),
      ),
    );
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_v, i) => i));
  });

  it('frees its place when a hand-over throws', async () => {
    const limit = handOverLimit(1);
    await expect(limit(async () => { throw new Error('down'); })).rejects.toThrow('down');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
