import { newUsageId } from '../../../domain/metering/usage-id';

describe('newUsageId', () => {
  it('is a version 7 UUID with the RFC variant', () => {
    expect(newUsageId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('starts with the millisecond it was made at', () => {
    const at = Date.UTC(2026, 10, 29, 18, 0, 0, 123);
    expect(parseInt(newUsageId(at).replace(/-/g, '').slice(0, 12), 16)).toBe(at);
  });

  it('orders ids of later milliseconds after earlier ones', () => {
    const ids = [1, 2, 3, 1000, 1_000_000].map((d) => newUsageId(1_790_000_000_000 + d));
    expect([...ids].sort()).toEqual(ids);
  });

  it('differs between ids of the same millisecond', () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 1000 }, () => newUsageId(at))).size).toBe(1000);
  });
});
