// The usage page's range in the hash: presets count back from today, a custom range names both
// days, junk falls back to 30 days, and hours are asked for only within a week.
import { granularityOf, rangeDays, rangeOf, rangeQuery } from '../../web/src/lib/usage-range';

const today = '2026-11-29';
const q = (s: string) => new URLSearchParams(s);

describe('usage range', () => {
  it('counts a preset back from today, today included', () => {
    expect(rangeOf(q('range=7'), today)).toEqual({ preset: 7, from: '2026-11-23', to: today, mode: 'live', hourly: false });
    expect(rangeDays(rangeOf(q('range=90'), today))).toBe(90);
  });

  it('keeps a custom range and test mode, and writes them back the same', () => {
    const r = rangeOf(q('from=2026-10-01&to=2026-10-31&mode=test'), today);
    expect(r).toEqual({ preset: null, from: '2026-10-01', to: '2026-10-31', mode: 'test', hourly: false });
    expect(rangeQuery(r)).toBe('from=2026-10-01&to=2026-10-31&mode=test');
  });

  it('falls back to 30 days for an unknown preset or a bad day', () => {
    expect(rangeOf(q('range=12'), today).preset).toBe(30);
    expect(rangeOf(q('from=2026-13-01&to=2026-10-31'), today).preset).toBe(30);
    expect(rangeQuery(rangeOf(q(''), today))).toBe('range=30');
  });

  it('asks for hours only for a week or less', () => {
    expect(granularityOf(rangeOf(q('range=7&by=hour'), today))).toBe('hour');
    expect(granularityOf(rangeOf(q('range=30&by=hour'), today))).toBe('day');
    expect(granularityOf(rangeOf(q('range=7'), today))).toBe('day');
  });
});
