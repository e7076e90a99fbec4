// One breaker per upstream service: after `failureThreshold` failures in a row it opens and
// refuses calls (no debit, no wait on a dead service) for `cooldownMs`, then lets one trial call
// through (half-open). The trial's outcome closes or re-opens it.
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  failureThreshold: number;
  cooldownMs: number;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: BreakerState = 'closed';

  constructor(private readonly options: BreakerOptions) {}

  state(now: number): BreakerState {
    if (this.current === 'open' && now - this.openedAt >= this.options.cooldownMs) {
      this.current = 'half-open';
      this.trialInFlight = false;
    }
    return this.current;
  }

  /** True when a call may go out now; in half-open, only the one trial call. */
  tryAcquire(now: number): boolean {
    const state = this.state(now);
    if (state === 'closed') return true;
    if (state === 'half-open' && !this.trialInFlight) {
      this.trialInFlight = true;
      return true;
    }
    return false;
  }

  success(): void {
    this.failures = 0;
    this.trialInFlight = false;
    this.current = 'closed';
  }

  failure(now: number): void {
    this.failures += 1;
    this.trialInFlight = false;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.current = 'open';
      this.openedAt = now;
    }
  }

  /** When an open breaker lets a trial through, for Retry-After. */
  retryAfterMs(now: number): number {
    return this.current === 'open' ? Math.max(0, this.openedAt + this.options.cooldownMs - now) : 0;
  }
}

/** Breakers by service name, created on first use. */
export class Breakers {
  private byService = new Map<string, CircuitBreaker>();

  constructor(private readonly options: BreakerOptions) {}

  for(service: string): CircuitBreaker {
    let b = this.byService.get(service);
    if (!b) {
      b = new CircuitBreaker(this.options);
      this.byService.set(service, b);
    }
    return b;
  }
}
