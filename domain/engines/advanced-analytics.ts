// A brand's usage report: totals per app, a daily trend with a 7-day moving average, and when the
// balance runs out at the recent burn rate. The report date is input, never the clock, so the same
// rows always give the same report.
import { z } from 'zod';
import { addDays, dayNumber } from './dates';
import { round } from './geometry';

export const movingAverageDays = 7;
export const burnBasisDays = 14;
/** Beyond this, a date is noise rather than a forecast (and far dates overflow Date). */
export const forecastHorizonDays = 3_650;

const usageRowSchema = z.object({
  day: z.iso.date(),
  appSlug: z.string().min(1),
  // Capped so that the sum over the most rows allowed stays a safe integer.
  tokens: z.number().int().nonnegative().max(1e9),
  uses: z.number().int().nonnegative().max(1e9),
});

export const advancedAnalyticsInputSchema = z
  .object({
    rows: z.array(usageRowSchema).max(100_000), // rows for one (day, app) may repeat; they are summed
    /** Balance after all usage on asOf; null for an unlimited plan. */
    balanceTokens: z.number().int().nullable(),
    asOf: z.iso.date(),
    trendDays: z.number().int().min(1).max(366).default(30),
  })
  .superRefine((input, ctx) => {
    input.rows.forEach((row, i) => {
      if (row.day > input.asOf) ctx.addIssue({ code: 'custom', message: `usage on ${row.day} is after asOf ${input.asOf}`, path: ['rows', i, 'day'] });
    });
  });
export type AdvancedAnalyticsInput = z.infer<typeof advancedAnalyticsInputSchema>;

export interface AppTotal {
  appSlug: string;
  tokens: number;
  uses: number;
  shareOfTokens: number; // 0–1, 4 decimals
}

export interface TrendDay {
  day: string;
  tokens: number;
  uses: number;
  average7DayTokens: number; // mean over the 7 days ending on this day, 2 decimals; not a count
}

export type ForecastStatus = 'unlimited' | 'exhausted' | 'no-burn' | 'beyond-horizon' | 'forecast';

export interface Forecast {
  status: ForecastStatus;
  averageDailyBurnTokens: number; // over the 14 days ending on asOf, 2 decimals
  daysRemaining: number | null; // whole days until the balance reaches zero
  exhaustsOn: string | null; // the day the balance runs out, 'forecast' and 'exhausted' only
}

export interface AdvancedAnalyticsOutput {
  asOf: string;
  totals: { tokens: number; uses: number };
  apps: AppTotal[]; // most tokens first
  trend: TrendDay[]; // oldest first, the trendDays ending on asOf; days without usage are zeros
  forecast: Forecast;
}

function byApp(rows: AdvancedAnalyticsInput['rows']): AppTotal[] {
  const sums = new Map<string, { tokens: number; uses: number }>();
  for (const r of rows) {
    const s = sums.get(r.appSlug) ?? { tokens: 0, uses: 0 };
    sums.set(r.appSlug, { tokens: s.tokens + r.tokens, uses: s.uses + r.uses });
  }
  const total = rows.reduce((t, r) => t + r.tokens, 0);
  return [...sums]
    .map(([appSlug, s]) => ({ appSlug, ...s, shareOfTokens: total === 0 ? 0 : round(s.tokens / total, 4) }))
    .sort((a, b) => b.tokens - a.tokens || b.uses - a.uses || (a.appSlug < b.appSlug ? -1 : 1));
}

function forecast(balanceTokens: number | null, burnTokens: number, asOf: string): Forecast {
  const averageDailyBurnTokens = round(burnTokens / burnBasisDays, 2);
  if (balanceTokens === null) return { status: 'unlimited', averageDailyBurnTokens, daysRemaining: null, exhaustsOn: null };
  if (balanceTokens <= 0) return { status: 'exhausted', averageDailyBurnTokens, daysRemaining: 0, exhaustsOn: asOf };
  if (burnTokens === 0) return { status: 'no-burn', averageDailyBurnTokens, daysRemaining: null, exhaustsOn: null };
  // ceil(balance / (burn / 14)) in exact integer arithmetic: the first day the balance is ≤ 0.
  const days = Number((BigInt(balanceTokens) * BigInt(burnBasisDays) + BigInt(burnTokens) - 1n) / BigInt(burnTokens));
  if (days > forecastHorizonDays) return { status: 'beyond-horizon', averageDailyBurnTokens, daysRemaining: days, exhaustsOn: null };
  return { status: 'forecast', averageDailyBurnTokens, daysRemaining: days, exhaustsOn: addDays(asOf, days) };
}

export function analyseUsage(input: AdvancedAnalyticsInput): AdvancedAnalyticsOutput {
  const perDay = new Map<number, { tokens: number; uses: number }>();
  for (const r of input.rows) {
    const n = dayNumber(r.day);
    const d = perDay.get(n) ?? { tokens: 0, uses: 0 };
    perDay.set(n, { tokens: d.tokens + r.tokens, uses: d.uses + r.uses });
  }
  const end = dayNumber(input.asOf);
  const tokensOn = (n: number) => perDay.get(n)?.tokens ?? 0;
  const sumTokens = (last: number, days: number) => Array.from({ length: days }, (_, k) => tokensOn(last - k)).reduce((a, b) => a + b, 0);

  const trend: TrendDay[] = [];
  for (let k = input.trendDays - 1; k >= 0; k -= 1) {
    const n = end - k;
    trend.push({
      day: addDays(input.asOf, -k),
      tokens: tokensOn(n),
      uses: perDay.get(n)?.uses ?? 0,
      // Uses rows from before the window too, so the first days of the trend are real averages.
      average7DayTokens: round(sumTokens(n, movingAverageDays) / movingAverageDays, 2),
    });
  }

  return {
    asOf: input.asOf,
    totals: { tokens: input.rows.reduce((t, r) => t + r.tokens, 0), uses: input.rows.reduce((t, r) => t + r.uses, 0) },
    apps: byApp(input.rows),
    trend,
    forecast: forecast(input.balanceTokens, sumTokens(end, burnBasisDays), input.asOf),
  };
}
