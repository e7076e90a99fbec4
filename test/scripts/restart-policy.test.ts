// The supervision policy of `npm run up`: how long a crashed process waits, and when a crash
// loop stops the stack.
import { backoffMs, decideRestart, defaultRestartPolicy, type RestartPolicy } from '../../scripts/lib/supervision/policy';

describe('restart back-off', () => {
  it('waits 0.5 s before the first restart and doubles each time up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 40].map((n) => backoffMs(n))).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });

  it('refuses an attempt number below one', () => {
    expect(() => backoffMs(0)).toThrow(/positive integer/);
  });
});

describe('restart decision', () => {
  const t0 = 1_700_000_000_000;

  it('restarts a first crash after the shortest delay and remembers when', () => {
    expect(decideRestart([], t0)).toEqual({ verdict: { kind: 'restart', delayMs: 500, attempt: 1 }, restartTimes: [t0] });
  });

  it('doubles the delay for each restart within the last minute', () => {
    const { verdict } = decideRestart([t0, t0 + 1_000, t0 + 3_000], t0 + 7_000);
    expect(verdict).toEqual({ kind: 'restart', delayMs: 4_000, attempt: 4 });
  });

  it('gives up on the sixth crash within a minute, naming the count and the window', () => {
    const five = [0, 1, 2, 3, 4].map((i) => t0 + i * 5_000);
    const { verdict } = decideRestart(five, t0 + 30_000);
    expect(verdict).toEqual({ kind: 'give-up', reason: 'it crashed 6 times within 60 s (more than 5 restarts)' });
  });

  it('forgets restarts older than a minute, so a process that stayed up starts again from 0.5 s', () => {
    const five = [0, 1, 2, 3, 4].map((i) => t0 + i * 1_000);
    const { verdict, restartTimes } = decideRestart(five, t0 + 4_000 + defaultRestartPolicy.windowMs);
    expect(verdict).toEqual({ kind: 'restart', delayMs: 500, attempt: 1 });
    expect(restartTimes).toEqual([t0 + 4_000 + defaultRestartPolicy.windowMs]);
  });

  it('follows a policy of its own', () => {
    const policy: RestartPolicy = { initialDelayMs: 100, maxDelayMs: 250, maxRestarts: 2, windowMs: 1_000 };
    expect(decideRestart([t0], t0 + 10, policy).verdict).toEqual({ kind: 'restart', delayMs: 200, attempt: 2 });
    expect(decideRestart([t0, t0 + 10], t0 + 20, policy).verdict.kind).toBe('give-up');
  });
});
