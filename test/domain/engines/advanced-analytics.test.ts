import { addDays } from '../../../domain/engines/dates';
import { advancedAnalyticsInputSchema, analyseUsage } from '../../../domain/engines/advanced-analytics';
import { issuePaths } from './issue-paths';

const run = (input: unknown) => analyseUsage(advancedAnalyticsInputSchema.parse(input));
const asOf = '2025-03-14';
/** One row per day for the `days` days ending on `last`. */
const daily = (appSlug: string, tokens: number, days: number, last = asOf) =>
  Array.from({ length: days }, (_, k) => ({ day: addDays(last, -k), appSlug, tokens, uses: 1 }));

describe('advanced-analytics', () => {
  it('totals tokens and uses per app, most tokens first', () => {
    const rows = [...daily('pd-calculator', 10, 3), ...daily('virtual-try-on', 50, 2)];
    const out = run({ rows, balanceTokens: null, asOf });
    expect(out.totals).toEqual({ tokens: 130, uses: 5 });
    expect(out.apps).toEqual([
      { appSlug: 'virtual-try-on', tokens: 100, uses: 2, shareOfTokens: 0.7692 },
      { appSlug: 'pd-calculator', tokens: 30, uses: 3, shareOfTokens: 0.2308 },
    ]);
  });

  it('orders apps with equal tokens by uses, then by slug', () => {
    const rows = [
      { day: asOf, appSlug: 'b-app', tokens: 6, uses: 2 },
      { day: asOf, appSlug: 'a-app', tokens: 6, uses: 2 },
      { day: asOf, appSlug: 'c-app', tokens: 6, uses: 3 },
    ];
    expect(run({ rows, balanceTokens: null, asOf }).apps.map((a) => a.appSlug)).toEqual(['c-app', 'a-app', 'b-app']);
  });

  it('sums repeated rows for the same day and app', () => {
    const rows = [
      { day: asOf, appSlug: 'frame-finder', tokens: 2, uses: 1 },
      { day: asOf, appSlug: 'frame-finder', tokens: 4, uses: 2 },
    ];
    const out = run({ rows, balanceTokens: null, asOf, trendDays: 1 });
    expect(out.apps).toEqual([{ appSlug: 'frame-finder', tokens: 6, uses: 3, shareOfTokens: 1 }]);
    expect(out.trend).toEqual([{ day: asOf, tokens: 6, uses: 3, average7DayTokens: 0.86 }]);
  });

  it('shows 30 days ending on asOf by default, oldest first, with zeros for quiet days', () => {
    const { trend } = run({ rows: [{ day: '2025-03-01', appSlug: 'x', tokens: 7, uses: 1 }], balanceTokens: null, asOf });
    expect(trend).toHaveLength(30);
    expect(trend[0]!.day).toBe('2025-02-13');
    expect(trend[29]!.day).toBe(asOf);
    expect(trend.filter((d) => d.tokens > 0).map((d) => d.day)).toEqual(['2025-03-01']);
  });

  it('averages the 7 days ending on each day, counting usage from before the window', () => {
    // 7 tokens on each of the 6 days before asOf and 14 on asOf: (6 × 7 + 14) / 7 = 8.
    const rows = [...daily('x', 7, 6, addDays(asOf, -1)), { day: asOf, appSlug: 'x', tokens: 14, uses: 1 }];
    expect(run({ rows, balanceTokens: null, asOf, trendDays: 1 }).trend).toEqual([{ day: asOf, tokens: 14, uses: 1, average7DayTokens: 8 }]);
  });

  it('forecasts exhaustion from the average burn of the last 14 days', () => {
    // 100 a day; 1000 left lasts 10 days.
    const { forecast } = run({ rows: daily('x', 100, 14), balanceTokens: 1000, asOf });
    expect(forecast).toEqual({ status: 'forecast', averageDailyBurnTokens: 100, daysRemaining: 10, exhaustsOn: '2025-03-24' });
  });

  it('rounds a part day up to the day the balance runs out', () => {
    expect(run({ rows: daily('x', 100, 14), balanceTokens: 1001, asOf }).forecast).toMatchObject({ daysRemaining: 11, exhaustsOn: '2025-03-25' });
  });

  it('counts quiet days in the last 14 as zero burn', () => {
    // 700 tokens over 14 days is 50 a day; 1000 lasts 20 days.
    const { forecast } = run({ rows: [{ day: asOf, appSlug: 'x', tokens: 700, uses: 1 }], balanceTokens: 1000, asOf });
    expect(forecast).toMatchObject({ averageDailyBurnTokens: 50, daysRemaining: 20, exhaustsOn: '2025-04-03' });
  });

  it('ignores usage older than 14 days for the burn rate', () => {
    const rows = daily('x', 100, 5, addDays(asOf, -14));
    expect(run({ rows, balanceTokens: 1000, asOf }).forecast).toEqual({ status: 'no-burn', averageDailyBurnTokens: 0, daysRemaining: null, exhaustsOn: null });
  });

  it('crosses a leap day when counting forward', () => {
    expect(run({ rows: daily('x', 100, 14, '2024-02-25'), balanceTokens: 1000, asOf: '2024-02-25' }).forecast.exhaustsOn).toBe('2024-03-06');
  });

  it('forecasts nothing for an unlimited balance', () => {
    expect(run({ rows: daily('x', 100, 14), balanceTokens: null, asOf }).forecast).toEqual({ status: 'unlimited', averageDailyBurnTokens: 100, daysRemaining: null, exhaustsOn: null });
  });

  it('reports an empty balance as exhausted on asOf', () => {
    expect(run({ rows: [], balanceTokens: 0, asOf }).forecast).toMatchObject({ status: 'exhausted', daysRemaining: 0, exhaustsOn: asOf });
  });

  it('gives no date for a balance that outlasts ten years', () => {
    // 1 token a day against a billion tokens.
    expect(run({ rows: daily('x', 1, 14), balanceTokens: 1_000_000_000, asOf }).forecast).toEqual({ status: 'beyond-horizon', averageDailyBurnTokens: 1, daysRemaining: 1_000_000_000, exhaustsOn: null });
  });

  it('reports zeros for a brand with no usage', () => {
    const out = run({ rows: [], balanceTokens: 500, asOf, trendDays: 7 });
    expect(out.totals).toEqual({ tokens: 0, uses: 0 });
    expect(out.apps).toEqual([]);
    expect(out.trend.every((d) => d.tokens === 0 && d.average7DayTokens === 0)).toBe(true);
    expect(out.forecast.status).toBe('no-burn');
  });

  it('never reads the clock', () => {
    const now = jest.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('read the clock');
    });
    try {
      expect(run({ rows: daily('x', 100, 14), balanceTokens: 1000, asOf }).forecast.exhaustsOn).toBe('2025-03-24');
    } finally {
      now.mockRestore();
    }
  });

  it('rejects usage dated after asOf, pointing at the row', () => {
    const rows = [{ day: asOf, appSlug: 'x', tokens: 1, uses: 1 }, { day: '2025-03-15', appSlug: 'x', tokens: 1, uses: 1 }];
    expect(issuePaths(advancedAnalyticsInputSchema, { rows, balanceTokens: null, asOf })).toEqual(['rows.1.day']);
  });

  it('rejects a date that does not exist', () => {
    expect(issuePaths(advancedAnalyticsInputSchema, { rows: [], balanceTokens: null, asOf: '2025-02-30' })).toEqual(['asOf']);
  });

  it('rejects fractional or negative tokens', () => {
    expect(issuePaths(advancedAnalyticsInputSchema, { rows: [{ day: asOf, appSlug: 'x', tokens: 1.5, uses: 1 }], balanceTokens: null, asOf })).toEqual(['rows.0.tokens']);
    expect(issuePaths(advancedAnalyticsInputSchema, { rows: [{ day: asOf, appSlug: 'x', tokens: -1, uses: 1 }], balanceTokens: null, asOf })).toEqual(['rows.0.tokens']);
  });

  it('requires the balance to be stated, null meaning unlimited', () => {
    expect(issuePaths(advancedAnalyticsInputSchema, { rows: [], asOf })).toEqual(['balanceTokens']);
  });

  it('rejects a trend longer than a year', () => {
    expect(issuePaths(advancedAnalyticsInputSchema, { rows: [], balanceTokens: null, asOf, trendDays: 367 })).toEqual(['trendDays']);
  });
});
