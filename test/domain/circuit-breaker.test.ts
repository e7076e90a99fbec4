import { CircuitBreaker } from '../../domain/gateway/circuit-breaker';

const breaker = () => new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1_000 });

describe('circuit breaker', () => {
  it('stays closed below the threshold and opens at it', () => {
    const b = breaker();
    b.failure(0);
    b.failure(0);
    expect(b.tryAcquire(0)).toBe(true);
    b.failure(0);
    expect(b.state(0)).toBe('open');
    expect(b.tryAcquire(999)).toBe(false);
    expect(b.retryAfterMs(400)).toBe(600);
  });

  it('lets exactly one trial through once the cooldown has passed', () => {
    const b = breaker();
    for (let i = 0; i < 3; i++) b.failure(0);
    expect(b.tryAcquire(1_000)).toBe(true);
    expect(b.state(1_000)).toBe('half-open');
    expect(b.tryAcquire(1_000)).toBe(false);
  });

  it('closes after a successful trial and re-opens after a failed one', () => {
    const ok = breaker();
    for (let i = 0; i < 3; i++) ok.failure(0);
    ok.tryAcquire(1_000);
    ok.success();
    expect(ok.state(1_000)).toBe('closed');
    const bad = breaker();
    for (let i = 0; i < 3; i++) bad.failure(0);
    bad.tryAcquire(1_000);
    bad.failure(1_000);
    expect(bad.state(1_500)).toBe('open');
    expect(bad.tryAcquire(2_000)).toBe(true);
  });

  it('forgets earlier failures after a success', () => {
    const b = breaker();
    b.failure(0);
    b.failure(0);
    b.success();
    b.failure(0);
    b.failure(0);
    expect(b.state(0)).toBe('closed');
  });
});
