// When a crashed product process is started again, and when to stop trying. Pure: the
// supervisor passes the clock in, so the rule is tested without waiting for real time.

export interface RestartPolicy {
  /** Delay before the first restart in a window; each further restart doubles it. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** More restarts than this within `windowMs` is a crash loop: give up. */
  maxRestarts: number;
  windowMs: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 10_000, maxRestarts: 5, windowMs: 60_000 };

/** The delay before restart number `attempt` (1-based) of a window: 0.5 s, 1 s, 2 s … capped. */
export function backoffMs(attempt: number, policy: RestartPolicy = defaultRestartPolicy): number {
  if (!Number.isInteger(attempt) || attempt < 1) throw new Error(`attempt must be a positive integer, got ${attempt}`);
  // 2^30 already passes any sane cap; the exponent is clamped so the figure stays finite.
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.min(attempt - 1, 30));
}

export type Verdict =
  | { kind: 'restart'; delayMs: number; attempt: number }
  | { kind: 'give-up'; reason: string };

/**
 * What to do about an exit at `now`, given when earlier restarts happened (ms since epoch).
 * Restarts older than the window are forgotten, so a process that stayed up a minute starts
 * again from the shortest delay. Returns the restart times to remember, this one included.
 */
export function decideRestart(restartTimes: readonly number[], now: number, policy: RestartPolicy = defaultRestartPolicy): { verdict: Verdict; restartTimes: number[] } {
  const recent = restartTimes.filter((t) => now - t < policy.windowMs);
  if (recent.length >= policy.maxRestarts) {
    const reason = `it crashed ${recent.length + 1} times within ${policy.windowMs / 1000} s (more than ${policy.maxRestarts} restarts)`;
    return { verdict: { kind: 'give-up', reason }, restartTimes: recent };
  }
  const attempt = recent.length + 1;
  return { verdict: { kind: 'restart', delayMs: backoffMs(attempt, policy), attempt }, restartTimes: [...recent, now] };
}
